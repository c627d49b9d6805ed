import { areasNamedWith, assertCoverage } from './decide/coverage';
import type { EstablishmentEvent } from './events';
import { coverageFindings, responsibilityOn } from './queries';
import { activeBodiesOf } from './state';
import {
  chengguan,
  idOf,
  merger,
  withNewEstate,
  withWestArea,
  type History,
} from './testing/given-when-then';

/** EST-7: at every moment every registered area is under exactly one responsible body. */

const own = (communityId: string, committeeId: string) => ({
  kind: 'own-committee',
  communityId,
  committeeId,
});

describe('EST-7 responsibilityOn: who was responsible for an area on a date', () => {
  it('EST-7 answers the own committee before a merger and the merged committee from its date', () => {
    const h = chengguan();
    h.do('MergeCommittees', merger, '2014-06-01');
    const before = responsibilityOn(h.facts, 'a-dfh', '2014-05-31');
    expect(before.registered).toBe(true);
    expect(before.bodies).toEqual([
      expect.objectContaining({
        body: own('dongfanghong', 'dfh-rc'),
        name: '东方红社区居民委员会',
        since: '2005-03-01',
      }),
    ]);
    const after = responsibilityOn(h.facts, 'a-dfh', '2014-06-01');
    expect(after.bodies).toEqual([
      expect.objectContaining({
        body: own('dongfang-gaolan', 'dg-rc'),
        name: merger.name,
        since: '2014-06-01',
      }),
    ]);
    expect(after.bodies[0].decision).toMatchObject({ type: 'CommitteesMerged', effectiveAt: '2014-06-01' });
  });

  it('EST-7 answers the source committee before a split and each part’s committee after it', () => {
    const h = withWestArea(chengguan());
    h.do(
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
            communityId: 'dfh-west',
            committeeId: 'dfh-west-rc',
            name: '东方红西社区居民委员会',
            areaIds: ['a-dfh-west'],
          },
        ],
      },
      '2015-01-01',
    );
    expect(responsibilityOn(h.facts, 'a-dfh-west', '2014-12-31').bodies.map((b) => b.body)).toEqual([
      own('dongfanghong', 'dfh-rc'),
    ]);
    expect(responsibilityOn(h.facts, 'a-dfh-west', '2015-01-01').bodies.map((b) => b.body)).toEqual([
      own('dfh-west', 'dfh-west-rc'),
    ]);
    expect(responsibilityOn(h.facts, 'a-dfh', '2015-01-01').bodies.map((b) => b.body)).toEqual([
      own('dfh-east', 'dfh-east-rc'),
    ]);
  });

  it('EST-7 answers the residents group, then the proxy during the proxy period, then its successor', () => {
    const h = withNewEstate(chengguan());
    h.do('StartProxyManagement', { areaId: 'a-ytxy', byCommunityId: 'dongfanghong' }, '2012-06-01');
    h.do('RecordAdjacency', { areaId: 'a-ytxy', adjacentAreaIds: ['a-glr'] }, '2012-12-01');
    h.do(
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
      '2013-06-01',
    );
    expect(responsibilityOn(h.facts, 'a-ytxy', '2012-05-31').bodies).toEqual([
      expect.objectContaining({
        body: { kind: 'residents-group', groupId: 'g-ytxy', attachedToCommunityId: 'dongfanghong' },
        name: '雁滩新苑居民小组',
        committeeName: '东方红社区居民委员会',
        since: '2012-03-01',
      }),
    ]);
    expect(responsibilityOn(h.facts, 'a-ytxy', '2012-06-01').bodies).toEqual([
      expect.objectContaining({
        body: { kind: 'proxy', communityId: 'dongfanghong', committeeId: 'dfh-rc' },
        since: '2012-06-01',
      }),
    ]);
    expect(responsibilityOn(h.facts, 'a-ytxy', '2013-06-01').bodies).toEqual([
      expect.objectContaining({
        body: { kind: 'residents-group', groupId: 'g-ytxy-2', attachedToCommunityId: 'gaolanlu' },
        since: '2013-06-01',
      }),
    ]);
  });

  it('EST-7 answers unregistered for a date before the area was registered', () => {
    const h = withNewEstate(chengguan());
    expect(responsibilityOn(h.facts, 'a-ytxy', '2012-02-29')).toEqual({
      areaId: 'a-ytxy',
      on: '2012-02-29',
      registered: false,
      bodies: [],
    });
  });
});

