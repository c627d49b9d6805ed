import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Worker } from 'node:worker_threads';
import { EventIdConflictError, WrongExpectedRevisionError } from './event-store';
import { verifyStore, verifyStream } from './hash-chain';
import { SqliteIdempotencyStore } from './idempotency-store';
import { SqliteCheckpointStore, SqliteEventStore } from './sqlite-event-store';
import { testEvent } from './testing/fixtures';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sqlite-group-commit-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let files = 0;
const newFile = () => join(dir, `events-${++files}.sqlite`);

const settle = <T>(promise: Promise<T>) =>
  promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

/** One more turn of the event loop. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe.each(['thread', 'inline'] as const)('SqliteEventStore group commit (%s writer)', (writer) => {
  let file: string;
  let store: SqliteEventStore;
  beforeEach(async () => {
    file = newFile();
    store = await SqliteEventStore.open({ file, writer });
  });
  afterEach(async () => {
    await store.close();
  });

  it('commits appends made in the same turn of the event loop together, with one commit', async () => {
    const before = store.stats;
    const results = await Promise.all(
      ['s-1', 's-2', 's-3', 's-4', 's-5'].map((s) =>
        store.appendToStream(s, [testEvent('A')], { expectedRevision: 'no_stream' }),
      ),
    );
    const after = store.stats;
    expect(after.commits - before.commits).toBe(1);
    expect(after.appends - before.appends).toBe(5);
    expect(after.largestBatch).toBeGreaterThanOrEqual(5);
    expect(results.map((r) => r.nextExpectedRevision)).toEqual([0, 0, 0, 0, 0]);

    // Appends made one after another each get a commit of their own.
    await store.appendToStream('s-1', [testEvent('B')], { expectedRevision: 0 });
    await store.appendToStream('s-2', [testEvent('B')], { expectedRevision: 0 });
    expect(store.stats.commits - after.commits).toBe(2);
  });

  it('assigns global positions in the order the appends were made', async () => {
    const results = await Promise.all([
      store.appendToStream('s-1', [testEvent('A1'), testEvent('A2')], { expectedRevision: 'no_stream' }),
      store.appendToStream('s-2', [testEvent('B1')], { expectedRevision: 'no_stream' }),
      store.appendToStream('s-1', [testEvent('A3')], { expectedRevision: 1 }),
      store.appendToStream('s-3', [testEvent('C1')], { expectedRevision: 'no_stream' }),
    ]);
    expect(store.stats.commits).toBe(1);
    const all = await store.readAll();
    expect(all.map((e) => e.type)).toEqual(['A1', 'A2', 'B1', 'A3', 'C1']);
    expect(results.map((r) => r.lastGlobalPosition)).toEqual([
      all[1].globalPosition,
      all[2].globalPosition,
      all[3].globalPosition,
      all[4].globalPosition,
    ]);
  });

  it('chains the hashes of two appends to the same stream in one batch', async () => {
    const [first, second] = await Promise.all([
      store.appendToStream('s', [testEvent('A', { n: 1 })], { expectedRevision: 'no_stream' }),
      store.appendToStream('s', [testEvent('B', { n: 2 }), testEvent('C', { n: 3 })], {
        expectedRevision: 0,
      }),
    ]);
    expect(store.stats.commits).toBe(1);
    expect(first.nextExpectedRevision).toBe(0);
    expect(second.nextExpectedRevision).toBe(2);
    const events = await store.readStream('s');
    expect(events[1].previousHash).toBe(events[0].hash);
    expect(await verifyStream(store, 's')).toEqual({ ok: true, checkedEvents: 3, checkedStreams: 1 });
  });

  it('returns the events it wrote exactly as a read returns them', async () => {
    const [a, b] = await Promise.all([
      store.appendToStream('s-1', [testEvent('A', { households: 2100, note: undefined })], {
        expectedRevision: 'no_stream',
      }),
      store.appendToStream('s-2', [testEvent('B'), testEvent('C')], { expectedRevision: 'no_stream' }),
    ]);
    expect(a.events).toEqual(await store.readStream('s-1'));
    expect(b.events).toEqual(await store.readStream('s-2'));
    expect(Object.keys(a.events[0].data as object)).toEqual(['households']);
  });

  it('rolls back a refused append alone and rejects it with its own error', async () => {
    await store.appendToStream('taken', [testEvent('Existing')], { expectedRevision: 'no_stream' });
    const reused = testEvent('Reused');
    await store.appendToStream('elsewhere', [reused], { expectedRevision: 'no_stream' });
    const commits = store.stats.commits;
    const reusedLater = testEvent('ReusedLater');

    const [ok1, stale, conflict, ok2, okBatch, conflictInBatch] = await Promise.all([
      settle(store.appendToStream('s-1', [testEvent('A')], { expectedRevision: 'no_stream' })),
      settle(store.appendToStream('taken', [testEvent('Late')], { expectedRevision: 'no_stream' })),
      // The second event's id is stored in another stream: the UNIQUE violation of the insert.
      settle(
        store.appendToStream('s-3', [testEvent('X'), reused], {
          expectedRevision: 'no_stream',
        }),
      ),
      settle(store.appendToStream('s-2', [testEvent('B')], { expectedRevision: 'no_stream' })),
      settle(store.appendToStream('s-2-batch', [reusedLater], { expectedRevision: 'no_stream' })),
      // Reuses an id written by an earlier append of the same batch.
      settle(store.appendToStream('s-4', [testEvent('Y'), reusedLater], { expectedRevision: 'no_stream' })),
    ]);
    expect(store.stats.commits - commits).toBe(1);
    expect(ok1).toMatchObject({ ok: true, value: { nextExpectedRevision: 0 } });
    expect(ok2).toMatchObject({ ok: true, value: { nextExpectedRevision: 0 } });
    expect(okBatch).toMatchObject({ ok: true, value: { nextExpectedRevision: 0 } });
    expect(stale.ok).toBe(false);
    expect(!stale.ok && stale.error).toBeInstanceOf(WrongExpectedRevisionError);
    expect(!stale.ok && stale.error).toMatchObject({ streamId: 'taken', expected: 'no_stream', actual: 0 });
    expect(!conflict.ok && conflict.error).toBeInstanceOf(EventIdConflictError);
    expect(!conflict.ok && conflict.error).toMatchObject({
      eventId: reused.eventId,
      storedInStream: 'elsewhere',
    });
    expect(!conflictInBatch.ok && conflictInBatch.error).toMatchObject({
      name: 'EventIdConflictError',
      eventId: reusedLater.eventId,
      storedInStream: 's-2-batch',
    });

    expect(await store.readStream('taken')).toHaveLength(1);
    expect(await store.readStream('s-3')).toEqual([]);
    expect(await store.readStream('s-4')).toEqual([]);
    expect((await store.readStream('s-1')).map((e) => e.type)).toEqual(['A']);
    expect((await store.readStream('s-2')).map((e) => e.type)).toEqual(['B']);
    expect(await verifyStore(store)).toMatchObject({ ok: true });
  });

  it('recognises an idempotent retry of an append made earlier in the same batch', async () => {
    await store.appendToStream('s', [testEvent('A')], { expectedRevision: 'no_stream' });
    const batch = [testEvent('B'), testEvent('C')];
    const [first, retried, other] = await Promise.all([
      store.appendToStream('s', batch, { expectedRevision: 0 }),
      store.appendToStream('s', batch, { expectedRevision: 0 }),
      store.appendToStream('t', [testEvent('T')], { expectedRevision: 'no_stream' }),
    ]);
    expect(store.stats.commits).toBe(2);
    expect(retried).toEqual(first);
    expect(first).toMatchObject({ nextExpectedRevision: 2 });
    expect(other).toMatchObject({ nextExpectedRevision: 0 });
    expect((await store.readStream('s')).map((e) => e.type)).toEqual(['A', 'B', 'C']);
  });

  it('resolves an append only after its commit: another connection already sees it', async () => {
    const other = new DatabaseSync(file, { readOnly: true });
    try {
      const count = () => Number(other.prepare('SELECT count(*) AS n FROM events').get()?.n);
      const seen = await Promise.all(
        ['s-1', 's-2', 's-3'].map((s) =>
          store.appendToStream(s, [testEvent('A')], { expectedRevision: 'no_stream' }).then(() => count()),
        ),
      );
      expect(seen).toEqual([3, 3, 3]);
    } finally {
      other.close();
    }
  });

  it('rejects every append of a batch whose commit fails, and stays usable', async () => {
    // A deferred foreign key is checked at COMMIT: an event of type Poison makes the commit fail.
    store.db.exec(`
      PRAGMA foreign_keys = ON;
      CREATE TABLE parent (id INTEGER PRIMARY KEY);
      CREATE TABLE child (parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);
      CREATE TRIGGER poison AFTER INSERT ON events WHEN new.type = 'Poison'
        BEGIN INSERT INTO child (parent_id) VALUES (42); END;
    `);
    const before = store.stats;
    const outcomes = await Promise.all([
      settle(store.appendToStream('s-1', [testEvent('A')], { expectedRevision: 'no_stream' })),
      settle(store.appendToStream('s-2', [testEvent('Poison')], { expectedRevision: 'no_stream' })),
      settle(store.appendToStream('s-3', [testEvent('C')], { expectedRevision: 'no_stream' })),
    ]);
    for (const outcome of outcomes) {
      expect(outcome.ok).toBe(false);
      expect(!outcome.ok && String((outcome.error as Error).message)).toMatch(/FOREIGN KEY/);
    }
    expect(store.stats).toMatchObject({ commits: before.commits, refused: before.refused + 3 });
    expect(store.db.isTransaction).toBe(false);
    expect(await store.readAll()).toEqual([]);

    await store.appendToStream('s-1', [testEvent('A')], { expectedRevision: 'no_stream' });
    expect(await store.readStream('s-1')).toHaveLength(1);
  });

  it('puts the appends made while a batch is being written into the next batch', async () => {
    const first = store.appendToStream('s-0', [testEvent('A')], { expectedRevision: 'no_stream' });
    await turn(); // the first batch is out
    const rest = ['s-1', 's-2', 's-3'].map((s) =>
      store.appendToStream(s, [testEvent('A')], { expectedRevision: 'no_stream' }),
    );
    await Promise.all([first, ...rest]);
    expect(store.stats).toEqual({ commits: 2, appends: 4, refused: 0, largestBatch: 3 });
  });

  it('commits writes to sibling tables (idempotency, checkpoints) with the appends', async () => {
    const idempotency = SqliteIdempotencyStore.beside(store);
    const checkpoints = SqliteCheckpointStore.beside(store);
    const record = {
      scope: 'clerk-1 POST /api/districts/:district/areas',
      key: 'k-1',
      requestHash: 'a'.repeat(64),
      statusCode: 201,
      responseBody: { revision: 0 },
      recordedAt: '2013-09-01T08:00:00.000Z',
    };
    await Promise.all([
      store.appendToStream('s', [testEvent('A')], { expectedRevision: 'no_stream' }),
      idempotency.save(record),
      checkpoints.save('projection', 1),
    ]);
    expect(store.stats.commits).toBe(1);
    // Durable once saved: a connection of its own reads them.
    const other = new DatabaseSync(file, { readOnly: true });
    try {
      expect(other.prepare('SELECT key FROM idempotency').all()).toEqual([{ key: 'k-1' }]);
      expect(other.prepare('SELECT position FROM checkpoints').all()).toEqual([{ position: 1 }]);
    } finally {
      other.close();
    }
    expect(await idempotency.find(record.scope, 'k-1')).toEqual(record);
    expect(await checkpoints.load('projection')).toBe(1);
  });

  it('refuses a failing sibling write alone', async () => {
    const outcomes = await Promise.all([
      settle(store.appendToStream('s', [testEvent('A')], { expectedRevision: 'no_stream' })),
      settle(store.execute('INSERT INTO no_such_table VALUES (1)')),
    ]);
    expect(outcomes[0].ok).toBe(true);
    expect(!outcomes[1].ok && String((outcomes[1].error as Error).message)).toMatch(/no such table/);
    expect(await store.readStream('s')).toHaveLength(1);
  });

  it('commits as soon as maxBatch appends are waiting', async () => {
    const small = await SqliteEventStore.open({ file: newFile(), maxBatch: 2, writer });
    try {
      await Promise.all(
        ['s-1', 's-2', 's-3', 's-4', 's-5'].map((s) =>
          small.appendToStream(s, [testEvent('A')], { expectedRevision: 'no_stream' }),
        ),
      );
      expect(small.stats).toEqual({ commits: 3, appends: 5, refused: 0, largestBatch: 2 });
    } finally {
      await small.close();
    }
  });

  it('writes the appends still waiting when it is closed', async () => {
    const closing = await SqliteEventStore.open({ file: newFile(), writer });
    const pending = closing.appendToStream('s', [testEvent('A')], { expectedRevision: 'no_stream' });
    await closing.close();
    await expect(pending).resolves.toMatchObject({ nextExpectedRevision: 0 });
    await expect(closing.appendToStream('s', [testEvent('B')], { expectedRevision: 0 })).rejects.toThrow(
      /closed/,
    );
  });
});

describe('SqliteEventStore writer thread', () => {
  let file: string;
  let store: SqliteEventStore;
  beforeEach(async () => {
    file = newFile();
    store = await SqliteEventStore.open({ file });
  });
  afterEach(async () => {
    await store.close();
  });

  it('lets the event loop turn while a batch commits (inline, it waits for the fsync)', async () => {
    const turnsUntilDurable = async (s: SqliteEventStore): Promise<number> => {
      let durable = false;
      const appended = s.appendToStream('s', [testEvent('A')], { expectedRevision: 'no_stream' }).then(() => {
        durable = true;
      });
      let turns = 0;
      while (!durable) {
        await turn();
        turns++;
      }
      await appended;
      return turns;
    };
    // The batch goes on the first turn; with the thread the answer comes on a later one.
    expect(await turnsUntilDurable(store)).toBeGreaterThan(1);
    const inline = await SqliteEventStore.open({ file: newFile(), writer: 'inline' });
    try {
      expect(await turnsUntilDurable(inline)).toBe(1);
    } finally {
      await inline.close();
    }
  });

  it('rejects the batch of a writer thread that stopped, commits none of it, and starts a new one', async () => {
    await store.appendToStream('s', [testEvent('A')], { expectedRevision: 'no_stream' });
    // A batch that keeps the thread busy, so that it is stopped before its COMMIT.
    const slow = settle(
      store.execute(
        'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000) SELECT count(*) FROM c',
      ),
    );
    const lost = settle(store.appendToStream('s', [testEvent('Lost')], { expectedRevision: 0 }));
    await turn(); // the batch is out
    // Reaching into the store: nothing else can stop its thread (an out-of-memory or a crash would).
    await (store as unknown as { writer: { worker: Worker } }).writer.worker.terminate();
    for (const outcome of await Promise.all([slow, lost])) {
      expect(outcome.ok).toBe(false);
      expect(!outcome.ok && String((outcome.error as Error).message)).toMatch(/writer thread stopped/);
    }
    await store.appendToStream('s', [testEvent('B')], { expectedRevision: 0 });
    expect((await store.readStream('s')).map((e) => e.type)).toEqual(['A', 'B']);
    expect(await verifyStore(store)).toMatchObject({ ok: true, checkedEvents: 2 });
  });
});
