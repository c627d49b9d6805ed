import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryReadStore } from './memory-read-store';
import type { Filter, FindOptions, ReadDocument, ReadStore } from './read-store';
import { SqliteReadStore } from './sqlite-read-store';
import { describeReadStoreContract } from './testing/read-store.contract';

const dirs: string[] = [];
const tempFile = (name: string): string => {
  const dir = mkdtempSync(join(tmpdir(), 'registry-read-store-'));
  dirs.push(dir);
  return join(dir, name);
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describeReadStoreContract('SQLite in memory, nothing indexed (mingo on every row)', async () =>
  SqliteReadStore.open({ file: ':memory:' }),
);

// The contract's fields district, name and households are scalars: declared, their filters and
// sorts run in SQL over the expression indexes.
describeReadStoreContract('SQLite file, indexed fields', async () =>
  SqliteReadStore.open({
    file: tempFile('contract.read.sqlite'),
    defaultIndexes: [['district', 'households'], ['name']],
  }),
);

interface Row extends ReadDocument {
  district?: string | null;
  areaId?: string;
  households?: number | boolean | string | null;
  removed?: boolean | number;
  status?: string | null;
  tags?: string[];
  posts?: { personId: string }[];
}

/** Every JSON type in the indexed fields, missing ones included. */
function rows(): Array<Omit<Row, '_id'> & { id: string }> {
  const out: Array<Omit<Row, '_id'> & { id: string }> = [];
  const households = [0, 1, 5, 12.5, true, false, null, '5', 'x', undefined];
  const removed = [false, true, 0, 1, undefined];
  const statuses = ['active', 'dissolved', null, undefined, 'merged'];
  for (let n = 0; n < 60; n++)
    out.push({
      id: `d${n % 3}/a${String((n * 7) % 60).padStart(2, '0')}`,
      district: n % 11 === 0 ? null : `d${n % 3}`,
      areaId: `a${String((n * 7) % 60).padStart(2, '0')}`,
      households: households[n % households.length],
      removed: removed[n % removed.length],
      status: statuses[n % statuses.length],
      tags: n % 4 === 0 ? ['x', 'y'] : ['z'],
      posts: [{ personId: `p${n % 5}` }],
    });
  return out;
}

describe('SQLite read store: the same answers as the in-memory store', () => {
  let sqlite: SqliteReadStore;
  let memory: MemoryReadStore;

  beforeAll(async () => {
    sqlite = SqliteReadStore.open({
      file: ':memory:',
      indexes: { areas: [['district', 'areaId'], ['households'], ['removed', 'status']] },
    });
    memory = new MemoryReadStore();
    for (const store of [sqlite, memory] as ReadStore[]) {
      const c = store.collection<Row>('areas');
      for (const { id, ...doc } of rows()) await c.upsertGuarded(id, doc, { streamId: 's', revision: 1 });
    }
  });
  afterAll(async () => {
    await sqlite.close();
  });

  const filters: Filter[] = [
    {},
    { district: 'd1' },
    { district: null },
    { district: { $ne: 'd1' } },
    { district: { $ne: null } },
    { district: { $in: ['d0', 'd2'] } },
    { district: { $in: ['d0', null] } },
    { district: { $nin: ['d0', null] } },
    { district: { $nin: ['d0'] } },
    { district: { $exists: false } },
    { households: 5 },
    { households: 1 },
    { households: true },
    { households: false },
    { households: 0 },
    { households: '5' },
    { households: { $gt: 1 } },
    { households: { $lte: 5 } },
    { households: { $gt: 'a' } },
    { households: { $lt: 'y' } },
    { households: { $ne: 5 } },
    { households: { $exists: true } },
    { removed: false },
    { removed: 0 },
    { removed: { $ne: false } },
    { district: 'd0', removed: false, status: 'active' },
    { _id: 'd1/a07' },
    { _id: { $in: ['d1/a07', 'd2/a14', 'nope'] } },
    { _id: { $gte: 'd1/', $lt: 'd1/~' } },
    { _id: { $gt: 5 } },
    { _id: { $ne: 'd1/a07' }, district: 'd1' },
    { _id: { $exists: true }, areaId: { $gt: 'a50' } },
    { district: 'd1', tags: 'x' },
    { district: 'd2', 'posts.personId': 'p3' },
    { $or: [{ district: 'd1' }, { households: 5 }] },
  ];
  const options: FindOptions[] = [
    {},
    { sort: { areaId: 1 } },
    { sort: { _id: -1 }, limit: 4 },
    { sort: { district: 1, areaId: -1 }, skip: 2, limit: 5 },
    { sort: { households: 1, areaId: 1 } },
    { sort: { tags: 1, _id: 1 }, limit: 3 },
  ];

  it.each(filters.map((f) => [JSON.stringify(f), f]))('find %s, every sort and page', async (_, filter) => {
    for (const o of options) {
      const expected = await memory.collection<Row>('areas').find(filter, o);
      const actual = await sqlite.collection<Row>('areas').find(filter, o);
      // Mixed types sort differently (SQLite ranks a boolean as 0 or 1): compare the set there.
      if (o.sort && 'households' in o.sort) {
        expect(new Set(actual)).toEqual(new Set(expected));
        continue;
      }
      expect({ options: o, ids: actual.map((d) => d._id) }).toEqual({
        options: o,
        ids: expected.map((d) => d._id),
      });
      expect(actual).toEqual(expected);
    }
    expect(await sqlite.collection('areas').countDocuments(filter)).toBe(
      await memory.collection('areas').countDocuments(filter),
    );
  });

  it('pages a district by its sort key from the index: no scan, no sort of the collection', () => {
    const plan = sqlite.connection
      .prepare(
        `EXPLAIN QUERY PLAN SELECT doc FROM "rm:areas" WHERE json_extract(doc, '$.district') = ? AND (json_extract(doc, '$.areaId') > ? AND json_type(doc, '$.areaId') = 'text') ORDER BY json_extract(doc, '$.areaId') ASC, rowid LIMIT 10`,
      )
      .all('d1', 'a10')
      .map((r) => String(r.detail))
      .join('\n');
    expect(plan).toMatch(/SEARCH .*USING INDEX rm:areas:district,areaId/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
  });
});

describe('SQLite read store: on disk', () => {
  it('keeps documents, their guards and the checkpoints across a restart', async () => {
    const file = tempFile('restart.read.sqlite');
    const first = SqliteReadStore.open({ file, indexes: { areas: [['district']] } });
    await first
      .collection('areas')
      .upsertGuarded('a1', { district: 'd', n: 1 }, { streamId: 's', revision: 4 });
    await first.checkpoints.save('projection:x', 17);
    await first.close();

    const second = SqliteReadStore.open({ file, indexes: { areas: [['district']] } });
    try {
      expect(await second.checkpoints.load('projection:x')).toBe(17);
      const areas = second.collection('areas');
      expect(await areas.find({ district: 'd' })).toEqual([{ _id: 'a1', district: 'd', n: 1 }]);
      expect(await areas.upsertGuarded('a1', { district: 'd', n: 2 }, { streamId: 's', revision: 4 })).toBe(
        'stale',
      );
    } finally {
      await second.close();
    }
  });

  it('commits a group of writes on the next turn of the event loop, documents with their checkpoint', async () => {
    const file = tempFile('group.read.sqlite');
    const store = SqliteReadStore.open({ file });
    const other = SqliteReadStore.open({ file });
    try {
      await store.collection('areas').upsertGuarded('a1', { n: 1 }, { streamId: 's', revision: 0 });
      await store.checkpoints.save('projection:x', 1);
      // Not yet visible to another connection: one transaction, not one per write.
      expect(await other.checkpoints.load('projection:x')).toBeUndefined();
      await new Promise((resolve) => setImmediate(resolve));
      expect(await other.checkpoints.load('projection:x')).toBe(1);
      expect(await other.collection('areas').countDocuments()).toBe(1);
    } finally {
      await store.close();
      await other.close();
    }
  });

  it('empties a file of another layout, so that the projections rebuild it from the log', async () => {
    const file = tempFile('older.read.sqlite');
    const older = SqliteReadStore.open({ file });
    await older.collection('areas').upsertGuarded('a1', { n: 1 }, { streamId: 's', revision: 0 });
    await older.checkpoints.save('projection:x', 9);
    older.connection.exec('PRAGMA user_version = 0');
    await older.close();

    const reopened = SqliteReadStore.open({ file });
    try {
      expect(await reopened.checkpoints.load('projection:x')).toBeUndefined();
      expect(await reopened.collection('areas').countDocuments()).toBe(0);
    } finally {
      await reopened.close();
    }
  });

  it('refuses an object or an array in an indexed field, naming it', async () => {
    const store = SqliteReadStore.open({ file: ':memory:', indexes: { areas: [['district']] } });
    try {
      await expect(
        store.collection('areas').upsertGuarded('a1', { district: ['x'] }, { streamId: 's', revision: 0 }),
      ).rejects.toThrow('areas.district is indexed');
      expect(await store.collection('areas').countDocuments()).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('refuses a collection name that is not a plain word', () => {
    const store = SqliteReadStore.open({ file: ':memory:' });
    expect(() => store.collection('a"; DROP TABLE checkpoints; --')).toThrow(RangeError);
    return store.close();
  });
});
