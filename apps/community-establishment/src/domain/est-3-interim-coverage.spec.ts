import type { ResponsibilityRequest } from './commands';
import { activeBodiesOf } from './state';
import { chengguan, withNewEstate, withWestArea, type History } from './testing/given-when-then';

/** EST-3: until it has its own committee, a new estate has a residents' group or an adjacent proxy. */

const newEstate = {
  areaId: 'a-ytxy',
  name: '雁滩新苑',
  kind: 'new-residential-estate' as const,
  subDistrict: '雁滩街道',
  households: 800,
  adjacentAreaIds: ['a-dfh'],
};

describe('EST-3 given 东方红 (next to the new estate) and 皋兰路 (not next to it)', () => {
  let h: History;
  beforeEach(() => {
    h = chengguan();
  });

  it('EST-3 a new estate registers under a residents group attached to an adjacent community', () => {
    h.when(
      'RegisterArea',
      {
        ...newEstate,
        responsibility: {
          kind: 'residents-group',
          groupId: 'g-ytxy',
          groupName: '雁滩新苑居民小组',
          attachedToCommunityId: 'dongfanghong',
        },
      },
      '2012-03-01',
    ).thenEvents('EST-3', [
      {
        type: 'AreaRegistered',
        data: {
          ...newEstate,
          villageCommittee: null,
          migrantScale: null,
          responsibility: {
            kind: 'residents-group',
            groupId: 'g-ytxy',
            attachedToCommunityId: 'dongfanghong',
          },
          residentsGroupName: '雁滩新苑居民小组',
        },
        ruleIds: ['EST-1', 'EST-3', 'EST-7'],
      },
    ]);
  });

  it('EST-3 a new estate registers under proxy management by an adjacent community', () => {
    h.when(
      'RegisterArea',
      { ...newEstate, responsibility: { kind: 'proxy', communityId: 'dongfanghong' } },
      '2012-03-01',
    ).thenEvents('EST-3', [
      {
        type: 'AreaRegistered',
        data: expect.objectContaining({
          areaId: 'a-ytxy',
          responsibility: { kind: 'proxy', communityId: 'dongfanghong', committeeId: 'dfh-rc' },
          residentsGroupName: null,
        }),
        ruleIds: ['EST-3'],
      },
    ]);
  });

  it('EST-3 refuses to register a new estate under proxy management by a non-adjacent community', () => {
    h.when(
      'RegisterArea',
      { ...newEstate, responsibility: { kind: 'proxy', communityId: 'gaolanlu' } },
      '2012-03-01',
    ).thenRefused('EST-3', { communityId: 'gaolanlu', areaId: 'a-ytxy' });
  });

  it('EST-3 answers NotFound for a proxy community that does not exist', () => {
    h.when(
      'RegisterArea',
      { ...newEstate, responsibility: { kind: 'proxy', communityId: 'no-such-community' } },
      '2012-03-01',
    ).thenNotFound('community', 'no-such-community');
  });
});

