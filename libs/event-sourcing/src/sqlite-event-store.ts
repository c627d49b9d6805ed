import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { startCatchUpSubscription } from './catch-up-subscription';
import type { CheckpointStore } from './checkpoint-store';
import { UnreadableEventError, type NewEvent, type RecordedEvent } from './envelope';
import {
  EventIdConflictError,
  WrongExpectedRevisionError,
  type AppendResult,
  type CatchUpSubscription,
  type EventStore,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type SubscribeOptions,
} from './event-store';
import { createEventHasher } from './hash-chain';
import {
  BatchWriter,
  EVENT_COLUMNS,
  type BatchOutcome,
  type Row,
  type WriteError,
  type WriteEvent,
  type WriteOp,
  type WriterPragmas,
  writerPragmasOf,
} from './sqlite-batch-writer';
import { WriterThread } from './sqlite-writer-thread';
import { setting, type Environment } from '#libs/settings';

export interface SqliteEventStoreOptions {
  /** Path of the database file, or ':memory:' for tests. */
  readonly file: string;
  /** Source of recordedAt; injectable so tests can pin time. Default: the system clock. */
  readonly clock?: () => Date;
  /**
   * Open without write access (verification, audits). Tables are not created and nothing is
   * written; appends and checkpoint saves fail.
   */
  readonly readOnly?: boolean;
  /** How long a writer waits for another process's write lock. Default 5000 ms. */
  readonly busyTimeoutMs?: number;
  /** Where subscriptions keep checkpoints. Default: table `checkpoints` of this database. */
  readonly checkpointStore?: CheckpointStore;
  /** Poll interval of subscriptions that do not set one; polling is how appends made by another
   * process are noticed. Default 250 ms. */
  readonly pollIntervalMs?: number;
  /**
   * Group commit: appends that arrive while the event loop is busy (or, with the writer thread,
   * while the previous batch is being committed) are written in one transaction with one fsync,
   * at most this many. Default 64.
   */
  readonly maxBatch?: number;
  /**
   * Where commits run: 'thread' on a connection of a worker thread, so the fsync does not block
   * the event loop; 'inline' on this store's own connection. Default: REGISTRY_SQLITE_WRITER,
   * else 'thread' (':memory:' is always inline).
   */
  readonly writer?: 'thread' | 'inline';
}

/** REGISTRY_SQLITE_WRITER (thread or inline), an operator's switch; undefined when unset. */
export function writerFromEnv(env: Environment = process.env): 'thread' | 'inline' | undefined {
  return setting('REGISTRY_SQLITE_WRITER', env);
}

/** An append's result with the events it wrote, as stored (what readStream would return). */
export interface AppendResultWithEvents extends AppendResult {
  /** For a recognised retry, the events of the original write. */
  readonly events: readonly RecordedEvent[];
}

