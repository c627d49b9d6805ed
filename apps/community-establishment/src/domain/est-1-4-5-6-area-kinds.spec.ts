import { AREA_KINDS, type AreaKind, type ResponsibilityRequest } from './commands';
import { DEFAULT_POLICY } from './policy';
import { coverageFindings, responsibilityOn } from './queries';
import { activeBodiesOf } from './state';
import { chengguan, history, type History } from './testing/given-when-then';

/** EST-1 area kinds; EST-4 urban-rural fringe; EST-5 village-to-residence; EST-6 migrant areas. */

const group = (groupId: string) => ({
  kind: 'residents-group' as const,
  groupId,
  groupName: `${groupId} 居民小组`,
  attachedToCommunityId: 'dongfanghong',
});

const area = (areaId: string, kind: AreaKind, households = 300) => ({
  areaId,
  name: `${areaId} 片区`,
  kind,
  subDistrict: '雁滩街道',
  households,
  adjacentAreaIds: ['a-dfh'],
});

describe('EST-1 given 东方红 and 皋兰路', () => {
  let h: History;
  beforeEach(() => {
    h = chengguan();
  });

  it.each(AREA_KINDS.filter((k) => k !== 'village-to-residence-conversion'))(
    'EST-1 registers an area of kind %s',
    (kind) => {
      const registered = h
        .when(
          'RegisterArea',
          {
            ...area('a-new', kind),
            villageCommittee: kind === 'urban-rural-fringe' ? { name: '雁滩村村民委员会' } : undefined,
            responsibility: group('g-new'),
          },
          '2012-03-01',
        )
        .eventOf('AreaRegistered');
      expect(registered.data).toMatchObject({
        areaId: 'a-new',
        kind,
        households: 300,
        subDistrict: '雁滩街道',
      });
      expect(registered.ruleIds).toContain('EST-1');
    },
  );

  it('EST-1 registers a village-to-residence conversion (the seventh kind) through ConvertVillageToResidence', () => {
    const registered = h
      .when(
        'ConvertVillageToResidence',
        {
          areaId: 'a-new',
          name: '雁滩村',
          subDistrict: '雁滩街道',
          households: 300,
          adjacentAreaIds: ['a-dfh'],
          formerVillageCommittee: { name: '雁滩村村民委员会' },
          responsibility: group('g-new'),
        },
        '2012-03-01',
      )
      .eventOf('AreaRegistered');
    expect(registered.data.kind).toBe('village-to-residence-conversion');
    expect(registered.ruleIds).toContain('EST-1');
  });

  it('EST-1 refuses a duplicate area id', () => {
    h.when(
      'RegisterArea',
      { ...area('a-dfh', 'existing-town-area'), adjacentAreaIds: [], responsibility: group('g-dup') },
      '2012-03-01',
    ).thenRefused('EST-1');
  });

  it('EST-1 refuses a duplicate area id in a village conversion', () => {
    h.when(
      'ConvertVillageToResidence',
      {
        areaId: 'a-glr',
        name: '皋兰路',
        subDistrict: '皋兰路街道',
        households: 300,
        formerVillageCommittee: { name: '某村村民委员会' },
        responsibility: group('g-dup'),
      },
      '2012-03-01',
    ).thenRefused('EST-1');
  });

  it('EST-1 refuses a duplicate area id among the areas founded with a committee', () => {
    h.when(
      'EstablishCommittee',
      {
        communityId: 'xin-cheng',
        committeeId: 'xc-rc',
        name: '新城社区居民委员会',
        newAreas: [
          {
            areaId: 'a-glr',
            name: '皋兰路',
            kind: 'existing-town-area',
            subDistrict: '皋兰路街道',
            households: 400,
          },
        ],
      },
      '2012-03-01',
    ).thenRefused('EST-1');
  });

  it('EST-1 answers NotFound for an adjacent area that is not registered', () => {
    h.when(
      'RegisterArea',
      {
        ...area('a-new', 'existing-town-area'),
        adjacentAreaIds: ['a-unknown'],
        responsibility: group('g-new'),
      },
      '2012-03-01',
    ).thenNotFound('area', 'a-unknown');
  });

  it('EST-1 answers NotFound for an area founded with a committee next to an area that is not registered', () => {
    h.when(
      'EstablishCommittee',
      {
        communityId: 'xin-cheng',
        committeeId: 'xc-rc',
        name: '新城社区居民委员会',
        newAreas: [{ ...area('a-new', 'existing-town-area'), adjacentAreaIds: ['a-dfh', 'a-unknown'] }],
      },
      '2012-03-01',
    ).thenNotFound('area', 'a-unknown');
  });

  it('EST-1 founds a district’s first committee together with its first area', () => {
    history()
      .when(
        'EstablishCommittee',
        {
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
        },
        '2005-03-01',
      )
      .thenEvents('EST-1', [
        {
          type: 'CommitteeEstablished',
          data: expect.objectContaining({ communityId: 'dongfanghong', areaIds: ['a-dfh'] }),
        },
        {
          type: 'AreaRegistered',
          data: expect.objectContaining({
            areaId: 'a-dfh',
            kind: 'existing-town-area',
            responsibility: { kind: 'own-committee', communityId: 'dongfanghong', committeeId: 'dfh-rc' },
          }),
          ruleIds: ['EST-1'],
        },
      ]);
  });
});

