import 'reflect-metadata';
import { SqliteEventStore } from '#libs/event-sourcing';
import { MemoryReadStore, type ReadStore } from '#libs/read-store';
import {
  expectEveryEventTwiceChangesNothing,
  expectLiveRunEqualsRebuild,
  projectNew,
} from '../../../../../libs/read-store/src/testing/projection-checks';
import { FACILITY_EVENT_TYPES, FUNDING_EVENT_TYPES } from '../../domain';
import { facilityStory, type StoryStep } from '../../domain/testing/story';
import type { CommunityDocument, NamingRefusalDocument, ProjectDocument } from './documents';
import { FACILITY_COLLECTIONS as C } from './documents';
import { FacilityProjection } from './facility-projection';
import type { FacilityQueries } from '../facility-queries';
import { everyAnswer, queriesOver, runStep, snapshot } from './testing/story';

/**
 * The facility projection, event type by event type: after every decision of a story that produces
 * all of them, every current-state question answered from the read models equals the answer of the
 * fold for today; running events twice changes nothing; a live run with a restart and a rebuild
 * from 0 give the same documents.
 */

const doc = async <T extends { _id: string }>(readStore: ReadStore, collection: string, id: string) =>
  (await readStore.collection<T>(collection).findOne({ _id: id })) as T;

/** What some decisions of the story must show in the read models, beyond the comparison. */
const checks: Record<string, (r: ReadStore, read: FacilityQueries) => Promise<void>> = {
  'review refused': async (r, read) => {
    const p = await doc<ProjectDocument>(r, C.projects, 'chengguan/p-ytxy');
    expect(p).toMatchObject({ status: 'review-refused', reviews: [{ outcome: 'refused', shortfallM2: 20 }] });
    // The history is kept beside the project's document, one decision a document.
    const { history } = await read.project('chengguan', 'p-ytxy');
    expect(history.map((h) => h.type)).toEqual([
      'ConstructionProjectRegistered',
      'ConsultationRecorded',
      'ConsultationRecorded',
      'PlanningReviewRefused',
    ]);
  },
  'acceptance failed': async (r) => {
    expect(await doc<NamingRefusalDocument>(r, C.namingRefusals, 'chengguan/p-ytxy')).toMatchObject({
      inForce: true,
      refusedOn: '2014-06-01',
      liftedOn: null,
      developer: '兰州雁滩置业有限公司',
    });
  },
  'acceptance passed': async (r) => {
    expect(await doc<NamingRefusalDocument>(r, C.namingRefusals, 'chengguan/p-ytxy')).toMatchObject({
      inForce: false,
      refusedOn: '2014-06-01',
      liftedOn: '2015-06-01',
    });
    expect(await doc<NamingRefusalDocument>(r, C.namingRefusals, 'qilihe/p-xjp')).toMatchObject({
      inForce: true,
    });
  },
  'hand-over': async (r) => {
    expect(await doc<CommunityDocument>(r, C.communities, 'chengguan/yantan-xinyuan')).toMatchObject({
      requirementSource: 'project-plan',
      spaceM2: 420,
      shortfallM2: 0,
      meetsRequirement: true,
      functions: { compliant: true },
    });
  },
  lease: async (r) => {
    expect(await doc<CommunityDocument>(r, C.communities, 'chengguan/dongfanghong')).toMatchObject({
      spaceM2: 450,
      shortfallM2: 0,
      figuresValidUntil: '2020-12-31',
    });
  },
  'backfilled facility': async (r) => {
    expect(await doc<CommunityDocument>(r, C.communities, 'chengguan/gaolanlu')).toMatchObject({
      spaceM2: 350,
      shortfallM2: 0,
      areaIds: ['a-glr'],
    });
  },
  merger: async (r) => {
    expect(await doc<CommunityDocument>(r, C.communities, 'chengguan/dongfanghong')).toMatchObject({
      mergedInto: 'dongfang-gaolan',
      facilities: [],
      markets: [],
      functions: null,
    });
    expect(await doc<CommunityDocument>(r, C.communities, 'chengguan/dongfang-gaolan')).toMatchObject({
      spaceM2: 800,
      markets: [expect.objectContaining({ marketId: 'm-dfh' })],
    });
  },
  // FAC-1/FAC-4: the first part took the merged community's space; the second part has none.
  'split, second part': async (r) => {
    expect(await doc<CommunityDocument>(r, C.communities, 'chengguan/dongfang-gaolan')).toMatchObject({
      mergedInto: 'dongfang',
      spaceM2: 0,
    });
    expect(await doc<CommunityDocument>(r, C.communities, 'chengguan/dongfang')).toMatchObject({
      spaceM2: 800,
      shortfallM2: 0,
    });
    expect(await doc<CommunityDocument>(r, C.communities, 'chengguan/gaolan')).toMatchObject({
      spaceM2: 0,
      shortfallM2: 350,
      meetsRequirement: false,
    });
  },
  'households changed': async (r, read) => {
    expect(await doc<CommunityDocument>(r, C.communities, 'chengguan/gaolan')).toMatchObject({
      households: 1900,
      shortfallM2: 380,
    });
    // The stored figures hold on the district's latest date (2018-06-01), with the lease; the
    // lease ended on 2020-12-31, so today's answer is recomputed from the facilities without it.
    expect(await doc<CommunityDocument>(r, C.communities, 'chengguan/dongfang')).toMatchObject({
      spaceM2: 800,
      figuresValidUntil: '2020-12-31',
      functions: { missing: expect.not.arrayContaining(['cultural-activity-room']) },
    });
    const now = (await read.community('chengguan', 'dongfang')) as { functions: { missing: string[] } };
    expect(now.functions.missing).toContain('cultural-activity-room');
  },
  // The latest date passed the end of the lease: dongfang's figures changed without a decision on it.
  'after the lease': async (r) => {
    expect(await doc<CommunityDocument>(r, C.communities, 'chengguan/dongfang')).toMatchObject({
      spaceM2: 500,
      shortfallM2: 0,
      figuresValidUntil: null,
      functions: { missing: expect.arrayContaining(['cultural-activity-room']) },
    });
  },
  'city budget': async (r) => {
    expect(await doc(r, C.districtFunding, 'chengguan/2013')).toMatchObject({
      requiredYuan: 120_000,
      budgetedYuan: 110_000,
      unfundedLines: ['operatingFunds'],
      compliant: false,
    });
    expect(await doc(r, C.cityFunding, '2013')).toMatchObject({
      urbanPopulation: 1_700_000,
      requiredYuan: 170_000,
      budgetedYuan: 150_000,
      shortfallYuan: 20_000,
    });
  },
};

