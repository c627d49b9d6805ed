import { Query } from 'mingo';
import { MemoryReadStore } from './memory-read-store';
import { describeReadStoreContract } from './testing/read-store.contract';

describeReadStoreContract('in memory (mingo)', async () => new MemoryReadStore());

describe('MemoryReadStore queries by value', () => {
  type Decision = { _id: string; revision: number; district: string; entityIds: string[]; position: string };

  it('examines only the documents holding the value a query asks for (an entity among thousands), in insertion order', async () => {
    const store = new MemoryReadStore();
    const decisions = store.collection<Decision>('decisions');
    const guard = { streamId: 'facilities-chengguan', revision: 0 };
    for (let n = 0; n < 3000; n++)
      await decisions.upsertGuarded(
        `d-${n}`,
        {
          revision: 0,
          district: 'chengguan',
          entityIds: [`community:c-${n % 300}`, `project:p-${n}`],
          position: String(3000 - n),
        },
        guard,
      );
    // A document that leaves the value, and one that comes to it, are found by it from then on.
    const moved = (entityId: string) =>
      ({ revision: 1, district: 'chengguan', entityIds: [entityId], position: '0' }) satisfies Omit<
        Decision,
        '_id'
      >;
    await decisions.upsertGuarded('d-7', moved('community:c-8'), { ...guard, revision: 1 });
    await decisions.upsertGuarded('d-8', moved('community:c-7'), { ...guard, revision: 1 });
    await decisions.deleteMany({ _id: 'd-307' });

    const test = jest.spyOn(Query.prototype, 'test');
    try {
      const found = await decisions.find({ district: 'chengguan', entityIds: 'community:c-7' });
      expect(found.map((d) => d._id)).toEqual([
        'd-8',
        ...Array.from({ length: 8 }, (_, k) => `d-${607 + 300 * k}`),
      ]);
      expect(test.mock.calls.length).toBeLessThanOrEqual(found.length);
      expect(await decisions.countDocuments({ entityIds: 'community:c-7' })).toBe(9);
      expect(await decisions.findOne({ entityIds: 'project:p-2999' })).toMatchObject({ _id: 'd-2999' });
      expect(await decisions.find({ entityIds: 'community:nowhere' })).toEqual([]);
      expect(test.mock.calls.length).toBeLessThan(30);
    } finally {
      test.mockRestore();
    }
  });
});