describe('EST-3 given the new estate under the residents group g-ytxy', () => {
  let h: History;
  beforeEach(() => {
    h = withNewEstate(chengguan());
  });

  it('EST-3 starting proxy management ends the residents group in the same decision', () => {
    h.when(
      'StartProxyManagement',
      { areaId: 'a-ytxy', byCommunityId: 'dongfanghong' },
      '2012-06-01',
    ).thenEvents('EST-3', [
      {
        type: 'ResidentsGroupDisbanded',
        data: { groupId: 'g-ytxy', areaId: 'a-ytxy', reason: 'proxy management by dongfanghong started' },
        ruleIds: ['EST-3'],
      },
      {
        type: 'ProxyManagementStarted',
        data: { areaId: 'a-ytxy', byCommunityId: 'dongfanghong', byCommitteeId: 'dfh-rc' },
        ruleIds: ['EST-3', 'EST-7', 'EST-8'],
      },
    ]);
    const recorded = h
      .when('StartProxyManagement', { areaId: 'a-ytxy', byCommunityId: 'dongfanghong' }, '2012-06-01')
      .andRecord();
    expect(new Set(recorded.map((r) => r.correlationId)).size).toBe(1);
    expect(activeBodiesOf(h.view, 'a-ytxy')).toEqual([
      { kind: 'proxy', communityId: 'dongfanghong', committeeId: 'dfh-rc' },
    ]);
    expect(h.view.groups['g-ytxy'].disbandedOn).toBe('2012-06-01');
  });

  it('EST-3 refuses proxy management by a non-adjacent community', () => {
    h.when('StartProxyManagement', { areaId: 'a-ytxy', byCommunityId: 'gaolanlu' }, '2012-06-01').thenRefused(
      'EST-3',
      { communityId: 'gaolanlu', areaId: 'a-ytxy' },
    );
  });

  it('EST-3 refuses ending proxy management of an area that is not under proxy management', () => {
    h.when(
      'EndProxyManagement',
      { areaId: 'a-ytxy', successor: { kind: 'own-committee', communityId: 'gaolanlu' } },
      '2012-06-01',
    ).thenRefused('EST-3');
  });

  it('EST-3 refuses a second residents group with an id already in use', () => {
    h.when(
      'FormResidentsGroup',
      {
        groupId: 'g-ytxy',
        name: '雁滩新苑第二居民小组',
        areaId: 'a-ytxy',
        attachedToCommunityId: 'dongfanghong',
      },
      '2012-06-01',
    ).thenRefused('EST-3');
  });
});

describe('EST-3 given the new estate under proxy management by 东方红', () => {
  let h: History;
  beforeEach(() => {
    h = withNewEstate(chengguan());
    h.do('StartProxyManagement', { areaId: 'a-ytxy', byCommunityId: 'dongfanghong' }, '2012-06-01');
  });

  it('EST-3 ending proxy management hands the area to a residents group in the same decision', () => {
    h.do('RecordAdjacency', { areaId: 'a-ytxy', adjacentAreaIds: ['a-glr'] }, '2012-12-01');
    h.when(
      'EndProxyManagement',
      {
        areaId: 'a-ytxy',
        successor: {
          kind: 'residents-group',
          groupId: 'g-ytxy-2',
          groupName: '雁滩新苑业主居民小组',
          attachedToCommunityId: 'gaolanlu',
        },
      },
      '2013-01-01',
    ).thenEvents('EST-3', [
      {
        type: 'ProxyManagementEnded',
        data: {
          areaId: 'a-ytxy',
          byCommunityId: 'dongfanghong',
          byCommitteeId: 'dfh-rc',
          reason: 'successor arrangement recorded',
        },
        ruleIds: ['EST-3', 'EST-8'],
      },
      {
        type: 'ResidentsGroupFormed',
        data: {
          groupId: 'g-ytxy-2',
          name: '雁滩新苑业主居民小组',
          areaId: 'a-ytxy',
          attachedToCommunityId: 'gaolanlu',
        },
        ruleIds: ['EST-3'],
      },
    ]);
  });

  it('EST-3 a residents group formed for the area ends the proxy management', () => {
    h.when(
      'FormResidentsGroup',
      {
        groupId: 'g-ytxy-2',
        name: '雁滩新苑业主居民小组',
        areaId: 'a-ytxy',
        attachedToCommunityId: 'dongfanghong',
      },
      '2013-01-01',
    ).thenEvents('EST-3', [
      {
        type: 'ProxyManagementEnded',
        data: {
          areaId: 'a-ytxy',
          byCommunityId: 'dongfanghong',
          byCommitteeId: 'dfh-rc',
          reason: "residents' group g-ytxy-2 formed",
        },
      },
      {
        type: 'ResidentsGroupFormed',
        data: {
          groupId: 'g-ytxy-2',
          name: '雁滩新苑业主居民小组',
          areaId: 'a-ytxy',
          attachedToCommunityId: 'dongfanghong',
        },
      },
    ]);
  });
});

