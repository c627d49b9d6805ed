import type { Decider, DomainEvent } from './decider';
import { handleCommand, type CommandRequest } from './command-handler';
import type { RecordedEvent } from './envelope';
import type { EventStore } from './event-store';
import { SqliteEventStore } from './sqlite-event-store';
import { LOAD_PAGE, StateCache } from './state-cache';

// A counter whose evolve mutates the state it is given, as the district state does.
type Command = { type: 'Add'; data: { n: number; times?: number } };
type Event = DomainEvent<'Added', { n: number }>;
type State = { total: number; seen: number[] };

const decider: Decider<Command, Event, State> = {
  initialState: () => ({ total: 0, seen: [] }),
  evolve: (state, event) => {
    state.total += event.data.n;
    state.seen.push(event.data.n);
    return state;
  },
  decide: (command) =>
    Array.from({ length: command.data.times ?? 1 }, () => ({
      type: 'Added' as const,
      data: { n: command.data.n },
      ruleIds: ['T-1'],
    })),
};

const add = (n: number, extra: Partial<CommandRequest<Command>> = {}): CommandRequest<Command> => ({
  command: { type: 'Add', data: { n, ...(extra.command?.data ?? {}) } },
  context: {
    effectiveAt: '2013-09-01',
    actor: { subject: 'clerk-1', roles: ['district-clerk'], districtScope: '城关区' },
  },
  legalBasis: '兰民发〔2013〕12号',
  correlationId: 'corr-1',
  ...extra,
});

/** The store without the recorded events in its append results, as an adapter that has none. */
function withoutRecordedEvents(store: EventStore): EventStore {
  return {
    readStream: (id, o) => store.readStream(id, o),
    readAll: (o) => store.readAll(o),
    subscribeToAll: (o) => store.subscribeToAll(o),
    close: () => store.close(),
    appendToStream: async (id, events, o) => {
      const { nextExpectedRevision, lastGlobalPosition } = await store.appendToStream(id, events, o);
      return { nextExpectedRevision, lastGlobalPosition };
    },
  };
}

