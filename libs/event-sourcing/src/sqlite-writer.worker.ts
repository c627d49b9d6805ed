import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';
import { createEventHasher } from './hash-chain';
import { BatchWriter, writerPragmasOf, type BatchOutcome } from './sqlite-batch-writer';
import type { PortableError, WriterReply, WriterRequest, WriterSetup } from './sqlite-writer-thread';

/*
 * The writer thread of a SqliteEventStore (see sqlite-writer-thread.ts): a connection of its own to
 * the store's file, on which every group commit runs, so that the fsync of a COMMIT blocks this
 * thread and not the service's event loop. Loaded as it is from the TypeScript sources under jest,
 * so it imports only modules without TypeScript-only runtime syntax.
 */

/** node:sqlite's errors carry code, errcode and errstr, which a structured clone would drop. */
function portable(error: unknown): PortableError {
  const e = (error ?? {}) as Partial<PortableError>;
  return {
    name: typeof e.name === 'string' ? e.name : 'Error',
    message: typeof e.message === 'string' ? e.message : String(error),
    ...(typeof e.stack === 'string' ? { stack: e.stack } : {}),
    ...(e.code !== undefined ? { code: e.code } : {}),
    ...(e.errcode !== undefined ? { errcode: e.errcode } : {}),
    ...(e.errstr !== undefined ? { errstr: e.errstr } : {}),
  };
}

function portableOutcome(result: BatchOutcome): BatchOutcome {
  return {
    committed: result.committed,
    outcomes: result.outcomes.map((o) =>
      !o.ok && o.error.kind === 'other'
        ? { ok: false, error: { kind: 'other', error: portable(o.error.error) } }
        : o,
    ),
  };
}

async function serve(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('sqlite-writer.worker runs in a worker thread');
  const setup = workerData as WriterSetup;
  const hasher = await createEventHasher();
  const db = new DatabaseSync(setup.file);
  db.exec(`PRAGMA busy_timeout = ${setup.busyTimeoutMs}`);
  // The journal mode is the file's (WAL, set when the store opened it); synchronous and foreign
  // keys are per connection, and this is the connection that commits.
  db.exec('PRAGMA synchronous = FULL');
  db.exec('PRAGMA foreign_keys = ON');
  const pragmas = writerPragmasOf(db);
  const writer = new BatchWriter(db, hasher);
  port.on('message', (request: WriterRequest) => {
    if (request.type === 'close') {
      db.close();
      port.postMessage({ type: 'closed' } satisfies WriterReply);
      port.close();
      return;
    }
    const result = portableOutcome(writer.write(request.ops));
    port.postMessage({ type: 'written', id: request.id, result } satisfies WriterReply);
  });
  port.postMessage({ type: 'ready', pragmas } satisfies WriterReply);
}

void serve();
