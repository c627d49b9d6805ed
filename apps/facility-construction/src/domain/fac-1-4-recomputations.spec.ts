import { Facilities, type FacilityInput } from './testing/given-when-then';

/**
 * FAC-1 recomputations of a community's requirement, the reactions to the establishment service
 * (a community established, merged or split, its households changed): what each records, the rule
 * ids it cites and what it refuses.
 */

const facility = (communityId: string, facilityId: string, areaM2: number) => ({
  communityId,
  facilityId,
  areaM2,
  useRightHolder: 'residents-committee' as const,
  manager: 'sub-district-office' as const,
});

const recompute = (
  communityId: string,
  households: number,
  over: Partial<FacilityInput<'RecomputeRequirement'>> = {},
): FacilityInput<'RecomputeRequirement'> => ({
  communityId,
  households,
  reason: 'community-established',
  sourceEventId: `est-${communityId}`,
  ...over,
});

/** 东方红 (2,000 households, 400 m² required, 150 m² on record) and 高兰路 (1,000, 350 m², 350 m²). */
function twoCommunities(): Facilities {
  const f = new Facilities();
  f.do(
    'RecomputeRequirement',
    recompute('dongfanghong', 2000, { areaIds: ['a-dfh', 'a-dfh-west'] }),
    '2005-03-01',
  );
  f.do('RecordExistingFacility', facility('dongfanghong', 'f-dfh', 150), '2005-03-01');
  f.do('RecomputeRequirement', recompute('gaolanlu', 1000, { areaIds: ['a-glr'] }), '2005-03-01');
  f.do('RecordExistingFacility', facility('gaolanlu', 'f-glr', 350), '2005-03-01');
  return f;
}

describe('FAC-1 FAC-4 a recomputed requirement', () => {
  it('FAC-1 FAC-4 a new community’s requirement cites both rules and has no previous requirement', () => {
    const f = new Facilities();
    f.do('RecordExistingFacility', facility('xigu', 'f-xigu', 350), '2005-01-01');
    const recomputed = f.when(
      'RecomputeRequirement',
      recompute('xigu', 1000, { areaIds: ['a-xigu'] }),
      '2005-03-01',
    );
    recomputed.thenEvents('FAC-1', [
      {
        type: 'RequirementRecomputed',
        data: {
          communityId: 'xigu',
          households: 1000,
          previousRequiredM2: null,
          requirement: {
            households: 1000,
            standard: 'basic',
            perHouseholdM2: 0.2,
            minimumPerCommunityM2: 350,
            largeCommunityHouseholds: 3000,
            requiredM2: 350,
          },
          reason: 'community-established',
          sourceEventId: 'est-xigu',
          mergedCommunityIds: [],
          areaIds: ['a-xigu'],
          // Space exactly at the requirement meets it.
          spaceM2: 350,
          shortfallM2: 0,
          meetsRequirement: true,
        },
      },
    ]);
    expect(recomputed.thenAccepted()[0].ruleIds).toEqual(['FAC-1', 'FAC-4']);
  });

  it('FAC-1 a recomputation that does not list areas keeps the community’s own', () => {
    expect(
      twoCommunities()
        .when(
          'RecomputeRequirement',
          recompute('dongfanghong', 2100, { reason: 'review', sourceEventId: 'r-1' }),
          '2010-01-01',
        )
        .eventOf('RequirementRecomputed').data.areaIds,
    ).toEqual(['a-dfh', 'a-dfh-west']);
  });

  it('FAC-1 only a merger or a split passes facilities on', () => {
    const f = twoCommunities();
    for (const reason of ['community-established', 'households-changed', 'review'] as const)
      f.when(
        'RecomputeRequirement',
        recompute('dongfanghong', 2100, { reason, sourceEventId: 'r-2', mergedCommunityIds: ['gaolanlu'] }),
        '2010-01-01',
      ).thenRefused('FAC-1', { reason });
  });

  it('FAC-1 a merger that lists the merged community itself counts its space once', () => {
    const merged = twoCommunities()
      .when(
        'RecomputeRequirement',
        recompute('dongfanghong', 3000, {
          reason: 'merger',
          sourceEventId: 'm-1',
          mergedCommunityIds: ['dongfanghong', 'gaolanlu'],
        }),
        '2010-01-01',
      )
      .eventOf('RequirementRecomputed');
    // max(0.2 × 3,000, 350) = 600 m² against 150 + 350 = 500 m².
    expect(merged.data).toMatchObject({ previousRequiredM2: 400, spaceM2: 500, shortfallM2: 100 });
  });

  it('FAC-1 a split part that keeps the split community’s id may name it', () => {
    expect(
      twoCommunities()
        .when(
          'RecomputeRequirement',
          recompute('dongfanghong', 1200, {
            reason: 'split',
            sourceEventId: 's-1',
            mergedCommunityIds: ['dongfanghong'],
          }),
          '2010-01-01',
        )
        .eventOf('RequirementRecomputed').data.spaceM2,
    ).toBe(150);
  });

  it('FAC-1 a split part that names itself besides the split community takes that community’s space', () => {
    expect(
      twoCommunities()
        .when(
          'RecomputeRequirement',
          recompute('dongfang', 1200, {
            reason: 'split',
            sourceEventId: 's-2',
            mergedCommunityIds: ['dongfang', 'dongfanghong'],
          }),
          '2010-01-01',
        )
        .eventOf('RequirementRecomputed').data,
    ).toMatchObject({ spaceM2: 150, shortfallM2: 200 });
  });

  it('FAC-1 a community merged into another is not recomputed on its own', () => {
    const f = twoCommunities();
    f.do(
      'RecomputeRequirement',
      recompute('dongfang-gaolan', 3000, {
        reason: 'merger',
        sourceEventId: 'm-1',
        mergedCommunityIds: ['dongfanghong', 'gaolanlu'],
      }),
      '2010-01-01',
    );
    f.when(
      'RecomputeRequirement',
      recompute('gaolanlu', 1100, { reason: 'review', sourceEventId: 'r-3' }),
      '2011-01-01',
    ).thenRefused('FAC-1');
  });
});

