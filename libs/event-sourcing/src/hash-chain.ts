import { loadCanonicalize, sha256Hex } from './canonical-json';
import { GENESIS_HASH, UnreadableEventError, type RecordedEvent } from './envelope';
import type { EventStore } from './event-store';

/**
 * The fields covered by an event's hash. The global position is left out on purpose: EventStoreDB
 * assigns it only after the write, so the writer cannot know it when it computes the hash.
 */
export type HashedEventFields = Pick<
  RecordedEvent,
  | 'eventId'
  | 'type'
  | 'schemaVersion'
  | 'streamId'
  | 'streamRevision'
  | 'recordedAt'
  | 'data'
  | 'metadata'
  | 'previousHash'
>;

export type EventHasher = (event: HashedEventFields) => string;

/** A synchronous hasher, for writers that must hash inside a transaction without awaiting. */
export async function createEventHasher(): Promise<EventHasher> {
  const canonicalize = await loadCanonicalize();
  return (event) =>
    sha256Hex(
      // Picked field by field so that extra properties (globalPosition, hash) never leak in.
      canonicalize({
        eventId: event.eventId,
        type: event.type,
        schemaVersion: event.schemaVersion,
        streamId: event.streamId,
        streamRevision: event.streamRevision,
        recordedAt: event.recordedAt,
        data: event.data,
        metadata: event.metadata,
        previousHash: event.previousHash,
      }),
    );
}

/** SHA-256 (hex) over the RFC 8785 canonical JSON of the event's hashed fields. */
export async function computeEventHash(event: HashedEventFields): Promise<string> {
  return (await createEventHasher())(event);
}

/**
 * Every way an edit of the store shows. `unreadable` is content edited into something that is no
 * longer JSON: as much a broken chain as any other edit, never a read error.
 */
export type ChainBreakReason = 'hash-mismatch' | 'previous-hash-mismatch' | 'revision-gap' | 'unreadable';

export interface ChainBreak {
  readonly streamId: string;
  readonly streamRevision: number;
  readonly eventId: string;
  readonly globalPosition: number;
  readonly type: string;
  readonly reason: ChainBreakReason;
  /** Human-readable explanation (what was expected). */
  readonly detail: string;
}

export interface VerifyResult {
  readonly ok: boolean;
  readonly checkedEvents: number;
  readonly checkedStreams: number;
  readonly firstBroken?: ChainBreak;
}

export interface VerifyOptions {
  /** Events read per call to the store. Default 1000. */
  readonly batchSize?: number;
  /** Called after each batch with the number of events checked so far (progress bars). */
  readonly onProgress?: (checkedEvents: number) => void;
}

interface StreamTip {
  readonly revision: number;
  readonly hash: string;
}

/** An event as read for verification: recorded, or a row whose data or metadata does not parse. */
type ReadForCheck = RecordedEvent | UnreadableEventError;

/**
 * Reads a batch; when one of its rows does not parse, reads again one event at a time up to that
 * row, so every event before it is still checked and the first broken event is the one named.
 */
async function readForCheck<C>(
  read: (from: C, maxCount: number) => Promise<RecordedEvent[]>,
  from: C,
  maxCount: number,
  next: (event: RecordedEvent) => C,
): Promise<ReadForCheck[]> {
  try {
    return await read(from, maxCount);
  } catch (error) {
    if (!(error instanceof UnreadableEventError)) throw error;
  }
  const events: ReadForCheck[] = [];
  let cursor = from;
  while (events.length < maxCount) {
    let one: RecordedEvent[];
    try {
      one = await read(cursor, 1);
    } catch (error) {
      if (!(error instanceof UnreadableEventError)) throw error;
      events.push(error);
      break;
    }
    if (one.length === 0) break;
    events.push(one[0]);
    cursor = next(one[0]);
  }
  return events;
}

/**
 * Checks one event against the tip of its stream. Order matters for what gets named: a missing
 * event shows as a gap at its successor; edited content shows as a hash mismatch at the edited
 * event itself (its successor still links to the stored hash); an edited event whose hash was also
 * recomputed shows as a previous-hash mismatch at its successor.
 */