describe('EST-7 given 东方红 with two areas of its own', () => {
  let h: History;
  beforeEach(() => {
    h = withWestArea(chengguan());
  });

  it('EST-7 refuses a split that leaves an area out (gap)', () => {
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
      '2009-01-01',
    );
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
            communityId: 'dfh-west',
            committeeId: 'dfh-west-rc',
            name: '东方红西社区居民委员会',
            areaIds: ['a-dfh-west'],
          },
        ],
      },
      '2015-01-01',
    ).thenRefused('EST-7', { areaIds: ['a-dfh-north'] });
  });

  it('EST-7 refuses a split that lists an area in two parts (overlap)', () => {
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
            communityId: 'dfh-west',
            committeeId: 'dfh-west-rc',
            name: '东方红西社区居民委员会',
            areaIds: ['a-dfh-west', 'a-dfh'],
          },
        ],
      },
      '2015-01-01',
    ).thenRefused('EST-7', { areaIds: ['a-dfh'] });
  });

  it('EST-7 refuses a committee over an area that already has its own committee (overlap)', () => {
    h.when(
      'EstablishCommittee',
      {
        communityId: 'dfh-west',
        committeeId: 'dfh-west-rc',
        name: '东方红西社区居民委员会',
        areaIds: ['a-dfh-west'],
      },
      '2015-01-01',
    ).thenRefused('EST-7', { areaId: 'a-dfh-west', communityId: 'dongfanghong' });
  });

  it('EST-7 refuses dissolving a committee without successors for its areas (gap)', () => {
    h.when(
      'DissolveCommittee',
      { communityId: 'dongfanghong', areaSuccessors: [], reason: '社区撤销' },
      '2015-01-01',
    ).thenRefused('EST-7', { problem: 'gap', bodies: [] });
  });

  it('EST-7 the refusal names the problem: a gap', () => {
    const refused = h
      .when(
        'DissolveCommittee',
        { communityId: 'dongfanghong', areaSuccessors: [], reason: '社区撤销' },
        '2015-01-01',
      )
      .thenRefused('EST-7', { problem: 'gap' });
    expect(refused.message).toMatch(/would be left with no responsible body \(gap\)$/);
  });

  it('EST-7 refuses dissolving a committee when one of its areas is left without a successor (gap)', () => {
    h.when(
      'DissolveCommittee',
      {
        communityId: 'dongfanghong',
        areaSuccessors: [{ areaId: 'a-dfh', successor: { kind: 'own-committee', communityId: 'gaolanlu' } }],
        reason: '社区撤销',
      },
      '2015-01-01',
    ).thenRefused('EST-7', { areaId: 'a-dfh-west', problem: 'gap' });
  });

  it('EST-7 accepts dissolving a committee whose areas all get a successor', () => {
    h.when(
      'DissolveCommittee',
      {
        communityId: 'dongfanghong',
        areaSuccessors: [
          { areaId: 'a-dfh', successor: { kind: 'own-committee', communityId: 'gaolanlu' } },
          { areaId: 'a-dfh-west', successor: { kind: 'own-committee', communityId: 'gaolanlu' } },
        ],
        reason: '社区撤销',
      },
      '2015-01-01',
    )
      .thenEvents('EST-7', [
        {
          type: 'CommitteeDissolved',
          data: {
            communityId: 'dongfanghong',
            committeeId: 'dfh-rc',
            reason: '社区撤销',
            areaIds: ['a-dfh', 'a-dfh-west'],
          },
          ruleIds: ['EST-7', 'EST-8'],
        },
        {
          type: 'AreaTransferred',
          data: {
            areaId: 'a-dfh',
            fromCommunityId: 'dongfanghong',
            toCommunityId: 'gaolanlu',
            toCommitteeId: 'glr-rc',
          },
          ruleIds: ['EST-7'],
        },
        {
          type: 'AreaTransferred',
          data: {
            areaId: 'a-dfh-west',
            fromCommunityId: 'dongfanghong',
            toCommunityId: 'gaolanlu',
            toCommitteeId: 'glr-rc',
          },
        },
      ])
      .andRecord();
    expect(activeBodiesOf(h.view, 'a-dfh')).toEqual([own('gaolanlu', 'glr-rc')]);
    expect(h.view.communities.gaolanlu.areaIds).toEqual(['a-glr', 'a-dfh', 'a-dfh-west']);
    expect(coverageFindings(h.facts)).toEqual([]);
  });

  it('EST-7 refuses dissolving a committee with two successors for one area (overlap)', () => {
    h.do(
      'EstablishCommittee',
      {
        communityId: 'yantan',
        committeeId: 'yt-rc',
        name: '雁滩社区居民委员会',
        newAreas: [
          {
            areaId: 'a-yt',
            name: '雁滩片区',
            kind: 'existing-town-area',
            subDistrict: '雁滩街道',
            households: 400,
            adjacentAreaIds: ['a-dfh'],
          },
        ],
      },
      '2010-01-01',
    );
    const refused = h
      .when(
        'DissolveCommittee',
        {
          communityId: 'dongfanghong',
          areaSuccessors: [
            { areaId: 'a-dfh', successor: { kind: 'own-committee', communityId: 'gaolanlu' } },
            { areaId: 'a-dfh', successor: { kind: 'own-committee', communityId: 'yantan' } },
            { areaId: 'a-dfh-west', successor: { kind: 'own-committee', communityId: 'gaolanlu' } },
          ],
          reason: '社区撤销',
        },
        '2015-01-01',
      )
      .thenRefused('EST-7', {
        areaId: 'a-dfh',
        problem: 'overlap',
        bodies: [own('gaolanlu', 'glr-rc'), own('yantan', 'yt-rc')],
      });
    expect(refused.message).toMatch(/would have 2 responsible bodies \(overlap\)$/);
  });

  it('EST-7 refuses an area listed twice in a new committee', () => {
    h.do(
      'RegisterArea',
      {
        areaId: 'a-ytxy',
        name: '雁滩新苑',
        kind: 'new-residential-estate',
        subDistrict: '雁滩街道',
        households: 800,
        adjacentAreaIds: ['a-dfh'],
        responsibility: { kind: 'proxy', communityId: 'dongfanghong' },
      },
      '2012-03-01',
    );
    h.when(
      'EstablishCommittee',
      {
        communityId: 'yantan-xinyuan',
        committeeId: 'ytxy-rc',
        name: '雁滩新苑社区',
        areaIds: ['a-ytxy', 'a-ytxy'],
      },
      '2013-01-01',
    ).thenRefused('EST-7', { field: 'areaIds' });
  });
});

