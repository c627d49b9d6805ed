import { spaceOf } from './state';
import { Facilities } from './testing/given-when-then';

/**
 * A community's facilities decision by decision (FAC-4 to FAC-8): what each records, the rule ids it
 * cites and what it refuses. 东方红 (dongfanghong), 2,000 households, FAC-1 requires 400 m²; its
 * office of 150 m² is on record since 2005.
 */
function dongfanghong(): Facilities {
  const f = new Facilities();
  f.do(
    'RecomputeRequirement',
    {
      communityId: 'dongfanghong',
      households: 2000,
      reason: 'community-established',
      sourceEventId: 'est-1',
    },
    '2005-03-01',
  );
  f.do('RecordExistingFacility', existing(), '2005-03-01');
  return f;
}

const existing = (over: Record<string, unknown> = {}) => ({
  communityId: 'dongfanghong',
  facilityId: 'f-dfh-office',
  areaM2: 150,
  useRightHolder: 'residents-committee' as const,
  manager: 'sub-district-office' as const,
  ...over,
});

const remedy = (over: Record<string, unknown>) => ({
  communityId: 'dongfanghong',
  facilityId: 'f-dfh-new',
  kind: 'new-build' as const,
  areaM2: 100,
  ...over,
});

/** 高兰路 (gaolanlu), a neighbouring community with its own hall of 120 m². */
function withNeighbour(f = dongfanghong()): Facilities {
  f.do(
    'RecordExistingFacility',
    existing({ communityId: 'gaolanlu', facilityId: 'f-glr-hall', areaM2: 120 }),
    '2006-01-01',
  );
  return f;
}

describe('FAC-4 FAC-5 a facility on record (from the archive)', () => {
  it('FAC-4 FAC-5 records the facility with the committee’s use right and the shortfall before and after', () => {
    const f = dongfanghong();
    const recorded = f.when(
      'RecordExistingFacility',
      existing({ facilityId: 'f-dfh-2', areaM2: 80 }),
      '2006-01-01',
    );
    recorded.thenEvents('FAC-4', [
      {
        type: 'FacilityAcquired',
        data: {
          communityId: 'dongfanghong',
          facilityId: 'f-dfh-2',
          areaM2: 80,
          useRightHolder: 'residents-committee',
          manager: 'sub-district-office',
          functions: [],
          source: 'existing',
          projectId: null,
          extendsFacility: false,
          givesUpFacilityId: null,
          leaseUntil: null,
          shortfallBeforeM2: 250,
          shortfallAfterM2: 170,
        },
      },
    ]);
    expect(recorded.thenAccepted()[0].ruleIds).toEqual(['FAC-4', 'FAC-5']);
  });

  it('FAC-6 a facility recorded with required functions also cites FAC-6', () => {
    expect(
      dongfanghong()
        .when(
          'RecordExistingFacility',
          existing({ facilityId: 'f-dfh-2', functions: ['office'] }),
          '2006-01-01',
        )
        .thenAccepted()[0].ruleIds,
    ).toEqual(['FAC-4', 'FAC-5', 'FAC-6']);
  });

  it('FAC-4 a community with no requirement yet has no shortfall to report', () => {
    const acquired = new Facilities()
      .when('RecordExistingFacility', existing({ communityId: 'gaolanlu' }), '2005-03-01')
      .eventOf('FacilityAcquired');
    expect(acquired.data).toMatchObject({ shortfallBeforeM2: null, shortfallAfterM2: null });
  });

  it('FAC-4 a community known here without a requirement has no shortfall to report either', () => {
    const f = new Facilities();
    f.do('RecordExistingFacility', existing({ communityId: 'gaolanlu' }), '2005-03-01');
    const acquired = f
      .when(
        'RecordExistingFacility',
        existing({ communityId: 'gaolanlu', facilityId: 'f-glr-2' }),
        '2005-04-01',
      )
      .eventOf('FacilityAcquired');
    expect(acquired.data).toMatchObject({ shortfallBeforeM2: null, shortfallAfterM2: null });
  });

  it('FAC-4 space beyond the requirement leaves no shortfall (never a negative one)', () => {
    const acquired = dongfanghong()
      .when('RecordExistingFacility', existing({ facilityId: 'f-dfh-2', areaM2: 600 }), '2006-01-01')
      .eventOf('FacilityAcquired');
    expect(acquired.data).toMatchObject({ shortfallBeforeM2: 250, shortfallAfterM2: 0 });
  });
});

