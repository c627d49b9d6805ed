import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '#libs/event-sourcing';
import { testEvent } from '../libs/event-sourcing/src/testing/fixtures';
import { buildDist, ROOT } from './support/build';

/*
 * `npm run verify` as an auditor runs it (node dist/scripts/verify.js): every kind of edit of a
 * store file is a broken chain, exit status 1, naming the service, the global position and the
 * event id. Exit status 2 is kept for what is not tampering: no file, nothing to verify; 3 for an
 * intact chain with an event that, read at its current version, breaks its contract.
 */

const SERVICE = 'community-establishment';
const VERIFY = 'dist/scripts/verify.js';

interface Row {
  readonly position: number;
  readonly eventId: string;
}

describe('npm run verify: one exit status for every tampering', () => {
  let dir: string;
  let file: string;
  let rows: Row[];

  beforeAll(() => buildDist(VERIFY), 180_000);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'verify-cli-'));
    file = join(dir, `${SERVICE}.sqlite`);
    const store = await SqliteEventStore.open({ file });
    // Two streams interleaved, so the tampered event is neither the first read nor the last.
    await store.appendToStream('district-chengguan', [testEvent('A', { n: 0 })], {
      expectedRevision: 'no_stream',
    });
    await store.appendToStream('district-anning', [testEvent('X', { n: 0 })], {
      expectedRevision: 'no_stream',
    });
    await store.appendToStream('district-chengguan', [testEvent('B', { n: 1 }), testEvent('C', { n: 2 })], {
      expectedRevision: 0,
    });
    await store.appendToStream('district-anning', [testEvent('Y', { n: 1 })], { expectedRevision: 0 });
    rows = (
      store.db
        .prepare(
          "SELECT global_position, event_id FROM events WHERE stream_id = 'district-chengguan' ORDER BY stream_revision",
        )
        .all() as { global_position: number; event_id: string }[]
    ).map((r) => ({ position: r.global_position, eventId: r.event_id }));
    await store.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Raw SQL on the file, as someone with access to the disk would do it. */
  async function tamper(...statements: string[]): Promise<void> {
    const store = await SqliteEventStore.open({ file });
    for (const sql of statements) store.db.exec(sql);
    await store.close();
  }

  function verify(...args: string[]) {
    const run = spawnSync(process.execPath, [VERIFY, ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, REGISTRY_DATA_DIR: dir },
    });
    return { status: run.status, out: run.stdout, err: run.stderr };
  }

  const expectBrokenAt = (result: ReturnType<typeof verify>, row: Row, reason: string) => {
    expect(result.err).toBe('');
    expect(result.out).toContain(`${SERVICE}: BROKEN`);
    expect(result.out).toContain(`event id ${row.eventId}, global position ${row.position}`);
    expect(result.out).toContain(reason);
    expect(result.status).toBe(1);
  };

  it('an intact file: exit 0', () => {
    const result = verify();
    expect(result.out).toContain(`${SERVICE}: ok, 5 events in 2 streams`);
    expect(result.status).toBe(0);
  });

  it('data changed: exit 1 naming the event (hash-mismatch)', async () => {
    await tamper(`UPDATE events SET data = '{"n":99}' WHERE global_position = ${rows[1].position}`);
    expectBrokenAt(verify(), rows[1], 'hash-mismatch');
  });

  it('data made non-JSON: exit 1 naming the event, not a read error', async () => {
    await tamper(`UPDATE events SET data = '{"n":' WHERE global_position = ${rows[1].position}`);
    expectBrokenAt(verify(), rows[1], 'unreadable');
  });

  it('data made unhashable JSON (a lone surrogate): exit 1 naming the event', async () => {
    await tamper(`UPDATE events SET data = '{"n":"\\ud800"}' WHERE global_position = ${rows[1].position}`);
    expectBrokenAt(verify(), rows[1], 'hash-mismatch');
  });

  it('metadata changed: exit 1 naming the event', async () => {
    await tamper(
      `UPDATE events SET metadata = json_set(metadata, '$.legalBasis', '伪造') WHERE global_position = ${rows[1].position}`,
    );
    expectBrokenAt(verify(), rows[1], 'hash-mismatch');
  });

  it('metadata made non-JSON: exit 1 naming the event', async () => {
    await tamper(`UPDATE events SET metadata = 'not json' WHERE global_position = ${rows[1].position}`);
    expectBrokenAt(verify(), rows[1], 'unreadable');
  });

  it('row deleted: exit 1 naming its successor (revision-gap)', async () => {
    await tamper(`DELETE FROM events WHERE global_position = ${rows[1].position}`);
    expectBrokenAt(verify(), rows[2], 'revision-gap');
  });

  it('rows reordered: exit 1 naming the event read out of order', async () => {
    const [b, c] = [rows[1].position, rows[2].position];
    await tamper(
      `UPDATE events SET global_position = 1000 WHERE global_position = ${b}`,
      `UPDATE events SET global_position = ${b} WHERE global_position = ${c}`,
      `UPDATE events SET global_position = ${c} WHERE global_position = 1000`,
    );
    expectBrokenAt(verify(), { position: b, eventId: rows[2].eventId }, 'revision-gap');
  });

  it('hash changed: exit 1 naming the event', async () => {
    await tamper(`UPDATE events SET hash = '${'0'.repeat(64)}' WHERE global_position = ${rows[1].position}`);
    expectBrokenAt(verify(), rows[1], 'hash-mismatch');
  });

  it('exit 3 for an intact chain whose event, read at its current version, breaks its contract', async () => {
    const store = await SqliteEventStore.open({ file });
    // Stored by no release of this registry: an AreaRegistered without the areaId its contract requires.
    await store.appendToStream('district-chengguan', [testEvent('AreaRegistered', { id: 'cg-old' })], {
      expectedRevision: 2,
    });
    const [stored] = await store.readStream('district-chengguan', { fromRevision: 3 });
    await store.close();
    const result = verify();
    expect(result.out).toContain(`${SERVICE}: INVALID`);
    expect(result.out).toContain(`event id ${stored.eventId}, global position ${stored.globalPosition}`);
    expect(result.out).toContain('areaId');
    expect(result.status).toBe(3);
  });

  it('exit 2 only for what is not tampering: a usage error, a missing file, nothing to verify', () => {
    const usage = verify('--bogus');
    expect(usage.err).toContain("unknown option '--bogus'");
    expect(usage.status).toBe(2);
    expect(verify('--help').status).toBe(0);
    const missing = verify('--file', join(dir, 'nope.sqlite'));
    expect(missing.out).toContain('ERROR');
    expect(missing.status).toBe(2);
    const empty = mkdtempSync(join(tmpdir(), 'verify-cli-empty-'));
    try {
      const run = spawnSync(process.execPath, [VERIFY], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, REGISTRY_DATA_DIR: empty },
      });
      expect(run.stderr).toContain('no *.sqlite files');
      expect(run.status).toBe(2);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