describe('EST-7 given the new estate under proxy management by 东方红', () => {
  let h: History;
  beforeEach(() => {
    h = withNewEstate(chengguan());
    h.do('StartProxyManagement', { areaId: 'a-ytxy', byCommunityId: 'dongfanghong' }, '2012-06-01');
  });

  it('EST-7 refuses proxy management by the community that already manages the area', () => {
    h.when(
      'StartProxyManagement',
      { areaId: 'a-ytxy', byCommunityId: 'dongfanghong' },
      '2012-09-01',
    ).thenRefused('EST-7');
  });

  it('EST-7 a merger moves the proxies held by a merged community to the resulting community', () => {
    h.when('MergeCommittees', merger, '2014-06-01')
      .thenEvents('EST-7', [
        {
          type: 'ProxyManagementEnded',
          data: {
            areaId: 'a-ytxy',
            byCommunityId: 'dongfanghong',
            byCommitteeId: 'dfh-rc',
            reason: 'merger into dongfang-gaolan',
          },
        },
        {
          type: 'ProxyManagementStarted',
          data: { areaId: 'a-ytxy', byCommunityId: 'dongfang-gaolan', byCommitteeId: 'dg-rc' },
          ruleIds: ['EST-7'],
        },
        { type: 'CommitteesMerged', data: expect.objectContaining({ absorbed: false }), ruleIds: ['EST-7'] },
      ])
      .andRecord();
    expect(activeBodiesOf(h.view, 'a-ytxy')).toEqual([
      { kind: 'proxy', communityId: 'dongfang-gaolan', committeeId: 'dg-rc' },
    ]);
    expect(coverageFindings(h.facts)).toEqual([]);
  });

  it('EST-7 the guard judges the area a body manages, found by the decisions naming both, not by a look over the map', () => {
    const dissolved: EstablishmentEvent = {
      type: 'CommitteeDissolved',
      data: { communityId: 'dongfanghong', committeeId: 'dfh-rc', reason: '社区撤销', areaIds: ['a-dfh'] },
      ruleIds: ['EST-7'],
    };
    const state = h.state;
    const named = areasNamedWith(state, h.view, ['community:dongfanghong']);
    // The proxied area is not the community's own, yet the decisions naming the community name it.
    expect(h.view.communities['dongfanghong'].areaIds).not.toContain('a-ytxy');
    expect(named).toContain('a-ytxy');
    const refusal = (provider?: (bodies: readonly string[]) => Iterable<string>) => {
      try {
        assertCoverage(h.view, [dissolved], '2015-01-01', provider);
        return null;
      } catch (error) {
        return (error as { ruleId: string; details: unknown }).details;
      }
    };
    // The same refusal as a look over the whole map: the first area left without a body.
    expect(refusal((bodies) => areasNamedWith(state, h.view, bodies))).toEqual(refusal());
    expect(refusal()).toEqual(expect.objectContaining({ areaId: 'a-dfh', problem: 'gap' }));
  });

  it('EST-7 refuses dissolving the proxy community without a successor for the area it manages (gap)', () => {
    h.when(
      'DissolveCommittee',
      {
        communityId: 'dongfanghong',
        areaSuccessors: [{ areaId: 'a-dfh', successor: { kind: 'own-committee', communityId: 'gaolanlu' } }],
        reason: '社区撤销',
      },
      '2015-01-01',
    ).thenRefused('EST-7', { areaId: 'a-ytxy', problem: 'gap' });
  });
});

