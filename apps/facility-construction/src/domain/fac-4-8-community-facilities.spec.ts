import { communitiesShortOfSpace, communityCompliance, flaggedTariffs } from './queries';
import { spaceOf } from './state';
import { Facilities } from './testing/given-when-then';

/** 东方红 (dongfanghong), an old-town community of 2,000 households: FAC-1 requires 400 m². */
function dongfanghong(): Facilities {
  const f = new Facilities();
  f.do(
    'RecomputeRequirement',
    {
      communityId: 'dongfanghong',
      households: 2000,
      reason: 'community-established',
      sourceEventId: 'est-evt-1',
    },
    '2005-03-01',
  );
  f.do(
    'RecordExistingFacility',
    {
      communityId: 'dongfanghong',
      facilityId: 'f-dfh-office',
      areaM2: 150,
      useRightHolder: 'residents-committee',
      manager: 'sub-district-office',
      functions: ['office', 'affairs-hall'],
    },
    '2005-03-01',
  );
  return f;
}

const remedy = (over: Record<string, unknown>) => ({
  communityId: 'dongfanghong',
  facilityId: 'f-dfh-new',
  kind: 'new-build' as const,
  areaM2: 100,
  ...over,
});

describe('FAC-4 areas lacking space', () => {
  it('FAC-4 lists an existing community short of space with its shortfall', () => {
    expect(communitiesShortOfSpace(dongfanghong().state, '2010-01-01')).toEqual([
      {
        communityId: 'dongfanghong',
        households: 2000,
        requiredM2: 400,
        standard: 'basic',
        spaceM2: 150,
        shortfallM2: 250,
      },
    ]);
  });

  it.each(['new-build', 'purchase'] as const)(
    'FAC-4 a %s remedy adds area and records the shortfall before and after',
    (kind) => {
      const acquired = dongfanghong()
        .when('RemedySpaceShortage', remedy({ kind }), '2013-05-01')
        .eventOf('FacilityAcquired');
      expect(acquired.ruleIds).toContain('FAC-4');
      expect(acquired.data).toMatchObject({
        source: kind,
        areaM2: 100,
        shortfallBeforeM2: 250,
        shortfallAfterM2: 150,
      });
    },
  );

  it('FAC-4 renovation or expansion enlarges an existing facility', () => {
    const f = dongfanghong();
    f.do(
      'RemedySpaceShortage',
      remedy({ kind: 'renovation-expansion', facilityId: 'f-dfh-office', areaM2: 250 }),
      '2013-05-01',
    );
    expect(f.state.view.facilities['f-dfh-office'].areaM2).toBe(400);
    expect(communitiesShortOfSpace(f.state, '2013-05-01')).toEqual([]);
    expect(communitiesShortOfSpace(f.state, '2013-04-30')).toHaveLength(1);
  });

  it('FAC-4 a swap gives up the old facility for the new one', () => {
    const f = dongfanghong();
    f.when('RemedySpaceShortage', remedy({ kind: 'swap', areaM2: 380 }), '2013-05-01').thenRefused('FAC-4');
    f.do(
      'RemedySpaceShortage',
      remedy({ kind: 'swap', areaM2: 380, givesUpFacilityId: 'f-dfh-office' }),
      '2013-05-01',
    );
    expect(spaceOf(f.state.view, 'dongfanghong', '2013-05-01')).toBe(380);
    expect(communitiesShortOfSpace(f.state, '2013-05-01')[0].shortfallM2).toBe(20);
  });

  it('FAC-4 a lease needs its end date and stops counting after it', () => {
    const f = dongfanghong();
    f.when('RemedySpaceShortage', remedy({ kind: 'lease' }), '2013-05-01').thenRefused('FAC-4');
    f.when(
      'RemedySpaceShortage',
      remedy({ kind: 'lease', leaseUntil: '2013-04-01' }),
      '2013-05-01',
    ).thenRefused('FAC-4');
    f.do(
      'RemedySpaceShortage',
      remedy({ kind: 'lease', areaM2: 250, leaseUntil: '2015-12-31' }),
      '2013-05-01',
    );
    expect(communitiesShortOfSpace(f.state, '2015-12-31')).toEqual([]);
    expect(communitiesShortOfSpace(f.state, '2016-01-01')[0].shortfallM2).toBe(250);
  });

  it('FAC-4 community vegetable markets: new build, renovation, buy-back, swap, lease', () => {
    const f = dongfanghong();
    f.when(
      'RemedyVegetableMarket',
      { communityId: 'dongfanghong', marketId: 'm-dfh', kind: 'buy-back', areaM2: 600 },
      '2013-05-01',
    ).thenEvents('FAC-4', [
      {
        type: 'VegetableMarketRemedied',
        data: {
          communityId: 'dongfanghong',
          marketId: 'm-dfh',
          kind: 'buy-back',
          areaM2: 600,
          leaseUntil: null,
        },
      },
    ]);
    f.when(
      'RemedyVegetableMarket',
      { communityId: 'dongfanghong', marketId: 'm-dfh', kind: 'lease', areaM2: 600 },
      '2013-05-01',
    ).thenRefused('FAC-4');
  });

  it('FAC-4 a facility id is recorded once', () => {
    dongfanghong()
      .when('RemedySpaceShortage', remedy({ facilityId: 'f-dfh-office' }), '2013-05-01')
      .thenRefused('FAC-4');
  });
});