describe('FAC-1 a change of an area’s households', () => {
  it('FAC-1 the area of a community merged into another changes nothing here', () => {
    const f = twoCommunities();
    f.do(
      'RecomputeRequirement',
      recompute('dongfang-gaolan', 3000, {
        reason: 'merger',
        sourceEventId: 'm-1',
        mergedCommunityIds: ['dongfanghong', 'gaolanlu'],
      }),
      '2010-01-01',
    );
    expect(
      f
        .when(
          'RecountCommunityHouseholds',
          { areaId: 'a-glr', households: 900, previous: 400, sourceEventId: 'hh-1' },
          '2011-01-01',
        )
        .thenAccepted(),
    ).toEqual([]);
  });

  it('FAC-1 a recount recomputes the community that lists the area, whichever it is', () => {
    const recomputed = twoCommunities()
      .when(
        'RecountCommunityHouseholds',
        { areaId: 'a-glr', households: 1600, previous: 1000, sourceEventId: 'hh-2' },
        '2011-01-01',
      )
      .eventOf('RequirementRecomputed');
    expect(recomputed.ruleIds).toEqual(['FAC-1', 'FAC-4']);
    // 1,000 + 1,600 − 1,000 = 1,600 households: max(320, 350) = 350 m²; the hall has 350 m².
    expect(recomputed.data).toMatchObject({
      communityId: 'gaolanlu',
      households: 1600,
      reason: 'households-changed',
      areaIds: ['a-glr'],
      meetsRequirement: true,
    });
  });

  it('FAC-1 households never fall below none when an area counted more than its community', () => {
    expect(
      twoCommunities()
        .when(
          'RecountCommunityHouseholds',
          { areaId: 'a-glr', households: 0, previous: 1500, sourceEventId: 'hh-3' },
          '2011-01-01',
        )
        .eventOf('RequirementRecomputed').data,
    ).toMatchObject({
      households: 0,
      requirement: {
        households: 0,
        standard: 'basic',
        perHouseholdM2: 0.2,
        minimumPerCommunityM2: 350,
        largeCommunityHouseholds: 3000,
        requiredM2: 350,
      },
    });
  });
});
