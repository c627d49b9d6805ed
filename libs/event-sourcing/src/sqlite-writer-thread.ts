import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BatchOutcome, WriteOp, WriterPragmas } from './sqlite-batch-writer';

/** What the writer thread needs to open its connection. */
export interface WriterSetup {
  readonly file: string;
  readonly busyTimeoutMs: number;
}

export type WriterRequest =
  | { readonly type: 'write'; readonly id: number; readonly ops: readonly WriteOp[] }
  | { readonly type: 'close' };

export type WriterReply =
  | { readonly type: 'ready'; readonly pragmas: WriterPragmas }
  | { readonly type: 'written'; readonly id: number; readonly result: BatchOutcome }
  | { readonly type: 'closed' };

/** An error's fields as they cross the thread boundary. */
export interface PortableError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly code?: unknown;
  readonly errcode?: unknown;
  readonly errstr?: unknown;
}

function revive(error: PortableError): Error {
  const revived = new Error(error.message);
  revived.name = error.name;
  if (error.stack !== undefined) revived.stack = error.stack;
  for (const key of ['code', 'errcode', 'errstr'] as const)
    if (error[key] !== undefined) Object.assign(revived, { [key]: error[key] });
  return revived;
}

/*
 * Under jest the sources run as TypeScript: the worker then loads sqlite-writer.worker.ts through
 * Node's own type stripping, with a resolve hook that finds the extensionless relative imports.
 */
const TYPESCRIPT_BOOTSTRAP = `
const { registerHooks } = require('node:module');
registerHooks({
  resolve(specifier, context, next) {
    let resolved;
    try {
      resolved = next(specifier, context);
    } catch (error) {
      if (!/^\\.\\.?\\//.test(specifier)) throw error;
      resolved = next(specifier + '.ts', context);
    }
    return resolved.url.endsWith('.ts') ? { ...resolved, format: 'module-typescript' } : resolved;
  },
});
require(${JSON.stringify(join(__dirname, 'sqlite-writer.worker.ts'))});
`;

function spawn(setup: WriterSetup): Worker {
  return extname(__filename) === '.ts'
    ? new Worker(TYPESCRIPT_BOOTSTRAP, { eval: true, workerData: setup })
    : new Worker(join(__dirname, 'sqlite-writer.worker.js'), { workerData: setup });
}

interface Request {
  readonly resolve: (result: BatchOutcome) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The main thread's handle on a SqliteEventStore's writer thread: sends batches of ops, one reply
 * per batch, after its COMMIT has returned. Holds the process open only while a batch is out.
 * If the thread dies, the batches it had are rejected (their outcome is unknown: a retry with the
 * same event ids is recognised by the store) and the next batch starts a new thread.
 */
export class WriterThread {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Request>();
  private ids = 0;
  private closing = false;
  /** The durability settings the thread's connection reported once open. */
  private ready!: Promise<WriterPragmas>; // set by spawn, which start calls

  private constructor(private readonly setup: WriterSetup) {}

  /**
   * Starts the thread without waiting for it: batches sent before its connection is open wait in
   * its queue, so that opening a store (and starting a service) does not wait for a thread.
   */
  static start(setup: WriterSetup): WriterThread {
    const thread = new WriterThread(setup);
    thread.spawn();
    return thread;
  }

  /** Journal mode and synchronous of the thread's connection, once it is open. */
  pragmas(): Promise<WriterPragmas> {
    return this.ready;
  }

  write(ops: readonly WriteOp[]): Promise<BatchOutcome> {
    if (this.closing) return Promise.reject(new Error('event store is closed'));
    const worker = this.worker ?? this.spawn();
    const id = ++this.ids;
    return new Promise<BatchOutcome>((resolve, reject) => {
      if (this.pending.size === 0) worker.ref();
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ type: 'write', id, ops } satisfies WriterRequest);
    });
  }

  /** Closes the thread's connection and ends it; call when no batch is out. */
  async close(): Promise<void> {
    this.closing = true;
    const worker = this.worker;
    if (!worker) return;
    worker.ref();
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'close' } satisfies WriterRequest);
    await exited;
  }

  private spawn(): Worker {
    const worker = spawn(this.setup);
    this.worker = worker;
    worker.unref();
    this.ready = new Promise<WriterPragmas>((resolve, reject) => {
      worker.on('message', (reply: WriterReply) => {
        if (reply.type === 'ready') resolve(reply.pragmas);
      });
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the SQLite writer thread exited (${code})`)));
    });
    // Failures reach the batches that were waiting; nobody need be listening for this one.
    this.ready.catch(() => undefined);
    worker.on('message', (reply: WriterReply) => {
      if (reply.type !== 'written') return;
      const request = this.pending.get(reply.id);
      if (!request) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      request.resolve({
        committed: reply.result.committed,
        outcomes: reply.result.outcomes.map((o) =>
          !o.ok && o.error.kind === 'other'
            ? { ok: false, error: { kind: 'other', error: revive(o.error.error as PortableError) } }
            : o,
        ),
      });
    });
    const stopped = (cause: unknown) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      const error = new Error(`the SQLite writer thread stopped: ${String(cause)}`, { cause });
      for (const request of this.pending.values()) request.reject(error);
      this.pending.clear();
    };
    worker.on('error', stopped);
    worker.on('exit', (code) => stopped(`exit code ${code}`));
    return worker;
  }
}