describe('FAC-4 remedies of a lack of space: renovation or expansion', () => {
  it('FAC-4 FAC-5 an expansion adds to the existing facility and records the shortfall it leaves', () => {
    const expanded = dongfanghong().when(
      'RemedySpaceShortage',
      remedy({ kind: 'renovation-expansion', facilityId: 'f-dfh-office', areaM2: 200 }),
      '2013-05-01',
    );
    expanded.thenEvents('FAC-4', [
      {
        type: 'FacilityAcquired',
        data: {
          communityId: 'dongfanghong',
          facilityId: 'f-dfh-office',
          source: 'renovation-expansion',
          projectId: null,
          areaM2: 200,
          extendsFacility: true,
          givesUpFacilityId: null,
          leaseUntil: null,
          useRightHolder: 'residents-committee',
          manager: 'sub-district-office',
          functions: [],
          shortfallBeforeM2: 250,
          shortfallAfterM2: 50,
        },
      },
    ]);
    expect(expanded.thenAccepted()[0].ruleIds).toEqual(['FAC-4', 'FAC-5']);
  });

  it('FAC-4 a renovation of a building not yet on record records it as a new facility', () => {
    const f = dongfanghong();
    f.when(
      'RemedySpaceShortage',
      remedy({ kind: 'renovation-expansion', facilityId: 'f-dfh-old-school', areaM2: 200 }),
      '2013-05-01',
    ).andRecord();
    expect(f.state.view.facilities['f-dfh-old-school']).toMatchObject({
      areaM2: 200,
      source: 'renovation-expansion',
    });
    expect(spaceOf(f.state.view, 'dongfanghong', '2013-05-01')).toBe(350);
  });

  it('FAC-4 a community does not expand another community’s facility', () => {
    withNeighbour()
      .when(
        'RemedySpaceShortage',
        remedy({ kind: 'renovation-expansion', facilityId: 'f-glr-hall', areaM2: 200 }),
        '2013-05-01',
      )
      .thenRefused('FAC-4');
  });

  it('FAC-4 a facility given up in a swap is not expanded', () => {
    const f = dongfanghong();
    f.do(
      'RemedySpaceShortage',
      remedy({ kind: 'swap', areaM2: 300, givesUpFacilityId: 'f-dfh-office' }),
      '2010-01-01',
    );
    f.when(
      'RemedySpaceShortage',
      remedy({ kind: 'renovation-expansion', facilityId: 'f-dfh-office', areaM2: 200 }),
      '2013-05-01',
    ).thenNotFound('facility', 'f-dfh-office');
  });

  it('FAC-4 a leased facility is not expanded after its lease ended', () => {
    const f = dongfanghong();
    f.do(
      'RemedySpaceShortage',
      remedy({ kind: 'lease', facilityId: 'f-dfh-lease', leaseUntil: '2012-12-31' }),
      '2010-01-01',
    );
    f.when(
      'RemedySpaceShortage',
      remedy({ kind: 'renovation-expansion', facilityId: 'f-dfh-lease', areaM2: 50 }),
      '2013-01-01',
    ).thenRefused('FAC-4');
  });
});

