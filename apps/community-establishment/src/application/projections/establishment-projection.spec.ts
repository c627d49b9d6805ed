import 'reflect-metadata';
import { SqliteEventStore, type RecordedEvent, type StreamStates } from '#libs/event-sourcing';
import { MemoryReadStore } from '#libs/read-store';
import {
  expectEveryEventTwiceChangesNothing,
  expectLiveRunEqualsRebuild,
  projectNew,
} from '../../../../../libs/read-store/src/testing/projection-checks';
import {
  DEFAULT_POLICY,
  entitiesOf,
  ESTABLISHMENT_EVENT_TYPES,
  type DistrictState,
  type EstablishmentEvent,
} from '../../domain';
import { DistrictStates } from '../district-states';
import { EstablishmentQueries } from '../establishment-queries';
import { type AreaDocument, type CommunityDocument, type DecisionDocument } from './documents';
import { EstablishmentProjection } from './establishment-projection';
import {
  appendStep,
  establishmentStory,
  snapshot,
  STORY_DISTRICT,
  STORY_STREAM,
  type StoryStep,
} from './testing/story';

/**
 * The establishment projection, event type by event type (GUIDE §4.8): after every decision of a
 * story that produces all of them, the read models answer what the in-memory queries answer today;
 * running events twice changes nothing; a live run with a restart and a rebuild from 0 give the
 * same documents.
 */

/** Documents without the read model's own fields, as the HTTP queries answer them today. */
function asAreaAnswer(doc: AreaDocument) {
  const { _id, district, streamId, revision, responsibleBody, coverage, removed, ...answer } = doc;
  void [_id, district, streamId, revision, responsibleBody, coverage, removed];
  return answer;
}
function asCommunityAnswer(doc: CommunityDocument) {
  const { _id, district, streamId, revision, committeeId, removed, ...answer } = doc;
  void [_id, district, streamId, revision, committeeId, removed];
  return { ...answer, asOf: null };
}

const byId = <T extends { _id: string }>(docs: T[], id: string): T | undefined =>
  docs.find((d) => d._id === id);