/** Counters of the group commit since the store was opened. */
export interface SqliteEventStoreStats {
  /** Write transactions committed: at most one fsync each (none when nothing was written). */
  readonly commits: number;
  /** Appends resolved (including recognised retries and empty appends). */
  readonly appends: number;
  /** Appends rejected (wrong expected revision, event id conflict, failed commit, ...). */
  readonly refused: number;
  /** Most appends that shared one transaction. */
  readonly largestBatch: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  global_position INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id        TEXT    NOT NULL UNIQUE,
  stream_id       TEXT    NOT NULL,
  stream_revision INTEGER NOT NULL,
  type            TEXT    NOT NULL,
  schema_version  INTEGER NOT NULL,
  data            TEXT    NOT NULL,
  metadata        TEXT    NOT NULL,
  recorded_at     TEXT    NOT NULL,
  previous_hash   TEXT    NOT NULL,
  hash            TEXT    NOT NULL,
  UNIQUE (stream_id, stream_revision)
);
CREATE TABLE IF NOT EXISTS checkpoints (
  subscription_id TEXT PRIMARY KEY,
  position        INTEGER NOT NULL
);
`;

/** Directory of the embedded databases: REGISTRY_DATA_DIR, default ./data. Not created. */
export function dataDirectory(): string {
  return setting('REGISTRY_DATA_DIR');
}

/** The database file of one service, `<data dir>/<service>.sqlite`; creates the directory. */
export function dataFileFor(service: string): string {
  // The name becomes a path segment; refuse anything that could point elsewhere.
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(service)) throw new RangeError(`invalid service name: ${service}`);
  const dir = dataDirectory();
  mkdirSync(dir, { recursive: true });
  return `${dir}/${service}.sqlite`;
}

export function loadCheckpoint(db: DatabaseSync, subscriptionId: string): number | undefined {
  const row = db.prepare('SELECT position FROM checkpoints WHERE subscription_id = ?').get(subscriptionId);
  return row === undefined ? undefined : Number(row.position);
}

const SAVE_CHECKPOINT =
  'INSERT INTO checkpoints (subscription_id, position) VALUES (?, ?) ON CONFLICT (subscription_id) DO UPDATE SET position = excluded.position';

export function saveCheckpoint(db: DatabaseSync, subscriptionId: string, position: number): void {
  db.prepare(SAVE_CHECKPOINT).run(subscriptionId, position);
}

/**
 * Checkpoints in table `checkpoints` of a SQLite database (by default the events' own). On a bare
 * connection saves run on it; `beside(store)` saves through the store's writer (`execute`), in its
 * group commit.
 */
export class SqliteCheckpointStore implements CheckpointStore {
  private readonly loadStatement: StatementSync;
  private readonly write: (subscriptionId: string, position: number) => Promise<void> | void;

  constructor(
    db: DatabaseSync,
    /** Writes through this instead of the connection (a store's writer, see `beside`). */
    execute?: (sql: string, params: readonly SQLInputValue[]) => Promise<void>,
  ) {
    this.loadStatement = db.prepare('SELECT position FROM checkpoints WHERE subscription_id = ?');
    if (execute)
      this.write = (subscriptionId, position) => execute(SAVE_CHECKPOINT, [subscriptionId, position]);
    else {
      const save = db.prepare(SAVE_CHECKPOINT);
      this.write = (subscriptionId, position) => {
        save.run(subscriptionId, position);
      };
    }
  }

  /** The checkpoints of the store's own file: read on its connection, saved through its writer. */
  static beside(store: SqliteEventStore): SqliteCheckpointStore {
    return new SqliteCheckpointStore(store.db, (sql, params) => store.execute(sql, params));
  }

  async load(subscriptionId: string): Promise<number | undefined> {
    const row = this.loadStatement.get(subscriptionId);
    return row === undefined ? undefined : Number(row.position);
  }

  async save(subscriptionId: string, position: number): Promise<void> {
    await this.write(subscriptionId, position);
  }
}

function toRecordedEvent(row: Row): RecordedEvent {
  const columns = {
    eventId: row[1] as string,
    type: row[4] as string,
    schemaVersion: row[5] as number,
    streamId: row[2] as string,
    streamRevision: row[3] as number,
    globalPosition: row[0] as number,
    recordedAt: row[8] as string,
    previousHash: row[9] as string,
    hash: row[10] as string,
  };
  const parse = (column: 'data' | 'metadata', text: unknown): unknown => {
    try {
      return JSON.parse(text as string);
    } catch (error) {
      // Only reachable when someone edited the file by hand; name the row so it can be found.
      throw new UnreadableEventError(columns, column, { cause: error });
    }
  };
  const data = parse('data', row[6]);
  const metadata = parse('metadata', row[7]) as RecordedEvent['metadata'];
  return {
    eventId: columns.eventId,
    type: columns.type,
    schemaVersion: columns.schemaVersion,
    data,
    metadata,
    streamId: columns.streamId,
    streamRevision: columns.streamRevision,
    globalPosition: columns.globalPosition,
    recordedAt: columns.recordedAt,
    previousHash: columns.previousHash,
    hash: columns.hash,
  };
}

/**
 * The embedded event store: one SQLite file per service through `node:sqlite`.
 *
 * WAL with synchronous=FULL makes every committed append durable across power loss; BEGIN IMMEDIATE
 * takes the write lock before reading the stream's tip, so the revision check and the hash chain
 * cannot interleave with another writer, even one in another process.
 *
 * Group commit: the fsync of a commit costs more than everything else an append does. Appends are
 * therefore queued and written together: one transaction, one fsync, each append in a savepoint of
 * its own, so that one refused by its expected revision or an event id conflict is rolled back alone
 * and rejected with the same error as if it had run by itself (sqlite-batch-writer.ts). Appends in
 * one batch run in the order they were made and see each other (revisions, hash chain, retries).
 * No promise resolves before the COMMIT that made its events durable has returned; if that COMMIT
 * fails, every append of the batch is rejected.
 *
 * Writer thread (the default for a file): node:sqlite is synchronous, so a COMMIT on the service's
 * own connection blocks its event loop for the whole fsync. The batches are instead committed by a
 * worker thread on a second connection to the same file (sqlite-writer-thread.ts): the event loop
 * goes on serving requests, and the appends that arrive during one fsync form the next batch
 * (one batch is out at a time). Reads stay on this connection, which WAL lets read beside the
 * writer; an append resolves only after its COMMIT, so a read made after it sees its events.
 * Writes to sibling tables (checkpoints, idempotency records) go through `execute` so they too are
 * committed by the writer, in the same group commit. `writer: 'inline'` commits on this connection
 * on the next turn of the event loop instead (and ':memory:' databases, which one connection
 * cannot share, always do).
 */
export class SqliteEventStore implements EventStore {
  private readonly appended = new EventEmitter();
  private readonly subscriptions = new Set<CatchUpSubscription>();
  private readonly activeSubscriptionIds = new Set<string>();
  /** Where its subscriptions keep their positions (table `checkpoints` unless given another). */
  readonly checkpoints: CheckpointStore;
  private readonly statements: Statements;
  private readonly maxBatch: number;
  private queue: PendingWrite[] = [];
  private flushScheduled = false;
  /** The batch the writer thread is committing, if any. */
  private inFlight: Promise<void> | undefined;
  private counters = { commits: 0, appends: 0, refused: 0, largestBatch: 0 };
  /** No more appends; sibling writes are still taken while subscriptions stop. */
  private closed = false;
  private writerClosed = false;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly database: DatabaseSync,
    /** The writer: on this connection, in a thread, or none (read-only). */
    private readonly writer: BatchWriter | WriterThread | undefined,
    private readonly options: SqliteEventStoreOptions,
  ) {
    this.appended.setMaxListeners(0);
    this.statements = prepareStatements(database);
    this.checkpoints = options.checkpointStore ?? SqliteCheckpointStore.beside(this);
    this.maxBatch = Math.max(1, Math.trunc(options.maxBatch ?? 64));
  }

  static async open(options: SqliteEventStoreOptions): Promise<SqliteEventStore> {
    const hasher = await createEventHasher();
    const readOnly = options.readOnly === true;
    const busyTimeoutMs = Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000));
    const db = new DatabaseSync(options.file, { readOnly });
    try {
      db.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
      if (readOnly) return new SqliteEventStore(db, undefined, options);
      db.exec('PRAGMA journal_mode = WAL');
      db.exec('PRAGMA synchronous = FULL');
      db.exec('PRAGMA foreign_keys = ON');
      db.exec(SCHEMA);
      const inMemory = options.file === ':memory:' || options.file === '';
      const writer =
        (options.writer ?? writerFromEnv()) === 'inline' || inMemory
          ? new BatchWriter(db, hasher)
          : WriterThread.start({ file: options.file, busyTimeoutMs });
      return new SqliteEventStore(db, writer, options);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /**
   * The reading connection, for raw SQL in tests, benchmarks and reads of sibling tables. Writes
   * belong in `execute`: with the writer thread, a write here waits for the writer's lock while
   * blocking the event loop, and pays an fsync of its own.
   */
  get db(): DatabaseSync {
    return this.database;
  }

  /** Group-commit counters since the store was opened (a copy). */
  get stats(): SqliteEventStoreStats {
    return { ...this.counters };
  }

  /** Whether commits run in the writer thread (else on the reading connection, or read-only). */
  get writesInThread(): boolean {
    return this.writer instanceof WriterThread;
  }

  /** Journal mode and synchronous of the connection that commits; undefined when read-only. */
  async writerPragmas(): Promise<WriterPragmas | undefined> {
    if (this.writer instanceof WriterThread) return this.writer.pragmas();
    return this.writer ? writerPragmasOf(this.database) : undefined;
  }

  async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options: { readonly expectedRevision: ExpectedRevision },
  ): Promise<AppendResultWithEvents> {
    this.live();
    if (!this.writer) throw new Error('event store is open read-only');
    const ids = new Set(events.map((e) => e.eventId));
    if (ids.size !== events.length) throw new RangeError('a batch must not repeat an event id');
    return new Promise<AppendResultWithEvents>((resolve, reject) => {
      this.enqueue({
        kind: 'append',
        streamId,
        events,
        expected: options.expectedRevision,
        resolve: resolve as (value: unknown) => void,
        reject,
      });
    });
  }

  /**
   * Runs one writing statement on a sibling table of this file (checkpoints, idempotency records)
   * in the next group commit; resolves once it is durable. Refused after close.
   */
  execute(sql: string, params: readonly SQLInputValue[] = []): Promise<void> {
    if (this.writerClosed) return Promise.reject(new Error('event store is closed'));
    if (!this.writer) return Promise.reject(new Error('event store is open read-only'));
    return new Promise<void>((resolve, reject) => {
      this.enqueue({ kind: 'run', sql, params, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const s = this.live();
    const maxCount = options.maxCount ?? -1; // LIMIT -1: no limit
    if (options.direction === 'backwards') {
      const rows = s.readBackwards.all(streamId, options.fromRevision ?? Number.MAX_SAFE_INTEGER, maxCount);
      return (rows as unknown as Row[]).map(toRecordedEvent);
    }
    const fromRevision = options.fromRevision ?? 0;
    // Most forward reads are a cached state catching up and find nothing new. A one-column probe
    // costs about a microsecond; an empty all() over every column costs twenty.
    if (maxCount === 0 || s.streamHasFrom.get(streamId, fromRevision) === undefined) return [];
    const rows = s.readForwards.all(streamId, fromRevision, maxCount);
    return (rows as unknown as Row[]).map(toRecordedEvent);
  }

  readStreamSync(
    streamId: string,
    options: { readonly fromRevision: number; readonly maxCount: number },
  ): RecordedEvent[] {
    const rows = this.live().readForwards.all(streamId, options.fromRevision, options.maxCount);
    return (rows as unknown as Row[]).map(toRecordedEvent);
  }

  readRevisionsSync(streamId: string, revisions: readonly number[]): RecordedEvent[] {
    const rows = this.live().readRevisions.all(streamId, JSON.stringify(revisions));
    return (rows as unknown as Row[]).map(toRecordedEvent);
  }

  streamRevisionOfSync(streamId: string, eventId: string): number | undefined {
    const row = this.live().revisionOf.get(eventId, streamId) as unknown as [number] | undefined;
    return row?.[0];
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const s = this.live();
    // No probe here: subscriptions and relays read after being woken by an append, so most of
    // their reads do find events.
    const rows = s.readAll.all(options.after ?? 0, options.maxCount ?? -1);
    return (rows as unknown as Row[]).map(toRecordedEvent);
  }

  subscribeToAll(options: SubscribeOptions): CatchUpSubscription {
    if (this.closed) throw new Error('event store is closed');
    // Two loops on one checkpoint would deliver events twice and race on the saved position.
    if (this.activeSubscriptionIds.has(options.subscriptionId)) {
      throw new Error(`subscription ${options.subscriptionId} is already running in this process`);
    }
    this.activeSubscriptionIds.add(options.subscriptionId);
    const subscription = startCatchUpSubscription(
      {
        readAll: (o) => this.readAll(o),
        onAppended: (listener) => {
          this.appended.on('appended', listener);
          return () => this.appended.off('appended', listener);
        },
      },
      { checkpoints: this.checkpoints, defaultPollIntervalMs: this.options.pollIntervalMs ?? 250 },
      options,
    );
    const release = () => {
      this.subscriptions.delete(handle);
      this.activeSubscriptionIds.delete(options.subscriptionId);
    };
    const handle: CatchUpSubscription = {
      caughtUp: subscription.caughtUp,
      stop: () => subscription.stop(),
    };
    void subscription.done.then(release);
    this.subscriptions.add(handle);
    return handle;
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    // Appends already accepted are written before the connections go; stopping subscriptions
    // may still save their checkpoints.
    this.closed = true;
    await this.drain();
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.drain();
    this.writerClosed = true;
    if (this.writer instanceof WriterThread) await this.writer.close();
    this.database.close();
  }

  private live(): Statements {
    if (this.closed) throw new Error('event store is closed');
    return this.statements;
  }

  private enqueue(pending: PendingWrite): void {
    this.queue.push(pending);
    if (this.queue.length >= this.maxBatch) this.flush();
    else this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(this.scheduledFlush);
  }

  private readonly scheduledFlush = (): void => {
    this.flushScheduled = false;
    this.flush();
  };

  /** Writes everything queued, up to maxBatch, in one transaction; the thread's batch is awaited. */
  private async drain(): Promise<void> {
    while (this.queue.length > 0 || this.inFlight) {
      this.flush();
      if (this.inFlight) await this.inFlight;
    }
  }

  /**
   * Hands up to maxBatch queued writes to the writer as one batch, then settles their promises.
   * Inline, this is synchronous; with the thread, the next batch goes when this one is back.
   */
  private flush(): void {
    if (this.inFlight || this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.maxBatch);
    const writer = this.writer;
    if (this.writerClosed || !writer) {
      const error = new Error(writer ? 'event store is closed' : 'event store is open read-only');
      for (const pending of batch) pending.reject(error);
      return;
    }
    const inline = writer instanceof BatchWriter;
    const ready: Prepared[] = [];
    for (const pending of batch) {
      try {
        ready.push(this.prepare(pending, inline));
      } catch (error) {
        // Data without a JSON text: refused alone, as its insert would have been.
        this.counters.refused++;
        pending.reject(error);
      }
    }
    if (ready.length === 0) return;
    const ops = ready.map((p) => p.op);
    if (inline) {
      this.settle(ready, writer.write(ops));
      return;
    }
    this.inFlight = writer
      .write(ops)
      .then(
        (result) => this.settle(ready, result),
        (error: unknown) =>
          this.settle(ready, {
            outcomes: ready.map(() => ({ ok: false, error: { kind: 'other', error } })),
            committed: false,
          }),
      )
      .finally(() => {
        this.inFlight = undefined;
        // What arrived during that commit is the next batch, joined by what the answers just given
        // lead to (a stream's next command, waiting for this one): on the next turn of the loop,
        // as inline, once their continuations have run.
        if (this.queue.length > 0) this.scheduleFlush();
      });
  }

  /** The op for the writer; the stored texts and what a read would parse back from them. */
  private prepare(pending: PendingWrite, inline: boolean): Prepared {
    if (pending.kind === 'run')
      return { pending, op: { kind: 'run', sql: pending.sql, params: pending.params }, parsed: [] };
    const recordedAt = (this.options.clock?.() ?? new Date()).toISOString();
    const parsed: Array<{ data: unknown; metadata: RecordedEvent['metadata'] }> = [];
    const events: WriteEvent[] = pending.events.map((event) => {
      const data = JSON.stringify(event.data);
      const metadata = JSON.stringify(event.metadata);
      if (data === undefined || metadata === undefined)
        throw new TypeError(`event ${event.eventId}: data and metadata must be JSON values`);
      // Parsed back from the stored text, so the caller gets exactly what a read would return.
      const values = {
        data: JSON.parse(data) as unknown,
        metadata: JSON.parse(metadata) as RecordedEvent['metadata'],
      };
      parsed.push(values);
      return {
        eventId: event.eventId,
        type: event.type,
        schemaVersion: event.schemaVersion,
        data,
        metadata,
        ...(inline ? { parsed: values } : {}),
      };
    });
    return {
      pending,
      op: { kind: 'append', streamId: pending.streamId, expected: pending.expected, recordedAt, events },
      parsed,
    };
  }

  private settle(batch: readonly Prepared[], result: BatchOutcome): void {
    if (result.committed) {
      this.counters.commits++;
      this.counters.largestBatch = Math.max(this.counters.largestBatch, batch.length);
    }
    let wrote = false;
    for (let i = 0; i < batch.length; i++) {
      const { pending, op, parsed } = batch[i];
      const outcome = result.outcomes[i];
      if (!outcome.ok) {
        if (pending.kind === 'append') this.counters.refused++;
        pending.reject(errorOf(outcome.error));
        continue;
      }
      if (pending.kind === 'run' || op.kind === 'run') {
        pending.resolve(undefined);
        continue;
      }
      this.counters.appends++;
      let events: RecordedEvent[] = [];
      if (outcome.original) events = outcome.original.map(toRecordedEvent);
      else if (outcome.written) {
        const { positions, hashes, previousHash } = outcome.written;
        const first = outcome.nextExpectedRevision - hashes.length + 1;
        events = op.events.map((event, k) => ({
          eventId: event.eventId,
          type: event.type,
          schemaVersion: event.schemaVersion,
          data: parsed[k].data,
          metadata: parsed[k].metadata,
          streamId: op.streamId,
          streamRevision: first + k,
          globalPosition: positions[k],
          recordedAt: op.recordedAt,
          previousHash: k === 0 ? previousHash : hashes[k - 1],
          hash: hashes[k],
        }));
        wrote = true;
      }
      const appendResult: AppendResultWithEvents = {
        nextExpectedRevision: outcome.nextExpectedRevision,
        lastGlobalPosition: outcome.lastGlobalPosition,
        events,
      };
      pending.resolve(appendResult);
    }
    if (wrote) this.appended.emit('appended');
  }
}

type PendingWrite = (
  | {
      readonly kind: 'append';
      readonly streamId: string;
      readonly events: readonly NewEvent[];
      readonly expected: ExpectedRevision;
    }
  | { readonly kind: 'run'; readonly sql: string; readonly params: readonly SQLInputValue[] }
) & { readonly resolve: (value: unknown) => void; readonly reject: (error: unknown) => void };

interface Prepared {
  readonly pending: PendingWrite;
  readonly op: WriteOp;
  /** Per event of an append: data and metadata as a read returns them. */
  readonly parsed: ReadonlyArray<{ data: unknown; metadata: RecordedEvent['metadata'] }>;
}

function errorOf(error: WriteError): unknown {
  switch (error.kind) {
    case 'wrong-expected-revision':
      return new WrongExpectedRevisionError(error.streamId, error.expected, error.actual);
    case 'event-id-conflict':
      return new EventIdConflictError(error.eventId, error.storedInStream);
    default:
      return error.error;
  }
}

type Statements = ReturnType<typeof prepareStatements>;

/** Prepared once per connection: re-preparing per call costs more than the read itself. */
function prepareStatements(db: DatabaseSync) {
  const arrays = (sql: string) => {
    const statement = db.prepare(sql);
    // Arrays skip building a keyed object per row, which shows in replay benchmarks.
    statement.setReturnArrays(true);
    return statement;
  };
  return {
    readForwards: arrays(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND stream_revision >= ? ORDER BY stream_revision ASC LIMIT ?`,
    ),
    readBackwards: arrays(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND stream_revision <= ? ORDER BY stream_revision DESC LIMIT ?`,
    ),
    readAll: arrays(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE global_position > ? ORDER BY global_position LIMIT ?`,
    ),
    streamHasFrom: arrays('SELECT 1 FROM events WHERE stream_id = ? AND stream_revision >= ? LIMIT 1'),
    revisionOf: arrays('SELECT stream_revision FROM events WHERE event_id = ? AND stream_id = ?'),
    readRevisions: arrays(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND stream_revision IN (SELECT value FROM json_each(?)) ORDER BY stream_revision`,
    ),
  };
}
