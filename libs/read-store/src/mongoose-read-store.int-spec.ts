import { MongooseReadStore } from './mongoose-read-store';
import { describeOnRealMongo } from './testing/real-mongo';
import { describeReadStoreContract } from './testing/read-store.contract';

/** The same contract as the in-memory store, through mongoose against FerretDB (or MONGODB_URL). */
describeOnRealMongo(__filename, 'mongoose read store on a real server', (mongo) => {
  describeReadStoreContract('mongoose', () => mongo().connect());

  it('fails with the URL named when the server is unreachable', async () => {
    await expect(
      MongooseReadStore.connect('mongodb://127.0.0.1:9/', { serverSelectionTimeoutMs: 500 }),
    ).rejects.toThrow(/cannot reach MongoDB at mongodb:\/\/127\.0\.0\.1:9/);
  });
});
