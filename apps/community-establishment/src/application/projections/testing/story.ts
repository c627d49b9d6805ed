import type { EventStore } from '#libs/event-sourcing';
import type { ReadStore } from '#libs/read-store';
import { appendDecision } from '../../../../../../libs/read-store/src/testing/projection-checks';
import { ESTABLISHMENT_COLLECTIONS } from '../documents';
import {
  chengguan,
  idOf,
  merger,
  withNewEstate,
  withWestArea,
  type History,
  type RecordedEvent as HistoryEvent,
} from '../../../domain/testing/given-when-then';

/**
 * A story of 城关区 that produces every establishment event type, decision by decision, told
 * through the domain's own decide (History.do) so that every event is one the service would append.
 * Each step is one decision: one append of its events, with the History's event ids, so that
 * corrections can point at them in the store too.
 */
export interface StoryStep {
  readonly label: string;
  readonly on: string;
  readonly events: readonly HistoryEvent[];
}

export const STORY_DISTRICT = 'chengguan';
export const STORY_STREAM = `district-${STORY_DISTRICT}`;

export function establishmentStory(): { history: History; steps: StoryStep[] } {
  const steps: StoryStep[] = [];
  const h = chengguan();
  // chengguan() recorded two decisions already: take them as the first steps.
  const opening = [...h.facts];
  for (const correlationId of [...new Set(opening.map((f) => f.correlationId))]) {
    const facts = opening.filter((f) => f.correlationId === correlationId);
    steps.push({
      label: 'EstablishCommittee (opening)',
      on: facts[0].effectiveAt,
      events: facts.map((f) => ({
        eventId: f.eventId,
        event: f.event,
        effectiveAt: f.effectiveAt,
        correlationId: f.correlationId,
        legalBasis: f.legalBasis,
      })),
    });
  }
  const step = (label: string, on: string, run: () => HistoryEvent[]): HistoryEvent[] => {
    const events = run();
    steps.push({ label, on, events });
    return events;
  };
  const lastEvents = (before: number): HistoryEvent[] =>
    h.facts.slice(before).map((f) => ({
      eventId: f.eventId,
      event: f.event,
      effectiveAt: f.effectiveAt,
      correlationId: f.correlationId,
      legalBasis: f.legalBasis,
    }));
  const helper = (label: string, on: string, fn: (x: History) => void) =>
    step(label, on, () => {
      const before = h.facts.length;
      fn(h);
      return lastEvents(before);
    });

  helper('RegisterArea (own committee)', '2008-01-01', withWestArea);
  helper('RegisterArea (residents group)', '2012-03-01', (x) => withNewEstate(x));
  step('RecordAdjacency', '2012-03-15', () =>
    h.do('RecordAdjacency', { areaId: 'a-glr', adjacentAreaIds: ['a-dfh-west'] }, '2012-03-15'),
  );
  step('UpdateAreaHouseholds', '2012-04-01', () =>
    h.do('UpdateAreaHouseholds', { areaId: 'a-dfh', households: 650 }, '2012-04-01'),
  );
  step('StartProxyManagement', '2012-05-01', () =>
    h.do('StartProxyManagement', { areaId: 'a-ytxy', byCommunityId: 'dongfanghong' }, '2012-05-01'),
  );
  step('ReportOccupancy', '2012-06-01', () =>
    h.do('ReportOccupancy', { areaId: 'a-ytxy', occupiedHouseholds: 440 }, '2012-06-01'),
  );
  step('EstablishCommittee', '2012-09-01', () =>
    h.do(
      'EstablishCommittee',
      {
        communityId: 'yantan-xinyuan',
        committeeId: 'ytxy-rc',
        name: '雁滩新苑社区居民委员会',
        areaIds: ['a-ytxy'],
      },
      '2012-09-01',
    ),
  );
  step('SetUpPartyOrganization', '2012-10-01', () =>
    h.do('SetUpPartyOrganization', { communityId: 'dongfanghong', name: '东方红社区党委' }, '2012-10-01'),
  );
  step('SetUpServiceStation', '2012-10-01', () =>
    h.do('SetUpServiceStation', { communityId: 'dongfanghong', name: '东方红社区服务站' }, '2012-10-01'),
  );
  step('AssignPost', '2012-11-01', () =>
    h.do(
      'AssignPost',
      { personId: 'p-wang', communityId: 'dongfanghong', body: 'residents-committee', post: '主任' },
      '2012-11-01',
    ),
  );
  step('AssignPost (concurrent)', '2012-11-01', () =>
    h.do(
      'AssignPost',
      { personId: 'p-wang', communityId: 'dongfanghong', body: 'party-organization', post: '书记' },
      '2012-11-01',
    ),
  );
  step('EndPost', '2012-12-01', () =>
    h.do(
      'EndPost',
      { personId: 'p-wang', communityId: 'dongfanghong', body: 'party-organization', post: '书记' },
      '2012-12-01',
    ),
  );
  step('DelegateTask', '2013-01-10', () =>
    h.do(
      'DelegateTask',
      {
        taskId: 't-census',
        communityId: 'dongfanghong',
        department: '区统计局',
        description: '人口普查入户登记',
        fundingYuanPerYear: 20000,
        fundingSource: '区财政',
        workingConditions: '办公用房与电脑',
      },
      '2013-01-10',
    ),
  );
  step('RenameCommittee', '2013-02-01', () =>
    h.do('RenameCommittee', { communityId: 'gaolanlu', name: '皋兰路东社区居民委员会' }, '2013-02-01'),
  );
  step('ConvertVillageToResidence', '2013-03-01', () =>
    h.do(
      'ConvertVillageToResidence',
      {
        areaId: 'a-zhangsu',
        name: '张苏滩',
        subDistrict: '雁滩街道',
        households: 900,
        adjacentAreaIds: ['a-dfh'],
        formerVillageCommittee: { name: '张苏滩村民委员会' },
        responsibility: { kind: 'proxy', communityId: 'dongfanghong' },
      },
      '2013-03-01',
    ),
  );
  step('FormResidentsGroup', '2013-04-01', () =>
    h.do(
      'FormResidentsGroup',
      {
        groupId: 'g-zhangsu',
        name: '张苏滩居民小组',
        areaId: 'a-zhangsu',
        attachedToCommunityId: 'dongfanghong',
      },
      '2013-04-01',
    ),
  );
  step('MergeCommittees', '2014-01-01', () => h.do('MergeCommittees', { ...merger }, '2014-01-01'));
  step('SplitCommittee', '2015-01-01', () =>
    h.do(
      'SplitCommittee',
      {
        sourceCommunityId: 'dongfang-gaolan',
        parts: [
          {
            communityId: 'dongfang',
            committeeId: 'df-rc',
            name: '东方社区居民委员会',
            areaIds: ['a-dfh', 'a-dfh-west'],
          },
          { communityId: 'gaolan', committeeId: 'gl-rc', name: '皋兰社区居民委员会', areaIds: ['a-glr'] },
        ],
      },
      '2015-01-01',
    ),
  );
  step('DissolveCommittee', '2016-01-01', () =>
    h.do(
      'DissolveCommittee',
      {
        communityId: 'gaolan',
        areaSuccessors: [{ areaId: 'a-glr', successor: { kind: 'own-committee', communityId: 'dongfang' } }],
        reason: '并入东方社区',
      },
      '2016-01-01',
    ),
  );
  // Recorded now, effective in 2006 (new entities only, EST-8): the map of every later date
  // changes, so the district is refolded.
  step('EstablishCommittee (backfilled from the 2006 archive)', '2006-06-01', () =>
    h.do(
      'EstablishCommittee',
      {
        communityId: 'yanbei-old',
        committeeId: 'ybo-rc',
        name: '雁北老街社区居民委员会',
        newAreas: [
          {
            areaId: 'a-archive',
            name: '档案片区',
            kind: 'existing-town-area',
            subDistrict: '雁滩街道',
            households: 200,
          },
        ],
      },
      '2006-06-01',
    ),
  );
  const renamed = steps.find((s) => s.label === 'RenameCommittee')!;
  step('CorrectDecision (effective date)', '2016-03-01', () =>
    h.do(
      'CorrectDecision',
      {
        correctsEventId: idOf(renamed.events, 'CommitteeRenamed'),
        reason: '档案核对：更名文件日期为2013-02-15',
        correctedEffectiveAt: '2013-02-15',
      },
      '2016-03-01',
    ),
  );
  const late = step('RegisterArea (to be annulled)', '2016-04-01', () =>
    h.do(
      'RegisterArea',
      {
        areaId: 'a-mistake',
        name: '误登片区',
        kind: 'existing-town-area',
        subDistrict: '雁滩街道',
        households: 300,
        responsibility: { kind: 'own-committee', communityId: 'dongfang' },
      },
      '2016-04-01',
    ),
  );
  step('CorrectDecision (annul)', '2016-05-01', () =>
    h.do(
      'CorrectDecision',
      { correctsEventId: idOf(late, 'AreaRegistered'), reason: '重复登记', annul: true },
      '2016-05-01',
    ),
  );
  // EST-2/EST-8: corrections of the decisions that opened and closed 雁滩新苑's obligation move
  // its derived dates in every read model.
  const established = steps.find((s) => s.label === 'EstablishCommittee')!;
  step('CorrectDecision (obligation closing date)', '2016-06-01', () =>
    h.do(
      'CorrectDecision',
      {
        correctsEventId: idOf(established.events, 'CommitteeEstablished'),
        reason: '档案核对：雁滩新苑社区成立于2012-07-15',
        correctedEffectiveAt: '2012-07-15',
      },
      '2016-06-01',
    ),
  );
  const reported = steps.find((s) => s.label === 'ReportOccupancy')!;
  step('CorrectDecision (obligation opening date)', '2016-06-02', () =>
    h.do(
      'CorrectDecision',
      {
        correctsEventId: idOf(reported.events, 'EstablishmentObligationOpened'),
        reason: '入住率报告日期为2012-05-10',
        correctedEffectiveAt: '2012-05-10',
      },
      '2016-06-02',
    ),
  );
  return { history: h, steps };
}

/** Appends one step as one decision, with the History's event ids and envelope. */
export const appendStep = (store: EventStore, step: StoryStep): Promise<void> =>
  appendDecision(store, STORY_STREAM, step.events, {
    subject: 'clerk-chengguan-01',
    roles: ['district-clerk'],
    districtScope: '620102',
  });

/** Every document of the establishment read models, sorted by id: what "identical" compares. */
export async function snapshot(readStore: ReadStore) {
  const all = (name: string) => readStore.collection(name).find({}, { sort: { _id: 1 } });
  return {
    areas: await all(ESTABLISHMENT_COLLECTIONS.areas),
    communities: await all(ESTABLISHMENT_COLLECTIONS.communities),
    decisions: await all(ESTABLISHMENT_COLLECTIONS.decisions),
  };
}
