/**
 * The envelope every stored event carries. An auditor must be able to trace any decision to what
 * happened, when it took effect in law, when it was recorded, who took it, on what legal basis and
 * under which rule; and detect any later tampering through the per-stream hash chain.
 */

/** Who issued a command. `districtScope` is a district name, or '*' for city-wide staff. */
export interface Actor {
  readonly subject: string;
  readonly roles: readonly string[];
  readonly districtScope: string;
}

/** What the caller of a command supplies beside the domain data. */
export interface EventMetadata {
  /** ISO 8601 date (YYYY-MM-DD) or instant: when the decision took effect in law. */
  readonly effectiveAt: string;
  readonly actor: Actor;
  /** Document reference of the legal basis, e.g. "兰民发〔2013〕12号". */
  readonly legalBasis: string;
  /** Rule ids of ../shared/domain/RULES.md applied by the decision (EST-2, ORG-3, ...). */
  readonly ruleIds: readonly string[];
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly idempotencyKey?: string;
  /** W3C trace context of the request that caused the event. */
  readonly traceparent?: string;
}

/** An event as handed to the store. The store assigns revision, position, time and hashes. */
export interface NewEvent<T extends string = string, D = unknown> {
  readonly eventId: string;
  readonly type: T;
  readonly schemaVersion: number;
  readonly data: D;
  readonly metadata: EventMetadata;
}

/** An event as read back from the store. */
export interface RecordedEvent<T extends string = string, D = unknown> extends NewEvent<T, D> {
  readonly streamId: string;
  /** 0-based position of the event within its stream. */
  readonly streamRevision: number;
  /** Position in the store's global log; increasing, not necessarily contiguous. */
  readonly globalPosition: number;
  /** ISO 8601 instant set by the store when the event was appended. */
  readonly recordedAt: string;
  /** Hash of the previous event of the same stream; GENESIS_HASH for revision 0. */
  readonly previousHash: string;
  /** SHA-256 (hex) over the canonical form of this event, see hash-chain.ts. */
  readonly hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/**
 * A stored event whose data or metadata no longer parses: only an edit of the store outside the
 * registry gets there. It carries the row's other columns so a verification can name the event
 * and report a broken chain rather than a read error. (No parameter properties: the SQLite writer
 * thread loads this module with type stripping only.)
 */
export class UnreadableEventError extends Error {
  readonly event: Omit<RecordedEvent, 'data' | 'metadata'>;
  readonly column: 'data' | 'metadata';

  constructor(
    event: Omit<RecordedEvent, 'data' | 'metadata'>,
    column: 'data' | 'metadata',
    options?: ErrorOptions,
  ) {
    super(
      `event at global position ${event.globalPosition} (${event.eventId}): ${column} is not valid JSON`,
      options,
    );
    this.name = 'UnreadableEventError';
    this.event = event;
    this.column = column;
  }
}