describe('FAC-4 remedies of a lack of space: swap', () => {
  it('FAC-4 a swap records the facility given up, and the shortfall counts the space given up', () => {
    const swapped = dongfanghong()
      .when(
        'RemedySpaceShortage',
        remedy({ kind: 'swap', areaM2: 380, givesUpFacilityId: 'f-dfh-office' }),
        '2013-05-01',
      )
      .eventOf('FacilityAcquired');
    // Before: 400 − 150 = 250; after: 400 − (150 + 380 − 150) = 20.
    expect(swapped.data).toMatchObject({
      source: 'swap',
      givesUpFacilityId: 'f-dfh-office',
      extendsFacility: false,
      shortfallBeforeM2: 250,
      shortfallAfterM2: 20,
    });
  });

  it('FAC-4 a swap gives up a facility of the same community that is on record', () => {
    const f = withNeighbour();
    f.when(
      'RemedySpaceShortage',
      remedy({ kind: 'swap', areaM2: 380, givesUpFacilityId: 'f-glr-hall' }),
      '2013-05-01',
    ).thenRefused('FAC-4');
    f.when(
      'RemedySpaceShortage',
      remedy({ kind: 'swap', areaM2: 380, givesUpFacilityId: 'f-nowhere' }),
      '2013-05-01',
    ).thenNotFound('facility', 'f-nowhere');
    f.when('RemedySpaceShortage', remedy({ kind: 'swap', areaM2: 380 }), '2013-05-01').thenRefused('FAC-4', {
      kind: 'swap',
    });
  });

  it('FAC-4 only a swap gives up a facility', () => {
    dongfanghong()
      .when('RemedySpaceShortage', remedy({ givesUpFacilityId: 'f-dfh-office' }), '2013-05-01')
      .thenRefused('FAC-4', { kind: 'new-build' });
  });
});

describe('FAC-4 remedies of a lack of space: lease', () => {
  it('FAC-4 a lease ends after the effective date: not on it', () => {
    const f = dongfanghong();
    f.when(
      'RemedySpaceShortage',
      remedy({ kind: 'lease', leaseUntil: '2013-05-01' }),
      '2013-05-01',
    ).thenRefused('FAC-4', { leaseUntil: '2013-05-01' });
    f.when('RemedySpaceShortage', remedy({ kind: 'lease' }), '2013-05-01').thenRefused('FAC-4', {
      leaseUntil: null,
    });
    expect(
      f
        .when('RemedySpaceShortage', remedy({ kind: 'lease', leaseUntil: '2013-05-02' }), '2013-05-01')
        .eventOf('FacilityAcquired').data,
    ).toMatchObject({ source: 'lease', leaseUntil: '2013-05-02', shortfallAfterM2: 150 });
  });

  it('FAC-4 only a lease has an end date', () => {
    dongfanghong()
      .when('RemedySpaceShortage', remedy({ kind: 'purchase', leaseUntil: '2020-01-01' }), '2013-05-01')
      .thenRefused('FAC-4', { kind: 'purchase' });
  });

  it('FAC-4 a leased facility is used up to the last day of its lease, not after', () => {
    const f = dongfanghong();
    f.do(
      'RemedySpaceShortage',
      remedy({ kind: 'lease', facilityId: 'f-dfh-lease', leaseUntil: '2012-12-31' }),
      '2010-01-01',
    );
    const functions = { facilityId: 'f-dfh-lease', functions: ['police-room'] as const };
    f.when(
      'RecordFacilityFunctions',
      { ...functions, functions: [...functions.functions] },
      '2012-12-31',
    ).eventOf('FacilityFunctionsRecorded');
    f.when(
      'RecordFacilityFunctions',
      { ...functions, functions: [...functions.functions] },
      '2013-01-01',
    ).thenRefused('FAC-4');
  });
});

describe('FAC-4 FAC-5 every remedy leaves the right of use with the committee', () => {
  it('FAC-5 refuses a remedy whose right of use is not the committee’s', () => {
    dongfanghong()
      .when('RemedySpaceShortage', remedy({ useRightHolder: 'developer' }), '2013-05-01')
      .thenRefused('FAC-5', { useRightHolder: 'developer' });
  });

  it('FAC-5 refuses a remedy managed by the developer, naming the manager', () => {
    dongfanghong()
      .when('RemedySpaceShortage', remedy({ manager: 'developer' }), '2013-05-01')
      .thenRefused('FAC-5', { manager: 'developer' });
  });
});