describe('FAC-1 recomputation of a community requirement (reactions to the establishment service)', () => {
  it('FAC-1 a change of households recomputes the requirement and says whether the space still meets it', () => {
    const f = dongfanghong();
    f.do('RemedySpaceShortage', remedy({ areaM2: 250 }), '2013-05-01');
    const recomputed = f
      .when(
        'RecomputeRequirement',
        {
          communityId: 'dongfanghong',
          households: 2500,
          reason: 'households-changed',
          sourceEventId: 'est-evt-2',
        },
        '2016-01-01',
      )
      .eventOf('RequirementRecomputed');
    expect(recomputed.data).toMatchObject({
      previousRequiredM2: 400,
      requirement: { requiredM2: 500 },
      spaceM2: 400,
      shortfallM2: 100,
      meetsRequirement: false,
    });
  });

  it('FAC-1 the same source event is applied once', () => {
    expect(
      dongfanghong()
        .when(
          'RecomputeRequirement',
          {
            communityId: 'dongfanghong',
            households: 2500,
            reason: 'households-changed',
            sourceEventId: 'est-evt-1',
          },
          '2016-01-01',
        )
        .thenAccepted(),
    ).toEqual([]);
  });

  it('FAC-1 a merger takes over the merged communities’ facilities and judges the merged community', () => {
    const f = dongfanghong();
    f.do(
      'RecomputeRequirement',
      {
        communityId: 'gaolanlu',
        households: 1000,
        reason: 'community-established',
        sourceEventId: 'est-evt-3',
      },
      '2005-03-01',
    );
    f.do(
      'RecordExistingFacility',
      {
        communityId: 'gaolanlu',
        facilityId: 'f-glr',
        areaM2: 350,
        useRightHolder: 'residents-committee',
        manager: 'sub-district-office',
      },
      '2005-03-01',
    );
    const merged = f
      .when(
        'RecomputeRequirement',
        {
          communityId: 'dongfang-gaolan',
          households: 3200,
          reason: 'merger',
          sourceEventId: 'est-evt-4',
          mergedCommunityIds: ['dongfanghong', 'gaolanlu'],
        },
        '2015-07-01',
      )
      .eventOf('RequirementRecomputed');
    // 3,200 > 3,000 households: large community, 0.3 × 3,200 = 960 m²; space 150 + 350 = 500 m².
    expect(merged.data).toMatchObject({
      spaceM2: 500,
      shortfallM2: 460,
      requirement: { standard: 'large-community', requiredM2: 960 },
    });
    f.when(
      'RecomputeRequirement',
      {
        communityId: 'x-1',
        households: 1,
        reason: 'households-changed',
        sourceEventId: 's',
        mergedCommunityIds: ['gaolanlu'],
      },
      '2015-07-01',
    ).thenRefused('FAC-1', { reason: 'households-changed' });
    f.when(
      'RecomputeRequirement',
      {
        communityId: 'x-1',
        households: 1,
        reason: 'split',
        sourceEventId: 's',
        mergedCommunityIds: ['gaolanlu', 'dongfanghong'],
      },
      '2015-07-01',
    ).thenRefused('FAC-1', { mergedCommunityIds: ['gaolanlu', 'dongfanghong'] });
  });
});

