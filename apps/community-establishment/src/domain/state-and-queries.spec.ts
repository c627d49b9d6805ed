import { establishmentDecider } from './decider';
import { ESTABLISHMENT_EVENT_TYPES, withoutFrozenDates, type EstablishmentEvent } from './events';
import { DEFAULT_POLICY } from './policy';
import { coverageFindings, timelineOf } from './queries';
import { activeBodiesOf, viewAsOf } from './state';
import { chengguan, commandContext, command, given, withNewEstate } from './testing/given-when-then';

/** The fold (evolve, viewAsOf) and the auditor's queries over it. */

const range = {
  households: 0,
  regime: 'Organic Law 1989',
  minHouseholds: 100,
  maxHouseholds: 700,
  withinRange: false,
};

/** One event of every type, each referring to areas, communities, groups and events nobody registered. */
const strangers: EstablishmentEvent[] = [
  {
    type: 'AreaRegistered',
    ruleIds: ['EST-1'],
    data: {
      areaId: 'a-ghost',
      name: '幽灵片区',
      kind: 'existing-town-area',
      subDistrict: '无',
      households: 10,
      adjacentAreaIds: ['a-nowhere'],
      villageCommittee: null,
      migrantScale: null,
      responsibility: { kind: 'own-committee', communityId: 'c-nowhere', committeeId: 'rc-nowhere' },
      residentsGroupName: null,
    },
  },
  {
    type: 'VillageConvertedToResidence',
    ruleIds: ['EST-5'],
    data: { areaId: 'a-nowhere', formerVillageCommittee: { name: '无村' } },
  },
  {
    type: 'AreaHouseholdsUpdated',
    ruleIds: ['EST-9'],
    data: { areaId: 'a-nowhere', households: 1, previous: 0 },
  },
  {
    type: 'AdjacencyRecorded',
    ruleIds: ['EST-3'],
    data: { areaId: 'a-nowhere', adjacentAreaIds: ['a-elsewhere'] },
  },
  {
    type: 'OccupancyReported',
    ruleIds: ['EST-2'],
    data: { areaId: 'a-nowhere', occupiedHouseholds: 1, households: 2, occupancyRate: 0.5 },
  },
  {
    type: 'EstablishmentObligationOpened',
    ruleIds: ['EST-2'],
    data: {
      areaId: 'a-nowhere',
      reason: 'occupancy-threshold',
      openedOn: '2013-01-01',
      dueOn: '2013-06-30',
      dueDays: 180,
      occupancyThreshold: 0.5,
    },
  },
  {
    type: 'EstablishmentObligationClosed',
    ruleIds: ['EST-2'],
    data: {
      areaId: 'a-nowhere',
      communityId: 'c-nowhere',
      committeeId: 'rc-nowhere',
      closedOn: '2013-01-01',
      overdue: false,
    },
  },
  {
    type: 'ResidentsGroupFormed',
    ruleIds: ['EST-3'],
    data: { groupId: 'g-nowhere', name: '无', areaId: 'a-nowhere', attachedToCommunityId: 'c-nowhere' },
  },
  {
    type: 'ResidentsGroupDisbanded',
    ruleIds: ['EST-3'],
    data: { groupId: 'g-other', areaId: 'a-nowhere', reason: '无' },
  },
  {
    type: 'ProxyManagementStarted',
    ruleIds: ['EST-3'],
    data: { areaId: 'a-nowhere', byCommunityId: 'c-nowhere', byCommitteeId: 'rc-nowhere' },
  },
  {
    type: 'ProxyManagementEnded',
    ruleIds: ['EST-3'],
    data: { areaId: 'a-nowhere', byCommunityId: 'c-nowhere', byCommitteeId: 'rc-nowhere', reason: '无' },
  },
  {
    type: 'AreaTransferred',
    ruleIds: ['EST-7'],
    data: {
      areaId: 'a-nowhere',
      fromCommunityId: 'c-nowhere',
      toCommunityId: 'c-elsewhere',
      toCommitteeId: 'rc-x',
    },
  },
  {
    type: 'CommitteeEstablished',
    ruleIds: ['EST-8'],
    data: {
      communityId: 'c-phantom',
      committeeId: 'rc-phantom',
      name: '幽灵社区',
      areaIds: ['a-nowhere'],
      coexistingVillageCommittees: [],
      householdRange: range,
    },
  },
  {
    type: 'CommitteesMerged',
    ruleIds: ['EST-8'],
    data: {
      sourceCommunityIds: ['c-nowhere', 'c-elsewhere'],
      sourceCommitteeIds: ['rc-nowhere', 'rc-elsewhere'],
      result: {
        communityId: 'c-nowhere',
        committeeId: 'rc-nowhere',
        name: '无',
        areaIds: ['a-nowhere'],
        householdRange: range,
      },
      absorbed: true,
    },
  },
  {
    type: 'CommitteeSplit',
    ruleIds: ['EST-8'],
    data: {
      sourceCommunityId: 'c-void',
      sourceCommitteeId: 'rc-void',
      parts: [
        {
          communityId: 'c-void',
          committeeId: 'rc-void',
          name: '无',
          areaIds: ['a-nowhere'],
          householdRange: range,
        },
      ],
    },
  },
  {
    type: 'CommitteeRenamed',
    ruleIds: ['EST-8'],
    data: { communityId: 'c-void-2', committeeId: 'rc-void-2', previousName: '无', name: '仍无' },
  },
  {
    type: 'CommitteeDissolved',
    ruleIds: ['EST-8'],
    data: { communityId: 'c-void-3', committeeId: 'rc-void-3', reason: '无', areaIds: ['a-nowhere'] },
  },
  { type: 'PartyOrganizationSetUp', ruleIds: ['ORG-1'], data: { communityId: 'c-void-4', name: '无' } },
  { type: 'ServiceStationSetUp', ruleIds: ['ORG-1'], data: { communityId: 'c-void-4', name: '无' } },
  {
    type: 'PostAssigned',
    ruleIds: ['ORG-2'],
    data: {
      personId: 'p-x',
      communityId: 'c-void-4',
      body: 'service-station',
      post: '站长',
      concurrentPosts: 1,
    },
  },
  {
    type: 'PostEnded',
    ruleIds: ['ORG-2'],
    data: { personId: 'p-y', communityId: 'c-void-4', body: 'party-organization', post: '书记' },
  },
  {
    type: 'TaskDelegated',
    ruleIds: ['ORG-3'],
    data: {
      taskId: 't-x',
      communityId: 'c-void-4',
      department: '无',
      description: '无',
      fundingYuanPerYear: 1,
      fundingSource: '无',
      workingConditions: '无',
    },
  },
  {
    type: 'DecisionCorrected',
    ruleIds: ['EST-8'],
    data: {
      correctsEventId: '123e4567-e89b-42d3-a456-426614174000',
      correctsType: 'CommitteeRenamed',
      reason: '无',
      correctedEffectiveAt: '2001-01-01',
      correctedLegalBasis: null,
      annulled: true,
      coverageFindings: [],
    },
  },
];