describe('FAC-4 community vegetable markets', () => {
  const market = (over: Record<string, unknown>) => ({
    communityId: 'dongfanghong',
    marketId: 'm-dfh',
    kind: 'new-build' as const,
    areaM2: 600,
    ...over,
  });

  it('FAC-4 a market on record is renovated, not provided again', () => {
    const f = dongfanghong();
    f.do('RemedyVegetableMarket', market({}), '2010-01-01');
    f.when('RemedyVegetableMarket', market({ kind: 'buy-back' }), '2013-05-01').thenRefused('FAC-4');
    const renovated = f.when(
      'RemedyVegetableMarket',
      market({ kind: 'renovation', areaM2: 800 }),
      '2013-05-01',
    );
    renovated.thenEvents('FAC-4', [
      {
        type: 'VegetableMarketRemedied',
        data: {
          communityId: 'dongfanghong',
          marketId: 'm-dfh',
          kind: 'renovation',
          areaM2: 800,
          leaseUntil: null,
        },
      },
    ]);
    expect(renovated.thenAccepted()[0].ruleIds).toEqual(['FAC-4']);
  });

  it('FAC-4 a leased market ends after the effective date', () => {
    const f = dongfanghong();
    f.when(
      'RemedyVegetableMarket',
      market({ kind: 'lease', leaseUntil: '2013-05-01' }),
      '2013-05-01',
    ).thenRefused('FAC-4', { leaseUntil: '2013-05-01' });
    f.when('RemedyVegetableMarket', market({ kind: 'lease' }), '2013-05-01').thenRefused('FAC-4', {
      leaseUntil: null,
    });
    expect(
      f
        .when('RemedyVegetableMarket', market({ kind: 'lease', leaseUntil: '2013-05-02' }), '2013-05-01')
        .eventOf('VegetableMarketRemedied').data.leaseUntil,
    ).toBe('2013-05-02');
  });
});

describe('FAC-6 FAC-7 FAC-8 decisions on a facility in use', () => {
  it('FAC-6 recording functions cites FAC-6; a facility given up has none to record', () => {
    const f = dongfanghong();
    expect(
      f
        .when('RecordFacilityFunctions', { facilityId: 'f-dfh-office', functions: ['office'] }, '2006-01-01')
        .thenAccepted()[0].ruleIds,
    ).toEqual(['FAC-6']);
    f.do(
      'RemedySpaceShortage',
      remedy({ kind: 'swap', areaM2: 300, givesUpFacilityId: 'f-dfh-office' }),
      '2010-01-01',
    );
    f.when(
      'RecordFacilityFunctions',
      { facilityId: 'f-dfh-office', functions: ['office'] },
      '2013-01-01',
    ).thenNotFound('facility', 'f-dfh-office');
  });

  it('FAC-7 a change of use cites FAC-7 and records the use it replaces', () => {
    const f = dongfanghong();
    const change = { facilityId: 'f-dfh-office', newUse: '日间照料中心', profitMaking: false };
    expect(f.when('ChangeFacilityUse', change, '2013-01-01').thenAccepted()[0].ruleIds).toEqual(['FAC-7']);
    f.do('ChangeFacilityUse', change, '2013-01-01');
    expect(
      f
        .when('ChangeFacilityUse', { ...change, newUse: '老年活动室' }, '2014-01-01')
        .eventOf('FacilityUseChanged').data.previousUse,
    ).toBe('日间照料中心');
  });

  it('FAC-8 a tariff is recorded with the facility’s community and cites FAC-8', () => {
    const tariff = {
      facilityId: 'f-dfh-office',
      utility: 'heating' as const,
      rateCategory: 'reduced' as const,
      pricePerUnitYuan: 18,
      unit: 'm²',
    };
    const recorded = dongfanghong().when('RecordUtilityTariff', tariff, '2013-01-01');
    recorded.thenEvents('FAC-8', [
      { type: 'UtilityTariffRecorded', data: { ...tariff, communityId: 'dongfanghong', flagged: false } },
    ]);
    expect(recorded.thenAccepted()[0].ruleIds).toEqual(['FAC-8']);
  });
});

describe('a backfilled decision is judged on the registry as it stood on its date', () => {
  it('FAC-7 a facility recorded in 2010 had no use to change in 2008', () => {
    const f = dongfanghong();
    f.do('RecordExistingFacility', existing({ facilityId: 'f-dfh-2', areaM2: 80 }), '2010-01-01');
    f.when(
      'ChangeFacilityUse',
      { facilityId: 'f-dfh-2', newUse: '日间照料中心', profitMaking: false },
      '2008-01-01',
    ).thenNotFound('facility', 'f-dfh-2');
  });
});
