import { randomUUID } from 'node:crypto';
import type { ReadDocument, ReadStore } from '../read-store';

interface Area extends ReadDocument {
  district: string;
  name: string;
  households: number;
  entityIds: string[];
  obligation: { dueOn: string; closedOn: string | null } | null;
  bodies: { kind: string; communityId: string }[];
  revision: number;
}

const area = (n: number, overrides: Partial<Omit<Area, '_id'>> = {}): Omit<Area, '_id'> => ({
  district: n % 2 === 0 ? 'chengguan' : 'qilihe',
  name: `area ${n}`,
  households: 100 * n,
  entityIds: [`area:a${n}`, `community:c${n % 3}`],
  obligation: n % 3 === 0 ? { dueOn: `2013-0${1 + (n % 9)}-01`, closedOn: null } : null,
  bodies: [{ kind: 'own-committee', communityId: `c${n % 3}` }],
  revision: n,
  ...overrides,
});

/**
 * The ReadStore contract (GUIDE §1: one suite, every adapter). Every test writes to collections
 * of its own, so the suite also runs against a shared server.
 *
 * `factory` is called before each test; `cleanup` (default: close) after it.
 */
export function describeReadStoreContract(
  name: string,
  factory: () => Promise<ReadStore>,
  cleanup: (store: ReadStore) => Promise<void> = (store) => store.close(),
): void {
  describe(`ReadStore contract: ${name}`, () => {
    let store: ReadStore;
    let collectionName: string;
    const stream = 'district-chengguan';

    beforeEach(async () => {
      store = await factory();
      collectionName = `contract_${randomUUID().replace(/-/g, '')}`;
    });
    afterEach(async () => {
      await store.collection(collectionName).deleteMany({});
      await cleanup(store);
    });

    const seed = async (count: number) => {
      const c = store.collection<Area>(collectionName);
      for (let n = 1; n <= count; n++)
        await c.upsertGuarded(`a${n}`, area(n), { streamId: stream, revision: n });
      return c;
    };

    describe('guarded upsert', () => {
      it('inserts a new document and reads it back without the guard bookkeeping', async () => {
        const c = store.collection<Area>(collectionName);
        expect(await c.upsertGuarded('a1', area(1), { streamId: stream, revision: 3 })).toBe('inserted');
        expect(await c.findOne({ _id: 'a1' })).toEqual({ _id: 'a1', ...area(1) });
      });

      it('writes a later revision of the same stream', async () => {
        const c = store.collection<Area>(collectionName);
        await c.upsertGuarded('a1', area(1), { streamId: stream, revision: 3 });
        const later = area(1, { name: 'renamed', households: 999 });
        expect(await c.upsertGuarded('a1', later, { streamId: stream, revision: 4 })).toBe('updated');
        expect(await c.findOne({ _id: 'a1' })).toEqual({ _id: 'a1', ...later });
      });

      it('ignores the same revision again and any earlier one: running twice changes nothing', async () => {
        const c = store.collection<Area>(collectionName);
        await c.upsertGuarded('a1', area(1), { streamId: stream, revision: 3 });
        const other = area(1, { name: 'replayed' });
        expect(await c.upsertGuarded('a1', other, { streamId: stream, revision: 3 })).toBe('stale');
        expect(await c.upsertGuarded('a1', other, { streamId: stream, revision: 2 })).toBe('stale');
        expect(await c.upsertGuarded('a1', other, { streamId: stream, revision: 0 })).toBe('stale');
        expect(await c.findOne({ _id: 'a1' })).toEqual({ _id: 'a1', ...area(1) });
        expect(await c.countDocuments()).toBe(1);
      });

      it('guards each stream separately, with any characters in the stream id', async () => {
        const c = store.collection<Area>(collectionName);
        await c.upsertGuarded('a1', area(1), { streamId: stream, revision: 10 });
        expect(
          await c.upsertGuarded('a1', { ...area(1), name: 'x' }, { streamId: 'a.b$c%d', revision: 1 }),
        ).toBe('updated');
        expect(
          await c.upsertGuarded('a1', { ...area(1), name: 'y' }, { streamId: 'a.b$c%d', revision: 1 }),
        ).toBe('stale');
        expect(
          await c.upsertGuarded('a1', { ...area(1), name: 'z' }, { streamId: stream, revision: 9 }),
        ).toBe('stale');
        expect((await c.findOne({ _id: 'a1' }))?.name).toBe('x');
      });

      it('keeps the highest revision when writes of one document race', async () => {
        const c = store.collection<Area>(collectionName);
        const revisions = [5, 2, 9, 0, 7, 3, 8, 1, 6, 4];
        const outcomes = await Promise.all(
          revisions.map((r) => c.upsertGuarded('race', area(r), { streamId: stream, revision: r })),
        );
        expect(outcomes.filter((o) => o === 'inserted')).toHaveLength(1);
        expect(await c.findOne({ _id: 'race' })).toEqual({ _id: 'race', ...area(9) });
        expect(await c.upsertGuarded('race', area(9), { streamId: stream, revision: 9 })).toBe('stale');
      });

      it('stores JSON: undefined fields are dropped, absent top-level fields are kept', async () => {
        const c = store.collection<ReadDocument & Record<string, unknown>>(collectionName);
        await c.upsertGuarded(
          'd',
          { a: 1, b: undefined, nested: { x: 1, y: undefined }, keep: 'k' },
          {
            streamId: stream,
            revision: 0,
          },
        );
        expect(await c.findOne({ _id: 'd' })).toEqual({ _id: 'd', a: 1, nested: { x: 1 }, keep: 'k' });
        await c.upsertGuarded('d', { a: 2, nested: { y: 2 } }, { streamId: stream, revision: 1 });
        expect(await c.findOne({ _id: 'd' })).toEqual({ _id: 'd', a: 2, nested: { y: 2 }, keep: 'k' });
      });

      it('refuses an invalid revision', async () => {
        const c = store.collection<Area>(collectionName);
        await expect(c.upsertGuarded('a1', area(1), { streamId: stream, revision: -1 })).rejects.toThrow(
          RangeError,
        );
      });
    });

    describe('queries with the MongoDB filter language', () => {
      it('finds by equality, nested fields, array elements, ranges, $in, $or, $ne and null', async () => {
        const c = await seed(9);
        const ids = async (filter: Record<string, unknown>) =>
          (await c.find(filter, { sort: { _id: 1 } })).map((d) => d._id);
        expect(await ids({ district: 'chengguan' })).toEqual(['a2', 'a4', 'a6', 'a8']);
        expect(await ids({ entityIds: 'community:c1' })).toEqual(['a1', 'a4', 'a7']);
        expect(await ids({ 'bodies.communityId': 'c2' })).toEqual(['a2', 'a5', 'a8']);
        expect(await ids({ households: { $gte: 300, $lt: 600 } })).toEqual(['a3', 'a4', 'a5']);
        expect(await ids({ _id: { $in: ['a1', 'a9', 'nope'] } })).toEqual(['a1', 'a9']);
        expect(await ids({ $or: [{ households: 100 }, { name: 'area 8' }] })).toEqual(['a1', 'a8']);
        expect(await ids({ district: { $ne: 'chengguan' }, households: { $gt: 500 } })).toEqual(['a7', 'a9']);
        expect(await ids({ obligation: null })).toEqual(['a1', 'a2', 'a4', 'a5', 'a7', 'a8']);
        expect(await ids({ 'obligation.closedOn': null, obligation: { $ne: null } })).toEqual([
          'a3',
          'a6',
          'a9',
        ]);
        expect(await ids({ 'obligation.dueOn': { $lt: '2013-06-01' } })).toEqual(['a3', 'a9']);
        expect(await ids({ name: { $exists: true }, missing: { $exists: false } })).toHaveLength(9);
      });

      it('sorts, skips and limits', async () => {
        const c = await seed(6);
        const desc = await c.find({}, { sort: { households: -1 }, limit: 3 });
        expect(desc.map((d) => d._id)).toEqual(['a6', 'a5', 'a4']);
        const page = await c.find({}, { sort: { district: 1, households: 1 }, skip: 1, limit: 2 });
        expect(page.map((d) => d._id)).toEqual(['a4', 'a6']);
      });

      it('findOne answers null when nothing matches; countDocuments counts', async () => {
        const c = await seed(4);
        expect(await c.findOne({ _id: 'zzz' })).toBeNull();
        expect(await c.countDocuments()).toBe(4);
        expect(await c.countDocuments({ district: 'qilihe' })).toBe(2);
        expect(await store.collection(`${collectionName}_empty`).find({})).toEqual([]);
      });
    });

    describe('deleteMany', () => {
      it('deletes what matches and answers how many, then everything', async () => {
        const c = await seed(5);
        expect(await c.deleteMany({ district: 'qilihe' })).toBe(3);
        expect((await c.find({}, { sort: { _id: 1 } })).map((d) => d._id)).toEqual(['a2', 'a4']);
        expect(await c.deleteMany()).toBe(2);
        expect(await c.countDocuments()).toBe(0);
      });

      it('lets a rebuild write earlier revisions again once the documents are gone', async () => {
        const c = await seed(2);
        await c.deleteMany({});
        expect(await c.upsertGuarded('a1', area(1), { streamId: stream, revision: 0 })).toBe('inserted');
      });
    });

    describe('checkpoints in the read store', () => {
      it('loads nothing, then what was saved, the latest save, and nothing after delete', async () => {
        const id = `contract-${randomUUID()}`;
        expect(await store.checkpoints.load(id)).toBeUndefined();
        await store.checkpoints.save(id, 41);
        expect(await store.checkpoints.load(id)).toBe(41);
        await store.checkpoints.save(id, 1042);
        expect(await store.checkpoints.load(id)).toBe(1042);
        await store.checkpoints.delete(id);
        expect(await store.checkpoints.load(id)).toBeUndefined();
      });
    });

    describe('readiness', () => {
      it('answers a ping with the kind of its adapter', async () => {
        const answer = await store.ping();
        expect(['memory', 'mongodb', 'sqlite']).toContain(answer.kind);
      });
    });
  });
}