describe('EST-4 given 东方红 next to the urban-rural fringe of 雁滩村', () => {
  let h: History;
  beforeEach(() => {
    h = chengguan();
  });

  it('EST-4 refuses an urban-rural fringe area without its village committee', () => {
    h.when(
      'RegisterArea',
      {
        ...area('a-ytc', 'urban-rural-fringe'),
        responsibility: { kind: 'proxy', communityId: 'dongfanghong' },
      },
      '2012-03-01',
    ).thenRefused('EST-4', { field: 'villageCommittee' });
  });

  it('EST-4 records the village committee an urban-rural fringe area coexists with', () => {
    h.when(
      'RegisterArea',
      {
        ...area('a-ytc', 'urban-rural-fringe'),
        villageCommittee: { name: '雁滩村村民委员会' },
        responsibility: { kind: 'proxy', communityId: 'dongfanghong' },
      },
      '2012-03-01',
    ).thenEvents('EST-4', [
      {
        type: 'AreaRegistered',
        data: expect.objectContaining({ areaId: 'a-ytc', villageCommittee: { name: '雁滩村村民委员会' } }),
        ruleIds: ['EST-4'],
      },
    ]);
  });

  it('EST-4 refuses a village committee on an area of another kind', () => {
    h.when(
      'RegisterArea',
      {
        ...area('a-ytxy', 'new-residential-estate'),
        villageCommittee: { name: '雁滩村村民委员会' },
        responsibility: group('g-ytxy'),
      },
      '2012-03-01',
    ).thenRefused('EST-4', { field: 'villageCommittee', kind: 'new-residential-estate' });
  });

  describe('given the fringe area a-ytc registered with 雁滩村村民委员会', () => {
    beforeEach(() => {
      h.do(
        'RegisterArea',
        {
          ...area('a-ytc', 'urban-rural-fringe', 450),
          villageCommittee: { name: '雁滩村村民委员会' },
          responsibility: { kind: 'proxy', communityId: 'dongfanghong' },
        },
        '2012-03-01',
      );
    });

    it('EST-4 a committee established there records the coexisting village committee', () => {
      h.when(
        'EstablishCommittee',
        {
          communityId: 'yantan-cun',
          committeeId: 'ytc-rc',
          name: '雁滩村社区居民委员会',
          areaIds: ['a-ytc'],
        },
        '2013-01-01',
      ).thenEvents('EST-4', [
        {
          type: 'ProxyManagementEnded',
          data: expect.objectContaining({ areaId: 'a-ytc', byCommunityId: 'dongfanghong' }),
        },
        {
          type: 'CommitteeEstablished',
          data: expect.objectContaining({
            communityId: 'yantan-cun',
            areaIds: ['a-ytc'],
            coexistingVillageCommittees: ['雁滩村村民委员会'],
          }),
          ruleIds: ['EST-4'],
        },
      ]);
    });

    it('EST-4 the village committee is not a responsible body: the area has exactly one', () => {
      h.do(
        'EstablishCommittee',
        {
          communityId: 'yantan-cun',
          committeeId: 'ytc-rc',
          name: '雁滩村社区居民委员会',
          areaIds: ['a-ytc'],
        },
        '2013-01-01',
      );
      expect(h.view.communities['yantan-cun'].coexistingVillageCommittees).toEqual(['雁滩村村民委员会']);
      expect(activeBodiesOf(h.view, 'a-ytc')).toEqual([
        { kind: 'own-committee', communityId: 'yantan-cun', committeeId: 'ytc-rc' },
      ]);
      const answer = responsibilityOn(h.facts, 'a-ytc', '2013-06-01');
      expect(answer.bodies.map((b) => b.body)).toEqual([
        { kind: 'own-committee', communityId: 'yantan-cun', committeeId: 'ytc-rc' },
      ]);
      expect(coverageFindings(h.facts)).toEqual([]);
    });
  });
});

