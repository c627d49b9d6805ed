import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from './sqlite-event-store';
import { testEvent } from './testing/fixtures';
import { formatDataFileVerification, verifyDataFiles } from './verify-data-files';

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

  it('checks every service file of the data directory', async () => {
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
});