function checkEvent(
  read: ReadForCheck,
  tip: StreamTip | undefined,
  hasher: EventHasher,
): ChainBreak | undefined {
  const event = read instanceof UnreadableEventError ? read.event : read;
  const expectedRevision = tip ? tip.revision + 1 : 0;
  const expectedPrevious = tip ? tip.hash : GENESIS_HASH;
  const broken = (reason: ChainBreakReason, detail: string): ChainBreak => ({
    streamId: event.streamId,
    streamRevision: event.streamRevision,
    eventId: event.eventId,
    globalPosition: event.globalPosition,
    type: event.type,
    reason,
    detail,
  });
  if (event.streamRevision !== expectedRevision) {
    return broken('revision-gap', `expected revision ${expectedRevision}, found ${event.streamRevision}`);
  }
  if (event.previousHash !== expectedPrevious) {
    return broken(
      'previous-hash-mismatch',
      `previousHash ${event.previousHash} does not match the hash ${expectedPrevious} of revision ${expectedRevision - 1}`,
    );
  }
  if (read instanceof UnreadableEventError) {
    return broken('unreadable', `${read.column} is not valid JSON; stored hash ${event.hash}`);
  }
  let recomputed: string;
  try {
    recomputed = hasher(read);
  } catch (error) {
    // Content no registry write produces (e.g. a lone surrogate) cannot be canonicalised: edited.
    const why = error instanceof Error ? error.message : String(error);
    return broken('hash-mismatch', `stored hash ${event.hash}, content cannot be hashed (${why})`);
  }
  if (recomputed !== event.hash) {
    return broken('hash-mismatch', `stored hash ${event.hash}, recomputed ${recomputed}`);
  }
  return undefined;
}

/** Verifies the hash chain of one stream from its first event. */
export async function verifyStream(
  store: Pick<EventStore, 'readStream'>,
  streamId: string,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  const batchSize = options.batchSize ?? 1000;
  const hasher = await createEventHasher();
  let tip: StreamTip | undefined;
  let checkedEvents = 0;
  for (;;) {
    const fromRevision = tip ? tip.revision + 1 : 0;
    const batch = await readForCheck(
      (from, maxCount) => store.readStream(streamId, { fromRevision: from, maxCount }),
      fromRevision,
      batchSize,
      (event) => event.streamRevision + 1,
    );
    for (const event of batch) {
      checkedEvents++;
      const firstBroken = checkEvent(event, tip, hasher);
      if (firstBroken) return { ok: false, checkedEvents, checkedStreams: 1, firstBroken };
      // Unreachable for an unreadable event: checkEvent always names it as broken.
      if (event instanceof UnreadableEventError) break;
      tip = { revision: event.streamRevision, hash: event.hash };
    }
    options.onProgress?.(checkedEvents);
    if (batch.length < batchSize) break;
  }
  return { ok: true, checkedEvents, checkedStreams: checkedEvents > 0 ? 1 : 0 };
}

/**
 * Verifies every stream in one pass over the global log, keeping only the tip of each stream in
 * memory (O(streams), not O(events)). Stops at the first broken event.
 *
 * A chain cannot reveal events removed from the end of a stream; compare stream revisions with an
 * independent record (read models, Kafka) for that.
 */
export async function verifyStore(
  store: Pick<EventStore, 'readAll'>,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  const batchSize = options.batchSize ?? 1000;
  const hasher = await createEventHasher();
  const tips = new Map<string, StreamTip>();
  let after: number | undefined;
  let checkedEvents = 0;
  for (;;) {
    const batch = await readForCheck(
      (from: number | undefined, maxCount) => store.readAll({ after: from, maxCount }),
      after,
      batchSize,
      (event): number | undefined => event.globalPosition,
    );
    for (const read of batch) {
      checkedEvents++;
      const streamId = read instanceof UnreadableEventError ? read.event.streamId : read.streamId;
      const firstBroken = checkEvent(read, tips.get(streamId), hasher);
      if (firstBroken) {
        const checkedStreams = tips.has(streamId) ? tips.size : tips.size + 1;
        return { ok: false, checkedEvents, checkedStreams, firstBroken };
      }
      if (read instanceof UnreadableEventError) break;
      const event = read;
      tips.set(event.streamId, { revision: event.streamRevision, hash: event.hash });
      after = event.globalPosition;
    }
    options.onProgress?.(checkedEvents);
    if (batch.length < batchSize) break;
  }
  return { ok: true, checkedEvents, checkedStreams: tips.size };
}
