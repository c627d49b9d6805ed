import { SqliteEventStore } from '#libs/event-sourcing';
import { MemoryReadStore, rebuildProjection, runProjection, type MongooseReadStore } from '#libs/read-store';
import {
  announceSkip,
  realMongoEnabled,
  startRealMongo,
  type RealMongo,
} from '../../../../../libs/read-store/src/testing/real-mongo';
import { StaffingProjection } from './staffing-projection';
import { appendStep, snapshot, staffingStory } from './testing/story';

/**
 * The same projection code on MongoDB (FerretDB here) gives the documents it gives in memory: live
 * (with a restart), every event twice, and rebuilt from 0 (`rebuildProjection`) equal to the live
 * documents.
 */
const enabled = realMongoEnabled();
if (!enabled)
  announceSkip('apps/staffing-elections/src/application/projections/staffing-projection.int-spec.ts');
const describeReal = enabled ? describe : describe.skip;

describeReal('StaffingProjection on a real MongoDB-compatible server', () => {
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
    for (const name of new StaffingProjection(store).collections)
      await readStore.collection(name).deleteMany({});
    await readStore.checkpoints.delete('projection:staffing-elections');
  });
  afterEach(async () => {
    await store.close();
  });

  it('live (with a restart and every event twice) equals in memory and equals a rebuild', async () => {
    const { steps } = staffingStory();
    const half = Math.floor(steps.length / 2);
    for (const step of steps.slice(0, half)) await appendStep(store, step);
    const first = runProjection({ store, readStore, projection: new StaffingProjection(store) });
    await first.caughtUp;
    await first.stop();
    for (const step of steps.slice(half)) await appendStep(store, step);
    const second = runProjection({ store, readStore, projection: new StaffingProjection(store) });
    await second.caughtUp;
    await second.stop();
    const live = await snapshot(readStore);
    expect(live.committees.map((c) => c._id)).toEqual([
      'chengguan/dfh-rc',
      'chengguan/dg-rc',
      'chengguan/glr-rc',
      'chengguan/ytxy-rc',
    ]);
    expect(live.workers).toHaveLength(5);

    const twice = new StaffingProjection(store);
    for (const event of await store.readAll()) await twice.handle(event, readStore);
    expect(await snapshot(readStore)).toEqual(live);

    const memory = new MemoryReadStore();
    await rebuildProjection({ store, readStore: memory, projection: new StaffingProjection(store) });
    expect(live).toEqual(await snapshot(memory));

    const report = await rebuildProjection({ store, readStore, projection: new StaffingProjection(store) });
    expect(await snapshot(readStore)).toEqual(live);
    expect(report.events).toBe((await store.readAll()).length);
    expect(report.counts.workers).toBe(5);
  }, 120_000);
});
