import type { DatabaseSync, SQLInputValue, SQLOutputValue, StatementSync } from 'node:sqlite';
import { GENESIS_HASH } from './envelope';
import type { ExpectedRevision } from './event-store';
import type { EventHasher, HashedEventFields } from './hash-chain';

/*
 * The write side of the SQLite event store: one group commit at a time, on whichever connection it
 * is given. The store runs it on its own connection (inline) or in a worker thread with a
 * connection of its own (sqlite-writer.worker.ts), so that the fsync of each COMMIT does not block
 * the event loop. Everything that crosses into the thread is plain data (structured clone), and
 * this file is loaded in the thread as it is, so it only imports types and constants.
 */

/** An event as the writer stores it: data and metadata already as their stored JSON text. */
export interface WriteEvent {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: string;
  readonly metadata: string;
  /** The parsed texts, when the caller has them (inline); hashed instead of parsing again. */
  readonly parsed?: { readonly data: unknown; readonly metadata: unknown };
}

/** One unit of a group commit, in its own savepoint. */
export type WriteOp =
  | {
      readonly kind: 'append';
      readonly streamId: string;
      readonly expected: ExpectedRevision;
      readonly recordedAt: string;
      readonly events: readonly WriteEvent[];
    }
  /** A write to a sibling table (checkpoints, idempotency records), durable with the batch. */
  | { readonly kind: 'run'; readonly sql: string; readonly params: readonly SQLInputValue[] };

/** Why an op was refused, as plain data; the store turns it into its error classes. */
export type WriteError =
  | {
      readonly kind: 'wrong-expected-revision';
      readonly streamId: string;
      readonly expected: ExpectedRevision;
      readonly actual: number | 'no_stream';
    }
  | { readonly kind: 'event-id-conflict'; readonly eventId: string; readonly storedInStream: string }
  /** Anything else (SQLite's own errors): the error itself inline, its fields from the thread. */
  | { readonly kind: 'other'; readonly error: unknown };

export type Row = SQLOutputValue[];

export type OpOutcome =
  | {
      readonly ok: true;
      readonly nextExpectedRevision: number;
      readonly lastGlobalPosition: number;
      /** The new events' revisions start at nextExpectedRevision - hashes.length + 1. */
      readonly written?: {
        readonly positions: number[];
        readonly hashes: string[];
        readonly previousHash: string;
      };
      /** A recognised retry: the stored rows of the original write (EVENT_COLUMNS order). */
      readonly original?: Row[];
    }
  | { readonly ok: false; readonly error: WriteError };

export interface BatchOutcome {
  readonly outcomes: OpOutcome[];
  /** Whether a COMMIT ran (false when the only op was refused and rolled back, or COMMIT failed). */
  readonly committed: boolean;
}

/** The durability settings of the connection that commits, as SQLite reports them. */
export interface WriterPragmas {
  /** 'wal' */
  readonly journalMode: string;
  /** 2 is FULL: every COMMIT is fsynced before it returns. */
  readonly synchronous: number;
}

export function writerPragmasOf(db: DatabaseSync): WriterPragmas {
  return {
    journalMode: String(db.prepare('PRAGMA journal_mode').get()?.journal_mode),
    synchronous: Number(db.prepare('PRAGMA synchronous').get()?.synchronous),
  };
}

export const EVENT_COLUMNS =
  'global_position, event_id, stream_id, stream_revision, type, schema_version, data, metadata, recorded_at, previous_hash, hash';

class Refused extends Error {
  readonly refusal: WriteError;
  constructor(refusal: WriteError) {
    super(refusal.kind);
    this.refusal = refusal;
  }
}

function isEventIdUniqueViolation(error: unknown): boolean {
  // Duck-typed: node:sqlite's errors come from another realm under jest, so instanceof Error fails.
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message.includes('UNIQUE constraint failed: events.event_id');
}

function matches(expected: ExpectedRevision, current: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return current < 0;
  return expected === current;
}