describe('EST-7 given the new estate under a residents group attached to 东方红', () => {
  it('EST-7 a merger re-attaches the residents groups of a merged community to the result', () => {
    const h = withNewEstate(chengguan());
    h.when('MergeCommittees', merger, '2014-06-01').thenEvents('EST-7', [
      {
        type: 'ResidentsGroupDisbanded',
        data: { groupId: 'g-ytxy', areaId: 'a-ytxy', reason: 'merger into dongfang-gaolan' },
      },
      {
        type: 'ResidentsGroupFormed',
        data: {
          groupId: 'g-ytxy-dongfang-gaolan',
          name: '雁滩新苑居民小组',
          areaId: 'a-ytxy',
          attachedToCommunityId: 'dongfang-gaolan',
        },
        ruleIds: ['EST-7'],
      },
      {
        type: 'CommitteesMerged',
        data: expect.objectContaining({ sourceCommunityIds: merger.sourceCommunityIds }),
      },
    ]);
  });
});

describe('EST-7 coverageFindings: every gap and overlap, past or present', () => {
  it('EST-7 finds nothing in a clean history of registrations, proxies, merger and split', () => {
    const h = withNewEstate(withWestArea(chengguan()));
    h.do('ReportOccupancy', { areaId: 'a-ytxy', occupiedHouseholds: 500 }, '2012-09-01');
    h.do('StartProxyManagement', { areaId: 'a-ytxy', byCommunityId: 'dongfanghong' }, '2012-10-01');
    h.do(
      'EstablishCommittee',
      {
        communityId: 'yantan-xinyuan',
        committeeId: 'ytxy-rc',
        name: '雁滩新苑社区居民委员会',
        areaIds: ['a-ytxy'],
      },
      '2013-02-01',
    );
    h.do('MergeCommittees', merger, '2014-06-01');
    h.do(
      'SplitCommittee',
      {
        sourceCommunityId: 'dongfang-gaolan',
        parts: [
          {
            communityId: 'dfh-east',
            committeeId: 'dfh-east-rc',
            name: '东方红东社区',
            areaIds: ['a-dfh', 'a-dfh-west'],
          },
          { communityId: 'gaolanlu-2', committeeId: 'glr2-rc', name: '皋兰路社区', areaIds: ['a-glr'] },
        ],
      },
      '2016-01-01',
    );
    expect(coverageFindings(h.facts)).toEqual([]);
  });

  describe('given the archive recorded the end of a residents group and a proxy as two decisions of one day', () => {
    let h: History;
    let proxyStartId: string;
    beforeEach(() => {
      h = withNewEstate(chengguan());
      h.record('2013-01-01', [
        {
          type: 'ResidentsGroupDisbanded',
          data: { groupId: 'g-ytxy', areaId: 'a-ytxy', reason: '档案：居民小组撤销' },
          ruleIds: ['EST-3'],
        },
      ]);
      proxyStartId = idOf(
        h.record('2013-01-01', [
          {
            type: 'ProxyManagementStarted',
            data: { areaId: 'a-ytxy', byCommunityId: 'dongfanghong', byCommitteeId: 'dfh-rc' },
            ruleIds: ['EST-3', 'EST-7', 'EST-8'],
          },
        ]),
        'ProxyManagementStarted',
      );
    });

    it('EST-7 judges each day at its end: no finding while both took effect the same day', () => {
      expect(coverageFindings(h.facts)).toEqual([]);
    });

    it('EST-7 a correction moving the proxy to a later date reveals the gap and records it', () => {
      const correction = h
        .when(
          'CorrectDecision',
          {
            correctsEventId: proxyStartId,
            reason: '档案显示代管自3月1日起',
            correctedEffectiveAt: '2013-03-01',
          },
          '2026-06-01',
        )
        .eventOf('DecisionCorrected');
      const gap = { areaId: 'a-ytxy', problem: 'gap', from: '2013-01-01', to: '2013-03-01', bodies: [] };
      expect(correction.data.coverageFindings).toEqual([gap]);
      expect(correction.ruleIds).toEqual(expect.arrayContaining(['EST-7', 'EST-8']));
      h.when(
        'CorrectDecision',
        {
          correctsEventId: proxyStartId,
          reason: '档案显示代管自3月1日起',
          correctedEffectiveAt: '2013-03-01',
        },
        '2026-06-01',
      ).andRecord();
      expect(coverageFindings(h.facts)).toEqual([gap]);
      expect(responsibilityOn(h.facts, 'a-ytxy', '2013-02-01').bodies).toEqual([]);
    });

    it('EST-7 a correction annulling the proxy records the open-ended gap it reveals', () => {
      const correction = h
        .when(
          'CorrectDecision',
          { correctsEventId: proxyStartId, reason: '代管文件无效', annul: true },
          '2026-06-01',
        )
        .eventOf('DecisionCorrected');
      expect(correction.data.coverageFindings).toEqual([
        { areaId: 'a-ytxy', problem: 'gap', from: '2013-01-01', to: null, bodies: [] },
      ]);
      expect(correction.ruleIds).toEqual(['EST-8', 'EST-7']);
    });

    it('EST-7 a correction of a decision on other entities records no finding of this area', () => {
      const rename = idOf(
        h.do('RenameCommittee', { communityId: 'gaolanlu', name: '皋兰路街社区居民委员会' }, '2014-01-01'),
        'CommitteeRenamed',
      );
      h.do(
        'CorrectDecision',
        { correctsEventId: proxyStartId, reason: '代管文件无效', annul: true },
        '2026-06-01',
      );
      const correction = h
        .when(
          'CorrectDecision',
          { correctsEventId: rename, reason: '录入错误', correctedEffectiveAt: '2014-02-01' },
          '2026-06-02',
        )
        .eventOf('DecisionCorrected');
      expect(coverageFindings(h.facts)).toHaveLength(1);
      expect(correction.data.coverageFindings).toEqual([]);
      expect(correction.ruleIds).toEqual(['EST-8']);
    });

    it('EST-7 a correction annulling the proxy reveals an open-ended gap', () => {
      h.when(
        'CorrectDecision',
        { correctsEventId: proxyStartId, reason: '代管文件无效', annul: true },
        '2026-06-01',
      ).andRecord();
      expect(coverageFindings(h.facts)).toEqual([
        { areaId: 'a-ytxy', problem: 'gap', from: '2013-01-01', to: null, bodies: [] },
      ]);
    });
  });
});

