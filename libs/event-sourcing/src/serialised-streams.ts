import type { Decider, DomainEvent } from './decider';
import type { RecordedEvent } from './envelope';
import type { EventStore } from './event-store';
import { handleCommand, type CommandRequest } from './command-handler';
import { StateCache } from './state-cache';

/** What a service answers for an accepted command: the events with their envelope essentials. */
export interface DecisionResult {
  streamId: string;
  revision: number;
  events: Array<{
    eventId: string;
    type: string;
    ruleIds: readonly string[];
    effectiveAt: string;
    recordedAt: string;
    streamRevision: number;
    globalPosition: number;
    hash: string;
  }>;
}

/**
 * The folded state of a service's streams, as its command side keeps it: a projection derives its
 * documents from it instead of folding every stream a second time.
 */
export interface StreamStates<S> {
  /**
   * Runs `fn` on the stream's state at some revision not below `atLeast` (the cached state when it
   * has got that far, else read to the store's end). `fn` must not keep the state: it changes with
   * the stream's next decision.
   */
  readState<T>(streamId: string, atLeast: number, fn: (state: S, revision: number) => T): Promise<T>;
}

/**
 * A service's streams behind one decider, with a state cache. evolve may mutate the cached state
 * it owns, so every use of a stream's state, deciding or reading, is serialised per stream.
 */
export class SerialisedStreams<C, E extends DomainEvent, S> implements StreamStates<S> {
  private readonly cache: StateCache<S>;
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: EventStore,
    private readonly decider: Decider<C, E, S>,
    options: { readonly cacheSize?: number } = {},
  ) {
    this.cache = new StateCache<S>({ maxEntries: options.cacheSize ?? 64, historyFrom: store });
  }

  decide(streamId: string, request: CommandRequest<C>): Promise<DecisionResult> {
    return this.serialise(streamId, async () => {
      const result = await handleCommand(this.store, this.decider, streamId, request, {
        stateCache: this.cache,
      });
      return {
        streamId,
        revision: result.nextExpectedRevision,
        events: result.events.map((e: RecordedEvent) => ({
          eventId: e.eventId,
          type: e.type,
          ruleIds: e.metadata.ruleIds,
          effectiveAt: e.metadata.effectiveAt,
          recordedAt: e.recordedAt,
          streamRevision: e.streamRevision,
          globalPosition: e.globalPosition,
          hash: e.hash,
        })),
      };
    });
  }

  /** Runs a read against the stream's current state (its decisions so far). */
  read<T>(streamId: string, fn: (state: S, revision: number) => T): Promise<T> {
    return this.serialise(streamId, async () => {
      const { state, revision } = await this.cache.load(this.store, this.decider, streamId);
      return fn(state, revision);
    });
  }

  readState<T>(streamId: string, atLeast: number, fn: (state: S, revision: number) => T): Promise<T> {
    return this.serialise(streamId, async () => {
      const cached = this.cache.get(streamId);
      if (cached && cached.revision >= atLeast) return fn(cached.state, cached.revision);
      const { state, revision } = await this.cache.load(this.store, this.decider, streamId);
      return fn(state, revision);
    });
  }

  /** Raw recorded events of a stream, for auditors who check the envelope themselves. */
  events(streamId: string, fromRevision = 0, maxCount = 500): Promise<RecordedEvent<E['type']>[]> {
    return this.store.readStream(streamId, { fromRevision, maxCount }) as Promise<RecordedEvent<E['type']>[]>;
  }

  private serialise<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return run;
  }
}

/**
 * The states of a decider's streams folded over a store, for a projection that runs without the
 * service (the rebuild script, the specs): one state per stream, as the service's own would be.
 */
export function streamStatesOver<E extends DomainEvent, S>(
  store: EventStore,
  evolver: Pick<Decider<never, E, S>, 'initialState' | 'evolve'>,
  options: { readonly cacheSize?: number } = {},
): StreamStates<S> {
  const decider: Decider<never, E, S> = { ...evolver, decide: () => [] };
  return new SerialisedStreams<never, E, S>(store, decider, options);
}