describe('EST-5 given 东方红 next to the village of 雁滩村', () => {
  let h: History;
  beforeEach(() => {
    h = chengguan();
  });

  const conversion = {
    areaId: 'a-ytc',
    name: '雁滩村',
    subDistrict: '雁滩街道',
    households: 450,
    adjacentAreaIds: ['a-dfh'],
    formerVillageCommittee: { name: '雁滩村村民委员会' },
  };

  it('EST-5 answers NotFound for a conversion listing an adjacent area that is not registered', () => {
    h.when(
      'ConvertVillageToResidence',
      { ...conversion, adjacentAreaIds: ['a-dfh', 'a-nowhere'], responsibility: group('g-ytc') },
      '2013-04-01',
    ).thenNotFound('area', 'a-nowhere');
  });

  it('EST-5 a conversion registers the area, records the former village committee and opens an obligation', () => {
    h.when(
      'ConvertVillageToResidence',
      { ...conversion, responsibility: group('g-ytc') },
      '2013-04-01',
    ).thenEvents('EST-5', [
      {
        type: 'AreaRegistered',
        data: {
          areaId: 'a-ytc',
          name: '雁滩村',
          kind: 'village-to-residence-conversion',
          subDistrict: '雁滩街道',
          households: 450,
          adjacentAreaIds: ['a-dfh'],
          villageCommittee: null,
          migrantScale: null,
          responsibility: {
            kind: 'residents-group',
            groupId: 'g-ytc',
            attachedToCommunityId: 'dongfanghong',
          },
          residentsGroupName: 'g-ytc 居民小组',
        },
      },
      {
        type: 'VillageConvertedToResidence',
        data: { areaId: 'a-ytc', formerVillageCommittee: { name: '雁滩村村民委员会' } },
        ruleIds: ['EST-5'],
      },
      {
        type: 'EstablishmentObligationOpened',
        data: {
          areaId: 'a-ytc',
          reason: 'village-to-residence-conversion',
          dueDays: 180,
          occupancyThreshold: null,
        },
        ruleIds: ['EST-5'],
      },
    ]);
  });

  it('EST-5 the map shows the former village committee of a converted area', () => {
    h.do('ConvertVillageToResidence', { ...conversion, responsibility: group('g-ytc') }, '2013-04-01');
    expect(h.view.areas['a-ytc'].formerVillageCommittee).toEqual({ name: '雁滩村村民委员会' });
    expect(h.view.areas['a-ytc'].villageCommittee).toBeNull();
    expect(h.view.areas['a-ytc'].obligation).toMatchObject({
      reason: 'village-to-residence-conversion',
      closedOn: null,
    });
  });

  it('EST-5 a conversion straight into an existing community’s own committee opens no obligation', () => {
    const events = h
      .when(
        'ConvertVillageToResidence',
        { ...conversion, responsibility: { kind: 'own-committee', communityId: 'dongfanghong' } },
        '2013-04-01',
      )
      .thenAccepted();
    expect(events.map((e) => e.type)).toEqual(['AreaRegistered', 'VillageConvertedToResidence']);
  });

  it('EST-5 refuses to register a village-to-residence conversion with RegisterArea', () => {
    h.when(
      'RegisterArea',
      { ...area('a-ytc', 'village-to-residence-conversion'), responsibility: group('g-ytc') },
      '2013-04-01',
    ).thenRefused('EST-5');
  });

  it('EST-5 the committee set up for a converted area closes its obligation', () => {
    h.do('ConvertVillageToResidence', { ...conversion, responsibility: group('g-ytc') }, '2013-04-01');
    h.when(
      'EstablishCommittee',
      { communityId: 'yantan-cun', committeeId: 'ytc-rc', name: '雁滩村社区居民委员会', areaIds: ['a-ytc'] },
      '2013-08-01',
    ).thenEvents('EST-5', [
      { type: 'ResidentsGroupDisbanded', data: expect.objectContaining({ groupId: 'g-ytc' }) },
      {
        type: 'CommitteeEstablished',
        data: expect.objectContaining({ communityId: 'yantan-cun' }),
        ruleIds: ['EST-5'],
      },
      {
        type: 'EstablishmentObligationClosed',
        data: {
          areaId: 'a-ytc',
          communityId: 'yantan-cun',
          committeeId: 'ytc-rc',
        },
      },
    ]);
  });
});