describe('FacilityProjection', () => {
  let store: SqliteEventStore;
  let steps: StoryStep[];

  beforeEach(async () => {
    store = await SqliteEventStore.open({ file: ':memory:' });
    steps = facilityStory();
  });
  afterEach(async () => {
    await store.close();
  });

  it('projects every event type: after each decision the read models answer what the fold answers for today', async () => {
    const readStore = new MemoryReadStore();
    const projection = new FacilityProjection(store);
    const { streams, clock, fold, read } = queriesOver(store, readStore);
    const checked = new Set<string>();
    let position = 0;
    for (const [n, step] of steps.entries()) {
      await runStep(streams, step, n);
      position = await projectNew(store, projection, readStore, position);
      expect(await everyAnswer(read, streams)).toEqual(await everyAnswer(fold, streams, clock.today()));
      const check = checks[step.label];
      if (check) {
        await check(readStore, read);
        checked.add(step.label);
      }
    }
    const types = new Set((await store.readAll()).map((e) => e.type));
    expect([...types].sort()).toEqual([...FACILITY_EVENT_TYPES, ...FUNDING_EVENT_TYPES].sort());
    expect([...checked].sort()).toEqual(Object.keys(checks).sort());

    // As-of-date answers still come from the fold.
    expect((await read.shortfalls('chengguan', '2015-12-31')).communities).toEqual([
      expect.objectContaining({ communityId: 'dongfanghong', shortfallM2: 250 }),
    ]);
  });

  it('running every event twice changes nothing, with the same projection or a fresh one', async () => {
    const { streams } = queriesOver(store, new MemoryReadStore());
    for (const [n, step] of steps.entries()) await runStep(streams, step, n);
    await expectEveryEventTwiceChangesNothing(store, () => new FacilityProjection(store), snapshot);
  });

  it('live, a document keeps the revision of the last event that changed it; rebuilt, that of the head', async () => {
    const readStore = new MemoryReadStore();
    const { streams } = queriesOver(store, readStore);
    const projection = new FacilityProjection(store);
    let position = 0;
    for (const [n, step] of steps.entries()) {
      await runStep(streams, step, n);
      position = await projectNew(store, projection, readStore, position);
    }
    const events = await store.readStream('facilities-chengguan');
    const handedOver = events.find(
      (e) => e.type === 'FacilityAcquired' && (e.data as { projectId: string }).projectId === 'p-ytxy',
    )!;
    // The project 雁滩新苑 last changed with its hand-over (its decision's events appended at
    // once), though the district went on.
    const decision = events.filter((e) => e.metadata.correlationId === handedOver.metadata.correlationId);
    const ytxy = await doc<ProjectDocument>(readStore, C.projects, 'chengguan/p-ytxy');
    expect(ytxy.revision).toBe(decision.at(-1)!.streamRevision);
    expect(handedOver.streamRevision).toBeLessThan(events.at(-1)!.streamRevision);
    // Rebuilt, every document is derived once from the district's state at its head.
    const rebuilt = new MemoryReadStore();
    await projectNew(store, new FacilityProjection(store), rebuilt, 0);
    expect((await doc<ProjectDocument>(rebuilt, C.projects, 'chengguan/p-ytxy')).revision).toBe(
      events.at(-1)!.streamRevision,
    );
  });

  it('live with a restart halfway gives the documents of a rebuild from 0, and rebuild() gives them again', async () => {
    const readStore = new MemoryReadStore();
    const { streams } = queriesOver(store, readStore);
    const { report } = await expectLiveRunEqualsRebuild({
      store,
      readStore,
      newProjection: () => new FacilityProjection(store),
      snapshot,
      steps: steps.length,
      append: async (from, to) => {
        for (let n = from; n < Math.min(to, steps.length); n++) await runStep(streams, steps[n], n);
      },
    });
    expect(Object.values(report.counts).every((n) => n > 0)).toBe(true);
  });
});
