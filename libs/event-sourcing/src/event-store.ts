import type { NewEvent, RecordedEvent } from './envelope';

/**
 * Expected revision of a stream when appending:
 * - 'no_stream': the stream must not exist yet;
 * - 'any': no check;
 * - a number: the revision of the stream's last event must be exactly this.
 */
export type ExpectedRevision = 'no_stream' | 'any' | number;

export interface AppendResult {
  /** Revision of the last event now in the stream: the next expectedRevision to use. */
  readonly nextExpectedRevision: number;
  /** Global position of the last appended event. */
  readonly lastGlobalPosition: number;
  /**
   * The events of this write as stored (what readStream would return), for adapters that have them
   * at hand (SQLite); command handling then folds them without reading the stream back. An adapter
   * that returns them returns exactly the events of this append, or of the original write when it
   * recognised a retry of the same event ids.
   */
  readonly events?: readonly RecordedEvent[];
}

export interface ReadStreamOptions {
  readonly direction?: 'forwards' | 'backwards';
  /** Inclusive start revision; for backwards reads defaults to the end. */
  readonly fromRevision?: number;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this global position. Omit to start at the beginning. */
  readonly after?: number;
  readonly maxCount?: number;
}

export type EventHandler = (event: RecordedEvent) => Promise<void>;

export interface CatchUpSubscription {
  /** Resolves when the subscription has processed everything up to the head once. */
  readonly caughtUp: Promise<void>;
  stop(): Promise<void>;
}

export interface SubscribeOptions {
  /** Name of the durable checkpoint; a restart with the same name resumes after it. */
  readonly subscriptionId: string;
  readonly handler: EventHandler;
  /** Save the checkpoint after this many handled events (and when idle). Default 1. */
  readonly checkpointEvery?: number;
  /** How often to look for new events when idle, in ms. */
  readonly pollIntervalMs?: number;
  /**
   * Where to start when the subscription has no checkpoint yet: after this global position.
   * Omit to start at the beginning of the log. Ignored once a checkpoint exists.
   */
  readonly startAfter?: number;
  /**
   * Called once when the subscription stops because the handler (or a read) failed. The failing
   * event is not checkpointed, so a new subscription with the same id receives it again.
   */
  readonly onError?: (error: unknown) => void;
}

/** Raised when the expected revision does not match. Command handling retries on it. */
export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/**
 * An event id is already stored for another stream, or for other events of this stream: the batch is
 * neither new nor a retry of the same write, so appending it could silently merge two writes.
 */
export class EventIdConflictError extends Error {
  constructor(
    readonly eventId: string,
    readonly storedInStream: string,
  ) {
    super(`event id ${eventId} is already stored in stream ${storedInStream} by another write`);
    this.name = 'EventIdConflictError';
  }
}

/**
 * The event-store port. Adapters: SQLite (embedded default) and EventStoreDB/KurrentDB.
 * Both pass libs/event-sourcing/src/testing/event-store.contract.ts.
 */
export interface EventStore {
  /**
   * Appends atomically. Retrying with the same event ids after an unknown outcome is safe: events
   * already stored are not stored again and the original result is returned.
   */
  appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options: { readonly expectedRevision: ExpectedRevision },
  ): Promise<AppendResult>;
  /** Returns [] for a stream that does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /**
   * readStream forwards, answered at once (the embedded store reads its file on the calling
   * thread): what a state keeping light facts reads their envelopes back with. Absent on stores
   * that read over the network; their states keep every fact whole.
   */
  readStreamSync?(
    streamId: string,
    options: { readonly fromRevision: number; readonly maxCount: number },
  ): RecordedEvent[];
  /** The events at some revisions of a stream (those that exist, in revision order), answered at once. */
  readRevisionsSync?(streamId: string, revisions: readonly number[]): RecordedEvent[];
  /** The revision of an event in a stream, answered at once; undefined when it is not in it. */
  streamRevisionOfSync?(streamId: string, eventId: string): number | undefined;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Catch-up subscription over the global log from a durable checkpoint. */
  subscribeToAll(options: SubscribeOptions): CatchUpSubscription;
  close(): Promise<void>;
}