/**
 * A split in the establishment service (CommitteeSplit) recomputes every part. The space is not
 * divided by guesswork: it stays with the part that keeps the split community's id or, when none
 * does, passes whole to the first part; every other part starts with no space of its own and is
 * reported short (FAC-1) until the district remedies it (FAC-4).
 */
describe('FAC-1 and FAC-4 after a split', () => {
  const part = (communityId: string, households: number, over: Record<string, unknown> = {}) => ({
    communityId,
    households,
    reason: 'split' as const,
    sourceEventId: 'est-split-1',
    ...over,
  });

  it('FAC-1 FAC-4 when the split community ends, its first part takes the space and the others are short', () => {
    const f = dongfanghong();
    // 东方红 (150 m²) splits into 东方 (1,200 households) and 红星 (800 households), both new.
    f.when(
      'RecomputeRequirement',
      part('dongfang', 1200, { mergedCommunityIds: ['dongfanghong'] }),
      '2016-01-01',
    )
      .thenEvents('FAC-4', [
        {
          type: 'RequirementRecomputed',
          data: {
            communityId: 'dongfang',
            households: 1200,
            previousRequiredM2: null,
            requirement: expect.objectContaining({ requiredM2: 350 }),
            reason: 'split',
            sourceEventId: 'est-split-1',
            mergedCommunityIds: ['dongfanghong'],
            areaIds: [],
            spaceM2: 150,
            shortfallM2: 200,
            meetsRequirement: false,
          },
        },
      ])
      .andRecord();
    f.when('RecomputeRequirement', part('hongxing', 800), '2016-01-01')
      .thenEvents('FAC-1', [
        {
          type: 'RequirementRecomputed',
          data: expect.objectContaining({ communityId: 'hongxing', spaceM2: 0, shortfallM2: 350 }),
        },
      ])
      .andRecord();
    expect(spaceOf(f.state.view, 'dongfang', '2016-01-01')).toBe(150);
    expect(f.state.view.communities.dongfanghong.mergedInto).toBe('dongfang');
    // The split community no longer counts; both parts are short until remedied.
    expect(communitiesShortOfSpace(f.state, '2016-01-01').map((c) => [c.communityId, c.shortfallM2])).toEqual(
      [
        ['dongfang', 200],
        ['hongxing', 350],
      ],
    );
    expect(communityCompliance(f.state, 'dongfanghong', '2016-01-01')).toBeNull();
    expect(communityCompliance(f.state, 'dongfang', '2016-01-01')?.present).toEqual([
      'affairs-hall',
      'office',
    ]);
    // Before the split the registry stood as it was.
    expect(communitiesShortOfSpace(f.state, '2015-12-31').map((c) => c.communityId)).toEqual([
      'dongfanghong',
    ]);
    // FAC-4: a lease remedies the new part.
    f.do(
      'RemedySpaceShortage',
      remedy({
        communityId: 'hongxing',
        facilityId: 'f-hx-lease',
        kind: 'lease',
        areaM2: 360,
        leaseUntil: '2026-12-31',
      }),
      '2016-03-01',
    );
    expect(communitiesShortOfSpace(f.state, '2016-03-01').map((c) => c.communityId)).toEqual(['dongfang']);
  });

  it('FAC-1 FAC-4 when a part keeps the split community’s id, the space stays with it', () => {
    const f = dongfanghong();
    f.do('RecomputeRequirement', part('dongfanghong', 700), '2016-01-01');
    f.do('RecomputeRequirement', part('hongxing', 1300), '2016-01-01');
    expect(communitiesShortOfSpace(f.state, '2016-01-01')).toEqual([
      {
        communityId: 'dongfanghong',
        households: 700,
        requiredM2: 350,
        standard: 'basic',
        spaceM2: 150,
        shortfallM2: 200,
      },
      {
        communityId: 'hongxing',
        households: 1300,
        requiredM2: 350,
        standard: 'basic',
        spaceM2: 0,
        shortfallM2: 350,
      },
    ]);
  });

  it('FAC-1 a split names at most the one community it splits', () => {
    dongfanghong()
      .when(
        'RecomputeRequirement',
        part('dongfang', 1200, { mergedCommunityIds: ['dongfanghong', 'gaolanlu'] }),
        '2016-01-01',
      )
      .thenRefused('FAC-1');
  });
});

