import 'reflect-metadata';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import { SqliteEventStore, storedEventsOf } from '#libs/event-sourcing';
import { IDEMPOTENCY_STORE } from '#libs/http';
import { InMemoryInbox } from '#libs/messaging';
import { MemoryReadStore, SqliteReadStore } from '#libs/read-store';
import { embeddedStorage, memoryStorage, storageProviders, type StorageProfile } from './storage-providers';
import { CONSUMER_INBOX, EVENT_STORE, READ_STORE, STORAGE } from './tokens';

const record = {
  scope: 'officer POST /api/districts/:district/committees',
  key: 'key-1',
  requestHash: 'h',
  statusCode: 201,
  responseBody: { ok: true },
  recordedAt: '2026-12-03T08:00:00.000Z',
};

describe('the storage profile of a service', () => {
  describe('embedded: one SQLite file per service', () => {
    let dir: string;
    const before = process.env.REGISTRY_DATA_DIR;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'registry-storage-'));
      process.env.REGISTRY_DATA_DIR = dir;
    });
    afterEach(() => {
      if (before === undefined) delete process.env.REGISTRY_DATA_DIR;
      else process.env.REGISTRY_DATA_DIR = before;
      rmSync(dir, { recursive: true, force: true });
    });

    it('keeps the relay checkpoints, the inbox and the idempotency keys in the events’ own file', async () => {
      const storage = await embeddedStorage('staffing-elections', {});
      expect(storage.kind).toBe('embedded');
      expect(storage.eventStore).toBe(storage.kind === 'embedded' ? storage.sqlite : undefined);
      expect(storage.readStore).toBeInstanceOf(SqliteReadStore);
      expect(await storage.readStore.ping()).toEqual({ kind: 'sqlite' });

      await storage.relayCheckpoints.save('relay:staffing-elections:x', 7);
      await storage.inbox.record('staffing-elections.establishment-reactions', 'event-1');
      await storage.idempotency.save(record);
      await storage.eventStore.close();
      await storage.readStore.close();

      const file = await SqliteEventStore.open({
        file: join(dir, 'staffing-elections.sqlite'),
        readOnly: true,
      });
      try {
        const count = (table: string) =>
          Number((file.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n);
        expect([count('checkpoints'), count('inbox'), count('idempotency')]).toEqual([1, 1, 1]);
      } finally {
        await file.close();
      }
    });

    it('keeps the read models in a file of their own beside the log, where a restart finds them', async () => {
      const first = await embeddedStorage('community-establishment', {});
      await first.readStore
        .collection('areas')
        .upsertGuarded(
          'chengguan/a1',
          { district: 'chengguan' },
          { streamId: 'district-chengguan', revision: 3 },
        );
      await first.readStore.checkpoints.save('projection:community-establishment', 42);
      await first.readStore.close();
      await first.eventStore.close();
      expect(existsSync(join(dir, 'community-establishment.read.sqlite'))).toBe(true);

      const second = await embeddedStorage('community-establishment', {});
      try {
        expect(await second.readStore.checkpoints.load('projection:community-establishment')).toBe(42);
        expect(await second.readStore.collection('areas').countDocuments({ district: 'chengguan' })).toBe(1);
      } finally {
        await second.readStore.close();
        await second.eventStore.close();
      }
    });

    it('REGISTRY_READ_STORE=memory keeps the read models in memory, rebuilt at every start', async () => {
      const storage = await embeddedStorage('facility-construction', { REGISTRY_READ_STORE: 'memory' });
      expect(storage.readStore).toBeInstanceOf(MemoryReadStore);
      expect(existsSync(join(dir, 'facility-construction.read.sqlite'))).toBe(false);
      await storage.eventStore.close();
    });
  });

  it('memory: nothing on disk, an inbox that forgets', async () => {
    const storage = await memoryStorage();
    expect(storage.kind).toBe('memory');
    expect(storage.inbox).toBeInstanceOf(InMemoryInbox);
    await storage.idempotency.save(record);
    expect(await storage.idempotency.find(record.scope, record.key)).toMatchObject({ statusCode: 201 });
    await storage.relayCheckpoints.save('relay:x', 3);
    expect(await storage.relayCheckpoints.load('relay:x')).toBe(3);
    await storage.eventStore.close();
  });

  it('is opened once per module, and every storage token is a part of it', async () => {
    let opened = 0;
    const module = await Test.createTestingModule({
      providers: storageProviders('staffing-elections', () => {
        opened++;
        return memoryStorage();
      }),
    }).compile();
    const storage = module.get<StorageProfile>(STORAGE);
    expect(opened).toBe(1);
    // The service reads its events through its upcaster chain; beneath it, the profile's store.
    expect(module.get(EVENT_STORE)).not.toBe(storage.eventStore);
    expect(storedEventsOf(module.get(EVENT_STORE))).toBe(storage.eventStore);
    expect(module.get(READ_STORE)).toBe(storage.readStore);
    expect(module.get(IDEMPOTENCY_STORE)).toBe(storage.idempotency);
    expect(module.get(CONSUMER_INBOX)).toBe(storage.inbox);
    await storage.eventStore.close();
    await module.close();
  });
});