describe('EST-3 given the new estate with its own committee', () => {
  let h: History;
  beforeEach(() => {
    h = withNewEstate(chengguan());
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
  });

  it('EST-3 refuses proxy management of an area that already has its own committee', () => {
    h.when(
      'StartProxyManagement',
      { areaId: 'a-ytxy', byCommunityId: 'dongfanghong' },
      '2013-06-01',
    ).thenRefused('EST-3', { areaId: 'a-ytxy', communityId: 'yantan-xinyuan' });
  });

  it('EST-3 refuses a residents group for an area that already has its own committee', () => {
    h.when(
      'FormResidentsGroup',
      {
        groupId: 'g-ytxy-2',
        name: '雁滩新苑居民小组',
        areaId: 'a-ytxy',
        attachedToCommunityId: 'dongfanghong',
      },
      '2013-06-01',
    ).thenRefused('EST-3', { areaId: 'a-ytxy', communityId: 'yantan-xinyuan' });
  });
});

describe('EST-3 adjacency of the new estate', () => {
  let h: History;
  beforeEach(() => {
    h = withNewEstate(chengguan());
  });

  it('EST-3 records that the estate also borders 皋兰路’s area, on both areas', () => {
    h.when('RecordAdjacency', { areaId: 'a-ytxy', adjacentAreaIds: ['a-glr'] }, '2012-12-01')
      .thenEvents('EST-3', [
        {
          type: 'AdjacencyRecorded',
          data: { areaId: 'a-ytxy', adjacentAreaIds: ['a-glr'] },
          ruleIds: ['EST-3'],
        },
      ])
      .andRecord();
    expect(h.view.areas['a-ytxy'].adjacentAreaIds).toEqual(['a-dfh', 'a-glr']);
    expect(h.view.areas['a-glr'].adjacentAreaIds).toEqual(['a-ytxy']);
  });

  it('EST-3 refuses an area adjacent to itself', () => {
    h.when(
      'RecordAdjacency',
      { areaId: 'a-ytxy', adjacentAreaIds: ['a-glr', 'a-ytxy'] },
      '2012-12-01',
    ).thenRefused('EST-3', { other: 'a-ytxy' });
  });

  it('EST-3 answers NotFound for an adjacent area that is not registered', () => {
    h.when(
      'RecordAdjacency',
      { areaId: 'a-ytxy', adjacentAreaIds: ['a-glr', 'a-nowhere'] },
      '2012-12-01',
    ).thenNotFound('area', 'a-nowhere');
  });

  it('EST-3 answers NotFound for adjacency of an area that is not registered', () => {
    h.when('RecordAdjacency', { areaId: 'a-nowhere', adjacentAreaIds: ['a-glr'] }, '2012-12-01').thenNotFound(
      'area',
      'a-nowhere',
    );
  });

  it('EST-3 a community is adjacent through a bordering area of its own, not through the area itself', () => {
    // 皋兰路 becomes adjacent once a-glr borders the estate; before that it is refused.
    h.when(
      'FormResidentsGroup',
      { groupId: 'g-ytxy-2', name: '雁滩新苑居民小组', areaId: 'a-ytxy', attachedToCommunityId: 'gaolanlu' },
      '2012-12-01',
    ).thenRefused('EST-3', { communityId: 'gaolanlu', areaId: 'a-ytxy' });
    h.do('RecordAdjacency', { areaId: 'a-ytxy', adjacentAreaIds: ['a-glr'] }, '2012-12-01');
    h.when(
      'FormResidentsGroup',
      { groupId: 'g-ytxy-2', name: '雁滩新苑居民小组', areaId: 'a-ytxy', attachedToCommunityId: 'gaolanlu' },
      '2012-12-01',
    ).thenEvents('EST-3', [
      {
        type: 'ResidentsGroupDisbanded',
        data: { groupId: 'g-ytxy', areaId: 'a-ytxy', reason: "residents' group g-ytxy-2 formed" },
        ruleIds: ['EST-3'],
      },
      {
        type: 'ResidentsGroupFormed',
        data: {
          groupId: 'g-ytxy-2',
          name: '雁滩新苑居民小组',
          areaId: 'a-ytxy',
          attachedToCommunityId: 'gaolanlu',
        },
        ruleIds: ['EST-3', 'EST-6', 'EST-7'],
      },
    ]);
  });

  it('EST-3 answers NotFound for a residents group of an area that is not registered', () => {
    h.when(
      'FormResidentsGroup',
      { groupId: 'g-x', name: '居民小组', areaId: 'a-nowhere', attachedToCommunityId: 'dongfanghong' },
      '2012-12-01',
    ).thenNotFound('area', 'a-nowhere');
  });
});