/** A change of an area's households (AreaHouseholdsUpdated) recomputes its community (FAC-1). */
describe('FAC-1 after a change of households', () => {
  function withAreas(): Facilities {
    const f = new Facilities();
    f.do(
      'RecomputeRequirement',
      {
        communityId: 'dongfanghong',
        households: 2000,
        reason: 'community-established',
        sourceEventId: 'est-evt-1',
        areaIds: ['a-dfh', 'a-dfh-west'],
      },
      '2005-03-01',
    );
    f.do(
      'RecordExistingFacility',
      {
        communityId: 'dongfanghong',
        facilityId: 'f-dfh-office',
        areaM2: 400,
        useRightHolder: 'residents-committee',
        manager: 'sub-district-office',
      },
      '2005-03-01',
    );
    return f;
  }

  it('FAC-1 more households in one of its areas raise the requirement and report the shortfall', () => {
    withAreas()
      .when(
        'RecountCommunityHouseholds',
        { areaId: 'a-dfh-west', households: 900, previous: 400, sourceEventId: 'est-hh-1' },
        '2014-06-01',
      )
      .thenEvents('FAC-1', [
        {
          type: 'RequirementRecomputed',
          data: {
            communityId: 'dongfanghong',
            households: 2500,
            previousRequiredM2: 400,
            requirement: expect.objectContaining({ requiredM2: 500 }),
            reason: 'households-changed',
            sourceEventId: 'est-hh-1',
            mergedCommunityIds: [],
            areaIds: ['a-dfh', 'a-dfh-west'],
            spaceM2: 400,
            shortfallM2: 100,
            meetsRequirement: false,
          },
        },
      ]);
  });

  it('FAC-1 an area no community here lists, an unchanged count or the same event again change nothing', () => {
    const f = withAreas();
    const change = { areaId: 'a-dfh', households: 1700, previous: 1600, sourceEventId: 'est-hh-2' };
    expect(
      f.when('RecountCommunityHouseholds', { ...change, areaId: 'a-proxy' }, '2014-06-01').thenAccepted(),
    ).toEqual([]);
    expect(
      f.when('RecountCommunityHouseholds', { ...change, households: 1600 }, '2014-06-01').thenAccepted(),
    ).toEqual([]);
    f.do('RecountCommunityHouseholds', change, '2014-06-01');
    expect(f.state.view.communities.dongfanghong.households).toBe(2100);
    expect(f.when('RecountCommunityHouseholds', change, '2014-07-01').thenAccepted()).toEqual([]);
  });
});

describe('FAC-5 use rights and management', () => {
  const existing = (over: Record<string, unknown>) => ({
    communityId: 'dongfanghong',
    facilityId: 'f-dfh-2',
    areaM2: 80,
    useRightHolder: 'residents-committee',
    manager: 'sub-district-office',
    ...over,
  });

  it('FAC-5 refuses a facility whose right of use is not the committee’s', () => {
    dongfanghong()
      .when('RecordExistingFacility', existing({ useRightHolder: 'developer' }) as never, '2013-01-01')
      .thenRefused('FAC-5', { useRightHolder: 'developer' });
  });

  it('FAC-5 refuses a facility not managed by the sub-district office (or township)', () => {
    const f = dongfanghong();
    f.when(
      'RecordExistingFacility',
      existing({ manager: 'property-management-company' }) as never,
      '2013-01-01',
    ).thenRefused('FAC-5');
    f.when('RemedySpaceShortage', remedy({ manager: 'developer' }), '2013-01-01').thenRefused('FAC-5');
    expect(
      f
        .when('RecordExistingFacility', existing({ manager: 'township-government' }) as never, '2013-01-01')
        .eventOf('FacilityAcquired').ruleIds,
    ).toContain('FAC-5');
  });
});

