import { createHash, randomUUID } from 'node:crypto';
import type { CommandContext, Decider, DomainEvent } from './decider';
import type { EventMetadata, NewEvent, RecordedEvent } from './envelope';
import { WrongExpectedRevisionError, type EventStore } from './event-store';
import { foldEvents, loadState, type LoadedState, type StateCache, type Upcaster } from './state-cache';

/** A command with everything the envelope needs besides the domain data. */
export interface CommandRequest<C> {
  readonly command: C;
  readonly context: CommandContext;
  readonly legalBasis: string;
  readonly correlationId: string;
  readonly causationId?: string | null;
  /**
   * The request's Idempotency-Key, kept in the events' metadata. Its record at the HTTP edge answers
   * a retry (libs/http); the event ids derived from it here close the one window the record leaves,
   * a crash between the append and saving the record: the store recognises the retry's events.
   */
  readonly idempotencyKey?: string;
  readonly traceparent?: string;
  /**
   * The revision the caller based its request on (an If-Match); -1 means "the stream must not exist
   * yet". A mismatch fails at once, without retrying: the caller decided on a state it no longer has.
   */
  readonly expectedRevision?: number;
}

/** Everything a decision needs besides the domain command: when, who, on what basis. */
export type DecisionEnvelope = Omit<CommandRequest<never>, 'command'>;

export interface HandleCommandOptions<E extends DomainEvent, S> {
  /** Folded states of recent streams; without it every command reads its whole stream. */
  readonly stateCache?: StateCache<S>;
  /** Re-reads and re-decides after a concurrent append, this many times. Default 3. */
  readonly maxRetries?: number;
  /** Schema version written for each event type. Default 1. */
  readonly schemaVersionOf?: (type: E['type']) => number;
  readonly upcast?: Upcaster;
}

export interface CommandResult<S> {
  /** The events this command appended, as stored (empty when decide returned none). */
  readonly events: RecordedEvent[];
  /** Revision of the stream after the command; -1 when the stream still does not exist. */
  readonly nextExpectedRevision: number;
  /**
   * The state after the new events. (With a state cache, if another writer appended right after
   * this command, the state may also include those events.)
   */
  readonly state: S;
}

// Fixed namespace of this registry's name-based event ids (UUID v5, RFC 9562 §5.5).
const EVENT_ID_NAMESPACE = Buffer.from('6f1c2b9e4d7a4f1e9b3c5a8d2e7f0c41', 'hex');

/**
 * The event id of the `index`-th event produced by a request with this idempotency key on this
 * stream: a UUID v5, so the same request retried yields the same ids and the store recognises the
 * retry instead of appending again.
 */
export function deterministicEventId(streamId: string, idempotencyKey: string, index: number): string {
  const bytes = createHash('sha1')
    .update(EVENT_ID_NAMESPACE)
    .update(`${streamId}\n${idempotencyKey}\n${index}`, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function toNewEvent<C, E extends DomainEvent>(
  event: E,
  index: number,
  streamId: string,
  request: CommandRequest<C>,
  schemaVersionOf: ((type: E['type']) => number) | undefined,
): NewEvent {
  const metadata: EventMetadata = {
    effectiveAt: request.context.effectiveAt,
    actor: {
      subject: request.context.actor.subject,
      roles: [...request.context.actor.roles],
      districtScope: request.context.actor.districtScope,
    },
    legalBasis: request.legalBasis,
    ruleIds: [...event.ruleIds],
    correlationId: request.correlationId,
    causationId: request.causationId ?? null,
    ...(request.idempotencyKey !== undefined ? { idempotencyKey: request.idempotencyKey } : {}),
    ...(request.traceparent !== undefined ? { traceparent: request.traceparent } : {}),
  };
  return {
    eventId:
      request.idempotencyKey !== undefined
        ? deterministicEventId(streamId, request.idempotencyKey, index)
        : randomUUID(),
    type: event.type,
    schemaVersion: schemaVersionOf?.(event.type) ?? 1,
    data: event.data,
    metadata,
  };
}

/**
 * The one way a command travels (GUIDE §1): read the stream, decide (pure), append with the revision
 * that was read. A concurrent append makes the store refuse; then the command is decided again on
 * the new state, since the rules may now answer differently.
 */
export async function handleCommand<C, E extends DomainEvent, S>(
  store: EventStore,
  decider: Decider<C, E, S>,
  streamId: string,
  request: CommandRequest<C>,
  options: HandleCommandOptions<E, S> = {},
): Promise<CommandResult<S>> {
  const maxRetries = options.maxRetries ?? 3;
  const load = (): Promise<LoadedState<S>> =>
    options.stateCache
      ? options.stateCache.load(store, decider, streamId, { upcast: options.upcast })
      : loadState(store, decider, streamId, { upcast: options.upcast });

  for (let attempt = 0; ; attempt++) {
    const current = await load();
    if (request.expectedRevision !== undefined && request.expectedRevision !== current.revision) {
      throw new WrongExpectedRevisionError(
        streamId,
        request.expectedRevision < 0 ? 'no_stream' : request.expectedRevision,
        current.revision < 0 ? 'no_stream' : current.revision,
      );
    }

    const decided = decider.decide(request.command, current.state, request.context);
    if (decided.length === 0) {
      return { events: [], nextExpectedRevision: current.revision, state: current.state };
    }
    const newEvents = decided.map((e, i) => toNewEvent(e, i, streamId, request, options.schemaVersionOf));

    let appended;
    try {
      appended = await store.appendToStream(streamId, newEvents, {
        expectedRevision: current.revision < 0 ? 'no_stream' : current.revision,
      });
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError && attempt < maxRetries) continue;
      throw error;
    }

    const first = appended.nextExpectedRevision - newEvents.length + 1;
    // Stores that return the events they wrote (AppendResult.events) spare the read-back.
    const recorded = appended.events && [...appended.events];
    const readBack = async (): Promise<RecordedEvent[]> =>
      recorded ?? (await store.readStream(streamId, { fromRevision: first, maxCount: newEvents.length }));
    if (first <= current.revision) {
      // The store recognised a retry of an earlier request (same idempotency key): answer as the
      // first time; its events were already part of the state we loaded.
      return {
        events: await readBack(),
        nextExpectedRevision: appended.nextExpectedRevision,
        state: current.state,
      };
    }
    if (options.stateCache) {
      // Through the cache rather than folding onto current.state: a concurrent load may already
      // have folded our events into the cached state, and an evolve that mutates would apply them
      // twice. advance folds them only while the cache is still exactly at the revision we decided
      // on (then nobody else can have folded them); otherwise the cache's load handles the race.
      if (recorded) {
        const advanced = options.stateCache.advance(decider, streamId, current.revision, recorded, {
          upcast: options.upcast,
        });
        if (advanced) {
          return {
            events: recorded,
            nextExpectedRevision: appended.nextExpectedRevision,
            state: advanced.state,
          };
        }
      }
      const after = await options.stateCache.load(store, decider, streamId, { upcast: options.upcast });
      let events = ours(after.newEvents, first, appended.nextExpectedRevision);
      if (events.length !== newEvents.length) events = await readBack();
      return { events, nextExpectedRevision: appended.nextExpectedRevision, state: after.state };
    }
    const events = await readBack();
    const state = foldEvents(decider, current.state, events, options.upcast);
    return { events, nextExpectedRevision: appended.nextExpectedRevision, state };
  }
}

function ours(events: readonly RecordedEvent[], first: number, last: number): RecordedEvent[] {
  return events.filter((e) => e.streamRevision >= first && e.streamRevision <= last);
}