describe('EST-6 given 东方红 next to migrant-population concentration areas', () => {
  let h: History;
  beforeEach(() => {
    h = chengguan();
  });

  const migrant = (households: number) => area('a-migrant', 'migrant-population-concentration', households);

  it('EST-6 a small migrant area gets a residents group attached to an adjacent community', () => {
    h.when('RegisterArea', { ...migrant(999), responsibility: group('g-migrant') }, '2013-05-01').thenEvents(
      'EST-6',
      [
        {
          type: 'AreaRegistered',
          data: expect.objectContaining({
            areaId: 'a-migrant',
            migrantScale: { scale: 'small', thresholdHouseholds: 1000 },
            responsibility: {
              kind: 'residents-group',
              groupId: 'g-migrant',
              attachedToCommunityId: 'dongfanghong',
            },
          }),
          ruleIds: ['EST-6'],
        },
      ],
    );
  });

  it('EST-6 refuses proxy management for a small migrant area', () => {
    h.when(
      'RegisterArea',
      { ...migrant(999), responsibility: { kind: 'proxy', communityId: 'dongfanghong' } },
      '2013-05-01',
    ).thenRefused('EST-6', { field: 'responsibility', households: 999, threshold: 1000 });
  });

  it('EST-6 refuses an existing community’s own committee for a small migrant area', () => {
    h.when(
      'RegisterArea',
      { ...migrant(999), responsibility: { kind: 'own-committee', communityId: 'dongfanghong' } },
      '2013-05-01',
    ).thenRefused('EST-6', { field: 'responsibility' });
  });

  it('EST-6 refuses a residents group attached to a non-adjacent community', () => {
    h.when(
      'RegisterArea',
      {
        ...migrant(999),
        responsibility: { ...group('g-migrant'), attachedToCommunityId: 'gaolanlu' },
      },
      '2013-05-01',
    ).thenRefused('EST-6', { communityId: 'gaolanlu', areaId: 'a-migrant' });
  });

  it('EST-6 a large migrant area opens an obligation to set up its own committee', () => {
    h.when('RegisterArea', { ...migrant(1000), responsibility: group('g-migrant') }, '2013-05-01').thenEvents(
      'EST-6',
      [
        {
          type: 'AreaRegistered',
          data: expect.objectContaining({ migrantScale: { scale: 'large', thresholdHouseholds: 1000 } }),
          ruleIds: ['EST-6'],
        },
        {
          type: 'EstablishmentObligationOpened',
          data: {
            areaId: 'a-migrant',
            reason: 'large-migrant-area',
            dueDays: 180,
            occupancyThreshold: null,
          },
          ruleIds: ['EST-6'],
        },
      ],
    );
  });

  it('EST-6 the size threshold is the policy’s largeMigrantAreaHouseholds', () => {
    const lower = chengguan({ ...DEFAULT_POLICY, largeMigrantAreaHouseholds: 500 });
    const events = lower
      .when('RegisterArea', { ...migrant(600), responsibility: group('g-migrant') }, '2013-05-01')
      .thenAccepted();
    expect(events.map((e) => e.type)).toEqual(['AreaRegistered', 'EstablishmentObligationOpened']);
    expect(events[0].data).toMatchObject({ migrantScale: { scale: 'large', thresholdHouseholds: 500 } });
  });

  it('EST-6 refuses a later residents group for a small migrant area attached to a non-adjacent community', () => {
    h.do('RegisterArea', { ...migrant(400), responsibility: group('g-migrant') }, '2013-05-01');
    h.when(
      'FormResidentsGroup',
      {
        groupId: 'g-migrant-2',
        name: '流动人口居民小组',
        areaId: 'a-migrant',
        attachedToCommunityId: 'gaolanlu',
      },
      '2013-08-01',
    ).thenRefused('EST-6', { communityId: 'gaolanlu' });
  });

  describe('given a small migrant area under a group of 东方红, also next to 皋兰路, when 东方红 is dissolved', () => {
    const dissolve = (migrantSuccessor: ResponsibilityRequest) =>
      h.when(
        'DissolveCommittee',
        {
          communityId: 'dongfanghong',
          areaSuccessors: [
            { areaId: 'a-dfh', successor: { kind: 'own-committee', communityId: 'gaolanlu' } },
            { areaId: 'a-migrant', successor: migrantSuccessor },
          ],
          reason: '辖区调整',
        },
        '2015-01-01',
      );
    beforeEach(() => {
      h.do('RegisterArea', { ...migrant(400), responsibility: group('g-migrant') }, '2013-05-01');
      h.do('RecordAdjacency', { areaId: 'a-migrant', adjacentAreaIds: ['a-glr'] }, '2013-06-01');
    });

    it('EST-6 re-attaches the area’s residents group to the adjacent successor', () => {
      dissolve({
        kind: 'residents-group',
        groupId: 'g-migrant-glr',
        groupName: '流动人口居民小组',
        attachedToCommunityId: 'gaolanlu',
      }).thenEvents('EST-6', [
        { type: 'ResidentsGroupDisbanded', data: expect.objectContaining({ groupId: 'g-migrant' }) },
        { type: 'CommitteeDissolved', data: expect.objectContaining({ communityId: 'dongfanghong' }) },
        {
          type: 'AreaTransferred',
          data: expect.objectContaining({ areaId: 'a-dfh', toCommunityId: 'gaolanlu' }),
        },
        {
          type: 'ResidentsGroupFormed',
          data: {
            groupId: 'g-migrant-glr',
            name: '流动人口居民小组',
            areaId: 'a-migrant',
            attachedToCommunityId: 'gaolanlu',
          },
          ruleIds: ['EST-6'],
        },
      ]);
    });

    it('EST-6 refuses proxy management as the successor for the area', () => {
      dissolve({ kind: 'proxy', communityId: 'gaolanlu' }).thenRefused('EST-6', { areaId: 'a-migrant' });
    });
  });

  it('EST-6 refuses switching a small migrant area to proxy management later', () => {
    h.do('RegisterArea', { ...migrant(400), responsibility: group('g-migrant') }, '2013-05-01');
    h.when(
      'StartProxyManagement',
      { areaId: 'a-migrant', byCommunityId: 'dongfanghong' },
      '2013-08-01',
    ).thenRefused('EST-6', { field: 'responsibility', areaId: 'a-migrant', threshold: 1000 });
  });
});

