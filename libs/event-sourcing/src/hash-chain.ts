import { loadCanonicalize, sha256Hex } from './canonical-json';
import { GENESIS_HASH, type RecordedEvent } from './envelope';
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

export type ChainBreakReason = 'hash-mismatch' | 'previous-hash-mismatch' | 'revision-gap';

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

/**
 * Checks one event against the tip of its stream. Order matters for what gets named: a missing
 * event shows as a gap at its successor; edited content shows as a hash mismatch at the edited
 * event itself (its successor still links to the stored hash); an edited event whose hash was also
 * recomputed shows as a previous-hash mismatch at its successor.
 */
function checkEvent(
  event: RecordedEvent,
  tip: StreamTip | undefined,
  hasher: EventHasher,
): ChainBreak | undefined {
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
  const recomputed = hasher(event);
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
    const batch = await store.readStream(streamId, { fromRevision, maxCount: batchSize });
    for (const event of batch) {
      checkedEvents++;
      const firstBroken = checkEvent(event, tip, hasher);
      if (firstBroken) return { ok: false, checkedEvents, checkedStreams: 1, firstBroken };
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
    const batch = await store.readAll({ after, maxCount: batchSize });
    for (const event of batch) {
      checkedEvents++;
      const firstBroken = checkEvent(event, tips.get(event.streamId), hasher);
      if (firstBroken) {
        const checkedStreams = tips.has(event.streamId) ? tips.size : tips.size + 1;
        return { ok: false, checkedEvents, checkedStreams, firstBroken };
      }
      tips.set(event.streamId, { revision: event.streamRevision, hash: event.hash });
      after = event.globalPosition;
    }
    options.onProgress?.(checkedEvents);
    if (batch.length < batchSize) break;
  }
  return { ok: true, checkedEvents, checkedStreams: tips.size };
}