describe('EST-7 the coverage check of every decision that changes responsibility', () => {
  it('EST-7 refuses a committee established with no areas', () => {
    chengguan()
      .when(
        'EstablishCommittee',
        { communityId: 'yantan', committeeId: 'yt-rc', name: '雁滩社区居民委员会' },
        '2013-01-01',
      )
      .thenRefused('EST-7', { field: 'areaIds' });
  });

  it('EST-7 refuses a gap even when the decision also closes an obligation', () => {
    // 东方红 carries the estate (open EST-2 obligation) through its residents group; dissolving it
    // with a successor for the estate only would leave its own area a-dfh with nobody.
    const h = withNewEstate(chengguan());
    h.do('ReportOccupancy', { areaId: 'a-ytxy', occupiedHouseholds: 400 }, '2012-09-01');
    h.when(
      'DissolveCommittee',
      {
        communityId: 'dongfanghong',
        areaSuccessors: [{ areaId: 'a-ytxy', successor: { kind: 'own-committee', communityId: 'gaolanlu' } }],
        reason: '社区撤销',
      },
      '2015-01-01',
    ).thenRefused('EST-7', { areaId: 'a-dfh', problem: 'gap', bodies: [] });
  });

  describe('given the archive recorded the estate under both its residents group and a proxy (overlap)', () => {
    let h: History;
    beforeEach(() => {
      h = withNewEstate(chengguan());
      h.record('2012-06-01', [
        {
          type: 'ProxyManagementStarted',
          data: { areaId: 'a-ytxy', byCommunityId: 'dongfanghong', byCommitteeId: 'dfh-rc' },
          ruleIds: ['EST-3'],
        },
      ]);
    });

    it('EST-7 a decision elsewhere is not blocked by the overlap it did not cause', () => {
      h.when(
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
        '2013-01-01',
      ).thenEvents('EST-7', [
        {
          type: 'AreaRegistered',
          data: expect.objectContaining({ areaId: 'a-glr-east' }),
          ruleIds: ['EST-1', 'EST-3', 'EST-7'],
        },
      ]);
    });

    it('EST-3 ending the proxy ends the proxy, not the residents group listed before it', () => {
      h.when(
        'EndProxyManagement',
        { areaId: 'a-ytxy', successor: { kind: 'own-committee', communityId: 'gaolanlu' } },
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
        },
        { type: 'AreaTransferred', data: expect.objectContaining({ toCommunityId: 'gaolanlu' }) },
      ]);
    });

    it('EST-7 a committee for the estate ends both bodies and so resolves the overlap', () => {
      h.when(
        'EstablishCommittee',
        {
          communityId: 'yantan-xinyuan',
          committeeId: 'ytxy-rc',
          name: '雁滩新苑社区居民委员会',
          areaIds: ['a-ytxy'],
        },
        '2013-01-01',
      ).andRecord();
      expect(activeBodiesOf(h.view, 'a-ytxy')).toEqual([own('yantan-xinyuan', 'ytxy-rc')]);
    });
  });

  describe('given the archive recorded the end of the estate’s residents group with no successor (gap)', () => {
    let h: History;
    beforeEach(() => {
      h = withNewEstate(chengguan());
      h.record('2012-06-01', [
        {
          type: 'ResidentsGroupDisbanded',
          data: { groupId: 'g-ytxy', areaId: 'a-ytxy', reason: '档案：居民小组撤销' },
          ruleIds: ['EST-3'],
        },
      ]);
    });

    it('EST-7 a decision elsewhere is not blocked by the gap it did not cause', () => {
      h.when(
        'RegisterArea',
        {
          areaId: 'a-glr-east',
          name: '皋兰路东片',
          kind: 'existing-town-area',
          subDistrict: '皋兰路街道',
          households: 250,
          adjacentAreaIds: ['a-glr'],
          responsibility: { kind: 'own-committee', communityId: 'gaolanlu' },
        },
        '2013-01-01',
      ).thenEvents('EST-7', [
        {
          type: 'AreaRegistered',
          data: expect.objectContaining({ areaId: 'a-glr-east' }),
          ruleIds: ['EST-1', 'EST-7'],
        },
      ]);
    });

    it('EST-7 a proxy for the estate closes the gap', () => {
      h.when(
        'StartProxyManagement',
        { areaId: 'a-ytxy', byCommunityId: 'dongfanghong' },
        '2013-01-01',
      ).thenEvents('EST-7', [
        {
          type: 'ProxyManagementStarted',
          data: { areaId: 'a-ytxy', byCommunityId: 'dongfanghong', byCommitteeId: 'dfh-rc' },
          ruleIds: ['EST-3', 'EST-7', 'EST-8'],
        },
      ]);
    });
  });
});

