import { SqliteEventStore } from '#libs/event-sourcing';
import { MemoryReadStore, rebuildProjection, runProjection, type MongooseReadStore } from '#libs/read-store';
import {
  announceSkip,
  realMongoEnabled,
  startRealMongo,
  type RealMongo,
} from '../../../../../libs/read-store/src/testing/real-mongo';
import { EstablishmentProjection } from './establishment-projection';
import { appendStep, establishmentStory, snapshot } from './testing/story';

/**
 * The same projection code on MongoDB (FerretDB here) gives the documents it gives in memory: live,
 * twice, and rebuilt from 0.
 */
const enabled = realMongoEnabled();
if (!enabled)
  announceSkip(
    'apps/community-establishment/src/application/projections/establishment-projection.int-spec.ts',
  );
const describeReal = enabled ? describe : describe.skip;

describeReal('EstablishmentProjection on a real MongoDB-compatible server', () => {
  let mongo: RealMongo;
  let store: SqliteEventStore;
  let readStore: MongooseReadStore;

  beforeAll(async () => {
    mongo = await startRealMongo();
  }, 600_000);
  afterAll(async () => {
    await mongo?.stop();
  }, 120_000);
  beforeEach(async () => {
    store = await SqliteEventStore.open({ file: ':memory:' });
    readStore = await mongo.connect();
    await new EstablishmentProjection(store).collections.reduce(
      (p, name) =>
        p.then(() =>
          readStore
            .collection(name)
            .deleteMany({})
            .then(() => undefined),
        ),
      Promise.resolve(),
    );
    await readStore.checkpoints.delete('projection:community-establishment');
  });
  afterEach(async () => {
    await store.close();
  });

  it('live (with a restart and every event twice) equals in memory and equals a rebuild', async () => {
    const { steps } = establishmentStory();
    const half = Math.floor(steps.length / 2);
    for (const step of steps.slice(0, half)) await appendStep(store, step);
    const first = runProjection({ store, readStore, projection: new EstablishmentProjection(store) });
    await first.caughtUp;
    await first.stop();
    for (const step of steps.slice(half)) await appendStep(store, step);
    const second = runProjection({ store, readStore, projection: new EstablishmentProjection(store) });
    await second.caughtUp;
    await second.stop();
    const live = await snapshot(readStore);

    const twice = new EstablishmentProjection(store);
    for (const event of await store.readAll()) await twice.handle(event, readStore);
    expect(await snapshot(readStore)).toEqual(live);

    const memory = new MemoryReadStore();
    await rebuildProjection({ store, readStore: memory, projection: new EstablishmentProjection(store) });
    expect(live).toEqual(await snapshot(memory));

    const report = await rebuildProjection({
      store,
      readStore,
      projection: new EstablishmentProjection(store),
    });
    expect(await snapshot(readStore)).toEqual(live);
    expect(report.counts.decisions).toBe((await store.readAll()).length);
  }, 120_000);
});