describe('EST-6 given 东方红 next to a large migrant-population area (1,200 households)', () => {
  let h: History;
  beforeEach(() => {
    h = chengguan();
  });
  const large = area('a-migrant', 'migrant-population-concentration', 1200);

  it('EST-6 a large migrant area may be proxy-managed until its own committee, and opens the obligation', () => {
    h.when(
      'RegisterArea',
      { ...large, responsibility: { kind: 'proxy', communityId: 'dongfanghong' } },
      '2013-05-01',
    ).thenEvents('EST-6', [
      {
        type: 'AreaRegistered',
        data: expect.objectContaining({
          migrantScale: { scale: 'large', thresholdHouseholds: 1000 },
          responsibility: { kind: 'proxy', communityId: 'dongfanghong', committeeId: 'dfh-rc' },
        }),
        ruleIds: ['EST-1', 'EST-3', 'EST-6', 'EST-7'],
      },
      {
        type: 'EstablishmentObligationOpened',
        data: { areaId: 'a-migrant', reason: 'large-migrant-area', dueDays: 180, occupancyThreshold: null },
        ruleIds: ['EST-6'],
      },
    ]);
  });

  it('EST-6 a large migrant area under a committee of its own from the start opens no obligation', () => {
    const events = h
      .when(
        'EstablishCommittee',
        {
          communityId: 'liudong',
          committeeId: 'ld-rc',
          name: '流动人口社区居民委员会',
          newAreas: [{ ...large, adjacentAreaIds: ['a-dfh'] }],
        },
        '2013-05-01',
      )
      .thenAccepted();
    expect(events.map((e) => e.type)).toEqual(['CommitteeEstablished', 'AreaRegistered']);
    expect(events[0].ruleIds).toEqual(expect.arrayContaining(['EST-6', 'EST-7', 'EST-8', 'EST-9', 'ORG-1']));
    expect(events[0].ruleIds).not.toContain('EST-2');
    expect(events[1].ruleIds).toEqual(expect.arrayContaining(['EST-1', 'EST-6', 'EST-7']));
    expect(events[1].ruleIds).not.toContain('EST-3');
    expect(events[1].data).toMatchObject({ migrantScale: { scale: 'large', thresholdHouseholds: 1000 } });
  });

  it('EST-6 refuses a small migrant area founded with a committee of its own', () => {
    h.when(
      'EstablishCommittee',
      {
        communityId: 'liudong',
        committeeId: 'ld-rc',
        name: '流动人口社区居民委员会',
        newAreas: [area('a-migrant', 'migrant-population-concentration', 400)],
      },
      '2013-05-01',
    ).thenRefused('EST-6', { field: 'responsibility', households: 400, threshold: 1000 });
  });

  it('EST-6 a large migrant area under an existing community’s own committee opens no obligation', () => {
    h.when(
      'RegisterArea',
      { ...large, responsibility: { kind: 'own-committee', communityId: 'dongfanghong' } },
      '2013-05-01',
    ).thenEvents('EST-6', [
      {
        type: 'AreaRegistered',
        data: expect.objectContaining({
          migrantScale: { scale: 'large', thresholdHouseholds: 1000 },
          responsibility: { kind: 'own-committee', communityId: 'dongfanghong', committeeId: 'dfh-rc' },
        }),
        ruleIds: ['EST-1', 'EST-6', 'EST-7'],
      },
    ]);
  });

  it('EST-6 a large migrant area under a residents group may later be proxy-managed', () => {
    h.do('RegisterArea', { ...large, responsibility: group('g-migrant') }, '2013-05-01');
    h.when(
      'StartProxyManagement',
      { areaId: 'a-migrant', byCommunityId: 'dongfanghong' },
      '2013-08-01',
    ).thenEvents('EST-3', [
      { type: 'ResidentsGroupDisbanded', data: expect.objectContaining({ groupId: 'g-migrant' }) },
      {
        type: 'ProxyManagementStarted',
        data: { areaId: 'a-migrant', byCommunityId: 'dongfanghong', byCommitteeId: 'dfh-rc' },
      },
    ]);
  });
});

