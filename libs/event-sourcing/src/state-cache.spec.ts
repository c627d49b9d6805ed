import type { DomainEvent, FactHistory } from './decider';
import { SqliteEventStore } from './sqlite-event-store';
import { LOAD_PAGE, StateCache, factHistoryOf } from './state-cache';
import { testEvent } from './testing/fixtures';

/*
 * A state that mutates as the services' bitemporal states do: folding an event twice would show
 * in the sum. It records the history it was given, as a bitemporal state keeps it.
 */
type Counted = DomainEvent<'Counted', { n: number }>;
interface Sum {
  total: number;
  events: number;
  history: FactHistory<Counted> | undefined;
}
const summing = {
  initialState: (history?: FactHistory<Counted>): Sum => ({ total: 0, events: 0, history }),
  evolve: (state: Sum, event: Counted): Sum => {
    state.total += event.data.n;
    state.events++;
    return state;
  },
};

describe('StateCache.load: a long stream folded a page at a time', () => {
  let store: SqliteEventStore;
  beforeEach(async () => {
    store = await SqliteEventStore.open({ file: ':memory:' });
  });
  afterEach(async () => {
    await store.close();
  });

  async function append(count: number, from = 0): Promise<void> {
    const events = Array.from({ length: count }, (_, i) => testEvent('Counted', { n: from + i + 1 }));
    await store.appendToStream('s', events, { expectedRevision: from === 0 ? 'no_stream' : from - 1 });
  }
  const sumTo = (n: number) => (n * (n + 1)) / 2;

  it('reads pages of LOAD_PAGE events, never the whole stream at once, and folds each once', async () => {
    const n = LOAD_PAGE * 2 + 17;
    await append(n);
    const reads = jest.spyOn(store, 'readStream');
    const loaded = await new StateCache<Sum>().load(store, summing, 's');
    expect(loaded.state).toMatchObject({ total: sumTo(n), events: n });
    expect(loaded.revision).toBe(n - 1);
    expect(reads.mock.calls.map(([, o]) => o)).toEqual([
      { fromRevision: 0, maxCount: LOAD_PAGE },
      { fromRevision: LOAD_PAGE, maxCount: LOAD_PAGE },
      { fromRevision: LOAD_PAGE * 2, maxCount: LOAD_PAGE },
    ]);
    // What the last page read, not the whole history.
    expect(loaded.newEvents).toHaveLength(17);
  });

  it('two loads at once, one started while the other is between pages, fold every event once', async () => {
    const n = LOAD_PAGE * 3;
    await append(n);
    const cache = new StateCache<Sum>();
    const [a, b] = await Promise.all([cache.load(store, summing, 's'), cache.load(store, summing, 's')]);
    expect(a.state).toBe(b.state);
    expect(a.state).toMatchObject({ total: sumTo(n), events: n });
    await append(5, n);
    const c = await cache.load(store, summing, 's');
    expect(c.state).toMatchObject({ total: sumTo(n + 5), events: n + 5 });
    expect(c.newEvents).toHaveLength(5);
  });

  it('gives a new state its history when the store reads at once (the embedded store)', async () => {
    await append(3);
    const loaded = await new StateCache<Sum>({ historyFrom: store }).load(store, summing, 's');
    const history = loaded.state.history!;
    expect(history.read(1, 5).map((r) => [r.event.data.n, r.ctx.streamRevision])).toEqual([
      [2, 1],
      [3, 2],
    ]);
    const [second] = await store.readStream('s', { fromRevision: 1, maxCount: 1 });
    expect(history.revisionOf(second.eventId)).toBe(1);
    expect(history.revisionOf('not-an-event')).toBeUndefined();
    // Without historyFrom, or over a store that reads over the network, states keep whole facts.
    expect((await new StateCache<Sum>().load(store, summing, 's')).state.history).toBeUndefined();
    expect(factHistoryOf({}, 's')).toBeUndefined();
  });
});
