import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { DatabaseSync, type SQLOutputValue, type StatementSync } from 'node:sqlite';
import { startCatchUpSubscription } from './catch-up-subscription';
import type { CheckpointStore } from './checkpoint-store';
import { GENESIS_HASH, type NewEvent, type RecordedEvent } from './envelope';
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
import { createEventHasher, type EventHasher } from './hash-chain';

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
   * Group commit: appends that arrive while the event loop is busy are written in one transaction
   * with one fsync, flushed on the next turn of the loop (setImmediate) or as soon as this many
   * are waiting. 1 commits every append on its own, synchronously. Default 64.
   */
  readonly maxBatch?: number;
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

interface PendingAppend {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expected: ExpectedRevision;
  readonly resolve: (result: AppendResultWithEvents) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome =
  | { readonly ok: true; readonly result: AppendResultWithEvents }
  | { readonly ok: false; readonly error: unknown };

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

const EVENT_COLUMNS =
  'global_position, event_id, stream_id, stream_revision, type, schema_version, data, metadata, recorded_at, previous_hash, hash';

/** Directory of the embedded databases: REGISTRY_DATA_DIR, default ./data. Not created. */
export function dataDirectory(): string {
  return process.env.REGISTRY_DATA_DIR ?? './data';
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

export function saveCheckpoint(db: DatabaseSync, subscriptionId: string, position: number): void {
  db.prepare(
    'INSERT INTO checkpoints (subscription_id, position) VALUES (?, ?) ON CONFLICT (subscription_id) DO UPDATE SET position = excluded.position',
  ).run(subscriptionId, position);
}

/** Checkpoints in table `checkpoints` of a SQLite database (by default the events' own). */
export class SqliteCheckpointStore implements CheckpointStore {
  private readonly loadStatement: StatementSync;
  private readonly saveStatement: StatementSync;

  constructor(db: DatabaseSync) {
    this.loadStatement = db.prepare('SELECT position FROM checkpoints WHERE subscription_id = ?');
    this.saveStatement = db.prepare(
      'INSERT INTO checkpoints (subscription_id, position) VALUES (?, ?) ON CONFLICT (subscription_id) DO UPDATE SET position = excluded.position',
    );
  }

  async load(subscriptionId: string): Promise<number | undefined> {
    const row = this.loadStatement.get(subscriptionId);
    return row === undefined ? undefined : Number(row.position);
  }

  async save(subscriptionId: string, position: number): Promise<void> {
    this.saveStatement.run(subscriptionId, position);
  }
}

type Row = SQLOutputValue[];

function toRecordedEvent(row: Row): RecordedEvent {
  let data: unknown;
  let metadata: RecordedEvent['metadata'];
  try {
    data = JSON.parse(row[6] as string);
    metadata = JSON.parse(row[7] as string) as RecordedEvent['metadata'];
  } catch (error) {
    // Only reachable when someone edited the file by hand; name the row so it can be found.
    throw new Error(`event at global position ${String(row[0])} (${String(row[1])}) is not valid JSON`, {
      cause: error,
    });
  }
  return {
    eventId: row[1] as string,
    type: row[4] as string,
    schemaVersion: row[5] as number,
    data,
    metadata,
    streamId: row[2] as string,
    streamRevision: row[3] as number,
    globalPosition: row[0] as number,
    recordedAt: row[8] as string,
    previousHash: row[9] as string,
    hash: row[10] as string,
  };
}

function isEventIdUniqueViolation(error: unknown): boolean {
  // Duck-typed: node:sqlite's errors come from another realm under jest, so instanceof Error fails.
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message.includes('UNIQUE constraint failed: events.event_id');
}

/**
 * The embedded event store: one SQLite file per service through `node:sqlite`.
 *
 * WAL with synchronous=FULL makes every committed append durable across power loss; BEGIN IMMEDIATE
 * takes the write lock before reading the stream's tip, so the revision check and the hash chain
 * cannot interleave with another writer, even one in another process.
 *
 * Group commit: the fsync of a commit costs more than everything else an append does, and it
 * blocks the event loop. Appends are therefore queued and written together on the next turn of the
 * loop (or once `maxBatch` are waiting): one transaction, one fsync, each append in a savepoint of
 * its own, so that one refused by its expected revision or an event id conflict is rolled back alone
 * and rejected with the same error as if it had run by itself. Appends in one batch run in the
 * order they were made and see each other (revisions, hash chain, retries). No promise resolves
 * before the COMMIT that made its events durable has returned; if that COMMIT fails, every append
 * of the batch is rejected.
 */
export class SqliteEventStore implements EventStore {
  private readonly appended = new EventEmitter();
  private readonly subscriptions = new Set<CatchUpSubscription>();
  private readonly activeSubscriptionIds = new Set<string>();
  private readonly checkpoints: CheckpointStore;
  private readonly statements: Statements;
  private readonly maxBatch: number;
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private counters = { commits: 0, appends: 0, refused: 0, largestBatch: 0 };
  private closed = false;

  private constructor(
    private readonly database: DatabaseSync,
    private readonly hasher: EventHasher,
    private readonly options: SqliteEventStoreOptions,
  ) {
    this.appended.setMaxListeners(0);
    this.statements = prepareStatements(database, options.readOnly === true);
    this.checkpoints = options.checkpointStore ?? new SqliteCheckpointStore(database);
    this.maxBatch = Math.max(1, Math.trunc(options.maxBatch ?? 64));
  }

  static async open(options: SqliteEventStoreOptions): Promise<SqliteEventStore> {
    const hasher = await createEventHasher();
    const readOnly = options.readOnly === true;
    const db = new DatabaseSync(options.file, { readOnly });
    try {
      db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
      if (!readOnly) {
        db.exec('PRAGMA journal_mode = WAL');
        db.exec('PRAGMA synchronous = FULL');
        db.exec(SCHEMA);
      }
      return new SqliteEventStore(db, hasher, options);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** The underlying connection, for raw SQL in tests, benchmarks and sibling tables (idempotency). */
  get db(): DatabaseSync {
    return this.database;
  }

  /** Group-commit counters since the store was opened (a copy). */
  get stats(): SqliteEventStoreStats {
    return { ...this.counters };
  }

  async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options: { readonly expectedRevision: ExpectedRevision },
  ): Promise<AppendResultWithEvents> {
    const s = this.live();
    if (!s.write) throw new Error('event store is open read-only');
    const ids = new Set(events.map((e) => e.eventId));
    if (ids.size !== events.length) throw new RangeError('a batch must not repeat an event id');
    return new Promise<AppendResultWithEvents>((resolve, reject) => {
      this.queue.push({ streamId, events, expected: options.expectedRevision, resolve, reject });
      if (this.queue.length >= this.maxBatch) this.flush();
      else if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(this.scheduledFlush);
      }
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

  async close(): Promise<void> {
    if (this.closed) return;
    // Appends already accepted are written before the connection goes.
    this.flush();
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    this.database.close();
  }

  private live(): Statements {
    if (this.closed) throw new Error('event store is closed');
    return this.statements;
  }

  private readonly scheduledFlush = (): void => {
    this.flushScheduled = false;
    this.flush();
  };

  /** Writes every queued append in one transaction, then settles their promises. */
  private flush(): void {
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    const w = this.statements.write;
    if (this.closed || !w) {
      const error = new Error(this.closed ? 'event store is closed' : 'event store is open read-only');
      for (const pending of batch) pending.reject(error);
      return;
    }
    const outcomes = this.writeBatch(w, batch);
    let wrote = false;
    for (let i = 0; i < batch.length; i++) {
      const outcome = outcomes[i];
      if (outcome.ok) {
        this.counters.appends++;
        if (outcome.result.events.length > 0) wrote = true;
        batch[i].resolve(outcome.result);
      } else {
        this.counters.refused++;
        batch[i].reject(outcome.error);
      }
    }
    if (wrote) this.appended.emit('appended');
  }

  private writeBatch(w: WriteStatements, batch: readonly PendingAppend[]): Outcome[] {
    const fail = (error: unknown): Outcome[] => batch.map(() => ({ ok: false, error }));
    try {
      w.begin.run();
    } catch (error) {
      return fail(error);
    }
    // A batch of one needs no savepoint: the whole transaction is its own.
    const savepoints = batch.length > 1;
    const outcomes: Outcome[] = [];
    for (const pending of batch) {
      if (savepoints) w.savepoint.run();
      try {
        const result = this.appendInTransaction(w, pending.streamId, pending.events, pending.expected);
        if (savepoints) w.release.run();
        outcomes.push({ ok: true, result });
      } catch (error) {
        if (savepoints) {
          try {
            w.rollbackToSavepoint.run();
            w.release.run();
          } catch {
            // Checked below: the transaction itself is gone.
          }
        } else if (this.database.isTransaction) {
          try {
            w.rollback.run();
          } catch {
            // Nothing more to undo.
          }
        }
        if (savepoints && !this.database.isTransaction) {
          // SQLite rolled the whole transaction back (e.g. disk full): the appends before this one
          // are lost too, and the ones after it would each run in a transaction of their own.
          return fail(error);
        }
        outcomes.push({ ok: false, error: this.refusalFor(w, pending.events, error) });
      }
    }
    if (!this.database.isTransaction) return outcomes; // a single refused append, rolled back
    try {
      w.commit.run();
    } catch (error) {
      if (this.database.isTransaction) {
        try {
          w.rollback.run();
        } catch {
          // Nothing more to undo.
        }
      }
      return fail(error);
    }
    this.counters.commits++;
    this.counters.largestBatch = Math.max(this.counters.largestBatch, batch.length);
    return outcomes;
  }

  private refusalFor(w: WriteStatements, events: readonly NewEvent[], error: unknown): unknown {
    if (!isEventIdUniqueViolation(error)) return error;
    try {
      return this.conflictFor(w, events) ?? error;
    } catch {
      return error;
    }
  }

  /** One append inside the open transaction; throws to refuse it. */
  private appendInTransaction(
    w: WriteStatements,
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): AppendResultWithEvents {
    const retried = events.length > 0 ? this.originalResultOfRetry(w, streamId, events) : undefined;
    if (retried) return retried;
    const tip = w.tip.get(streamId) as unknown as [number, string] | undefined;
    const current = tip ? tip[0] : -1;
    if (!matches(expected, current)) {
      throw new WrongExpectedRevisionError(streamId, expected, current < 0 ? 'no_stream' : current);
    }
    if (events.length === 0) {
      const last = current < 0 ? undefined : (w.positionOf.get(streamId, current) as unknown as [number]);
      return { nextExpectedRevision: current, lastGlobalPosition: last ? last[0] : -1, events: [] };
    }
    const recordedAt = (this.options.clock?.() ?? new Date()).toISOString();
    let previousHash = tip ? tip[1] : GENESIS_HASH;
    let lastGlobalPosition = -1;
    const recorded: RecordedEvent[] = [];
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      const streamRevision = current + 1 + i;
      const hash = this.hasher({
        eventId: event.eventId,
        type: event.type,
        schemaVersion: event.schemaVersion,
        streamId,
        streamRevision,
        recordedAt,
        data: event.data,
        metadata: event.metadata,
        previousHash,
      });
      const data = JSON.stringify(event.data);
      const metadata = JSON.stringify(event.metadata);
      const result = w.insert.run(
        event.eventId,
        streamId,
        streamRevision,
        event.type,
        event.schemaVersion,
        data,
        metadata,
        recordedAt,
        previousHash,
        hash,
      );
      lastGlobalPosition = Number(result.lastInsertRowid);
      // Parsed back from the stored text, so the caller gets exactly what a read would return.
      recorded.push({
        eventId: event.eventId,
        type: event.type,
        schemaVersion: event.schemaVersion,
        data: JSON.parse(data) as unknown,
        metadata: JSON.parse(metadata) as RecordedEvent['metadata'],
        streamId,
        streamRevision,
        globalPosition: lastGlobalPosition,
        recordedAt,
        previousHash,
        hash,
      });
      previousHash = hash;
    }
    return { nextExpectedRevision: current + events.length, lastGlobalPosition, events: recorded };
  }

  /**
   * EventStoreDB's idempotent append: a batch whose first id is already in this stream, followed by
   * the rest of its ids at consecutive revisions, is the same write retried after an unknown
   * outcome; answer with the original result and write nothing.
   */
  private originalResultOfRetry(
    w: WriteStatements,
    streamId: string,
    events: readonly NewEvent[],
  ): AppendResultWithEvents | undefined {
    const stored = w.byEventId.get(events[0].eventId) as unknown as [string, number] | undefined;
    if (!stored) return undefined;
    const [storedStream, firstRevision] = stored;
    if (storedStream !== streamId) throw new EventIdConflictError(events[0].eventId, storedStream);
    const rows = this.statements.readForwards.all(streamId, firstRevision, events.length) as unknown as Row[];
    const sameWrite = rows.length === events.length && rows.every((row, i) => row[1] === events[i].eventId);
    if (!sameWrite) throw new EventIdConflictError(events[0].eventId, streamId);
    return {
      nextExpectedRevision: firstRevision + events.length - 1,
      lastGlobalPosition: rows[rows.length - 1][0] as number,
      events: rows.map(toRecordedEvent),
    };
  }

  private conflictFor(w: WriteStatements, events: readonly NewEvent[]): EventIdConflictError | undefined {
    for (const event of events) {
      const stored = w.byEventId.get(event.eventId) as unknown as [string, number] | undefined;
      if (stored) return new EventIdConflictError(event.eventId, stored[0]);
    }
    return undefined;
  }
}

function matches(expected: ExpectedRevision, current: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return current < 0;
  return expected === current;
}

type Statements = ReturnType<typeof prepareStatements>;
type WriteStatements = NonNullable<Statements['write']>;

/** Prepared once per connection: re-preparing per call costs more than the insert itself. */
function prepareStatements(db: DatabaseSync, readOnly: boolean) {
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
    write: readOnly
      ? undefined
      : {
          begin: db.prepare('BEGIN IMMEDIATE'),
          commit: db.prepare('COMMIT'),
          rollback: db.prepare('ROLLBACK'),
          tip: arrays(
            'SELECT stream_revision, hash FROM events WHERE stream_id = ? ORDER BY stream_revision DESC LIMIT 1',
          ),
          positionOf: arrays(
            'SELECT global_position FROM events WHERE stream_id = ? AND stream_revision = ?',
          ),
          byEventId: arrays('SELECT stream_id, stream_revision FROM events WHERE event_id = ?'),
          savepoint: db.prepare('SAVEPOINT append'),
          release: db.prepare('RELEASE append'),
          rollbackToSavepoint: db.prepare('ROLLBACK TO append'),
          insert: db.prepare(
            'INSERT INTO events (event_id, stream_id, stream_revision, type, schema_version, data, metadata, recorded_at, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          ),
        },
  };
}
