import type { Decider, DomainEvent, EventContext, FactHistory } from './decider';
import type { RecordedEvent } from './envelope';
import type { EventStore } from './event-store';

/** Turns stored events of old shapes into current ones before evolve sees them (GUIDE §4.7). */
export type Upcaster = (event: RecordedEvent) => RecordedEvent;

/** The part of a decider that rebuilds state; `decide` is not needed to load. */
export type StateEvolver<E extends DomainEvent, S> = Pick<Decider<never, E, S>, 'initialState' | 'evolve'>;

export interface LoadedState<S> {
  /** Revision of the last event folded into `state`; -1 when the stream does not exist. */
  readonly revision: number;
  readonly state: S;
  /** The events this load read from the store (only those after the cached revision). */
  readonly newEvents: readonly RecordedEvent[];
}

export function eventContextOf(event: RecordedEvent): EventContext {
  return {
    effectiveAt: event.metadata.effectiveAt,
    recordedAt: event.recordedAt,
    eventId: event.eventId,
    streamRevision: event.streamRevision,
    actor: { subject: event.metadata.actor.subject, districtScope: event.metadata.actor.districtScope },
    legalBasis: event.metadata.legalBasis,
    correlationId: event.metadata.correlationId,
    causationId: event.metadata.causationId ?? null,
  };
}

/** The domain view of a stored event: its type, data and the rule ids it was decided under. */
export function domainEventOf<E extends DomainEvent>(event: RecordedEvent): E {
  return { type: event.type, data: event.data, ruleIds: event.metadata.ruleIds } as unknown as E;
}

/**
 * A stream's history read back at once, for a state that keeps light facts (bounded memory); undefined
 * for a store that cannot read synchronously (KurrentDB over the network), whose states keep every
 * fact whole.
 */
export function factHistoryOf<E extends DomainEvent>(
  store: Pick<EventStore, 'readStreamSync' | 'readRevisionsSync' | 'streamRevisionOfSync'>,
  streamId: string,
  upcast?: Upcaster,
): FactHistory<E> | undefined {
  const { readStreamSync, readRevisionsSync, streamRevisionOfSync } = store;
  if (!readStreamSync || !readRevisionsSync || !streamRevisionOfSync) return undefined;
  const asFolded = (stored: RecordedEvent) => {
    const event = upcast ? upcast(stored) : stored;
    return { event: domainEventOf<E>(event), ctx: eventContextOf(event) };
  };
  return {
    read: (from, count) =>
      readStreamSync.call(store, streamId, { fromRevision: from, maxCount: count }).map(asFolded),
    readAt: (revisions) => readRevisionsSync.call(store, streamId, revisions).map(asFolded),
    revisionOf: (eventId) => streamRevisionOfSync.call(store, streamId, eventId),
  };
}

/** Folds events onto a state. evolve never throws (GUIDE §4.5), so this runs to the end. */
export function foldEvents<E extends DomainEvent, S>(
  decider: StateEvolver<E, S>,
  state: S,
  events: readonly RecordedEvent[],
  upcast?: Upcaster,
): S {
  let current = state;
  for (const stored of events) {
    const event = upcast ? upcast(stored) : stored;
    current = decider.evolve(current, domainEventOf<E>(event), eventContextOf(event));
  }
  return current;
}

/** Reads a whole stream and folds it, without a cache. */
export async function loadState<E extends DomainEvent, S>(
  store: Pick<EventStore, 'readStream'>,
  decider: StateEvolver<E, S>,
  streamId: string,
  options: { readonly upcast?: Upcaster } = {},
): Promise<LoadedState<S>> {
  const events = await store.readStream(streamId);
  const state = foldEvents(decider, decider.initialState(), events, options.upcast);
  return {
    revision: events.length > 0 ? events[events.length - 1].streamRevision : -1,
    state,
    newEvents: events,
  };
}

interface Entry<S> {
  readonly revision: number;
  readonly state: S;
}

export interface StateCacheOptions {
  /** Streams kept; the least recently used is dropped first. Default 1000. */
  readonly maxEntries?: number;
  /**
   * The store the states are folded from: when it reads synchronously (the embedded SQLite
   * store), each new state is given its stream's history and keeps light facts (FactHistory).
   */
  readonly historyFrom?: Pick<EventStore, 'readStreamSync' | 'readRevisionsSync' | 'streamRevisionOfSync'>;
}

/**
 * Keeps the folded state of recently used streams, so a command on a long stream reads only the
 * events appended since, not the whole stream. The store stays the authority: every load reads
 * what other writers appended after the cached revision, so a cached state is never used stale.
 *
 * One cache per decider (the state type is the decider's). Works with an evolve that mutates the
 * state it is given, as long as the caller does not keep using a state after a later load.
 */