/** Prepared once per connection: re-preparing per call costs more than the insert itself. */
function prepareWriteStatements(db: DatabaseSync) {
  const arrays = (sql: string) => {
    const statement = db.prepare(sql);
    statement.setReturnArrays(true);
    return statement;
  };
  return {
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
    tip: arrays(
      'SELECT stream_revision, hash FROM events WHERE stream_id = ? ORDER BY stream_revision DESC LIMIT 1',
    ),
    positionOf: arrays('SELECT global_position FROM events WHERE stream_id = ? AND stream_revision = ?'),
    byEventId: arrays('SELECT stream_id, stream_revision FROM events WHERE event_id = ?'),
    readForwards: arrays(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND stream_revision >= ? ORDER BY stream_revision ASC LIMIT ?`,
    ),
    savepoint: db.prepare('SAVEPOINT op'),
    release: db.prepare('RELEASE op'),
    rollbackToSavepoint: db.prepare('ROLLBACK TO op'),
    insert: db.prepare(
      'INSERT INTO events (event_id, stream_id, stream_revision, type, schema_version, data, metadata, recorded_at, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
  };
}

/**
 * Writes a batch of ops in one transaction with one fsync, each op in a savepoint of its own, so
 * that one refused by its expected revision or an event id conflict is rolled back alone and
 * reported with the same error as if it had run by itself. Ops run in the order given and see each
 * other (revisions, hash chain, retries). BEGIN IMMEDIATE takes the write lock before any stream's
 * tip is read, so the revision check and the hash chain cannot interleave with another writer, even
 * one in another process. If the COMMIT fails, every op of the batch fails.
 */
export class BatchWriter {
  private readonly db: DatabaseSync;
  private readonly hasher: EventHasher;
  private readonly w: ReturnType<typeof prepareWriteStatements>;
  private readonly statements = new Map<string, StatementSync>();

  constructor(db: DatabaseSync, hasher: EventHasher) {
    this.db = db;
    this.hasher = hasher;
    this.w = prepareWriteStatements(db);
  }

  write(batch: readonly WriteOp[]): BatchOutcome {
    const w = this.w;
    const fail = (error: unknown): BatchOutcome => ({
      outcomes: batch.map(() => ({ ok: false, error: { kind: 'other', error } })),
      committed: false,
    });
    if (batch.length === 0) return { outcomes: [], committed: false };
    try {
      w.begin.run();
    } catch (error) {
      return fail(error);
    }
    // A batch of one needs no savepoint: the whole transaction is its own.
    const savepoints = batch.length > 1;
    const outcomes: OpOutcome[] = [];
    for (const op of batch) {
      if (savepoints) w.savepoint.run();
      try {
        const outcome = this.run(op);
        if (savepoints) w.release.run();
        outcomes.push(outcome);
      } catch (error) {
        if (savepoints) {
          try {
            w.rollbackToSavepoint.run();
            w.release.run();
          } catch {
            // Checked below: the transaction itself is gone.
          }
        } else if (this.db.isTransaction) {
          try {
            w.rollback.run();
          } catch {
            // Nothing more to undo.
          }
        }
        if (savepoints && !this.db.isTransaction) {
          // SQLite rolled the whole transaction back (e.g. disk full): the ops before this one
          // are lost too, and the ones after it would each run in a transaction of their own.
          return fail(error);
        }
        outcomes.push({ ok: false, error: this.refusalFor(op, error) });
      }
    }
    if (!this.db.isTransaction) return { outcomes, committed: false }; // a single refused op
    try {
      w.commit.run();
    } catch (error) {
      if (this.db.isTransaction) {
        try {
          w.rollback.run();
        } catch {
          // Nothing more to undo.
        }
      }
      return fail(error);
    }
    return { outcomes, committed: true };
  }

  private run(op: WriteOp): OpOutcome {
    if (op.kind === 'append') return this.append(op.streamId, op.events, op.expected, op.recordedAt);
    let statement = this.statements.get(op.sql);
    if (!statement) this.statements.set(op.sql, (statement = this.db.prepare(op.sql)));
    statement.run(...op.params);
    return { ok: true, nextExpectedRevision: -1, lastGlobalPosition: -1 };
  }

  private refusalFor(op: WriteOp, error: unknown): WriteError {
    if (error instanceof Refused) return error.refusal;
    if (op.kind === 'append' && isEventIdUniqueViolation(error)) {
      try {
        return this.conflictFor(op.events) ?? { kind: 'other', error };
      } catch {
        return { kind: 'other', error };
      }
    }
    return { kind: 'other', error };
  }

  /** One append inside the open transaction; throws to refuse it. */
  private append(
    streamId: string,
    events: readonly WriteEvent[],
    expected: ExpectedRevision,
    recordedAt: string,
  ): OpOutcome {
    const w = this.w;
    const retried = events.length > 0 ? this.originalOfRetry(streamId, events) : undefined;
    if (retried) return retried;
    const tip = w.tip.get(streamId) as unknown as [number, string] | undefined;
    const current = tip ? tip[0] : -1;
    if (!matches(expected, current)) {
      throw new Refused({
        kind: 'wrong-expected-revision',
        streamId,
        expected,
        actual: current < 0 ? 'no_stream' : current,
      });
    }
    if (events.length === 0) {
      const last = current < 0 ? undefined : (w.positionOf.get(streamId, current) as unknown as [number]);
      return { ok: true, nextExpectedRevision: current, lastGlobalPosition: last ? last[0] : -1 };
    }
    const first = tip ? tip[1] : GENESIS_HASH;
    let previousHash = first;
    const positions: number[] = [];
    const hashes: string[] = [];
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      const streamRevision = current + 1 + i;
      // The hash covers the stored text as a read parses it back, so verification recomputes it.
      const hash = this.hasher({
        eventId: event.eventId,
        type: event.type,
        schemaVersion: event.schemaVersion,
        streamId,
        streamRevision,
        recordedAt,
        data: event.parsed ? event.parsed.data : JSON.parse(event.data),
        metadata: (event.parsed
          ? event.parsed.metadata
          : JSON.parse(event.metadata)) as HashedEventFields['metadata'],
        previousHash,
      });
      const result = w.insert.run(
        event.eventId,
        streamId,
        streamRevision,
        event.type,
        event.schemaVersion,
        event.data,
        event.metadata,
        recordedAt,
        previousHash,
        hash,
      );
      positions.push(Number(result.lastInsertRowid));
      hashes.push(hash);
      previousHash = hash;
    }
    return {
      ok: true,
      nextExpectedRevision: current + events.length,
      lastGlobalPosition: positions[positions.length - 1],
      written: { positions, hashes, previousHash: first },
    };
  }

  /**
   * EventStoreDB's idempotent append: a batch whose first id is already in this stream, followed by
   * the rest of its ids at consecutive revisions, is the same write retried after an unknown
   * outcome; answer with the original result and write nothing.
   */
  private originalOfRetry(streamId: string, events: readonly WriteEvent[]): OpOutcome | undefined {
    const stored = this.w.byEventId.get(events[0].eventId) as unknown as [string, number] | undefined;
    if (!stored) return undefined;
    const [storedStream, firstRevision] = stored;
    if (storedStream !== streamId)
      throw new Refused({
        kind: 'event-id-conflict',
        eventId: events[0].eventId,
        storedInStream: storedStream,
      });
    const rows = this.w.readForwards.all(streamId, firstRevision, events.length) as unknown as Row[];
    const sameWrite = rows.length === events.length && rows.every((row, i) => row[1] === events[i].eventId);
    if (!sameWrite)
      throw new Refused({ kind: 'event-id-conflict', eventId: events[0].eventId, storedInStream: streamId });
    return {
      ok: true,
      nextExpectedRevision: firstRevision + events.length - 1,
      lastGlobalPosition: rows[rows.length - 1][0] as number,
      original: rows,
    };
  }

  private conflictFor(events: readonly WriteEvent[]): WriteError | undefined {
    for (const event of events) {
      const stored = this.w.byEventId.get(event.eventId) as unknown as [string, number] | undefined;
      if (stored) return { kind: 'event-id-conflict', eventId: event.eventId, storedInStream: stored[0] };
    }
    return undefined;
  }
}