/** What each decision of the story must show in the read models, beyond the generic checks. */
const checks: Record<string, (s: Awaited<ReturnType<typeof snapshot>>, step: StoryStep) => void> = {
  'EstablishCommittee (opening)': (s) => {
    expect(byId(s.communities as CommunityDocument[], 'chengguan/dongfanghong')).toMatchObject({
      status: 'active',
      committeeId: 'dfh-rc',
      areaIds: ['a-dfh'],
      missingBodies: ['party-organization', 'service-station'],
    });
  },
  'RegisterArea (residents group)': (s) => {
    expect(byId(s.areas as AreaDocument[], 'chengguan/a-ytxy')).toMatchObject({
      coverage: 'covered',
      responsibleBody: { kind: 'residents-group', groupId: 'g-ytxy', attachedToCommunityId: 'dongfanghong' },
    });
  },
  RecordAdjacency: (s) => {
    expect(byId(s.areas as AreaDocument[], 'chengguan/a-glr')?.adjacentAreaIds).toContain('a-dfh-west');
    expect(byId(s.areas as AreaDocument[], 'chengguan/a-dfh-west')?.adjacentAreaIds).toContain('a-glr');
  },
  UpdateAreaHouseholds: (s) => {
    expect(byId(s.areas as AreaDocument[], 'chengguan/a-dfh')?.households).toBe(650);
  },
  StartProxyManagement: (s) => {
    expect(byId(s.areas as AreaDocument[], 'chengguan/a-ytxy')?.responsibleBody).toEqual({
      kind: 'proxy',
      communityId: 'dongfanghong',
      committeeId: 'dfh-rc',
    });
  },
  ReportOccupancy: (s) => {
    const area = byId(s.areas as AreaDocument[], 'chengguan/a-ytxy')!;
    expect(area.occupancy).toMatchObject({ occupiedHouseholds: 440, reportedOn: '2012-06-01' });
    expect(area.obligation).toMatchObject({ reason: 'occupancy-threshold', closedOn: null });
  },
  EstablishCommittee: (s) => {
    const area = byId(s.areas as AreaDocument[], 'chengguan/a-ytxy')!;
    expect(area.responsibleBody).toEqual({
      kind: 'own-committee',
      communityId: 'yantan-xinyuan',
      committeeId: 'ytxy-rc',
    });
    expect(area.obligation).toMatchObject({ closedOn: '2012-09-01', closedByCommunityId: 'yantan-xinyuan' });
  },
  SetUpServiceStation: (s) => {
    expect(byId(s.communities as CommunityDocument[], 'chengguan/dongfanghong')).toMatchObject({
      partyOrganization: { name: '东方红社区党委', status: 'active' },
      serviceStation: { name: '东方红社区服务站', status: 'active' },
      missingBodies: [],
    });
  },
  'AssignPost (concurrent)': (s) => {
    expect(byId(s.communities as CommunityDocument[], 'chengguan/dongfanghong')?.posts).toHaveLength(2);
  },
  EndPost: (s) => {
    expect(byId(s.communities as CommunityDocument[], 'chengguan/dongfanghong')?.posts).toEqual([
      expect.objectContaining({ personId: 'p-wang', body: 'residents-committee', post: '主任' }),
    ]);
  },
  DelegateTask: (s) => {
    expect(byId(s.communities as CommunityDocument[], 'chengguan/dongfanghong')?.tasks).toEqual([
      expect.objectContaining({ taskId: 't-census', fundingYuanPerYear: 20000 }),
    ]);
  },
  RenameCommittee: (s) => {
    expect(byId(s.communities as CommunityDocument[], 'chengguan/gaolanlu')?.name).toBe(
      '皋兰路东社区居民委员会',
    );
  },
  ConvertVillageToResidence: (s) => {
    expect(byId(s.areas as AreaDocument[], 'chengguan/a-zhangsu')).toMatchObject({
      formerVillageCommittee: { name: '张苏滩村民委员会' },
      obligation: { reason: 'village-to-residence-conversion' },
    });
  },
  FormResidentsGroup: (s) => {
    expect(byId(s.areas as AreaDocument[], 'chengguan/a-zhangsu')?.responsibleBody).toMatchObject({
      kind: 'residents-group',
      groupId: 'g-zhangsu',
    });
  },
  MergeCommittees: (s) => {
    const communities = s.communities as CommunityDocument[];
    expect(byId(communities, 'chengguan/dongfanghong')).toMatchObject({
      status: 'merged',
      successorCommunityIds: ['dongfang-gaolan'],
      areaIds: [],
    });
    expect(byId(communities, 'chengguan/dongfang-gaolan')?.predecessorCommunityIds).toEqual([
      'dongfanghong',
      'gaolanlu',
    ]);
  },
  SplitCommittee: (s) => {
    expect(byId(s.communities as CommunityDocument[], 'chengguan/dongfang-gaolan')).toMatchObject({
      status: 'split',
      successorCommunityIds: ['dongfang', 'gaolan'],
    });
  },
  DissolveCommittee: (s) => {
    expect(byId(s.communities as CommunityDocument[], 'chengguan/gaolan')?.status).toBe('dissolved');
    expect(byId(s.areas as AreaDocument[], 'chengguan/a-glr')?.responsibleBody).toMatchObject({
      communityId: 'dongfang',
    });
  },
  'EstablishCommittee (backfilled from the 2006 archive)': (s) => {
    expect(byId(s.areas as AreaDocument[], 'chengguan/a-archive')).toMatchObject({
      registeredOn: '2006-06-01',
      responsibleBody: { kind: 'own-committee', communityId: 'yanbei-old' },
    });
    expect(byId(s.communities as CommunityDocument[], 'chengguan/yanbei-old')?.establishedOn).toBe(
      '2006-06-01',
    );
  },
  'CorrectDecision (effective date)': (s, step) => {
    const correction = step.events[0];
    const data = correction.event.data as { correctsEventId: string };
    const corrected = byId(s.decisions as DecisionDocument[], data.correctsEventId)!;
    expect(corrected).toMatchObject({ effectiveAt: '2013-02-15', originalEffectiveAt: '2013-02-01' });
    expect(corrected.correctedBy).toEqual([correction.eventId]);
    expect(corrected.revision).toBe(
      byId(s.decisions as DecisionDocument[], correction.eventId)!.streamRevision,
    );
  },
  'CorrectDecision (obligation closing date)': (s) => {
    // EST-2/EST-8: closedOn follows the corrected establishment, not the date recorded with it.
    expect(byId(s.areas as AreaDocument[], 'chengguan/a-ytxy')?.obligation).toEqual({
      reason: 'occupancy-threshold',
      openedOn: '2012-06-01',
      dueOn: '2012-11-28',
      dueDays: 180,
      closedOn: '2012-07-15',
      closedByCommunityId: 'yantan-xinyuan',
    });
  },
  'CorrectDecision (obligation opening date)': (s) => {
    // EST-2/EST-8: openedOn and dueOn follow the corrected occupancy report.
    expect(byId(s.areas as AreaDocument[], 'chengguan/a-ytxy')?.obligation).toMatchObject({
      openedOn: '2012-05-10',
      dueOn: '2012-11-06',
      closedOn: '2012-07-15',
    });
  },
  'CorrectDecision (annul)': (s) => {
    expect(byId(s.areas as AreaDocument[], 'chengguan/a-mistake')).toMatchObject({
      removed: true,
      name: '误登片区',
    });
    expect(byId(s.communities as CommunityDocument[], 'chengguan/dongfang')?.areaIds).not.toContain(
      'a-mistake',
    );
  },
};