export class StateCache<S> {
  private readonly entries = new Map<string, Entry<S>>();
  readonly maxEntries: number;
  private readonly historyFrom: StateCacheOptions['historyFrom'];

  constructor(options: StateCacheOptions = {}) {
    this.maxEntries = Math.max(1, options.maxEntries ?? 1000);
    this.historyFrom = options.historyFrom;
  }

  private initialStateOf<E extends DomainEvent>(
    decider: StateEvolver<E, S>,
    streamId: string,
    upcast: Upcaster | undefined,
  ): S {
    const history = this.historyFrom ? factHistoryOf<E>(this.historyFrom, streamId, upcast) : undefined;
    return history ? decider.initialState(history) : decider.initialState();
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached revision and state of a stream, marking it recently used. */
  get(streamId: string): Entry<S> | undefined {
    const entry = this.entries.get(streamId);
    if (entry) {
      // Map keeps insertion order: re-inserting moves the stream to the most-recent end.
      this.entries.delete(streamId);
      this.entries.set(streamId, entry);
    }
    return entry;
  }

  /** Stores a state; ignored when it is older than the cached one (a slower concurrent load). */
  set(streamId: string, revision: number, state: S): void {
    const existing = this.entries.get(streamId);
    if (existing && existing.revision > revision) return;
    this.entries.delete(streamId);
    this.entries.set(streamId, { revision, state });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  delete(streamId: string): void {
    this.entries.delete(streamId);
  }

  clear(): void {
    this.entries.clear();
  }

  /**
   * Folds events that a writer has just appended onto the cached state, without reading them back:
   * only when they directly follow the cached revision `revision` (for a stream not in the cache,
   * -1: a new stream). Returns undefined and changes nothing otherwise, e.g. when a concurrent load
   * has already folded them or the entry was dropped; then `load` is the way.
   */
  advance<E extends DomainEvent>(
    decider: StateEvolver<E, S>,
    streamId: string,
    revision: number,
    events: readonly RecordedEvent[],
    options: { readonly upcast?: Upcaster } = {},
  ): LoadedState<S> | undefined {
    if (events.length === 0) return undefined;
    for (let i = 0; i < events.length; i++) {
      if (events[i].streamId !== streamId || events[i].streamRevision !== revision + 1 + i) return undefined;
    }
    const entry = this.entries.get(streamId);
    if (entry ? entry.revision !== revision : revision >= 0) return undefined;
    // No await from here to set: a load in flight notices the new entry and starts over.
    const state = foldEvents(
      decider,
      entry ? entry.state : this.initialStateOf(decider, streamId, options.upcast),
      events,
      options.upcast,
    );
    const next = revision + events.length;
    this.set(streamId, next, state);
    return { revision: next, state, newEvents: events };
  }

  /**
   * The current state of a stream: the cached one plus whatever was appended since, read and
   * folded a page at a time, so that folding a long stream never holds all its events at once
   * (the peak memory of a district's first load was its whole history). `newEvents` holds what
   * the last page read (every event read, when they fit in one page).
   */
  async load<E extends DomainEvent>(
    store: Pick<EventStore, 'readStream'>,
    decider: StateEvolver<E, S>,
    streamId: string,
    options: { readonly upcast?: Upcaster } = {},
  ): Promise<LoadedState<S>> {
    restart: for (;;) {
      let entry = this.get(streamId);
      let state = entry ? entry.state : undefined;
      let revision = entry ? entry.revision : -1;
      let newEvents: readonly RecordedEvent[] = [];
      for (;;) {
        const page = await store.readStream(streamId, { fromRevision: revision + 1, maxCount: LOAD_PAGE });
        // Another load may have advanced the entry while we awaited; folding our events onto its
        // state would apply some twice. Start over from where it got to.
        if (this.entries.get(streamId) !== entry) continue restart;
        if (page.length === 0) break;
        state = foldEvents(
          decider,
          state ?? this.initialStateOf(decider, streamId, options.upcast),
          page,
          options.upcast,
        );
        revision = page[page.length - 1].streamRevision;
        // Cached after each page: a load that starts meanwhile goes on from here, never folds twice.
        this.set(streamId, revision, state);
        entry = this.entries.get(streamId);
        newEvents = page;
        if (page.length < LOAD_PAGE) break;
      }
      return { revision, state: state ?? decider.initialState(), newEvents };
    }
  }
}

/** Events read and folded at once by StateCache.load. */
export const LOAD_PAGE = 1000;