describe('EST-3 successors when 东方红’s proxy management of the estate ends (the estate also borders 皋兰路)', () => {
  let h: History;
  beforeEach(() => {
    h = withNewEstate(chengguan());
    h.do('StartProxyManagement', { areaId: 'a-ytxy', byCommunityId: 'dongfanghong' }, '2012-06-01');
    h.do('RecordAdjacency', { areaId: 'a-ytxy', adjacentAreaIds: ['a-glr'] }, '2012-12-01');
  });
  const end = (successor: ResponsibilityRequest) =>
    h.when('EndProxyManagement', { areaId: 'a-ytxy', successor }, '2013-01-01');
  const ended = {
    type: 'ProxyManagementEnded' as const,
    data: {
      areaId: 'a-ytxy',
      byCommunityId: 'dongfanghong',
      byCommitteeId: 'dfh-rc',
      reason: 'successor arrangement recorded',
    },
    ruleIds: ['EST-3', 'EST-8'],
  };

  it('EST-3 another adjacent community takes over as proxy', () => {
    end({ kind: 'proxy', communityId: 'gaolanlu' })
      .thenEvents('EST-3', [
        ended,
        {
          type: 'ProxyManagementStarted',
          data: { areaId: 'a-ytxy', byCommunityId: 'gaolanlu', byCommitteeId: 'glr-rc' },
          ruleIds: ['EST-3', 'EST-7', 'EST-8'],
        },
      ])
      .andRecord();
    expect(activeBodiesOf(h.view, 'a-ytxy')).toEqual([
      { kind: 'proxy', communityId: 'gaolanlu', committeeId: 'glr-rc' },
    ]);
  });

  it('EST-7 refuses the ending proxy as its own successor', () => {
    end({ kind: 'proxy', communityId: 'dongfanghong' }).thenRefused('EST-7');
    end({ kind: 'own-committee', communityId: 'dongfanghong' }).thenRefused('EST-7');
  });

  it('EST-3 refuses a successor proxy that is not adjacent', () => {
    h.do(
      'EstablishCommittee',
      {
        communityId: 'xigu',
        committeeId: 'xg-rc',
        name: '西固社区居民委员会',
        newAreas: [
          {
            areaId: 'a-xg',
            name: '西固片区',
            kind: 'existing-town-area',
            subDistrict: '西固街道',
            households: 400,
          },
        ],
      },
      '2012-12-01',
    );
    end({ kind: 'proxy', communityId: 'xigu' }).thenRefused('EST-3', {
      communityId: 'xigu',
      areaId: 'a-ytxy',
    });
  });

  it('EST-3 refuses a successor residents group with an id already in use', () => {
    end({
      kind: 'residents-group',
      groupId: 'g-ytxy',
      groupName: '雁滩新苑居民小组',
      attachedToCommunityId: 'gaolanlu',
    }).thenRefused('EST-3');
  });

  it('EST-3 an adjacent community’s own committee takes the area over', () => {
    end({ kind: 'own-committee', communityId: 'gaolanlu' })
      .thenEvents('EST-7', [
        ended,
        {
          type: 'AreaTransferred',
          data: {
            areaId: 'a-ytxy',
            fromCommunityId: 'dongfanghong',
            toCommunityId: 'gaolanlu',
            toCommitteeId: 'glr-rc',
          },
          ruleIds: ['EST-7', 'EST-8'],
        },
      ])
      .andRecord();
    expect(activeBodiesOf(h.view, 'a-ytxy')).toEqual([
      { kind: 'own-committee', communityId: 'gaolanlu', committeeId: 'glr-rc' },
    ]);
  });
});