describe('handleCommand with the events the store returns from an append', () => {
  let store: SqliteEventStore;
  beforeEach(async () => {
    store = await SqliteEventStore.open({ file: ':memory:' });
  });
  afterEach(async () => {
    await store.close();
  });

  it('does not read the stream back after the append when the cache is at the revision it decided on', async () => {
    const cache = new StateCache<State>();
    await handleCommand(store, decider, 's', add(1), { stateCache: cache });
    const reads = jest.spyOn(store, 'readStream');
    const result = await handleCommand(
      store,
      decider,
      's',
      add(2, { command: { type: 'Add', data: { n: 2, times: 2 } } }),
      {
        stateCache: cache,
      },
    );
    expect(reads.mock.calls).toEqual([['s', { fromRevision: 1, maxCount: LOAD_PAGE }]]);
    expect(result.nextExpectedRevision).toBe(2);
    expect(result.state).toEqual({ total: 5, seen: [1, 2, 2] });
    expect(result.events).toEqual(await store.readStream('s', { fromRevision: 1 }));
    expect(cache.get('s')).toMatchObject({ revision: 2, state: { total: 5 } });
  });

  it('starts a new stream in the cache without a read-back', async () => {
    const cache = new StateCache<State>();
    const reads = jest.spyOn(store, 'readStream');
    const result = await handleCommand(store, decider, 'new', add(7), { stateCache: cache });
    expect(reads).toHaveBeenCalledTimes(1); // the load before deciding
    expect(result).toMatchObject({ nextExpectedRevision: 0, state: { total: 7, seen: [7] } });
    expect(cache.get('new')).toMatchObject({ revision: 0, state: { total: 7 } });
  });

  it('folds its events once when a concurrent load already folded them into the cache', async () => {
    const cache = new StateCache<State>();
    await handleCommand(store, decider, 's', add(1), { stateCache: cache });
    const racing: EventStore = {
      ...withoutRecordedEvents(store),
      appendToStream: async (id, events, o) => {
        const result = await store.appendToStream(id, events, o);
        // A read of the same stream loads (and folds) the new events before the command goes on;
        // the result still carries the recorded events.
        await cache.load(store, decider, id);
        return result;
      },
    };
    const result = await handleCommand(racing, decider, 's', add(10), { stateCache: cache });
    expect(result.state).toEqual({ total: 11, seen: [1, 10] });
    expect(result.events.map((e) => e.streamRevision)).toEqual([1]);
    expect(cache.get('s')).toMatchObject({ revision: 1, state: { total: 11, seen: [1, 10] } });
  });

  it('falls back to reading back when the store returns no events', async () => {
    const plain = withoutRecordedEvents(store);
    const cache = new StateCache<State>();
    await handleCommand(plain, decider, 's', add(1), { stateCache: cache });
    const result = await handleCommand(plain, decider, 's', add(2), { stateCache: cache });
    expect(result.state).toEqual({ total: 3, seen: [1, 2] });
    expect(result.events).toEqual(await store.readStream('s', { fromRevision: 1 }));
    const uncached = await handleCommand(plain, decider, 's', add(3));
    expect(uncached.state).toEqual({ total: 6, seen: [1, 2, 3] });
    expect(uncached.events).toEqual(await store.readStream('s', { fromRevision: 2 }));
  });

  it('folds onto the state it loaded without a cache, reading the stream only once', async () => {
    await handleCommand(store, decider, 's', add(1));
    const reads = jest.spyOn(store, 'readStream');
    const result = await handleCommand(store, decider, 's', add(4));
    expect(reads).toHaveBeenCalledTimes(1);
    expect(result.state).toEqual({ total: 5, seen: [1, 4] });
    expect(result.events).toEqual(await store.readStream('s', { fromRevision: 1 }));
  });

  it('answers a retried request with the original events, without a read-back', async () => {
    const cache = new StateCache<State>();
    const first = await handleCommand(store, decider, 's', add(1, { idempotencyKey: 'k-1' }), {
      stateCache: cache,
    });
    await handleCommand(store, decider, 's', add(2), { stateCache: cache });
    const reads = jest.spyOn(store, 'readStream');
    const retried = await handleCommand(store, decider, 's', add(1, { idempotencyKey: 'k-1' }), {
      stateCache: cache,
    });
    expect(reads).toHaveBeenCalledTimes(1);
    expect(retried.events).toEqual(first.events);
    expect(retried.nextExpectedRevision).toBe(0);
    expect(retried.state).toEqual({ total: 3, seen: [1, 2] });
  });
});

describe('StateCache.advance', () => {
  const recorded = (streamId: string, revision: number, n: number): RecordedEvent => ({
    eventId: `e-${revision}`,
    type: 'Added',
    schemaVersion: 1,
    data: { n },
    metadata: {
      effectiveAt: '2013-09-01',
      actor: { subject: 'clerk-1', roles: [], districtScope: '城关区' },
      legalBasis: 'x',
      ruleIds: [],
      correlationId: 'c',
      causationId: null,
    },
    streamId,
    streamRevision: revision,
    globalPosition: revision + 1,
    recordedAt: '2013-09-01T00:00:00.000Z',
    previousHash: '',
    hash: '',
  });

  it('folds only events that directly follow the cached revision', () => {
    const cache = new StateCache<State>();
    expect(cache.advance(decider, 's', -1, [recorded('s', 0, 1)])).toMatchObject({ revision: 0 });
    // Not the cached revision, a gap, another stream, nothing: unchanged.
    expect(cache.advance(decider, 's', -1, [recorded('s', 0, 1)])).toBeUndefined();
    expect(cache.advance(decider, 's', 0, [recorded('s', 2, 5)])).toBeUndefined();
    expect(cache.advance(decider, 's', 0, [recorded('t', 1, 5)])).toBeUndefined();
    expect(cache.advance(decider, 's', 0, [])).toBeUndefined();
    expect(cache.get('s')).toMatchObject({ revision: 0, state: { total: 1 } });

    expect(cache.advance(decider, 's', 0, [recorded('s', 1, 2), recorded('s', 2, 3)])).toMatchObject({
      revision: 2,
      state: { total: 6, seen: [1, 2, 3] },
    });
    // A stream the cache has dropped (or never had) past revision -1 needs a load.
    expect(cache.advance(decider, 'u', 4, [recorded('u', 5, 1)])).toBeUndefined();
    expect(cache.get('u')).toBeUndefined();
  });
});
