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
 * A service's streams behind one decider, with a state cache. evolve may mutate the cached state
 * it owns, so every use of a stream's state, deciding or reading, is serialised per stream.
 */
export class SerialisedStreams<C, E extends DomainEvent, S> {
  private readonly cache: StateCache<S>;
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: EventStore,
    private readonly decider: Decider<C, E, S>,
    options: { readonly cacheSize?: number } = {},
  ) {
    this.cache = new StateCache<S>({ maxEntries: options.cacheSize ?? 64 });
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
