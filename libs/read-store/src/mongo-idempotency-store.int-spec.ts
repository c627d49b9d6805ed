import { randomUUID } from 'node:crypto';
import { MongooseReadStore } from './mongoose-read-store';
import { MongoIdempotencyStore } from './mongo-idempotency-store';

const url = process.env.MONGODB_URL;
if (!url)
  process.stdout.write('libs/read-store/src/mongo-idempotency-store.int-spec.ts skipped: no MONGODB_URL\n');

(url ? describe : describe.skip)('MongoIdempotencyStore on a real MongoDB-compatible server', () => {
  let readStore: MongooseReadStore;
  beforeAll(async () => {
    readStore = await MongooseReadStore.connect(url!, { dbName: `idem-${randomUUID().slice(0, 8)}` });
  });
  afterAll(async () => {
    await readStore.close();
  });

  it('finds what was saved, keeps the first record of a key, and scopes keys', async () => {
    const store = new MongoIdempotencyStore(readStore.connection);
    const record = {
      scope: 'official POST /x',
      key: 'k1',
      requestHash: 'h1',
      statusCode: 201,
      responseBody: { ok: 1 },
      recordedAt: '2026-11-26T00:00:00.000Z',
    };
    expect(await store.find(record.scope, record.key)).toBeUndefined();
    await store.save(record);
    await store.save({ ...record, requestHash: 'h2', responseBody: { ok: 2 } });
    expect(await store.find(record.scope, record.key)).toEqual(record);
    expect(await store.find('someone else POST /x', 'k1')).toBeUndefined();
  });
});
