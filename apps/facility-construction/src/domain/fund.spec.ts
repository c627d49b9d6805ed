import { cityFunding, districtFunding } from './queries';
import { Funding } from './testing/given-when-then';

const lines = {
  infrastructure: 40_000,
  serviceOrganisations: 20_000,
  workerSubsidies: 30_000,
  operatingFunds: 10_000,
};

/** 城关区 2013: 1,000,000 urban residents → FUND-1 requires 0.1 × 1,000,000 = 100,000 yuan. */
function chengguan2013(): Funding {
  const f = new Funding();
  f.do(
    'RecordUrbanPopulation',
    { district: 'chengguan', year: 2013, urbanPopulation: 1_000_000, source: '统计年鉴2013' },
    '2013-01-15',
  );
  return f;
}

describe('FUND-1 0.1 yuan per urban resident per year', () => {
  it('FUND-1 records the urban population with what the rule requires of it', () => {
    chengguan2013()
      .when(
        'RecordUrbanPopulation',
        { district: 'qilihe', year: 2013, urbanPopulation: 555_555, source: '统计年鉴2013' },
        '2013-01-15',
      )
      .thenEvents('FUND-1', [
        {
          type: 'UrbanPopulationRecorded',
          data: {
            district: 'qilihe',
            year: 2013,
            urbanPopulation: 555_555,
            source: '统计年鉴2013',
            requiredYuan: 55_555.5,
          },
        },
      ]);
  });

  it('FUND-1 a district budget of 100,000 yuan for 1,000,000 residents meets the rule', () => {
    const recorded = chengguan2013()
      .when('RecordDistrictBudget', { district: 'chengguan', year: 2013, lines }, '2013-02-01')
      .eventOf('DistrictCommunityBudgetRecorded');
    expect(recorded.data).toMatchObject({
      totalYuan: 100_000,
      requiredYuan: 100_000,
      meetsRequirement: true,
    });
  });

  it('FUND-1 a district budget of 99,999.9 yuan falls short by 0.1 yuan', () => {
    const f = chengguan2013();
    f.do(
      'RecordDistrictBudget',
      { district: 'chengguan', year: 2013, lines: { ...lines, operatingFunds: 9_999.9 } },
      '2013-02-01',
    );
    expect(districtFunding(f.state, 'chengguan', 2013, '2013-12-31')).toMatchObject({
      requiredYuan: 100_000,
      budgetedYuan: 99_999.9,
      shortfallYuan: 0.1,
      compliant: false,
    });
  });

  it('FUND-1 compares the city budget with every district’s urban population', () => {
    const f = chengguan2013();
    f.do(
      'RecordUrbanPopulation',
      { district: 'qilihe', year: 2013, urbanPopulation: 500_000, source: '统计年鉴2013' },
      '2013-01-15',
    );
    f.when('RecordCityBudget', { year: 2013, amountYuan: 150_000 }, '2013-03-01').thenEvents('FUND-1', [
      { type: 'CityCommunityBudgetRecorded', data: { year: 2013, amountYuan: 150_000 } },
    ]);
    f.do('RecordCityBudget', { year: 2013, amountYuan: 120_000 }, '2013-03-01');
    expect(cityFunding(f.state, 2013, '2013-12-31')).toMatchObject({
      urbanPopulation: 1_500_000,
      requiredYuan: 150_000,
      budgetedYuan: 120_000,
      shortfallYuan: 30_000,
      compliant: false,
    });
    expect(cityFunding(f.state, 2013, '2013-12-31').districtsWithoutPopulation).toHaveLength(7);
  });

  it('FUND-1 leaves compliance open while the population is not on record', () => {
    const recorded = new Funding()
      .when('RecordDistrictBudget', { district: 'anning', year: 2013, lines }, '2013-02-01')
      .eventOf('DistrictCommunityBudgetRecorded');
    expect(recorded.data).toMatchObject({ requiredYuan: null, meetsRequirement: null });
  });
});

describe('FUND-2 districts are the main funders, line by line', () => {
  it('FUND-2 refuses a district budget that leaves out a line', () => {
    const { operatingFunds: _o, ...three } = lines;
    chengguan2013()
      .when('RecordDistrictBudget', { district: 'chengguan', year: 2013, lines: three }, '2013-02-01')
      .thenRefused('FUND-2', { missing: ['operatingFunds'] });
  });

  it('FUND-2 records the four lines and reports a line budgeted at 0', () => {
    const f = chengguan2013();
    const recorded = f
      .when(
        'RecordDistrictBudget',
        { district: 'chengguan', year: 2013, lines: { ...lines, workerSubsidies: 0 } },
        '2013-02-01',
      )
      .eventOf('DistrictCommunityBudgetRecorded');
    expect(recorded.ruleIds).toEqual(['FUND-1', 'FUND-2']);
    f.do(
      'RecordDistrictBudget',
      { district: 'chengguan', year: 2013, lines: { ...lines, workerSubsidies: 0 } },
      '2013-02-01',
    );
    expect(districtFunding(f.state, 'chengguan', 2013, '2013-02-01').unfundedLines).toEqual([
      'workerSubsidies',
    ]);
  });
});