describe('evolve given events that refer to unknown ids', () => {
  it('covers every event type', () => {
    expect(new Set(strangers.map((e) => e.type))).toEqual(new Set(ESTABLISHMENT_EVENT_TYPES));
  });

  it.each(strangers.map((e) => [e.type, e] as const))(
    'evolve never throws on %s with unknown ids',
    (_type, event) => {
      const h = chengguan();
      const before = JSON.stringify(viewAsOf(h.facts));
      expect(() => h.record('2013-01-01', [event])).not.toThrow();
      // Dates older events froze at decision time are not read (EST-8); the rest is the event.
      expect(h.facts.at(-1)?.event).toEqual(withoutFrozenDates(event));
      // The known part of the map is untouched.
      const after = viewAsOf(h.facts);
      expect(after.areas['a-dfh']).toEqual(JSON.parse(before).areas['a-dfh']);
      expect(after.communities.dongfanghong).toEqual(JSON.parse(before).communities.dongfanghong);
    },
  );

  it('evolve never throws when all of them arrive in one decision, backfilled before the map begins', () => {
    const h = chengguan();
    expect(() => h.record('2001-01-01', strangers)).not.toThrow();
    expect(() => viewAsOf(h.facts, '2010-01-01')).not.toThrow();
    expect(() => coverageFindings(h.facts)).not.toThrow();
  });

  it('evolve through the decider interface folds the same state as decide produced it', () => {
    const decider = establishmentDecider(DEFAULT_POLICY);
    const ctx = commandContext('2005-03-01');
    let state = decider.initialState();
    const events = decider.decide(
      command('EstablishCommittee', {
        communityId: 'dongfanghong',
        committeeId: 'dfh-rc',
        name: '东方红社区居民委员会',
        newAreas: [
          {
            areaId: 'a-dfh',
            name: '东方红老城片区',
            kind: 'existing-town-area',
            subDistrict: '雁滩街道',
            households: 600,
          },
        ],
      }),
      state,
      ctx,
    );
    events.forEach((event, i) => {
      state = decider.evolve(state, event, {
        effectiveAt: '2005-03-01',
        recordedAt: '2026-07-01T00:00:01.000Z',
        eventId: `00000000-0000-4000-8000-00000000000${i + 1}`,
        streamRevision: i,
        correlationId: 'corr-1',
        actor: { subject: 'clerk', districtScope: '620102' },
        legalBasis: '城关区民发〔2005〕1号',
      });
    });
    expect(activeBodiesOf(state.view, 'a-dfh')).toEqual([
      { kind: 'own-committee', communityId: 'dongfanghong', committeeId: 'dfh-rc' },
    ]);
  });
});

