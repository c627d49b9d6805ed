import type { EstablishmentEvent } from './events';
import { timelineOf } from './queries';
import { activeBodiesOf, viewAsOf } from './state';
import {
  chengguan,
  idOf,
  merger,
  withNewEstate,
  withWestArea,
  type History,
} from './testing/given-when-then';

/**
 * EST-8: committees are established, merged, split, renamed and dissolved, each change an event with
 * its effective date, legal basis and acting official; an entity's history is recorded in the
 * order its decisions took effect, and corrections point at the decision they correct.
 */

const range1989 = (households: number, withinRange: boolean) => ({
  households,
  regime: 'Organic Law 1989',
  minHouseholds: 100,
  maxHouseholds: 700,
  withinRange,
});

describe('EST-8 given 东方红 and 皋兰路, both active', () => {
  let h: History;
  beforeEach(() => {
    h = chengguan();
  });

  it('EST-8 establishing a committee records its community, committee, areas and household range', () => {
    withNewEstate(h);
    h.when(
      'EstablishCommittee',
      {
        communityId: 'yantan-xinyuan',
        committeeId: 'ytxy-rc',
        name: '雁滩新苑社区居民委员会',
        areaIds: ['a-ytxy'],
      },
      '2013-01-01',
    ).thenEvents('EST-8', [
      { type: 'ResidentsGroupDisbanded', data: expect.objectContaining({ groupId: 'g-ytxy' }) },
      {
        type: 'CommitteeEstablished',
        data: {
          communityId: 'yantan-xinyuan',
          committeeId: 'ytxy-rc',
          name: '雁滩新苑社区居民委员会',
          areaIds: ['a-ytxy'],
          coexistingVillageCommittees: [],
          householdRange: range1989(800, false),
        },
        ruleIds: ['EST-8', 'EST-7', 'EST-9', 'ORG-1'],
      },
    ]);
  });

  it('EST-8 refuses a community id or committee id already in use', () => {
    withNewEstate(h);
    h.when(
      'EstablishCommittee',
      {
        communityId: 'gaolanlu',
        committeeId: 'ytxy-rc',
        name: '雁滩新苑社区居民委员会',
        areaIds: ['a-ytxy'],
      },
      '2013-01-01',
    ).thenRefused('EST-8');
    h.when(
      'EstablishCommittee',
      {
        communityId: 'yantan-xinyuan',
        committeeId: 'glr-rc',
        name: '雁滩新苑社区居民委员会',
        areaIds: ['a-ytxy'],
      },
      '2013-01-01',
    ).thenRefused('EST-8');
  });

  it('EST-8 merging two committees into a new community records sources and result', () => {
    h.when('MergeCommittees', merger, '2014-06-01').thenEvents('EST-8', [
      {
        type: 'CommitteesMerged',
        data: {
          sourceCommunityIds: ['dongfanghong', 'gaolanlu'],
          sourceCommitteeIds: ['dfh-rc', 'glr-rc'],
          result: {
            communityId: 'dongfang-gaolan',
            committeeId: 'dg-rc',
            name: '东方红皋兰路社区居民委员会',
            areaIds: ['a-dfh', 'a-glr'],
            householdRange: range1989(1100, false),
          },
          absorbed: false,
        },
        ruleIds: ['EST-8', 'EST-7', 'EST-9'],
      },
    ]);
  });

  it('EST-8 after a merger the sources are merged and the result lists its predecessors', () => {
    h.do('MergeCommittees', merger, '2014-06-01');
    expect(h.view.communities.dongfanghong).toMatchObject({
      status: 'merged',
      endedOn: '2014-06-01',
      successorCommunityIds: ['dongfang-gaolan'],
      areaIds: [],
      committee: { status: 'ended' },
    });
    expect(h.view.communities['dongfang-gaolan']).toMatchObject({
      status: 'active',
      establishedOn: '2014-06-01',
      predecessorCommunityIds: ['dongfanghong', 'gaolanlu'],
      areaIds: ['a-dfh', 'a-glr'],
    });
  });

  it('EST-8 a merger into one of its sources absorbs the other and keeps the absorber’s committee', () => {
    h.when(
      'MergeCommittees',
      { ...merger, communityId: 'dongfanghong', committeeId: 'unused-rc', name: '东方红社区居民委员会' },
      '2014-06-01',
    )
      .thenEvents('EST-8', [
        {
          type: 'CommitteesMerged',
          data: expect.objectContaining({
            result: expect.objectContaining({ communityId: 'dongfanghong', committeeId: 'dfh-rc' }),
            absorbed: true,
          }),
        },
      ])
      .andRecord();
    expect(h.view.communities.dongfanghong).toMatchObject({
      status: 'active',
      areaIds: ['a-dfh', 'a-glr'],
      predecessorCommunityIds: ['gaolanlu'],
    });
    expect(h.view.communities.gaolanlu.status).toBe('merged');
    expect(h.view.committees['unused-rc']).toBeUndefined();
  });

  it('EST-8 a merger that renames the absorbing community shows the new name on the map', () => {
    h.do(
      'MergeCommittees',
      { ...merger, communityId: 'dongfanghong', committeeId: 'unused-rc' },
      '2014-06-01',
    );
    expect(h.view.communities.dongfanghong.name).toBe(merger.name);
    expect(h.view.communities.dongfanghong.committee.name).toBe(merger.name);
  });

  it('EST-8 refuses a merger that lists a community twice', () => {
    h.when(
      'MergeCommittees',
      { ...merger, sourceCommunityIds: ['dongfanghong', 'dongfanghong'] },
      '2014-06-01',
    ).thenRefused('EST-8', { field: 'sourceCommunityIds' });
  });

  it('EST-8 splitting a committee records each part with its areas and household range', () => {
    withWestArea(h);
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
    )
      .thenEvents('EST-8', [
        {
          type: 'CommitteeSplit',
          data: {
            sourceCommunityId: 'dongfanghong',
            sourceCommitteeId: 'dfh-rc',
            parts: [
              {
                communityId: 'dfh-east',
                committeeId: 'dfh-east-rc',
                name: '东方红东社区居民委员会',
                areaIds: ['a-dfh'],
                householdRange: range1989(600, true),
              },
              {
                communityId: 'dfh-west',
                committeeId: 'dfh-west-rc',
                name: '东方红西社区居民委员会',
                areaIds: ['a-dfh-west'],
                householdRange: range1989(300, true),
              },
            ],
          },
          ruleIds: ['EST-8', 'EST-7', 'EST-9'],
        },
      ])
      .andRecord();
    expect(h.view.communities.dongfanghong).toMatchObject({
      status: 'split',
      endedOn: '2015-01-01',
      successorCommunityIds: ['dfh-east', 'dfh-west'],
    });
    expect(h.view.communities['dfh-west'].predecessorCommunityIds).toEqual(['dongfanghong']);
  });

  it('EST-8 a split in which the source continues keeps it active with its remaining area', () => {
    withWestArea(h);
    h.do(
      'SplitCommittee',
      {
        sourceCommunityId: 'dongfanghong',
        parts: [
          {
            communityId: 'dongfanghong',
            committeeId: 'dfh-rc',
            name: '东方红社区居民委员会',
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
    expect(h.view.communities.dongfanghong).toMatchObject({
      status: 'active',
      areaIds: ['a-dfh'],
      successorCommunityIds: ['dfh-west'],
      householdRange: range1989(600, true),
    });
    expect(activeBodiesOf(h.view, 'a-dfh')).toEqual([
      { kind: 'own-committee', communityId: 'dongfanghong', committeeId: 'dfh-rc' },
    ]);
  });

  it('EST-8 a split that renames the continuing source shows the new name on the map', () => {
    withWestArea(h);
    h.do(
      'SplitCommittee',
      {
        sourceCommunityId: 'dongfanghong',
        parts: [
          {
            communityId: 'dongfanghong',
            committeeId: 'dfh-rc',
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
    expect(h.view.communities.dongfanghong.name).toBe('东方红东社区居民委员会');
    expect(h.view.communities.dongfanghong.committee.name).toBe('东方红东社区居民委员会');
  });

  it('EST-8 refuses a split that hands out an area of another community', () => {
    withWestArea(h);
    h.when(
      'SplitCommittee',
      {
        sourceCommunityId: 'dongfanghong',
        parts: [
          {
            communityId: 'dfh-east',
            committeeId: 'dfh-east-rc',
            name: '东方红东社区',
            areaIds: ['a-dfh', 'a-glr'],
          },
          {
            communityId: 'dfh-west',
            committeeId: 'dfh-west-rc',
            name: '东方红西社区',
            areaIds: ['a-dfh-west'],
          },
        ],
      },
      '2015-01-01',
    ).thenRefused('EST-8', { areaIds: ['a-glr'] });
  });

  it('EST-8 renaming a committee records the previous and the new name', () => {
    h.when('RenameCommittee', { communityId: 'dongfanghong', name: '东方红街社区居民委员会' }, '2013-06-01')
      .thenEvents('EST-8', [
        {
          type: 'CommitteeRenamed',
          data: {
            communityId: 'dongfanghong',
            committeeId: 'dfh-rc',
            previousName: '东方红社区居民委员会',
            name: '东方红街社区居民委员会',
          },
          ruleIds: ['EST-8'],
        },
      ])
      .andRecord();
    expect(h.view.communities.dongfanghong.name).toBe('东方红街社区居民委员会');
  });

  it('EST-8 refuses a rename to the current name', () => {
    h.when(
      'RenameCommittee',
      { communityId: 'dongfanghong', name: '东方红社区居民委员会' },
      '2013-06-01',
    ).thenRefused('EST-8');
  });

  it('EST-8 answers NotFound for a community that was never registered', () => {
    h.when('RenameCommittee', { communityId: 'xigu', name: '西固社区居民委员会' }, '2013-06-01').thenNotFound(
      'community',
      'xigu',
    );
  });

  it('EST-8 dissolving a committee records it and ends the community', () => {
    h.when(
      'DissolveCommittee',
      {
        communityId: 'gaolanlu',
        areaSuccessors: [
          { areaId: 'a-glr', successor: { kind: 'own-committee', communityId: 'dongfanghong' } },
        ],
        reason: '辖区调整',
      },
      '2015-01-01',
    )
      .thenEvents('EST-8', [
        {
          type: 'CommitteeDissolved',
          data: { communityId: 'gaolanlu', committeeId: 'glr-rc', reason: '辖区调整', areaIds: ['a-glr'] },
          ruleIds: ['EST-8'],
        },
        {
          type: 'AreaTransferred',
          data: {
            areaId: 'a-glr',
            fromCommunityId: 'gaolanlu',
            toCommunityId: 'dongfanghong',
            toCommitteeId: 'dfh-rc',
          },
          ruleIds: ['EST-8'],
        },
      ])
      .andRecord();
    expect(h.view.communities.gaolanlu).toMatchObject({
      status: 'dissolved',
      endedOn: '2015-01-01',
      areaIds: [],
    });
  });

  it('EST-8 refuses a successor for an area the dissolved community does not carry', () => {
    withNewEstate(h);
    h.when(
      'DissolveCommittee',
      {
        communityId: 'gaolanlu',
        areaSuccessors: [
          { areaId: 'a-glr', successor: { kind: 'own-committee', communityId: 'dongfanghong' } },
          { areaId: 'a-ytxy', successor: { kind: 'own-committee', communityId: 'dongfanghong' } },
        ],
        reason: '辖区调整',
      },
      '2015-01-01',
    ).thenRefused('EST-8', { areaId: 'a-ytxy' });
  });
});

describe('EST-8 given communities that ended', () => {
  it('EST-8 refuses acting on a community that was merged', () => {
    const h = chengguan();
    h.do('MergeCommittees', merger, '2014-06-01');
    h.when(
      'RenameCommittee',
      { communityId: 'gaolanlu', name: '皋兰路新社区居民委员会' },
      '2014-07-01',
    ).thenRefused('EST-8', { communityId: 'gaolanlu', status: 'merged', endedOn: '2014-06-01' });
  });

  it('EST-8 refuses acting on a community that was dissolved', () => {
    const h = chengguan();
    h.do(
      'DissolveCommittee',
      {
        communityId: 'gaolanlu',
        areaSuccessors: [
          { areaId: 'a-glr', successor: { kind: 'own-committee', communityId: 'dongfanghong' } },
        ],
        reason: '辖区调整',
      },
      '2015-01-01',
    );
    h.when(
      'SetUpServiceStation',
      { communityId: 'gaolanlu', name: '皋兰路社区服务站' },
      '2015-02-01',
    ).thenRefused('EST-8', { communityId: 'gaolanlu', status: 'dissolved', endedOn: '2015-01-01' });
  });

  it('EST-8 refuses acting on a community that was split', () => {
    const h = withWestArea(chengguan());
    h.do(
      'SplitCommittee',
      {
        sourceCommunityId: 'dongfanghong',
        parts: [
          { communityId: 'dfh-east', committeeId: 'dfh-east-rc', name: '东方红东社区', areaIds: ['a-dfh'] },
          {
            communityId: 'dfh-west',
            committeeId: 'dfh-west-rc',
            name: '东方红西社区',
            areaIds: ['a-dfh-west'],
          },
        ],
      },
      '2015-01-01',
    );
    h.when(
      'AssignPost',
      { personId: 'p-zhang', communityId: 'dongfanghong', body: 'residents-committee', post: '主任' },
      '2015-02-01',
    ).thenRefused('EST-8', { status: 'split' });
  });

  it('EST-8 refuses a merged community as the responsible body of a new area', () => {
    const h = chengguan();
    h.do('MergeCommittees', merger, '2014-06-01');
    h.when(
      'RegisterArea',
      {
        areaId: 'a-new',
        name: '新区',
        kind: 'existing-town-area',
        subDistrict: '雁滩街道',
        households: 100,
        responsibility: { kind: 'own-committee', communityId: 'dongfanghong' },
      },
      '2014-07-01',
    ).thenRefused('EST-8', { status: 'merged' });
  });
});

describe('EST-8 the order of decisions by effective date', () => {
  let h: History;
  beforeEach(() => {
    h = withNewEstate(chengguan());
    h.do('RenameCommittee', { communityId: 'dongfanghong', name: '东方红街社区居民委员会' }, '2014-01-01');
  });

  it('EST-8 refuses a decision dated before a later recorded decision on the same community', () => {
    h.when(
      'RenameCommittee',
      { communityId: 'dongfanghong', name: '东方红老社区居民委员会' },
      '2013-06-01',
    ).thenRefused('EST-8', {
      entity: 'community:dongfanghong',
      lastEffectiveAt: '2014-01-01',
      effectiveAt: '2013-06-01',
    });
  });

  it('EST-8 refuses a decision dated before a later recorded decision on the same area', () => {
    h.do('ReportOccupancy', { areaId: 'a-ytxy', occupiedHouseholds: 100 }, '2013-01-01');
    h.when('ReportOccupancy', { areaId: 'a-ytxy', occupiedHouseholds: 50 }, '2012-12-01').thenRefused(
      'EST-8',
      {
        entity: 'area:a-ytxy',
        lastEffectiveAt: '2013-01-01',
      },
    );
  });

  it('EST-8 accepts a decision on the same date as the latest one on that entity', () => {
    h.when(
      'SetUpPartyOrganization',
      { communityId: 'dongfanghong', name: '东方红社区党委' },
      '2014-01-01',
    ).thenEvents('ORG-1', [
      { type: 'PartyOrganizationSetUp', data: { communityId: 'dongfanghong', name: '东方红社区党委' } },
    ]);
  });

  it('EST-8 accepts a backfilled decision on an unrelated entity; viewAsOf follows effective dates', () => {
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
      '2010-05-01',
    )
      .thenEvents('EST-1', [
        {
          type: 'AreaRegistered',
          data: expect.objectContaining({
            areaId: 'a-glr-east',
            responsibility: { kind: 'proxy', communityId: 'gaolanlu', committeeId: 'glr-rc' },
          }),
        },
      ])
      .andRecord();
    // Recorded last, effective before the estate (2012) and the rename (2014).
    expect(h.facts.at(-1)?.event.type).toBe('AreaRegistered');
    expect(viewAsOf(h.facts, '2010-04-30').areas['a-glr-east']).toBeUndefined();
    const in2011 = viewAsOf(h.facts, '2011-01-01');
    expect(Object.keys(in2011.areas).sort()).toEqual(['a-dfh', 'a-glr', 'a-glr-east']);
    expect(in2011.areas['a-glr'].adjacentAreaIds).toEqual(['a-glr-east']);
    expect(in2011.communities.dongfanghong.name).toBe('东方红社区居民委员会');
    expect(in2011.asOf).toBe('2011-01-01');
    expect(h.view.areas['a-glr-east']).toMatchObject({ registeredOn: '2010-05-01' });
    expect(h.view.communities.dongfanghong.name).toBe('东方红街社区居民委员会');
    expect(timelineOf(h.facts, 'community:gaolanlu').map((e) => [e.type, e.effectiveAt])).toEqual([
      ['CommitteeEstablished', '2005-03-01'],
      ['AreaRegistered', '2005-03-01'],
      ['AreaRegistered', '2010-05-01'],
    ]);
  });

  it('EST-8 judges a backfilled decision by the map as it stood on its own date', () => {
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
      '2004-06-01',
    ).thenNotFound('area', 'a-glr');
  });
});

describe('EST-8 corrections of recorded decisions', () => {
  let h: History;
  let firstRename: string;
  let secondRename: string;
  beforeEach(() => {
    h = chengguan();
    firstRename = idOf(
      h.do('RenameCommittee', { communityId: 'dongfanghong', name: '东方红街社区居民委员会' }, '2013-06-01', {
        legalBasis: '城关区民发〔2013〕45号',
      }),
      'CommitteeRenamed',
    );
    secondRename = idOf(
      h.do('RenameCommittee', { communityId: 'dongfanghong', name: '东方红新社区居民委员会' }, '2014-06-01'),
      'CommitteeRenamed',
    );
  });

  it('EST-8 moves an effective date within the neighbouring decisions; the timeline keeps the original', () => {
    const correction = h.when(
      'CorrectDecision',
      { correctsEventId: firstRename, reason: '文件生效日期录入错误', correctedEffectiveAt: '2013-09-01' },
      '2026-03-01',
    );
    correction.thenEvents('EST-8', [
      {
        type: 'DecisionCorrected',
        data: {
          correctsEventId: firstRename,
          correctsType: 'CommitteeRenamed',
          reason: '文件生效日期录入错误',
          correctedEffectiveAt: '2013-09-01',
          correctedLegalBasis: null,
          annulled: false,
          coverageFindings: [],
        },
      },
    ]);
    expect(correction.thenAccepted()[0].ruleIds).toEqual(['EST-8']);
    const [recorded] = correction.andRecord();
    const entry = timelineOf(h.facts, 'community:dongfanghong').find((e) => e.eventId === firstRename);
    expect(entry).toMatchObject({
      effectiveAt: '2013-09-01',
      originalEffectiveAt: '2013-06-01',
      correctedBy: [recorded.eventId],
      corrected: true,
      annulled: false,
    });
    expect(viewAsOf(h.facts, '2013-08-31').communities.dongfanghong.name).toBe('东方红社区居民委员会');
    expect(viewAsOf(h.facts, '2013-09-01').communities.dongfanghong.name).toBe('东方红街社区居民委员会');
  });

  it('EST-8 accepts moving a date onto a neighbouring decision’s date', () => {
    h.when(
      'CorrectDecision',
      { correctsEventId: firstRename, reason: '同日生效', correctedEffectiveAt: '2014-06-01' },
      '2026-03-01',
    ).thenEvents('EST-8', [
      { type: 'DecisionCorrected', data: expect.objectContaining({ correctedEffectiveAt: '2014-06-01' }) },
    ]);
  });

  it('EST-8 refuses a corrected date after the next decision on the same entity', () => {
    h.when(
      'CorrectDecision',
      { correctsEventId: firstRename, reason: '录入错误', correctedEffectiveAt: '2014-06-02' },
      '2026-03-01',
    ).thenRefused('EST-8', { field: 'correctedEffectiveAt' });
  });

  it('EST-8 refuses a corrected date before the previous decision on the same entity', () => {
    h.when(
      'CorrectDecision',
      { correctsEventId: firstRename, reason: '录入错误', correctedEffectiveAt: '2005-02-28' },
      '2026-03-01',
    ).thenRefused('EST-8', { field: 'correctedEffectiveAt' });
  });

  it('EST-8 refuses annulling a decision that later decisions build on', () => {
    h.when(
      'CorrectDecision',
      { correctsEventId: firstRename, reason: '文件撤销', annul: true },
      '2026-03-01',
    ).thenRefused('EST-8', { laterEventIds: [secondRename] });
  });

  it('EST-8 annuls a decision with nothing later; the map forgets it, the timeline keeps it', () => {
    h.when(
      'CorrectDecision',
      { correctsEventId: secondRename, reason: '文件撤销', annul: true },
      '2026-03-01',
    )
      .thenEvents('EST-8', [
        {
          type: 'DecisionCorrected',
          data: expect.objectContaining({
            correctsEventId: secondRename,
            annulled: true,
            correctedEffectiveAt: null,
          }),
        },
      ])
      .andRecord();
    expect(h.view.communities.dongfanghong.name).toBe('东方红街社区居民委员会');
    expect(
      timelineOf(h.facts, 'community:dongfanghong').find((e) => e.eventId === secondRename),
    ).toMatchObject({
      annulled: true,
      corrected: true,
    });
  });

  it('EST-8 corrects the legal basis of a decision', () => {
    h.do(
      'CorrectDecision',
      { correctsEventId: firstRename, reason: '文号录入错误', correctedLegalBasis: '城关区民发〔2013〕54号' },
      '2026-03-01',
    );
    expect(
      timelineOf(h.facts, 'community:dongfanghong').find((e) => e.eventId === firstRename),
    ).toMatchObject({
      legalBasis: '城关区民发〔2013〕54号',
      effectiveAt: '2013-06-01',
    });
  });

  it('EST-8 answers NotFound for a correction of an unknown event id', () => {
    h.when(
      'CorrectDecision',
      { correctsEventId: '123e4567-e89b-42d3-a456-426614174000', reason: '录入错误', annul: true },
      '2026-03-01',
    ).thenNotFound('event', '123e4567-e89b-42d3-a456-426614174000');
  });

  it('EST-8 refuses correcting a correction', () => {
    const [correction] = h.do(
      'CorrectDecision',
      { correctsEventId: firstRename, reason: '文号录入错误', correctedLegalBasis: '城关区民发〔2013〕54号' },
      '2026-03-01',
    );
    h.when(
      'CorrectDecision',
      { correctsEventId: correction.eventId, reason: '更正有误', annul: true },
      '2026-03-02',
    ).thenRefused('EST-8');
  });

  it('EST-8 a correction moves every event of the decision it corrects', () => {
    const estate = withNewEstate(chengguan());
    const recorded = estate.do(
      'StartProxyManagement',
      { areaId: 'a-ytxy', byCommunityId: 'dongfanghong' },
      '2012-06-01',
    );
    estate.do(
      'CorrectDecision',
      {
        correctsEventId: idOf(recorded, 'ProxyManagementStarted'),
        reason: '代管自5月起',
        correctedEffectiveAt: '2012-05-01',
      },
      '2026-03-01',
    );
    const moved = estate.facts.filter((f) => recorded.some((r) => r.eventId === f.eventId));
    expect(moved.map((f) => [f.event.type, f.effectiveAt])).toEqual([
      ['ResidentsGroupDisbanded', '2012-05-01'],
      ['ProxyManagementStarted', '2012-05-01'],
    ]);
    expect(activeBodiesOf(viewAsOf(estate.facts, '2012-05-15'), 'a-ytxy')).toEqual([
      { kind: 'proxy', communityId: 'dongfanghong', committeeId: 'dfh-rc' },
    ]);
  });
});

describe('EST-8 the timeline shows each correction as its own entry', () => {
  const archivist = { subject: 'archivist-chengguan-02', districtScope: '620102' };

  it('EST-8 a correction is an entry with its recorded date, actor, reason and legal basis, right after the decision it corrects', () => {
    const h = chengguan();
    const [renamed] = h.do(
      'RenameCommittee',
      { communityId: 'dongfanghong', name: '东方红街社区居民委员会' },
      '2013-06-01',
      { legalBasis: '城关区民发〔2013〕45号' },
    );
    h.do('RenameCommittee', { communityId: 'dongfanghong', name: '东方红新社区居民委员会' }, '2014-06-01');
    const [moved] = h.do(
      'CorrectDecision',
      {
        correctsEventId: renamed.eventId,
        reason: '文件生效日期录入错误',
        correctedEffectiveAt: '2013-09-01',
      },
      '2026-03-01',
      { legalBasis: '城关区民政局档案核查〔2026〕3号', actor: archivist },
    );
    const [rebased] = h.do(
      'CorrectDecision',
      {
        correctsEventId: renamed.eventId,
        reason: '文号录入错误',
        correctedLegalBasis: '城关区民发〔2013〕54号',
      },
      '2026-03-02',
      { legalBasis: '城关区民政局档案核查〔2026〕4号' },
    );
    const entries = timelineOf(h.facts, 'community:dongfanghong');
    expect(entries.map((e) => [e.type, e.effectiveAt])).toEqual([
      ['CommitteeEstablished', '2005-03-01'],
      ['AreaRegistered', '2005-03-01'],
      ['CommitteeRenamed', '2013-09-01'],
      ['DecisionCorrected', '2026-03-01'],
      ['DecisionCorrected', '2026-03-02'],
      ['CommitteeRenamed', '2014-06-01'],
    ]);
    // The corrected entry, with its original and corrected date and legal basis.
    expect(entries[2]).toMatchObject({
      eventId: renamed.eventId,
      originalEffectiveAt: '2013-06-01',
      effectiveAt: '2013-09-01',
      originalLegalBasis: '城关区民发〔2013〕45号',
      legalBasis: '城关区民发〔2013〕54号',
      correctedBy: [moved.eventId, rebased.eventId],
      corrects: null,
    });
    // The correction itself: when it was recorded, by whom, why and on what basis.
    const recordedAt = h.facts.find((f) => f.eventId === moved.eventId)!.recordedAt;
    expect(entries[3]).toMatchObject({
      eventId: moved.eventId,
      recordedAt,
      actor: archivist,
      legalBasis: '城关区民政局档案核查〔2026〕3号',
      ruleIds: ['EST-8'],
      corrects: {
        eventId: renamed.eventId,
        type: 'CommitteeRenamed',
        reason: '文件生效日期录入错误',
        originalEffectiveAt: '2013-06-01',
        correctedEffectiveAt: '2013-09-01',
        originalLegalBasis: '城关区民发〔2013〕45号',
        correctedLegalBasis: '城关区民发〔2013〕45号',
        annulled: false,
      },
    });
    // A later correction of the same decision starts from where the first one left it.
    expect(entries[4]).toMatchObject({
      eventId: rebased.eventId,
      legalBasis: '城关区民政局档案核查〔2026〕4号',
      corrects: {
        reason: '文号录入错误',
        originalEffectiveAt: '2013-09-01',
        correctedEffectiveAt: '2013-09-01',
        originalLegalBasis: '城关区民发〔2013〕45号',
        correctedLegalBasis: '城关区民发〔2013〕54号',
      },
    });
  });

  it('EST-8 every entity of the corrected decision shows the correction, after the decision’s last entry there', () => {
    const h = withNewEstate(chengguan());
    h.do('ReportOccupancy', { areaId: 'a-ytxy', occupiedHouseholds: 400 }, '2012-09-01');
    const established = h.do(
      'EstablishCommittee',
      {
        communityId: 'yantan-xinyuan',
        committeeId: 'ytxy-rc',
        name: '雁滩新苑社区居民委员会',
        areaIds: ['a-ytxy'],
      },
      '2013-06-01',
    );
    const [correction] = h.do(
      'CorrectDecision',
      {
        correctsEventId: idOf(established, 'CommitteeEstablished'),
        reason: '档案显示2013年1月15日成立',
        correctedEffectiveAt: '2013-01-15',
      },
      '2026-03-01',
    );
    const area = timelineOf(h.facts, 'area:a-ytxy');
    expect(area.map((e) => e.type)).toEqual([
      'AreaRegistered',
      'OccupancyReported',
      'EstablishmentObligationOpened',
      'ResidentsGroupDisbanded',
      'CommitteeEstablished',
      'EstablishmentObligationClosed',
      'DecisionCorrected',
    ]);
    expect(area.at(-1)).toMatchObject({
      eventId: correction.eventId,
      corrects: {
        type: 'CommitteeEstablished',
        originalEffectiveAt: '2013-06-01',
        correctedEffectiveAt: '2013-01-15',
      },
    });
    expect(timelineOf(h.facts, 'community:yantan-xinyuan').map((e) => e.type)).toEqual([
      'CommitteeEstablished',
      'EstablishmentObligationClosed',
      'DecisionCorrected',
    ]);
    // An entity the decision did not touch does not show it.
    expect(timelineOf(h.facts, 'area:a-glr').map((e) => e.type)).toEqual([
      'CommitteeEstablished',
      'AreaRegistered',
    ]);
  });

  it('EST-8 an annulment is an entry too, and the annulled decision stays on the timeline', () => {
    const h = chengguan();
    const [renamed] = h.do(
      'RenameCommittee',
      { communityId: 'dongfanghong', name: '东方红街社区居民委员会' },
      '2013-06-01',
    );
    h.do(
      'CorrectDecision',
      { correctsEventId: renamed.eventId, reason: '文件撤销', annul: true },
      '2026-03-01',
    );
    const entries = timelineOf(h.facts, 'community:dongfanghong');
    expect(entries.map((e) => [e.type, e.annulled])).toEqual([
      ['CommitteeEstablished', false],
      ['AreaRegistered', false],
      ['CommitteeRenamed', true],
      ['DecisionCorrected', false],
    ]);
    expect(entries[3].corrects).toMatchObject({
      reason: '文件撤销',
      annulled: true,
      originalEffectiveAt: '2013-06-01',
      correctedEffectiveAt: '2013-06-01',
    });
  });
});

describe('EST-8 ids of new communities and committees are never reused', () => {
  let h: History;
  beforeEach(() => {
    h = withWestArea(chengguan());
  });

  const split = (east: { communityId: string; committeeId: string }) => ({
    sourceCommunityId: 'dongfanghong',
    parts: [
      { ...east, name: '东方红东社区居民委员会', areaIds: ['a-dfh'] },
      {
        communityId: 'dfh-west',
        committeeId: 'dfh-west-rc',
        name: '东方红西社区居民委员会',
        areaIds: ['a-dfh-west'],
      },
    ],
  });

  it('EST-8 refuses a split part with the id of another existing community', () => {
    h.when(
      'SplitCommittee',
      split({ communityId: 'gaolanlu', committeeId: 'dfh-east-rc' }),
      '2015-01-01',
    ).thenRefused('EST-8');
  });

  it('EST-8 refuses a split part with the id of an existing committee', () => {
    h.when(
      'SplitCommittee',
      split({ communityId: 'dfh-east', committeeId: 'glr-rc' }),
      '2015-01-01',
    ).thenRefused('EST-8');
  });

  it('EST-8 refuses a split part with the source’s committee id under a new community id', () => {
    h.when(
      'SplitCommittee',
      split({ communityId: 'dfh-east', committeeId: 'dfh-rc' }),
      '2015-01-01',
    ).thenRefused('EST-8');
  });

  it('EST-8 refuses a merger into a new community with the id of a committee in use', () => {
    h.when('MergeCommittees', { ...merger, committeeId: 'glr-rc' }, '2014-06-01').thenRefused('EST-8');
  });

  it('EST-8 refuses a merger into an existing community that is not one of the sources', () => {
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
          },
        ],
      },
      '2010-01-01',
    );
    h.when(
      'MergeCommittees',
      { ...merger, communityId: 'yantan', committeeId: 'dg-rc' },
      '2014-06-01',
    ).thenRefused('EST-8');
  });
});

describe('EST-8 the bounds of a corrected effective date', () => {
  let h: History;
  const rename = (name: string, on: string): string =>
    idOf(h.do('RenameCommittee', { communityId: 'dongfanghong', name }, on), 'CommitteeRenamed');
  const correct = (eventId: string, correctedEffectiveAt: string) =>
    h.when(
      'CorrectDecision',
      { correctsEventId: eventId, reason: '录入错误', correctedEffectiveAt },
      '2026-03-01',
    );
  beforeEach(() => {
    h = chengguan();
  });

  it('EST-8 two decisions of one day are ordered as recorded: the first may not move past the second', () => {
    const first = rename('东方红街社区居民委员会', '2013-06-01');
    const second = rename('东方红新社区居民委员会', '2013-06-01');
    correct(first, '2013-06-02').thenRefused('EST-8', { field: 'correctedEffectiveAt' });
    h.when(
      'CorrectDecision',
      { correctsEventId: first, reason: '文件撤销', annul: true },
      '2026-03-01',
    ).thenRefused('EST-8', { laterEventIds: [second] });
    correct(second, '2013-05-31').thenRefused('EST-8', { field: 'correctedEffectiveAt' });
    correct(second, '2013-06-02').thenEvents('EST-8', [
      { type: 'DecisionCorrected', data: expect.objectContaining({ correctedEffectiveAt: '2013-06-02' }) },
    ]);
  });

  it('EST-8 accepts moving a date back onto the previous decision’s date', () => {
    rename('东方红街社区居民委员会', '2013-06-01');
    const second = rename('东方红新社区居民委员会', '2014-06-01');
    correct(second, '2013-06-01').thenEvents('EST-8', [
      {
        type: 'DecisionCorrected',
        data: expect.objectContaining({ correctsEventId: second, correctedEffectiveAt: '2013-06-01' }),
        ruleIds: ['EST-8'],
      },
    ]);
  });

  it('EST-8 with several later decisions the corrected date stays before the next one', () => {
    const first = rename('东方红街社区居民委员会', '2013-06-01');
    rename('东方红新社区居民委员会', '2014-06-01');
    rename('东方红社区居民委员会', '2015-06-01');
    correct(first, '2014-12-01').thenRefused('EST-8', { field: 'correctedEffectiveAt' });
    correct(first, '2014-05-31').thenAccepted();
  });

  it('EST-8 with several earlier decisions the corrected date stays after the previous one', () => {
    rename('东方红街社区居民委员会', '2013-06-01');
    rename('东方红新社区居民委员会', '2014-06-01');
    const third = rename('东方红社区居民委员会', '2015-06-01');
    correct(third, '2013-12-01').thenRefused('EST-8', { field: 'correctedEffectiveAt' });
    correct(third, '2014-06-02').thenAccepted();
  });

  it('EST-8 a decision with nothing before or after it may move either way', () => {
    const founding = idOf(
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
            },
          ],
        },
        '2010-01-01',
      ),
      'CommitteeEstablished',
    );
    correct(founding, '1995-01-01').thenAccepted();
    correct(founding, '2020-01-01').thenAccepted();
  });
});