describe('EST-3 given 东方红 carries the estate by its west area, which a continuing split gave to 东方红西', () => {
  let h: History;
  beforeEach(() => {
    h = withWestArea(chengguan());
    h.do(
      'RegisterArea',
      {
        ...newEstate,
        adjacentAreaIds: ['a-dfh-west'],
        responsibility: { kind: 'proxy', communityId: 'dongfanghong' },
      },
      '2012-03-01',
    );
    h.do(
      'RegisterArea',
      {
        areaId: 'a-dfh-north',
        name: '东方红北片',
        kind: 'existing-town-area',
        subDistrict: '雁滩街道',
        households: 200,
        adjacentAreaIds: ['a-dfh'],
        responsibility: { kind: 'own-committee', communityId: 'dongfanghong' },
      },
      '2012-03-01',
    );
    h.do(
      'SplitCommittee',
      {
        sourceCommunityId: 'dongfanghong',
        parts: [
          {
            communityId: 'dongfanghong',
            committeeId: 'dfh-rc',
            name: '东方红社区居民委员会',
            areaIds: ['a-dfh', 'a-dfh-north'],
          },
          {
            communityId: 'dfh-west',
            committeeId: 'dfh-west-rc',
            name: '东方红西社区居民委员会',
            areaIds: ['a-dfh-west'],
          },
        ],
      },
      '2014-01-01',
    );
  });

  it('EST-3 refuses a split whose parts border none of the areas the source carries', () => {
    h.when(
      'SplitCommittee',
      {
        sourceCommunityId: 'dongfanghong',
        parts: [
          {
            communityId: 'dfh-east',
            committeeId: 'dfh-east-rc',
            name: '东方红东社区居民委员会',
            areaIds: ['a-dfh'],
          },
          {
            communityId: 'dfh-north',
            committeeId: 'dfh-north-rc',
            name: '东方红北社区居民委员会',
            areaIds: ['a-dfh-north'],
          },
        ],
      },
      '2015-01-01',
    ).thenRefused('EST-3', { areaId: 'a-ytxy' });
  });
});

describe('EST-3 given the estate under proxy management by 东方红 and bordering 皋兰路 too', () => {
  it('EST-3 proxy management by another adjacent community replaces the current proxy', () => {
    const h = withNewEstate(chengguan());
    h.do('StartProxyManagement', { areaId: 'a-ytxy', byCommunityId: 'dongfanghong' }, '2012-06-01');
    h.do('RecordAdjacency', { areaId: 'a-ytxy', adjacentAreaIds: ['a-glr'] }, '2012-12-01');
    h.when('StartProxyManagement', { areaId: 'a-ytxy', byCommunityId: 'gaolanlu' }, '2013-01-01').thenEvents(
      'EST-3',
      [
        {
          type: 'ProxyManagementEnded',
          data: {
            areaId: 'a-ytxy',
            byCommunityId: 'dongfanghong',
            byCommitteeId: 'dfh-rc',
            reason: 'proxy management by gaolanlu started',
          },
          ruleIds: ['EST-3', 'EST-8'],
        },
        {
          type: 'ProxyManagementStarted',
          data: { areaId: 'a-ytxy', byCommunityId: 'gaolanlu', byCommitteeId: 'glr-rc' },
          ruleIds: ['EST-3', 'EST-7', 'EST-8'],
        },
      ],
    );
  });
});
