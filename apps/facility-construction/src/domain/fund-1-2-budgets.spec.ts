import { Funding } from './testing/given-when-then';

/** FUND-1 and FUND-2 decision by decision: what each records and the rule ids it cites. */

const lines = {
  infrastructure: 40_000,
  serviceOrganisations: 20_000,
  workerSubsidies: 30_000,
  operatingFunds: 10_000,
};

/** 城关区 2013: 1,000,000 urban residents → FUND-1 requires 100,000 yuan. */
function chengguan2013(): Funding {
  const f = new Funding();
  f.do(
    'RecordUrbanPopulation',
    { district: 'chengguan', year: 2013, urbanPopulation: 1_000_000, source: '统计年鉴2013' },
    '2013-01-15',
  );
  return f;
}

describe('FUND-1 FUND-2 a district budget', () => {
  it('FUND-1 FUND-2 records its four lines, total and requirement, and a shortfall as not meeting FUND-1', () => {
    const budget = chengguan2013().when(
      'RecordDistrictBudget',
      { district: 'chengguan', year: 2013, lines: { ...lines, operatingFunds: 9_999.9 } },
      '2013-02-01',
    );
    budget.thenEvents('FUND-2', [
      {
        type: 'DistrictCommunityBudgetRecorded',
        data: {
          district: 'chengguan',
          year: 2013,
          lines: { ...lines, operatingFunds: 9_999.9 },
          totalYuan: 99_999.9,
          requiredYuan: 100_000,
          meetsRequirement: false,
        },
      },
    ]);
    expect(budget.thenAccepted()[0].ruleIds).toEqual(['FUND-1', 'FUND-2']);
  });

  it('FUND-1 the total is to the fen, so 0.1 + 0.2 yuan is 0.3', () => {
    const budget = new Funding()
      .when(
        'RecordDistrictBudget',
        {
          district: 'anning',
          year: 2013,
          lines: { infrastructure: 0.1, serviceOrganisations: 0.2, workerSubsidies: 0, operatingFunds: 0 },
        },
        '2013-02-01',
      )
      .eventOf('DistrictCommunityBudgetRecorded');
    expect(budget.data.totalYuan).toBe(0.3);
  });

  it('FUND-1 judges the budget against the population of its own district and year', () => {
    const f = chengguan2013();
    f.do(
      'RecordUrbanPopulation',
      { district: 'chengguan', year: 2014, urbanPopulation: 2_000_000, source: '统计年鉴2014' },
      '2014-01-15',
    );
    expect(
      f
        .when('RecordDistrictBudget', { district: 'qilihe', year: 2013, lines }, '2014-02-01')
        .eventOf('DistrictCommunityBudgetRecorded').data,
    ).toMatchObject({ requiredYuan: null, meetsRequirement: null });
    expect(
      f
        .when('RecordDistrictBudget', { district: 'chengguan', year: 2014, lines }, '2014-02-01')
        .eventOf('DistrictCommunityBudgetRecorded').data,
    ).toMatchObject({ requiredYuan: 200_000, meetsRequirement: false });
  });

  it('FUND-2 refuses a budget that leaves out lines, naming every missing line', () => {
    const violation = chengguan2013()
      .when(
        'RecordDistrictBudget',
        { district: 'chengguan', year: 2013, lines: { infrastructure: 1, workerSubsidies: 1 } },
        '2013-02-01',
      )
      .thenRefused('FUND-2', { missing: ['serviceOrganisations', 'operatingFunds'] });
    expect(violation.message).toContain('missing: serviceOrganisations, operatingFunds');
  });
});

describe('FUND-1 the urban population and the city budget', () => {
  it('FUND-1 an urban population cites FUND-1 with what the rule requires of it', () => {
    const recorded = new Funding().when(
      'RecordUrbanPopulation',
      { district: 'xigu', year: 2013, urbanPopulation: 333_333, source: '统计年鉴2013' },
      '2013-01-15',
    );
    expect(recorded.thenAccepted()[0].ruleIds).toEqual(['FUND-1']);
    expect(recorded.eventOf('UrbanPopulationRecorded').data.requiredYuan).toBe(33_333.3);
  });

  it('FUND-1 a city budget cites FUND-1', () => {
    expect(
      new Funding()
        .when('RecordCityBudget', { year: 2013, amountYuan: 150_000 }, '2013-03-01')
        .thenAccepted()[0].ruleIds,
    ).toEqual(['FUND-1']);
  });
});