describe('EST-8 given the new estate under proxy management by 东方红, also next to 皋兰路', () => {
  let h: History;
  beforeEach(() => {
    h = withNewEstate(chengguan());
    h.do('StartProxyManagement', { areaId: 'a-ytxy', byCommunityId: 'dongfanghong' }, '2012-06-01');
    h.do('RecordAdjacency', { areaId: 'a-ytxy', adjacentAreaIds: ['a-glr'] }, '2012-12-01');
  });

  it('EST-8 dissolving the proxy community ends its proxy and hands the area to the named successor', () => {
    h.when(
      'DissolveCommittee',
      {
        communityId: 'dongfanghong',
        areaSuccessors: [
          { areaId: 'a-dfh', successor: { kind: 'own-committee', communityId: 'gaolanlu' } },
          { areaId: 'a-ytxy', successor: { kind: 'proxy', communityId: 'gaolanlu' } },
        ],
        reason: '辖区调整',
      },
      '2015-01-01',
    )
      .thenEvents('EST-8', [
        {
          type: 'ProxyManagementEnded',
          data: {
            areaId: 'a-ytxy',
            byCommunityId: 'dongfanghong',
            byCommitteeId: 'dfh-rc',
            reason: 'dissolution of dongfanghong',
          },
          ruleIds: ['EST-3', 'EST-8'],
        },
        {
          type: 'CommitteeDissolved',
          data: {
            communityId: 'dongfanghong',
            committeeId: 'dfh-rc',
            reason: '辖区调整',
            areaIds: ['a-dfh'],
          },
          ruleIds: ['EST-8', 'EST-7'],
        },
        {
          type: 'AreaTransferred',
          data: {
            areaId: 'a-dfh',
            fromCommunityId: 'dongfanghong',
            toCommunityId: 'gaolanlu',
            toCommitteeId: 'glr-rc',
          },
          ruleIds: ['EST-7', 'EST-8'],
        },
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

  it('EST-8 dissolving another community leaves 东方红’s proxy as it is', () => {
    h.when(
      'DissolveCommittee',
      {
        communityId: 'gaolanlu',
        areaSuccessors: [
          { areaId: 'a-glr', successor: { kind: 'own-committee', communityId: 'dongfanghong' } },
        ],
        reason: '辖区调整',
      },
      '2015-01-01',
    ).thenEvents('EST-8', [
      { type: 'CommitteeDissolved', data: expect.objectContaining({ communityId: 'gaolanlu' }) },
      { type: 'AreaTransferred', data: expect.objectContaining({ areaId: 'a-glr' }) },
    ]);
  });

  it('EST-8 refuses a successor for an area another community proxy-manages', () => {
    h.when(
      'DissolveCommittee',
      {
        communityId: 'gaolanlu',
        areaSuccessors: [
          { areaId: 'a-glr', successor: { kind: 'own-committee', communityId: 'dongfanghong' } },
          { areaId: 'a-ytxy', successor: { kind: 'own-committee', communityId: 'dongfanghong' } },
        ],
        reason: '辖区调整',
      },
      '2015-01-01',
    ).thenRefused('EST-8', { areaId: 'a-ytxy' });
  });
});

describe('EST-8 given the new estate under a residents group of 东方红, also next to 皋兰路', () => {
  let h: History;
  beforeEach(() => {
    h = withNewEstate(chengguan());
    h.do('RecordAdjacency', { areaId: 'a-ytxy', adjacentAreaIds: ['a-glr'] }, '2012-12-01');
  });

  it('EST-8 dissolving another community leaves the residents group as it is', () => {
    h.when(
      'DissolveCommittee',
      {
        communityId: 'gaolanlu',
        areaSuccessors: [
          { areaId: 'a-glr', successor: { kind: 'own-committee', communityId: 'dongfanghong' } },
        ],
        reason: '辖区调整',
      },
      '2015-01-01',
    ).thenEvents('EST-8', [
      { type: 'CommitteeDissolved', data: expect.objectContaining({ communityId: 'gaolanlu' }) },
      { type: 'AreaTransferred', data: expect.objectContaining({ areaId: 'a-glr' }) },
    ]);
  });

  it('EST-8 dissolving 东方红 disbands its group and forms the successor group', () => {
    h.when(
      'DissolveCommittee',
      {
        communityId: 'dongfanghong',
        areaSuccessors: [
          { areaId: 'a-dfh', successor: { kind: 'own-committee', communityId: 'gaolanlu' } },
          {
            areaId: 'a-ytxy',
            successor: {
              kind: 'residents-group',
              groupId: 'g-ytxy-glr',
              groupName: '雁滩新苑居民小组',
              attachedToCommunityId: 'gaolanlu',
            },
          },
        ],
        reason: '辖区调整',
      },
      '2015-01-01',
    ).thenEvents('EST-8', [
      {
        type: 'ResidentsGroupDisbanded',
        data: { groupId: 'g-ytxy', areaId: 'a-ytxy', reason: 'dissolution of dongfanghong' },
        ruleIds: ['EST-3'],
      },
      { type: 'CommitteeDissolved', data: expect.objectContaining({ communityId: 'dongfanghong' }) },
      { type: 'AreaTransferred', data: expect.objectContaining({ areaId: 'a-dfh' }) },
      {
        type: 'ResidentsGroupFormed',
        data: {
          groupId: 'g-ytxy-glr',
          name: '雁滩新苑居民小组',
          areaId: 'a-ytxy',
          attachedToCommunityId: 'gaolanlu',
        },
        ruleIds: ['EST-3', 'EST-6', 'EST-7'],
      },
    ]);
  });
});

describe('EST-8 annulments and the decisions after them', () => {
  let h: History;
  let first: string;
  let second: string;
  beforeEach(() => {
    h = chengguan();
    first = idOf(
      h.do('RenameCommittee', { communityId: 'dongfanghong', name: '东方红街社区居民委员会' }, '2013-06-01'),
      'CommitteeRenamed',
    );
    second = idOf(
      h.do('RenameCommittee', { communityId: 'dongfanghong', name: '东方红新社区居民委员会' }, '2014-06-01'),
      'CommitteeRenamed',
    );
  });

  it('EST-8 an annulled later decision no longer blocks annulling the one before it', () => {
    h.do('CorrectDecision', { correctsEventId: second, reason: '文件撤销', annul: true }, '2026-03-01');
    h.when('CorrectDecision', { correctsEventId: first, reason: '文件撤销', annul: true }, '2026-03-02')
      .thenEvents('EST-8', [
        {
          type: 'DecisionCorrected',
          data: expect.objectContaining({ correctsEventId: first, annulled: true }),
          ruleIds: ['EST-8'],
        },
      ])
      .andRecord();
    expect(h.view.communities.dongfanghong.name).toBe('东方红社区居民委员会');
  });

  it('EST-8 a refused corrected date names the range it must lie in', () => {
    const founding = idOf(
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
            },
          ],
        },
        '2014-06-01',
      ),
      'CommitteeEstablished',
    );
    h.do('RenameCommittee', { communityId: 'yantan', name: '雁滩街社区居民委员会' }, '2015-06-01');
    const refused = h
      .when(
        'CorrectDecision',
        { correctsEventId: founding, reason: '录入错误', correctedEffectiveAt: '2016-01-01' },
        '2026-03-01',
      )
      .thenRefused('EST-8', { field: 'correctedEffectiveAt' });
    expect(refused.message).toContain('between the start and 2015-06-01');
    const refusedLater = h
      .when(
        'CorrectDecision',
        { correctsEventId: second, reason: '录入错误', correctedEffectiveAt: '2013-01-01' },
        '2026-03-01',
      )
      .thenRefused('EST-8', { field: 'correctedEffectiveAt' });
    expect(refusedLater.message).toContain('between 2013-06-01 and 9999-12-31');
  });
});

