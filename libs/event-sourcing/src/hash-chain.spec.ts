import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { GENESIS_HASH, UnreadableEventError, type RecordedEvent } from './envelope';
import { computeEventHash, verifyStore, verifyStream, type HashedEventFields } from './hash-chain';
import { testMetadata } from './testing/fixtures';

const base: HashedEventFields = {
  eventId: '3f1c9a52-8a7e-4a55-9b0e-0c6a3d2f9e11',
  type: 'CommitteeEstablished',
  schemaVersion: 1,
  streamId: 'district-620102',
  streamRevision: 0,
  recordedAt: '2013-09-01T08:00:00.000Z',
  data: { committeeId: 'c-1', name: '雁南社区居民委员会', households: 2100 },
  metadata: testMetadata({ correlationId: 'corr-1' }),
  previousHash: GENESIS_HASH,
};

/** Builds a valid chain in memory, as a store would. */
async function chain(streamId: string, count: number, firstPosition: number): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  let previousHash = GENESIS_HASH;
  for (let i = 0; i < count; i++) {
    const fields = { ...base, eventId: `${streamId}-${i}`, streamId, streamRevision: i, previousHash };
    const hash = await computeEventHash(fields);
    events.push({ ...fields, globalPosition: firstPosition + i * 2, hash });
    previousHash = hash;
  }
  return events;
}

const storeOf = (events: RecordedEvent[]) => ({
  readStream: async (streamId: string, o: { fromRevision?: number; maxCount?: number } = {}) =>
    events
      .filter((e) => e.streamId === streamId && e.streamRevision >= (o.fromRevision ?? 0))
      .slice(0, o.maxCount ?? Infinity),
  readAll: async (o: { after?: number; maxCount?: number } = {}) =>
    events.filter((e) => e.globalPosition > (o.after ?? 0)).slice(0, o.maxCount ?? Infinity),
});

describe('computeEventHash', () => {
  it('is SHA-256 over the RFC 8785 form of exactly the hashed fields', async () => {
    const expected = createHash('sha256')
      .update(await canonicalJson(base))
      .digest('hex');
    expect(await computeEventHash(base)).toBe(expected);
    // Global position and the stored hash are not part of it.
    expect(await computeEventHash({ ...base, globalPosition: 42, hash: 'x' } as RecordedEvent)).toBe(
      expected,
    );
  });

  it('does not depend on key order, but on every value', async () => {
    const reordered = { ...base, data: { households: 2100, name: '雁南社区居民委员会', committeeId: 'c-1' } };
    expect(await computeEventHash(reordered)).toBe(await computeEventHash(base));
    const hashes = await Promise.all([
      computeEventHash(base),
      computeEventHash({ ...base, streamRevision: 1 }),
      computeEventHash({ ...base, recordedAt: '2013-09-01T08:00:00.001Z' }),
      computeEventHash({ ...base, metadata: { ...base.metadata, legalBasis: 'other' } }),
      computeEventHash({ ...base, previousHash: 'f'.repeat(64) }),
      computeEventHash({ ...base, schemaVersion: 2 }),
    ]);
    expect(new Set(hashes).size).toBe(hashes.length);
  });
});

describe('verifyStream and verifyStore', () => {
  it('accept intact chains and count streams and events', async () => {
    const events = [...(await chain('a', 3, 1)), ...(await chain('b', 2, 2))].sort(
      (x, y) => x.globalPosition - y.globalPosition,
    );
    expect(await verifyStore(storeOf(events), { batchSize: 2 })).toEqual({
      ok: true,
      checkedEvents: 5,
      checkedStreams: 2,
    });
    expect(await verifyStream(storeOf(events), 'a', { batchSize: 2 })).toEqual({
      ok: true,
      checkedEvents: 3,
      checkedStreams: 1,
    });
    expect(await verifyStream(storeOf(events), 'missing')).toEqual({
      ok: true,
      checkedEvents: 0,
      checkedStreams: 0,
    });
  });

  it('name the first broken event with its reason', async () => {
    const events = await chain('a', 4, 10);
    events[1] = { ...events[1], data: { tampered: true } };
    const result = await verifyStore(storeOf(events));
    expect(result).toMatchObject({
      ok: false,
      checkedEvents: 2,
      firstBroken: {
        streamId: 'a',
        streamRevision: 1,
        eventId: 'a-1',
        globalPosition: 12,
        reason: 'hash-mismatch',
      },
    });

    const gap = (await chain('a', 4, 10)).filter((e) => e.streamRevision !== 2);
    expect((await verifyStream(storeOf(gap), 'a')).firstBroken).toMatchObject({
      streamRevision: 3,
      reason: 'revision-gap',
    });

    const wrongGenesis = await chain('a', 1, 10);
    wrongGenesis[0] = { ...wrongGenesis[0], previousHash: 'f'.repeat(64) };
    expect((await verifyStore(storeOf(wrongGenesis))).firstBroken).toMatchObject({
      reason: 'previous-hash-mismatch',
    });
  });

  it('a row whose JSON no longer parses is a broken chain, and an earlier break in the same batch is named first', async () => {
    const events = await chain('a', 4, 10);
    // What the SQLite adapter throws for a row whose data is not JSON (the third event).
    const unreadableFrom = (list: RecordedEvent[], bad: RecordedEvent) => ({
      readStream: async (streamId: string, o: { fromRevision?: number; maxCount?: number } = {}) =>
        failAt(storeOf(list).readStream(streamId, o), bad, o.maxCount),
      readAll: async (o: { after?: number; maxCount?: number } = {}) =>
        failAt(storeOf(list).readAll(o), bad, o.maxCount),
    });
    async function failAt(read: Promise<RecordedEvent[]>, bad: RecordedEvent, maxCount = Infinity) {
      const rows = (await read).slice(0, maxCount);
      if (rows.some((e) => e.eventId === bad.eventId)) {
        const { data, metadata, ...columns } = bad;
        void [data, metadata];
        throw new UnreadableEventError(columns, 'data');
      }
      return rows;
    }

    const store = unreadableFrom(events, events[2]);
    const named = { eventId: 'a-2', streamRevision: 2, globalPosition: 14, reason: 'unreadable' };
    expect(await verifyStore(store)).toMatchObject({ ok: false, checkedEvents: 3, firstBroken: named });
    expect(await verifyStream(store, 'a')).toMatchObject({ ok: false, checkedEvents: 3, firstBroken: named });

    const earlier = [...events];
    earlier[1] = { ...earlier[1], data: { tampered: true } };
    expect((await verifyStore(unreadableFrom(earlier, earlier[2]))).firstBroken).toMatchObject({
      eventId: 'a-1',
      reason: 'hash-mismatch',
    });
  });

  it('content that cannot be canonicalised (a lone surrogate) is a hash mismatch, not a crash', async () => {
    const events = await chain('a', 2, 10);
    events[1] = { ...events[1], data: { name: '\ud800' } };
    expect((await verifyStore(storeOf(events))).firstBroken).toMatchObject({
      eventId: 'a-1',
      reason: 'hash-mismatch',
    });
  });
});