describe('EstablishmentProjection', () => {
  let store: SqliteEventStore;
  let steps: StoryStep[];

  beforeEach(async () => {
    store = await SqliteEventStore.open({ file: ':memory:' });
    steps = establishmentStory().steps;
  });
  afterEach(async () => {
    await store.close();
  });

  it('projects every event type: after each decision the read models answer what the queries answer', async () => {
    const readStore = new MemoryReadStore();
    const projection = new EstablishmentProjection(store);
    const queries = new EstablishmentQueries(new DistrictStates(store, DEFAULT_POLICY));
    const seen = new Set<string>();
    const checked = new Set<string>();
    let position = 0;
    for (const step of steps) {
      await appendStep(store, step);
      position = await projectNew(store, projection, readStore, position);
      const s = await snapshot(readStore);

      // One decision document per event, with its envelope and entities.
      for (const e of step.events) {
        seen.add(e.event.type);
        expect(byId(s.decisions as DecisionDocument[], e.eventId)).toMatchObject({
          type: e.event.type,
          district: STORY_DISTRICT,
          streamId: STORY_STREAM,
          originalEffectiveAt: e.effectiveAt,
          legalBasis: e.legalBasis,
          ruleIds: [...e.event.ruleIds],
          entityIds: entitiesOf(e.event as EstablishmentEvent),
          actor: { subject: 'clerk-chengguan-01', roles: ['district-clerk'], districtScope: '620102' },
          correlationId: e.correlationId,
        });
      }
      const events = await store.readStream(STORY_STREAM);
      expect(s.decisions).toHaveLength(events.length);

      // Areas and communities: what GET /areas and GET /communities/{id} answer today.
      const areas = (s.areas as AreaDocument[]).filter((a) => !a.removed);
      expect(areas.map(asAreaAnswer)).toEqual(expect.arrayContaining(await queries.areas(STORY_DISTRICT)));
      expect(areas).toHaveLength((await queries.areas(STORY_DISTRICT)).length);
      const communities = (s.communities as CommunityDocument[]).filter((c) => !c.removed);
      expect(communities).toHaveLength((await queries.communities(STORY_DISTRICT)).length);
      for (const doc of communities)
        expect(asCommunityAnswer(doc)).toEqual(await queries.community(STORY_DISTRICT, doc.communityId));

      // Every document carries the revision of the last event that changed it, and no later one.
      const head = events[events.length - 1].streamRevision;
      for (const doc of [...s.areas, ...s.communities, ...s.decisions] as unknown as Array<{
        revision: number;
      }>)
        expect(doc.revision).toBeLessThanOrEqual(head);

      const check = checks[step.label];
      if (check) {
        check(s, step);
        checked.add(step.label);
      }
    }
    expect([...seen].sort()).toEqual([...ESTABLISHMENT_EVENT_TYPES].sort());
    expect([...checked].sort()).toEqual(Object.keys(checks).sort());
  });

  it('running every event twice changes nothing, with the same projection or a fresh one', async () => {
    for (const step of steps) await appendStep(store, step);
    await expectEveryEventTwiceChangesNothing(store, () => new EstablishmentProjection(store), snapshot);
  });

  it('live, a document keeps the revision of the last event that changed it; rebuilt, that of the head', async () => {
    const readStore = new MemoryReadStore();
    const projection = new EstablishmentProjection(store);
    let position = 0;
    for (const step of steps) {
      await appendStep(store, step);
      position = await projectNew(store, projection, readStore, position);
    }
    const events = await store.readStream(STORY_STREAM);
    const renamed = events.find((e: RecordedEvent) => e.type === 'CommitteeRenamed')!;
    const merged = events.find((e: RecordedEvent) => e.type === 'CommitteesMerged')!;
    // 皋兰路 was renamed, then merged away: its document last changed with the merger.
    const glr = () =>
      readStore.collection<CommunityDocument>('communities').findOne({ _id: 'chengguan/gaolanlu' });
    expect((await glr())?.revision).toBe(merged.streamRevision);
    expect(renamed.streamRevision).toBeLessThan(merged.streamRevision);
    // Rebuilt, every document is derived once from the district's state at its head.
    const rebuilt = new MemoryReadStore();
    await projectNew(store, new EstablishmentProjection(store), rebuilt, 0);
    expect(
      (await rebuilt.collection<CommunityDocument>('communities').findOne({ _id: 'chengguan/gaolanlu' }))
        ?.revision,
    ).toBe(events.at(-1)!.streamRevision);
  });

  it("derives its documents from the service's district states: one read of the state per event, no event read back, no fact kept", async () => {
    for (const step of steps) await appendStep(store, step);
    const events = await store.readStream(STORY_STREAM);
    // The service's own states, as the command side keeps them (folded once, here by a command's read).
    const service = new DistrictStates(store, DEFAULT_POLICY);
    await service.read(STORY_DISTRICT, () => undefined);
    const reads: number[] = [];
    const states: StreamStates<DistrictState> = {
      readState: (streamId, atLeast, fn) => {
        reads.push(atLeast);
        return service.states.readState(streamId, atLeast, fn);
      },
    };
    const readStream = jest.spyOn(store, 'readStream');
    const readStore = new MemoryReadStore();
    const projection = new EstablishmentProjection(states);
    await projectNew(store, projection, readStore, 0);
    expect(reads).toEqual(events.map((e) => e.streamRevision));
    expect(readStream).not.toHaveBeenCalled();
    readStream.mockRestore();

    // What the projection keeps of the district: no decision of it (a fact has its correctedBy).
    const held: unknown[] = [];
    const seen = new Set<unknown>();
    const walk = (value: unknown): void => {
      if (!value || typeof value !== 'object' || seen.has(value)) return;
      seen.add(value);
      if (Object.hasOwn(value, 'correctedBy') || Object.hasOwn(value, 'eventId')) held.push(value);
      const children =
        value instanceof Map
          ? [...value.keys(), ...value.values()]
          : value instanceof Set
            ? [...value]
            : Object.values(value);
      for (const child of children) walk(child);
    };
    walk(projection);
    expect(held).toEqual([]);

    // And its documents are those of a projection over the store.
    const overStore = new MemoryReadStore();
    await projectNew(store, new EstablishmentProjection(store), overStore, 0);
    expect(await snapshot(readStore)).toEqual(await snapshot(overStore));
  });

  it('live with a restart halfway gives the documents of a rebuild from 0, and rebuild() gives them again', async () => {
    const { live, report } = await expectLiveRunEqualsRebuild({
      store,
      readStore: new MemoryReadStore(),
      newProjection: () => new EstablishmentProjection(store),
      snapshot,
      steps: steps.length,
      append: async (from, to) => {
        for (const step of steps.slice(from, to)) await appendStep(store, step);
      },
    });
    expect(report.counts).toEqual({
      areas: live.areas.length,
      communities: live.communities.length,
      decisions: live.decisions.length,
    });
  });
});