describe('EST-8 mergers and splits with the proxies the communities carry', () => {
  let h: History;
  beforeEach(() => {
    h = withWestArea(chengguan());
    h.do(
      'RegisterArea',
      {
        areaId: 'a-ytxy',
        name: '雁滩新苑',
        kind: 'new-residential-estate',
        subDistrict: '雁滩街道',
        households: 800,
        adjacentAreaIds: ['a-dfh-west'],
        responsibility: { kind: 'proxy', communityId: 'dongfanghong' },
      },
      '2012-03-01',
    );
  });
  const westPart = {
    communityId: 'dfh-west',
    committeeId: 'dfh-west-rc',
    name: '东方红西社区居民委员会',
    areaIds: ['a-dfh-west'],
  };

  it('EST-8 a merger into 东方红 keeps the proxies 东方红 itself carries', () => {
    h.when(
      'MergeCommittees',
      { ...merger, communityId: 'dongfanghong', committeeId: 'unused-rc' },
      '2014-06-01',
    ).thenEvents('EST-8', [
      {
        type: 'CommitteesMerged',
        data: expect.objectContaining({ absorbed: true }),
        ruleIds: ['EST-7', 'EST-8', 'EST-9'],
      },
    ]);
  });

  it('EST-8 a split in which 东方红 continues keeps its committee and the proxies it carries', () => {
    h.when(
      'SplitCommittee',
      {
        sourceCommunityId: 'dongfanghong',
        parts: [
          {
            communityId: 'dongfanghong',
            committeeId: 'other-rc',
            name: '东方红社区居民委员会',
            areaIds: ['a-dfh'],
          },
          westPart,
        ],
      },
      '2015-01-01',
    )
      .thenEvents('EST-8', [
        {
          type: 'CommitteeSplit',
          data: expect.objectContaining({
            parts: [
              expect.objectContaining({ communityId: 'dongfanghong', committeeId: 'dfh-rc' }),
              expect.objectContaining({ communityId: 'dfh-west', committeeId: 'dfh-west-rc' }),
            ],
          }),
        },
      ])
      .andRecord();
    expect(h.view.committees['other-rc']).toBeUndefined();
    expect(activeBodiesOf(h.view, 'a-ytxy')).toEqual([
      { kind: 'proxy', communityId: 'dongfanghong', committeeId: 'dfh-rc' },
    ]);
  });

  it('EST-8 a split that ends 东方红 hands its proxy to the part that borders the area', () => {
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
          westPart,
        ],
      },
      '2015-01-01',
    ).thenEvents('EST-8', [
      {
        type: 'ProxyManagementEnded',
        data: {
          areaId: 'a-ytxy',
          byCommunityId: 'dongfanghong',
          byCommitteeId: 'dfh-rc',
          reason: 'split of dongfanghong',
        },
      },
      {
        type: 'ProxyManagementStarted',
        data: { areaId: 'a-ytxy', byCommunityId: 'dfh-west', byCommitteeId: 'dfh-west-rc' },
      },
      { type: 'CommitteeSplit', data: expect.objectContaining({ sourceCommunityId: 'dongfanghong' }) },
    ]);
  });
});