describe('viewAsOf given the story of 雁滩新苑', () => {
  it('shows the map of a past date: the residents group before the committee, the committee after', () => {
    const h = withNewEstate(chengguan());
    h.do('ReportOccupancy', { areaId: 'a-ytxy', occupiedHouseholds: 400 }, '2012-09-01');
    h.do(
      'EstablishCommittee',
      {
        communityId: 'yantan-xinyuan',
        committeeId: 'ytxy-rc',
        name: '雁滩新苑社区居民委员会',
        areaIds: ['a-ytxy'],
      },
      '2013-01-01',
    );
    const past = viewAsOf(h.facts, '2012-12-31');
    expect(past.asOf).toBe('2012-12-31');
    expect(past.communities['yantan-xinyuan']).toBeUndefined();
    expect(activeBodiesOf(past, 'a-ytxy')).toEqual([
      { kind: 'residents-group', groupId: 'g-ytxy', attachedToCommunityId: 'dongfanghong' },
    ]);
    expect(past.areas['a-ytxy'].obligation).toMatchObject({ openedOn: '2012-09-01', closedOn: null });
    expect(past.groups['g-ytxy'].disbandedOn).toBeNull();

    const now = viewAsOf(h.facts);
    expect(activeBodiesOf(now, 'a-ytxy')).toEqual([
      { kind: 'own-committee', communityId: 'yantan-xinyuan', committeeId: 'ytxy-rc' },
    ]);
    expect(now.areas['a-ytxy'].obligation).toMatchObject({
      closedOn: '2013-01-01',
      closedByCommunityId: 'yantan-xinyuan',
    });
    expect(viewAsOf(h.facts, '2005-02-28').areas).toEqual({});
  });

  it('a backfilled event refolds the view so it matches the fold in effective-date order', () => {
    const h = chengguan();
    h.do(
      'RegisterArea',
      {
        areaId: 'a-glr-south',
        name: '皋兰路南片',
        kind: 'existing-town-area',
        subDistrict: '皋兰路街道',
        households: 200,
        adjacentAreaIds: ['a-glr', 'a-dfh'],
        responsibility: { kind: 'proxy', communityId: 'dongfanghong' },
      },
      '2012-03-01',
    );
    // From the archive: effective in 2010, recorded after the 2012 registration.
    h.do(
      'RegisterArea',
      {
        areaId: 'a-glr-east',
        name: '皋兰路东片',
        kind: 'existing-town-area',
        subDistrict: '皋兰路街道',
        households: 250,
        adjacentAreaIds: ['a-glr'],
        responsibility: { kind: 'proxy', communityId: 'gaolanlu' },
      },
      '2010-05-01',
    );
    expect(h.view.areas['a-glr'].adjacentAreaIds).toEqual(['a-glr-east', 'a-glr-south']);
    expect(JSON.stringify({ ...h.view, asOf: null })).toEqual(JSON.stringify(viewAsOf(h.facts)));
  });
});

