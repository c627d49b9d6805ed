import { MongooseReadStore } from './mongoose-read-store';
import { announceSkip, realMongoEnabled, startRealMongo, type RealMongo } from './testing/real-mongo';
import { describeReadStoreContract } from './testing/read-store.contract';

/** The same contract as the in-memory store, through mongoose against FerretDB (or MONGODB_URL). */
const enabled = realMongoEnabled();
if (!enabled) announceSkip('libs/read-store/src/mongoose-read-store.int-spec.ts');
const describeReal = enabled ? describe : describe.skip;

describeReal('mongoose read store on a real server', () => {
  let mongo: RealMongo;
  beforeAll(async () => {
    mongo = await startRealMongo();
  }, 600_000);
  afterAll(async () => {
    await mongo?.stop();
  }, 120_000);

  describeReadStoreContract('mongoose', () => mongo.connect());

  it('fails with the URL named when the server is unreachable', async () => {
    await expect(
      MongooseReadStore.connect('mongodb://127.0.0.1:9/', { serverSelectionTimeoutMs: 500 }),
    ).rejects.toThrow(/cannot reach MongoDB at mongodb:\/\/127\.0\.0\.1:9/);
  });
});