describe('EST-8 corrections judge neighbours by effective date, not by the order the archive was recorded in', () => {
  let h: History;
  const renamed = (name: string): EstablishmentEvent => ({
    type: 'CommitteeRenamed',
    ruleIds: ['EST-8'],
    data: { communityId: 'dongfanghong', committeeId: 'dfh-rc', previousName: '东方红社区居民委员会', name },
  });
  const rename = (name: string, on: string): string =>
    idOf(h.do('RenameCommittee', { communityId: 'dongfanghong', name }, on), 'CommitteeRenamed');
  beforeEach(() => {
    h = chengguan();
  });

  it('EST-8 a decision imported later but effective earlier does not block annulling a decision after it', () => {
    const rename2014 = rename('东方红新社区居民委员会', '2014-06-01');
    h.record('2013-01-01', [renamed('东方红街社区居民委员会')]);
    h.when(
      'CorrectDecision',
      { correctsEventId: rename2014, reason: '文件撤销', annul: true },
      '2026-03-01',
    ).thenEvents('EST-8', [
      {
        type: 'DecisionCorrected',
        data: expect.objectContaining({ correctsEventId: rename2014, annulled: true }),
      },
    ]);
  });

  it('EST-8 the next decision by effective date bounds the corrected date, even if it was imported last', () => {
    const rename2013 = rename('东方红街社区居民委员会', '2013-06-01');
    rename('东方红新社区居民委员会', '2015-06-01');
    h.record('2014-06-01', [renamed('东方红中社区居民委员会')]);
    h.when(
      'CorrectDecision',
      { correctsEventId: rename2013, reason: '录入错误', correctedEffectiveAt: '2014-12-01' },
      '2026-03-01',
    ).thenRefused('EST-8', { field: 'correctedEffectiveAt' });
  });
});