describe('EST-2/4/5/6 a committee’s establishment cites the rules of the kinds of area it covers', () => {
  it('EST-2 EST-4 EST-6 a committee over three kinds of area cites each kind’s rule', () => {
    const h = chengguan();
    const established = h
      .when(
        'EstablishCommittee',
        {
          communityId: 'yantan',
          committeeId: 'yt-rc',
          name: '雁滩社区居民委员会',
          newAreas: [
            { ...area('a-estate', 'new-residential-estate'), adjacentAreaIds: [] },
            {
              ...area('a-fringe', 'urban-rural-fringe'),
              adjacentAreaIds: [],
              villageCommittee: { name: '雁滩村村民委员会' },
            },
            { ...area('a-migrant', 'migrant-population-concentration', 1200), adjacentAreaIds: [] },
          ],
        },
        '2013-01-01',
      )
      .eventOf('CommitteeEstablished');
    expect([...established.ruleIds].sort()).toEqual([
      'EST-2',
      'EST-4',
      'EST-6',
      'EST-7',
      'EST-8',
      'EST-9',
      'ORG-1',
    ]);
  });

  it('EST-5 a committee over a converted village cites EST-5, and over a town area only the common rules', () => {
    const h = chengguan();
    h.do(
      'ConvertVillageToResidence',
      {
        areaId: 'a-ytc',
        name: '雁滩村改居片区',
        subDistrict: '雁滩街道',
        households: 500,
        adjacentAreaIds: ['a-dfh'],
        formerVillageCommittee: { name: '雁滩村村民委员会' },
        responsibility: group('g-ytc'),
      },
      '2013-01-01',
    );
    const converted = h
      .when(
        'EstablishCommittee',
        {
          communityId: 'yantan-cun',
          committeeId: 'ytc-rc',
          name: '雁滩村社区居民委员会',
          areaIds: ['a-ytc'],
        },
        '2013-06-01',
      )
      .eventOf('CommitteeEstablished');
    expect([...converted.ruleIds].sort()).toEqual(['EST-5', 'EST-7', 'EST-8', 'EST-9', 'ORG-1']);
    const town = h
      .when(
        'EstablishCommittee',
        {
          communityId: 'yantan',
          committeeId: 'yt-rc',
          name: '雁滩社区居民委员会',
          newAreas: [{ ...area('a-town', 'existing-town-area'), adjacentAreaIds: [] }],
        },
        '2013-06-01',
      )
      .eventOf('CommitteeEstablished');
    expect([...town.ruleIds].sort()).toEqual(['EST-7', 'EST-8', 'EST-9', 'ORG-1']);
  });
});