describe('EST-7 a merger hands on the proxies and residents groups of the merged communities', () => {
  it('EST-7 each hand-over records the end and the new start with their rule ids', () => {
    const h = withNewEstate(chengguan());
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
      '2013-01-01',
    );
    h.when('MergeCommittees', merger, '2014-06-01').thenEvents('EST-7', [
      {
        type: 'ResidentsGroupDisbanded',
        data: { groupId: 'g-ytxy', areaId: 'a-ytxy', reason: 'merger into dongfang-gaolan' },
        ruleIds: ['EST-3'],
      },
      {
        type: 'ResidentsGroupFormed',
        data: {
          groupId: 'g-ytxy-dongfang-gaolan',
          name: '雁滩新苑居民小组',
          areaId: 'a-ytxy',
          attachedToCommunityId: 'dongfang-gaolan',
        },
        ruleIds: ['EST-3', 'EST-6', 'EST-7'],
      },
      {
        type: 'ProxyManagementEnded',
        data: {
          areaId: 'a-glr-east',
          byCommunityId: 'gaolanlu',
          byCommitteeId: 'glr-rc',
          reason: 'merger into dongfang-gaolan',
        },
        ruleIds: ['EST-3', 'EST-8'],
      },
      {
        type: 'ProxyManagementStarted',
        data: { areaId: 'a-glr-east', byCommunityId: 'dongfang-gaolan', byCommitteeId: 'dg-rc' },
        ruleIds: ['EST-3', 'EST-7', 'EST-8'],
      },
      {
        type: 'CommitteesMerged',
        data: expect.objectContaining({ absorbed: false }),
        ruleIds: ['EST-7', 'EST-8', 'EST-9'],
      },
    ]);
  });

  it('EST-7 the successor group’s id keeps within the 64 characters of an id', () => {
    const h = chengguan();
    const longGroupId = `g-${'x'.repeat(60)}`;
    const longCommunityId = `c-${'y'.repeat(60)}`;
    h.do(
      'RegisterArea',
      {
        areaId: 'a-ytxy',
        name: '雁滩新苑',
        kind: 'new-residential-estate',
        subDistrict: '雁滩街道',
        households: 800,
        adjacentAreaIds: ['a-dfh'],
        responsibility: {
          kind: 'residents-group',
          groupId: longGroupId,
          groupName: '雁滩新苑居民小组',
          attachedToCommunityId: 'dongfanghong',
        },
      },
      '2012-03-01',
    );
    const formed = h
      .when('MergeCommittees', { ...merger, communityId: longCommunityId }, '2014-06-01')
      .eventOf('ResidentsGroupFormed');
    expect(formed.data.groupId).toBe(`${longGroupId}-${longCommunityId}`.slice(0, 64));
    expect(formed.data.groupId).toHaveLength(64);
  });
});
