import { requestHash, SqliteIdempotencyStore, type IdempotencyRecord } from './idempotency-store';
import { SqliteEventStore } from './sqlite-event-store';

describe('SqliteIdempotencyStore', () => {
  let events: SqliteEventStore;
  let store: SqliteIdempotencyStore;
  beforeEach(async () => {
    events = await SqliteEventStore.open({ file: ':memory:' });
    store = new SqliteIdempotencyStore(events.db);
  });
  afterEach(async () => {
    await events.close();
  });

  const record = (overrides: Partial<IdempotencyRecord> = {}): IdempotencyRecord => ({
    scope: 'clerk-1 POST /districts/:district/decisions',
    key: 'req-1',
    requestHash: 'a'.repeat(64),
    statusCode: 201,
    responseBody: { streamId: 'district-620102', revision: 3, events: [{ eventId: 'e-1' }] },
    recordedAt: '2013-09-01T08:00:00.000Z',
    ...overrides,
  });

  it('finds what was saved, in the same database as the events', async () => {
    await store.save(record());
    expect(await store.find('clerk-1 POST /districts/:district/decisions', 'req-1')).toEqual(record());
    expect(events.db.prepare('SELECT count(*) AS n FROM idempotency').get()).toEqual({ n: 1 });
  });

  it('scopes keys', async () => {
    await store.save(record());
    expect(await store.find('clerk-2 POST /districts/:district/decisions', 'req-1')).toBeUndefined();
    expect(await store.find('clerk-1 POST /districts/:district/decisions', 'req-2')).toBeUndefined();
  });

  it('keeps the first answer when the same key is saved twice', async () => {
    await store.save(record());
    await store.save(record({ statusCode: 500, responseBody: { error: 'late duplicate' } }));
    expect(await store.find(record().scope, 'req-1')).toMatchObject({ statusCode: 201 });
  });

  it('stores bodies without content as null', async () => {
    await store.save(record({ statusCode: 204, responseBody: undefined }));
    expect(await store.find(record().scope, 'req-1')).toMatchObject({ statusCode: 204, responseBody: null });
  });
});

describe('requestHash', () => {
  it('ignores key order and number spelling', async () => {
    const a = await requestHash({ district: '城关区', areas: [{ id: 1, households: 2000 }], at: 1.0 });
    const b = await requestHash({ at: 1, areas: [{ households: 2e3, id: 1 }], district: '城关区' });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  it('tells different requests apart', async () => {
    expect(await requestHash({ areas: [1, 2] })).not.toBe(await requestHash({ areas: [2, 1] }));
    expect(await requestHash({ a: '1' })).not.toBe(await requestHash({ a: 1 }));
  });
});
