import { householdRangeRegimeOn } from './policy';
import { viewAsOf } from './state';
import { chengguan, withNewEstate } from './testing/given-when-then';

/** EST-9 [law]: a committee outside the household range of the law in force is flagged, not refused. */

const establishOver = (households: number, on: string) =>
  withNewEstate(chengguan(), '2012-03-01', households)
    .when(
      'EstablishCommittee',
      {
        communityId: 'yantan-xinyuan',
        committeeId: 'ytxy-rc',
        name: '雁滩新苑社区居民委员会',
        areaIds: ['a-ytxy'],
      },
      on,
    )
    .eventOf('CommitteeEstablished');

describe('EST-9 given a committee established before 2026-01-01 (Organic Law 1989: 100–700 households)', () => {
  it('EST-9 flags 800 households as outside the range but accepts the committee', () => {
    const established = establishOver(800, '2013-01-01');
    expect(established.data.householdRange).toEqual({
      households: 800,
      regime: 'Organic Law 1989',
      minHouseholds: 100,
      maxHouseholds: 700,
      withinRange: false,
    });
    expect(established.ruleIds).toContain('EST-9');
  });

  it('EST-9 flags 99 households as outside the range but accepts the committee', () => {
    expect(establishOver(99, '2013-01-01').data.householdRange).toMatchObject({
      households: 99,
      withinRange: false,
    });
  });

  it('EST-9 finds 100 and 700 households within the range', () => {
    expect(establishOver(100, '2013-01-01').data.householdRange.withinRange).toBe(true);
    expect(establishOver(700, '2025-12-31').data.householdRange).toMatchObject({
      regime: 'Organic Law 1989',
      withinRange: true,
    });
  });

  it('EST-9 the map keeps the flag on the community', () => {
    const h = withNewEstate(chengguan());
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
    expect(h.view.communities['yantan-xinyuan'].householdRange).toMatchObject({
      households: 800,
      withinRange: false,
    });
  });
});

describe('EST-9 given a committee established on or after 2026-01-01 (revised law: 1,000–3,000 households)', () => {
  it('EST-9 on 2026-01-01 judges 800 households by the revised law and flags them', () => {
    expect(establishOver(800, '2026-01-01').data.householdRange).toEqual({
      households: 800,
      regime: 'Organic Law revised 2025',
      minHouseholds: 1000,
      maxHouseholds: 3000,
      withinRange: false,
    });
  });

  it('EST-9 finds 1,500 households within the revised range', () => {
    expect(establishOver(1500, '2026-03-01').data.householdRange).toMatchObject({
      regime: 'Organic Law revised 2025',
      withinRange: true,
    });
  });

  it('EST-9 flags 3,001 households as above the revised range', () => {
    expect(establishOver(3001, '2026-03-01').data.householdRange.withinRange).toBe(false);
  });

  it('EST-9 judges a merger by the law in force on its date', () => {
    const merged = chengguan()
      .when(
        'MergeCommittees',
        {
          sourceCommunityIds: ['dongfanghong', 'gaolanlu'],
          communityId: 'dongfang-gaolan',
          committeeId: 'dg-rc',
          name: '东方红皋兰路社区居民委员会',
        },
        '2026-02-01',
      )
      .eventOf('CommitteesMerged');
    expect(merged.data.result.householdRange).toEqual({
      households: 1100,
      regime: 'Organic Law revised 2025',
      minHouseholds: 1000,
      maxHouseholds: 3000,
      withinRange: true,
    });
    expect(merged.ruleIds).toContain('EST-9');
  });

  it('EST-9 householdRangeRegimeOn switches regime on 2026-01-01', () => {
    expect(householdRangeRegimeOn('2025-12-31').regime).toBe('Organic Law 1989');
    expect(householdRangeRegimeOn('2026-01-01').regime).toBe('Organic Law revised 2025');
  });
});

describe('EST-9/EST-8 given a committee of 650 households whose establishment is corrected across 2026-01-01', () => {
  it('EST-9/EST-8 the map judges the households by the law in force on the corrected date', () => {
    const h = withNewEstate(chengguan(), '2012-03-01', 650);
    const [, established] = h.do(
      'EstablishCommittee',
      {
        communityId: 'yantan-xinyuan',
        committeeId: 'ytxy-rc',
        name: '雁滩新苑社区居民委员会',
        areaIds: ['a-ytxy'],
      },
      '2026-02-01',
    );
    expect(h.view.communities['yantan-xinyuan'].householdRange).toMatchObject({
      regime: 'Organic Law revised 2025',
      withinRange: false,
    });
    h.do(
      'CorrectDecision',
      {
        correctsEventId: established.eventId,
        reason: '成立文件实为2025年12月15日',
        correctedEffectiveAt: '2025-12-15',
      },
      '2026-03-01',
    );
    const judged = {
      households: 650,
      regime: 'Organic Law 1989',
      minHouseholds: 100,
      maxHouseholds: 700,
      withinRange: true,
    };
    // Before the corrected date there is no committee; between and after, the 1989 law judges it.
    expect(viewAsOf(h.facts, '2025-12-14').communities['yantan-xinyuan']).toBeUndefined();
    expect(viewAsOf(h.facts, '2026-01-15').communities['yantan-xinyuan'].householdRange).toEqual(judged);
    expect(viewAsOf(h.facts, '2026-03-01').communities['yantan-xinyuan'].householdRange).toEqual(judged);
    expect(h.view.communities['yantan-xinyuan'].householdRange).toEqual(judged);
  });
});

describe('EST-9 given the new estate 雁滩新苑 (800 households)', () => {
  it('EST-9 an update of an area’s households records the new and the previous count', () => {
    const h = withNewEstate(chengguan());
    h.when('UpdateAreaHouseholds', { areaId: 'a-ytxy', households: 950 }, '2013-01-01')
      .thenEvents('EST-9', [
        {
          type: 'AreaHouseholdsUpdated',
          data: { areaId: 'a-ytxy', households: 950, previous: 800 },
          ruleIds: ['EST-9'],
        },
      ])
      .andRecord();
    expect(h.view.areas['a-ytxy'].households).toBe(950);
  });

  it('EST-9 answers NotFound for the households of an area that is not registered', () => {
    withNewEstate(chengguan())
      .when('UpdateAreaHouseholds', { areaId: 'a-nowhere', households: 950 }, '2013-01-01')
      .thenNotFound('area', 'a-nowhere');
  });
});
