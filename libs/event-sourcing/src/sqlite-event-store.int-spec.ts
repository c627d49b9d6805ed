import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventIdConflictError } from './event-store';
import { computeEventHash, verifyStore, verifyStream } from './hash-chain';
import { SqliteEventStore, dataFileFor, loadCheckpoint, writerFromEnv } from './sqlite-event-store';
import { describeEventStoreContract } from './testing/event-store.contract';
import { testEvent, uniqueStreamId, waitUntil } from './testing/fixtures';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sqlite-event-store-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let files = 0;
const newFile = () => join(dir, `events-${++files}.sqlite`);

describeEventStoreContract('SqliteEventStore (temp file, writer thread)', () =>
  SqliteEventStore.open({ file: newFile() }),
);
describeEventStoreContract('SqliteEventStore (temp file, inline writer)', () =>
  SqliteEventStore.open({ file: newFile(), writer: 'inline' }),
);

describe('SqliteEventStore', () => {
  let file: string;
  let store: SqliteEventStore;
  beforeEach(async () => {
    file = newFile();
    store = await SqliteEventStore.open({ file });
  });
  afterEach(async () => {
    await store.close();
  });

  it('runs in WAL mode with synchronous=FULL', () => {
    expect(store.db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    expect(store.db.prepare('PRAGMA synchronous').get()).toEqual({ synchronous: 2 });
  });

  it('commits in a writer thread whose connection also runs WAL with synchronous=FULL', async () => {
    expect(store.writesInThread).toBe(true);
    expect(await store.writerPragmas()).toEqual({ journalMode: 'wal', synchronous: 2 });
    const inline = await SqliteEventStore.open({ file: newFile(), writer: 'inline' });
    try {
      expect(inline.writesInThread).toBe(false);
      expect(await inline.writerPragmas()).toEqual({ journalMode: 'wal', synchronous: 2 });
    } finally {
      await inline.close();
    }
  });

  it('takes recordedAt from the injected clock', async () => {
    const pinned = await SqliteEventStore.open({
      file: ':memory:',
      clock: () => new Date('2013-07-01T08:00:00Z'),
    });
    try {
      await pinned.appendToStream('s', [testEvent('A')], { expectedRevision: 'no_stream' });
      expect((await pinned.readStream('s'))[0].recordedAt).toBe('2013-07-01T08:00:00.000Z');
    } finally {
      await pinned.close();
    }
  });

  it('refuses an event id already stored in another stream', async () => {
    const reused = testEvent('A');
    await store.appendToStream('s-1', [reused], { expectedRevision: 'no_stream' });
    await expect(
      store.appendToStream('s-2', [reused], { expectedRevision: 'no_stream' }),
    ).rejects.toBeInstanceOf(EventIdConflictError);
    await expect(
      store.appendToStream('s-2', [testEvent('B'), reused], { expectedRevision: 'no_stream' }),
    ).rejects.toMatchObject({ name: 'EventIdConflictError', eventId: reused.eventId, storedInStream: 's-1' });
    expect(await store.readStream('s-2')).toEqual([]);
  });

  it('keeps everything across a reopen of the file', async () => {
    await store.appendToStream('s-1', [testEvent('A'), testEvent('B')], { expectedRevision: 'no_stream' });
    const subscription = store.subscribeToAll({
      subscriptionId: 'projection',
      handler: async () => undefined,
    });
    await subscription.caughtUp;
    await subscription.stop();
    const before = await store.readAll();
    await store.close();

    store = await SqliteEventStore.open({ file });
    expect(await store.readAll()).toEqual(before);
    expect(loadCheckpoint(store.db, 'projection')).toBe(before[1].globalPosition);
    expect(
      (await store.appendToStream('s-1', [testEvent('C')], { expectedRevision: 1 })).nextExpectedRevision,
    ).toBe(2);
    expect(await verifyStore(store)).toEqual({ ok: true, checkedEvents: 3, checkedStreams: 1 });
  });

  it("sees another connection's appends by polling", async () => {
    const other = await SqliteEventStore.open({ file });
    try {
      const seen: string[] = [];
      const subscription = store.subscribeToAll({
        subscriptionId: 'cross-process',
        pollIntervalMs: 20,
        handler: async (e) => {
          seen.push(e.type);
        },
      });
      await subscription.caughtUp;
      await other.appendToStream('s', [testEvent('FromElsewhere')], { expectedRevision: 'no_stream' });
      await waitUntil(() => seen.length === 1, 'the other connection’s event');
      await subscription.stop();
      expect(seen).toEqual(['FromElsewhere']);
    } finally {
      await other.close();
    }
  });

  it('refuses a second running subscription with the same id', async () => {
    const handler = async () => undefined;
    const running = store.subscribeToAll({ subscriptionId: 'once', handler });
    expect(() => store.subscribeToAll({ subscriptionId: 'once', handler })).toThrow(/already running/);
    await running.stop();
  });

  it('opens read-only for verification and refuses to append', async () => {
    await store.appendToStream('s', [testEvent('A')], { expectedRevision: 'no_stream' });
    const readOnly = await SqliteEventStore.open({ file, readOnly: true });
    try {
      expect(await verifyStore(readOnly)).toMatchObject({ ok: true, checkedEvents: 1 });
      await expect(readOnly.appendToStream('s', [testEvent('B')], { expectedRevision: 0 })).rejects.toThrow(
        /read-only/,
      );
    } finally {
      await readOnly.close();
    }
  });

  describe('tamper evidence', () => {
    let streamId: string;
    beforeEach(async () => {
      streamId = uniqueStreamId('district');
      await store.appendToStream('other', [testEvent('Unrelated')], { expectedRevision: 'no_stream' });
      for (let i = 0; i < 5; i++) {
        await store.appendToStream(streamId, [testEvent(`E${i}`, { households: 1000 + i })], {
          expectedRevision: i === 0 ? 'no_stream' : i - 1,
        });
      }
      await store.appendToStream('other', [testEvent('Unrelated')], { expectedRevision: 0 });
    });
    const row = (revision: number) =>
      store.db
        .prepare('SELECT global_position, event_id FROM events WHERE stream_id = ? AND stream_revision = ?')
        .get(streamId, revision) as { global_position: number; event_id: string };

    it('names exactly the event whose data was edited', async () => {
      const edited = row(2);
      store.db
        .prepare("UPDATE events SET data = json_set(data, '$.households', 9999) WHERE event_id = ?")
        .run(edited.event_id);
      const result = await verifyStore(store);
      expect(result.ok).toBe(false);
      expect(result.firstBroken).toMatchObject({
        streamId,
        streamRevision: 2,
        eventId: edited.event_id,
        globalPosition: edited.global_position,
        type: 'E2',
        reason: 'hash-mismatch',
      });
      expect((await verifyStream(store, streamId)).firstBroken).toMatchObject({ eventId: edited.event_id });
    });

    it('names the successor when an edited event was also re-hashed', async () => {
      const [original] = await store.readStream(streamId, { fromRevision: 1, maxCount: 1 });
      const forged = { ...original, data: { households: 9999 } };
      const forgedHash = await computeEventHash(forged);
      store.db
        .prepare('UPDATE events SET data = ?, hash = ? WHERE event_id = ?')
        .run(JSON.stringify(forged.data), forgedHash, original.eventId);
      // A consistent forgery of one event still breaks the link of the next: the chain can only be
      // rewritten from the edit to the end of the stream, which is what external anchors catch.
      expect((await verifyStore(store)).firstBroken).toMatchObject({
        streamRevision: 2,
        eventId: row(2).event_id,
        reason: 'previous-hash-mismatch',
      });
    });

    it('names the event after a deleted one', async () => {
      store.db.prepare('DELETE FROM events WHERE stream_id = ? AND stream_revision = 2').run(streamId);
      const next = row(3);
      const result = await verifyStore(store);
      expect(result.firstBroken).toMatchObject({
        streamId,
        streamRevision: 3,
        eventId: next.event_id,
        globalPosition: next.global_position,
        type: 'E3',
      });
      expect(['revision-gap', 'previous-hash-mismatch']).toContain(result.firstBroken?.reason);
    });

    it('detects an edited previous hash as a broken link', async () => {
      const edited = row(4);
      store.db
        .prepare("UPDATE events SET previous_hash = '0000' || substr(previous_hash, 5) WHERE event_id = ?")
        .run(edited.event_id);
      expect((await verifyStore(store)).firstBroken).toMatchObject({
        eventId: edited.event_id,
        reason: 'previous-hash-mismatch',
      });
    });

    it('passes an untouched store', async () => {
      expect(await verifyStore(store)).toEqual({ ok: true, checkedEvents: 7, checkedStreams: 2 });
    });
  });
});

describe('dataFileFor', () => {
  const saved = process.env.REGISTRY_DATA_DIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.REGISTRY_DATA_DIR;
    else process.env.REGISTRY_DATA_DIR = saved;
  });

  it('puts each service in its own file under REGISTRY_DATA_DIR, creating it', () => {
    process.env.REGISTRY_DATA_DIR = join(dir, 'nested', 'data');
    expect(dataFileFor('community-establishment')).toBe(`${dir}/nested/data/community-establishment.sqlite`);
  });

  it('refuses names that would leave the directory', () => {
    expect(() => dataFileFor('../etc')).toThrow(RangeError);
  });
});

describe('writerFromEnv', () => {
  it('reads REGISTRY_SQLITE_WRITER, and refuses anything but thread or inline', () => {
    expect(writerFromEnv({})).toBeUndefined();
    expect(writerFromEnv({ REGISTRY_SQLITE_WRITER: 'inline' })).toBe('inline');
    expect(writerFromEnv({ REGISTRY_SQLITE_WRITER: 'thread' })).toBe('thread');
    expect(() => writerFromEnv({ REGISTRY_SQLITE_WRITER: 'threads' })).toThrow(
      /REGISTRY_SQLITE_WRITER=threads/,
    );
  });
});
