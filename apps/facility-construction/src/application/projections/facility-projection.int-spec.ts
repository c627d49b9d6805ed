import 'reflect-metadata';
import { SqliteEventStore } from '#libs/event-sourcing';
import { MemoryReadStore, rebuildProjection, runProjection, type MongooseReadStore } from '#libs/read-store';
import {
  announceSkip,
  realMongoEnabled,
  startRealMongo,
  type RealMongo,
} from '../../../../../libs/read-store/src/testing/real-mongo';
import { facilityStory } from '../../domain/testing/story';
import { FacilityProjection } from './facility-projection';
import { everyAnswer, queriesOver, runStep, snapshot } from './testing/story';

/**
 * The same projection code on MongoDB (FerretDB here) gives the documents it gives in memory: live
 * with a restart, every event twice, and rebuilt from 0; and the current-state queries read from it
 * answer what the fold answers.
 */
const enabled = realMongoEnabled();
if (!enabled)
  announceSkip('apps/facility-construction/src/application/projections/facility-projection.int-spec.ts');
const describeReal = enabled ? describe : describe.skip;

describeReal('FacilityProjection on a real MongoDB-compatible server', () => {
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
    for (const name of new FacilityProjection(store).collections)
      await readStore.collection(name).deleteMany({});
    await readStore.checkpoints.delete('projection:facility-construction');
  });
  afterEach(async () => {
    await store.close();
  });

  it('live (with a restart and every event twice) equals in memory, equals a rebuild, and answers as the fold does', async () => {
    const steps = facilityStory();
    const { streams, fold, read } = queriesOver(store, readStore);
    const half = Math.floor(steps.length / 2);
    for (const [n, step] of steps.slice(0, half).entries()) await runStep(streams, step, n);
    const first = runProjection({ store, readStore, projection: new FacilityProjection(store) });
    await first.caughtUp;
    await first.stop();
    for (const [n, step] of steps.slice(half).entries()) await runStep(streams, step, half + n);
    const second = runProjection({ store, readStore, projection: new FacilityProjection(store) });
    await second.caughtUp;
    await second.stop();
    const live = await snapshot(readStore);
    expect(Object.values(live).every((docs) => docs.length > 0)).toBe(true);

    const today = new Date().toISOString().slice(0, 10);
    expect(await everyAnswer(read, streams)).toEqual(await everyAnswer(fold, streams, today));

    const twice = new FacilityProjection(store);
    for (const event of await store.readAll()) await twice.handle(event, readStore);
    expect(await snapshot(readStore)).toEqual(live);

    const memory = new MemoryReadStore();
    await rebuildProjection({ store, readStore: memory, projection: new FacilityProjection(store) });
    expect(await snapshot(memory)).toEqual(live);

    const report = await rebuildProjection({ store, readStore, projection: new FacilityProjection(store) });
    expect(report.events).toBe((await store.readAll()).length);
    expect(await snapshot(readStore)).toEqual(live);
  }, 120_000);
});
