import { GENESIS_HASH, type RecordedEvent } from './envelope';
import { storedEventsOf, UpcasterChain, upcastingEventStore } from './upcasting';
import { verifyStore } from './hash-chain';
import { testEvent } from './testing/fixtures';
import { SqliteEventStore } from './sqlite-event-store';
import { StateCache } from './state-cache';
import type { Decider } from './decider';

/** A stored version-1 event read at version 3 through two steps; the stored row is untouched. */
const stored = (schemaVersion: number, data: unknown): RecordedEvent => ({
  eventId: '11111111-1111-4111-8111-111111111111',
  type: 'OccupancyReported',
  schemaVersion,
  data,
  metadata: {
    effectiveAt: '2013-03-01',
    actor: { subject: 'official', roles: ['officer'], districtScope: '城关区' },
    legalBasis: 'test',
    ruleIds: ['EST-2'],
    correlationId: 'c',
    causationId: null,
  },
  streamId: 'district-chengguan',
  streamRevision: 0,
  globalPosition: 1,
  recordedAt: '2026-01-01T00:00:00.000Z',
  previousHash: GENESIS_HASH,
  hash: 'x',
});

// A hypothetical history of one type: v1 carried the rate as a percentage, v2 as a fraction, v3
// adds the household count. No such versions are stored today; the chain is what reads them.
const chain = new UpcasterChain([
  {
    type: 'OccupancyReported',
    fromVersion: 1,
    upcast: (d) => {
      const { ratePercent, ...rest } = d as { ratePercent: number };
      return { ...rest, occupancyRate: ratePercent / 100 };
    },
  },
  { type: 'OccupancyReported', fromVersion: 2, upcast: (d) => ({ ...(d as object), households: null }) },
]);

describe('UpcasterChain', () => {
  it('reads an old version at the current one, step by step', () => {
    const read = chain.upcast(stored(1, { areaId: 'a', ratePercent: 55 }));
    expect(read.schemaVersion).toBe(3);
    expect(read.data).toEqual({ areaId: 'a', occupancyRate: 0.55, households: null });
  });

  it('leaves a current event and other types alone', () => {
    const current = stored(3, { areaId: 'a', occupancyRate: 0.5, households: 10 });
    expect(chain.upcast(current)).toBe(current);
    const other = { ...current, type: 'AreaRegistered', schemaVersion: 1 };
    expect(chain.upcast(other)).toBe(other);
  });

  it('refuses a gap in the chain and a second step for one version', () => {
    const gappy = new UpcasterChain([{ type: 'T', fromVersion: 2, upcast: (d) => d }]);
    expect(() => gappy.upcast({ ...stored(1, {}), type: 'T' })).toThrow('no upcaster reads T version 1');
    expect(() => gappy.register({ type: 'T', fromVersion: 2, upcast: (d) => d })).toThrow('two upcasters');
  });

  it('feeds evolve the current shape when a stream is loaded, without rewriting the store', async () => {
    const store = await SqliteEventStore.open({ file: ':memory:' });
    await store.appendToStream(
      'district-chengguan',
      [
        {
          eventId: stored(1, {}).eventId,
          type: 'OccupancyReported',
          schemaVersion: 1,
          data: { areaId: 'a', ratePercent: 40 },
          metadata: stored(1, {}).metadata,
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    const rates: unknown[] = [];
    const decider: Decider<never, { type: string; data: unknown; ruleIds: readonly string[] }, null> = {
      initialState: () => null,
      evolve: (s, e) => {
        rates.push(e.data);
        return s;
      },
      decide: () => [],
    };
    await new StateCache<null>().load(store, decider, 'district-chengguan', { upcast: chain.upcast });
    expect(rates).toEqual([{ areaId: 'a', occupancyRate: 0.4, households: null }]);
    const [raw] = await store.readStream('district-chengguan');
    expect(raw.schemaVersion).toBe(1);
    expect(raw.data).toEqual({ areaId: 'a', ratePercent: 40 });
    await store.close();
  });
});

describe('upcastingEventStore', () => {
  const v1 = () => testEvent('OccupancyReported', { areaId: 'a', ratePercent: 40 });
  const current = { areaId: 'a', occupancyRate: 0.4, households: null };

  it('reads stored old versions at the current one through readStream, readAll and subscribeToAll', async () => {
    const raw = await SqliteEventStore.open({ file: ':memory:' });
    await raw.appendToStream('district-chengguan', [v1()], { expectedRevision: 'no_stream' });
    const store = upcastingEventStore(raw, chain);

    const [byStream] = await store.readStream('district-chengguan');
    const [byLog] = await store.readAll();
    expect([byStream.schemaVersion, byStream.data]).toEqual([3, current]);
    expect([byLog.schemaVersion, byLog.data]).toEqual([3, current]);
    const delivered: RecordedEvent[] = [];
    const subscription = store.subscribeToAll({
      subscriptionId: 'upcast-test',
      handler: async (event) => {
        delivered.push(event);
      },
    });
    await subscription.caughtUp;
    await subscription.stop();
    expect(delivered.map((e) => [e.schemaVersion, e.data])).toEqual([[3, current]]);

    // What was stored stays as it was, and its hash chain checks out against those bytes.
    const [stored] = await storedEventsOf(store).readStream('district-chengguan');
    expect([stored.schemaVersion, stored.data]).toEqual([1, { areaId: 'a', ratePercent: 40 }]);
    expect((await verifyStore(storedEventsOf(store))).ok).toBe(true);
    await store.close();
  });

  it('writes the current version of each type, and stays the adapter it wraps', async () => {
    const raw = await SqliteEventStore.open({ file: ':memory:' });
    const store = upcastingEventStore(raw, chain);
    const appended = testEvent('OccupancyReported', current);
    await store.appendToStream('district-chengguan', [appended, testEvent('AreaRegistered')], {
      expectedRevision: 'no_stream',
    });
    const stored = await raw.readStream('district-chengguan');
    expect(stored.map((e) => [e.type, e.schemaVersion])).toEqual([
      ['OccupancyReported', 3],
      ['AreaRegistered', 1],
    ]);
    expect(store).toBeInstanceOf(SqliteEventStore);
    expect(storedEventsOf(raw)).toBe(raw);
    await store.close();
  });
});
