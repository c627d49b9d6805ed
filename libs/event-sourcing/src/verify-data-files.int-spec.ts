import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from './sqlite-event-store';
import { testEvent } from './testing/fixtures';
import { UpcasterChain } from './upcasting';
import { formatDataFileVerification, verifyDataFiles, type EventReading } from './verify-data-files';

describe('verifyDataFiles', () => {
  let dir: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'verify-'));
    for (const service of ['community-establishment', 'staffing-elections']) {
      const store = await SqliteEventStore.open({ file: join(dir, `${service}.sqlite`) });
      await store.appendToStream('s-1', [testEvent('A'), testEvent('B')], { expectedRevision: 'no_stream' });
      await store.close();
    }
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('checks every service file of the data directory, not the read models beside them', async () => {
    writeFileSync(join(dir, 'community-establishment.read.sqlite'), '');
    const results = await verifyDataFiles({ dataDir: dir });
    expect(results.map((r) => [r.service, r.result?.ok])).toEqual([
      ['community-establishment', true],
      ['staffing-elections', true],
    ]);
    expect(formatDataFileVerification(results[0])).toMatch(
      /^community-establishment: ok, 2 events in 1 streams/,
    );
  });

  it('names the first broken event of a tampered file', async () => {
    const file = join(dir, 'staffing-elections.sqlite');
    const store = await SqliteEventStore.open({ file });
    store.db.prepare("UPDATE events SET type = 'Forged' WHERE stream_revision = 1").run();
    const { global_position: position, event_id: eventId } = store.db
      .prepare('SELECT global_position, event_id FROM events WHERE stream_revision = 1')
      .get() as { global_position: number; event_id: string };
    await store.close();

    const [result] = await verifyDataFiles({ dataDir: dir, service: 'staffing-elections' });
    expect(result.result?.ok).toBe(false);
    const line = formatDataFileVerification(result);
    expect(line).toContain('BROKEN');
    expect(line).toContain(
      `stream s-1 revision 1, event id ${eventId}, global position ${position}, type Forged`,
    );
    expect(line).toContain('hash-mismatch');
  });

  it('reports a missing file instead of creating it', async () => {
    const [result] = await verifyDataFiles({ file: join(dir, 'nope.sqlite') });
    expect(result).toMatchObject({ service: 'nope', error: 'no such file' });
  });

  describe('events read at their current version against their contracts', () => {
    // A made-up history: version 1 of AreaRegistered named the area's id `id`; the contract of
    // version 2 requires `areaId`.
    const areaIdRenamed = new UpcasterChain([
      {
        type: 'AreaRegistered',
        fromVersion: 1,
        upcast: (data) => {
          const { id, ...rest } = data as { id: string };
          return { areaId: id, ...rest };
        },
      },
    ]);
    const readingWith = (upcasters: UpcasterChain): EventReading => ({
      upcasters,
      problemOf: (event) => {
        if (event.type !== 'AreaRegistered') return undefined;
        if (event.schemaVersion !== 2)
          return `read at version ${event.schemaVersion}, its contract is version 2`;
        return typeof (event.data as { areaId?: unknown }).areaId === 'string'
          ? undefined
          : 'areaId: required';
      },
    });
    let eventId: string;
    beforeEach(async () => {
      const store = await SqliteEventStore.open({ file: join(dir, 'community-establishment.sqlite') });
      const v1 = testEvent('AreaRegistered', { id: 'cg-old', households: 500 });
      eventId = v1.eventId;
      await store.appendToStream('district-chengguan', [v1], { expectedRevision: 'no_stream' });
      await store.close();
    });

    it('checks the hash chain over the stored version-1 bytes and the contract over the upcast version 2', async () => {
      const [result] = await verifyDataFiles({
        dataDir: dir,
        service: 'community-establishment',
        readingOf: () => readingWith(areaIdRenamed),
      });
      expect(result.result).toMatchObject({ ok: true, checkedEvents: 3 });
      expect(result.contract).toEqual({ checkedEvents: 3 });
      expect(formatDataFileVerification(result)).toMatch(/^community-establishment: ok, 3 events/);
    });

    it('names the first stored event that does not read as its contract says (no upcaster for it)', async () => {
      const [result] = await verifyDataFiles({
        dataDir: dir,
        service: 'community-establishment',
        readingOf: () => readingWith(new UpcasterChain()),
      });
      expect(result.result?.ok).toBe(true);
      expect(result.contract?.firstInvalid).toMatchObject({
        eventId,
        type: 'AreaRegistered',
        storedVersion: 1,
      });
      const line = formatDataFileVerification(result);
      expect(line).toContain('community-establishment: INVALID');
      expect(line).toContain(`stream district-chengguan revision 0, event id ${eventId}`);
      expect(line).toContain('read at version 1, its contract is version 2');
    });
  });
});