describe('timelineOf given the history of 东方红', () => {
  it('lists the community’s decisions in effective-date order with actor, legal basis and rule ids', () => {
    const h = chengguan();
    withNewEstate(h, '2012-03-01');
    h.do('RenameCommittee', { communityId: 'dongfanghong', name: '东方红街社区居民委员会' }, '2013-06-01', {
      legalBasis: '城关区民发〔2013〕45号',
      actor: { subject: 'clerk-chengguan-02', districtScope: '620102' },
    });
    h.do(
      'MergeCommittees',
      {
        sourceCommunityIds: ['dongfanghong', 'gaolanlu'],
        communityId: 'dongfang-gaolan',
        committeeId: 'dg-rc',
        name: '东方红皋兰路社区居民委员会',
      },
      '2014-06-01',
      { legalBasis: '兰政发〔2014〕30号' },
    );

    // An archive import recorded after the merger, effective in 2008 (decide would refuse it, EST-8).
    h.record(
      '2008-07-01',
      [
        {
          type: 'PartyOrganizationSetUp',
          data: { communityId: 'dongfanghong', name: '中共东方红社区支部' },
          ruleIds: ['ORG-1'],
        },
      ],
      { legalBasis: '城关区委组发〔2008〕7号' },
    );

    const timeline = timelineOf(h.facts, 'community:dongfanghong');
    expect(timeline.map((e) => [e.type, e.effectiveAt])).toEqual([
      ['CommitteeEstablished', '2005-03-01'],
      ['AreaRegistered', '2005-03-01'],
      ['PartyOrganizationSetUp', '2008-07-01'],
      ['AreaRegistered', '2012-03-01'],
      ['CommitteeRenamed', '2013-06-01'],
      ['CommitteesMerged', '2014-06-01'],
    ]);
    const rename = timeline.find((e) => e.type === 'CommitteeRenamed');
    expect(rename).toMatchObject({
      actor: { subject: 'clerk-chengguan-02', districtScope: '620102' },
      legalBasis: '城关区民发〔2013〕45号',
      ruleIds: ['EST-8'],
      originalEffectiveAt: '2013-06-01',
      corrected: false,
      annulled: false,
      correctedBy: [],
      data: expect.objectContaining({ previousName: '东方红社区居民委员会', name: '东方红街社区居民委员会' }),
    });
    const merged = timeline.find((e) => e.type === 'CommitteesMerged');
    expect(merged).toMatchObject({
      legalBasis: '兰政发〔2014〕30号',
      actor: { subject: 'clerk-chengguan-01', districtScope: '620102' },
    });
    expect(merged?.ruleIds).toEqual(expect.arrayContaining(['EST-8', 'EST-7', 'EST-9']));
    expect(timeline.find((e) => e.type === 'PartyOrganizationSetUp')).toMatchObject({
      legalBasis: '城关区委组发〔2008〕7号',
      ruleIds: ['ORG-1'],
    });
  });

  it('lists nothing for an entity nobody decided on', () => {
    expect(timelineOf(chengguan().facts, 'community:xigu')).toEqual([]);
  });
});

describe('EST-7 coverageFindings given the archive recorded an overlap', () => {
  it('EST-7 lists an overlap while two bodies were responsible, and when it ended', () => {
    const h = withNewEstate(chengguan());
    h.record('2012-06-01', [
      {
        type: 'ProxyManagementStarted',
        data: { areaId: 'a-ytxy', byCommunityId: 'dongfanghong', byCommitteeId: 'dfh-rc' },
        ruleIds: ['EST-3'],
      },
    ]);
    h.record('2012-08-01', [
      {
        type: 'ResidentsGroupDisbanded',
        data: { groupId: 'g-ytxy', areaId: 'a-ytxy', reason: '档案：居民小组撤销' },
        ruleIds: ['EST-3'],
      },
    ]);
    expect(coverageFindings(h.facts)).toEqual([
      {
        areaId: 'a-ytxy',
        problem: 'overlap',
        from: '2012-06-01',
        to: '2012-08-01',
        bodies: [
          { kind: 'residents-group', groupId: 'g-ytxy', attachedToCommunityId: 'dongfanghong' },
          { kind: 'proxy', communityId: 'dongfanghong', committeeId: 'dfh-rc' },
        ],
      },
    ]);
  });

  it('EST-7 a district given only as raw past events is folded like one built by commands', () => {
    const h = given([
      {
        on: '2005-03-01',
        events: [
          {
            type: 'CommitteeEstablished',
            ruleIds: ['EST-8'],
            data: {
              communityId: 'dongfanghong',
              committeeId: 'dfh-rc',
              name: '东方红社区居民委员会',
              areaIds: ['a-dfh'],
              coexistingVillageCommittees: [],
              householdRange: { ...range, households: 600, withinRange: true },
            },
          },
          {
            type: 'AreaRegistered',
            ruleIds: ['EST-1'],
            data: {
              areaId: 'a-dfh',
              name: '东方红老城片区',
              kind: 'existing-town-area',
              subDistrict: '雁滩街道',
              households: 600,
              adjacentAreaIds: [],
              villageCommittee: null,
              migrantScale: null,
              responsibility: { kind: 'own-committee', communityId: 'dongfanghong', committeeId: 'dfh-rc' },
              residentsGroupName: null,
            },
          },
        ],
      },
    ]);
    const byCommands = chengguan().view;
    expect(h.view.communities.dongfanghong).toEqual(byCommands.communities.dongfanghong);
    expect(h.view.areas['a-dfh']).toEqual(byCommands.areas['a-dfh']);
    expect(activeBodiesOf(h.view, 'a-dfh')).toHaveLength(1);
    expect(coverageFindings(h.facts)).toEqual([]);
  });
});