describe('FAC-6 one hall, four rooms, two schools, one place', () => {
  it('FAC-6 a community is compliant once all eight functions are provided', () => {
    const f = dongfanghong();
    expect(communityCompliance(f.state, 'dongfanghong', '2013-01-01')).toMatchObject({
      compliant: false,
      missing: [
        'police-room',
        'library-reading-room',
        'cultural-activity-room',
        'party-school',
        'citizens-school',
        'outdoor-activity-place',
      ],
    });
    f.when(
      'RecordFacilityFunctions',
      { facilityId: 'f-dfh-office', functions: ['police-room', 'library-reading-room'] },
      '2013-01-01',
    ).thenEvents('FAC-6', [
      {
        type: 'FacilityFunctionsRecorded',
        data: {
          facilityId: 'f-dfh-office',
          communityId: 'dongfanghong',
          functions: ['police-room', 'library-reading-room'],
        },
      },
    ]);
    f.do(
      'RemedySpaceShortage',
      remedy({
        areaM2: 250,
        functions: [
          'police-room',
          'library-reading-room',
          'cultural-activity-room',
          'party-school',
          'citizens-school',
          'outdoor-activity-place',
        ],
      }),
      '2014-01-01',
    );
    expect(communityCompliance(f.state, 'dongfanghong', '2014-01-01')).toMatchObject({
      compliant: true,
      missing: [],
    });
    expect(communityCompliance(f.state, 'dongfanghong', '2013-12-31')?.compliant).toBe(false);
  });
});

describe('FAC-7 no conversion to commercial use', () => {
  it('FAC-7 refuses a profit-making commercial use', () => {
    dongfanghong()
      .when(
        'ChangeFacilityUse',
        { facilityId: 'f-dfh-office', newUse: '超市出租', profitMaking: true },
        '2013-01-01',
      )
      .thenRefused('FAC-7', { newUse: '超市出租' });
  });

  it('FAC-7 records a change between non-profit community uses', () => {
    dongfanghong()
      .when(
        'ChangeFacilityUse',
        { facilityId: 'f-dfh-office', newUse: '日间照料中心', profitMaking: false },
        '2013-01-01',
      )
      .thenEvents('FAC-7', [
        {
          type: 'FacilityUseChanged',
          data: {
            facilityId: 'f-dfh-office',
            communityId: 'dongfanghong',
            previousUse: 'community-service',
            newUse: '日间照料中心',
          },
        },
      ]);
  });
});

describe('FAC-8 utility tariffs', () => {
  const tariff = (rateCategory: 'residential' | 'reduced' | 'non-residential') => ({
    facilityId: 'f-dfh-office',
    utility: 'electricity' as const,
    rateCategory,
    pricePerUnitYuan: rateCategory === 'non-residential' ? 0.86 : 0.51,
    unit: 'kWh',
  });

  it('FAC-8 records a residential or reduced rate unflagged', () => {
    expect(
      dongfanghong()
        .when('RecordUtilityTariff', tariff('residential'), '2013-01-01')
        .eventOf('UtilityTariffRecorded').data.flagged,
    ).toBe(false);
    expect(
      dongfanghong()
        .when('RecordUtilityTariff', tariff('reduced'), '2013-01-01')
        .eventOf('UtilityTariffRecorded').data.flagged,
    ).toBe(false);
  });

  it('FAC-8 flags a non-residential rate, and the flag lasts until a residential rate replaces it', () => {
    const f = dongfanghong();
    const recorded = f
      .when('RecordUtilityTariff', tariff('non-residential'), '2013-01-01')
      .eventOf('UtilityTariffRecorded');
    expect(recorded.ruleIds).toContain('FAC-8');
    expect(recorded.data.flagged).toBe(true);
    f.do('RecordUtilityTariff', tariff('non-residential'), '2013-01-01');
    f.do('RecordUtilityTariff', tariff('residential'), '2014-01-01');
    expect(flaggedTariffs(f.state, '2013-06-01')).toEqual([
      expect.objectContaining({
        facilityId: 'f-dfh-office',
        utility: 'electricity',
        rateCategory: 'non-residential',
      }),
    ]);
    expect(flaggedTariffs(f.state, '2014-01-01')).toEqual([]);
  });

  it('FAC-8 needs a facility on record', () => {
    new Facilities()
      .when('RecordUtilityTariff', tariff('residential'), '2013-01-01')
      .thenNotFound('facility', 'f-dfh-office');
  });
});
