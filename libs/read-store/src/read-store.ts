import type { CheckpointStore } from '#libs/event-sourcing';

/**
 * The read-store port (GUIDE §1): where projections keep their documents and their checkpoints.
 * Adapters: SQLite (the embedded default, sqlite-read-store.ts), in memory through `mingo` (tests,
 * REGISTRY_READ_STORE=memory) and MongoDB through mongoose (FerretDB in the tests). All pass
 * testing/read-store.contract.ts.
 *
 * Writes are single-document and revision-guarded, because FerretDB 1.x has no transactions, no
 * `$lookup` and no TTL indexes: a projection that runs an event twice (at-least-once delivery, a
 * restart before the checkpoint moved, a rebuild over old documents) changes nothing.
 */

/** A MongoDB query filter (the subset mingo and FerretDB 1.x both understand). */
export type Filter = Record<string, unknown>;

export type SortSpec = Record<string, 1 | -1>;

export interface FindOptions {
  readonly sort?: SortSpec;
  readonly skip?: number;
  readonly limit?: number;
}

/** Every read-model document has a string `_id`. */
export interface ReadDocument {
  _id: string;
}

/** Which event a guarded write comes from: the document is written only if it has not seen it. */
export interface WriteGuard {
  readonly streamId: string;
  readonly revision: number;
}

/** 'stale': the document already reflects this revision of the stream, or a later one. */
export type UpsertOutcome = 'inserted' | 'updated' | 'stale';

export interface ReadCollection<T extends ReadDocument = ReadDocument> {
  readonly name: string;
  findOne(filter: Filter): Promise<T | null>;
  find(filter?: Filter, options?: FindOptions): Promise<T[]>;
  countDocuments(filter?: Filter): Promise<number>;
  /**
   * Writes the top-level fields of `doc` into document `id` (creating it) only when the revision
   * stored for `guard.streamId` in that document is lower than `guard.revision`, as one atomic
   * single-document update. Top-level fields absent from `doc` are kept, so projections write
   * total documents (null, never a missing field). The guard is kept in the document under
   * `_revisions` and never returned by reads.
   */
  upsertGuarded(id: string, doc: Omit<T, '_id'>, guard: WriteGuard): Promise<UpsertOutcome>;
  /** Deletes without a guard: for rebuilds, which clear a projection's collections first. */
  deleteMany(filter?: Filter): Promise<number>;
}

/** Checkpoints of the projections, kept in the read store (collection `_checkpoints`). */
export interface ReadStoreCheckpoints extends CheckpointStore {
  delete(subscriptionId: string): Promise<void>;
}

export interface ReadStore {
  collection<T extends ReadDocument = ReadDocument>(name: string): ReadCollection<T>;
  readonly checkpoints: ReadStoreCheckpoints;
  /**
   * Resolves with the adapter's kind when the store answers (readiness); rejects when it does not:
   * with ReadStoreUnavailable (a message safe to show) or the driver's error (which may name hosts).
   */
  ping(): Promise<{ readonly kind: string }>;
  close(): Promise<void>;
}

/** The read store cannot answer, for a reason of our own that may be shown to a prober. */
export class ReadStoreUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReadStoreUnavailable';
  }
}

export const CHECKPOINTS_COLLECTION = '_checkpoints';
/** Field of a stored document that holds the last revision written per stream. */
export const REVISIONS_FIELD = '_revisions';

/**
 * A stream id as a field name: MongoDB and FerretDB refuse `.` (a path) and a leading `$` in
 * field names, so both are percent-encoded (and `%` itself, to stay reversible).
 */
export function revisionKey(streamId: string): string {
  return streamId.replace(/[%.$]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Documents are JSON: `undefined` fields are dropped and dates become strings, the same way in
 * every adapter, so that what one adapter returns the other returns too.
 */
export function normalise<T>(doc: T): T {
  return JSON.parse(JSON.stringify(doc)) as T;
}

/** Removes the guard bookkeeping from a stored document before handing it out. */
export function withoutGuard<T>(stored: Record<string, unknown>): T {
  const { [REVISIONS_FIELD]: _revisions, ...doc } = stored;
  return doc as T;
}

export function assertGuard(id: string, guard: WriteGuard): void {
  if (typeof id !== 'string' || id.length === 0)
    throw new TypeError('document id must be a non-empty string');
  if (!Number.isInteger(guard.revision) || guard.revision < 0)
    throw new RangeError(`revision must be a non-negative integer, got ${String(guard.revision)}`);
  if (!guard.streamId) throw new TypeError('guard.streamId is required');
}
