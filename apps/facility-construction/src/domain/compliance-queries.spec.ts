import {
  communitiesShortOfSpace,
  districtCompliance,
  districtFunding,
  namingRefusalsInForce,
  projectOn,
} from './queries';
import { Facilities, Funding, PROJECT, registered, underConstruction } from './testing/given-when-then';

/*
 * A fixture computed by hand, asked on 2013-12-31 and on 2016-12-31.
 *
 * Community    households  requirement (FAC-1)              space 2013          space 2016
 * a-one        1,000       max(200, 350)   = 350 m²         200 (existing)      200 + 150 new build = 350
 * b-two        2,500       max(500, 350)   = 500 m²         520 (existing)      520, households → 3,200:
 *                                                                               large: 0.3 × 3,200 = 960 m²
 * c-three      1,800       max(360, 350)   = 360 m²         100 + 300 lease     100 (lease ended 2015-12-31)
 *                                                           (to 2015-12-31)
 * Shortfalls 2013: a-one 350 − 200 = 150; b-two none (520 ≥ 500); c-three none (400 ≥ 360).
 * Shortfalls 2016: a-one none; b-two 960 − 520 = 440; c-three 360 − 100 = 260.
 *
 * FAC-6 functions: a-one all eight from 2013-06-01 → compliant on both dates; b-two six (no
 * party-school, citizens-school) → never; c-three all eight with the leased hall providing
 * affairs-hall and outdoor-activity-place → compliant in 2013, not in 2016 (lease ended).
 * District share: 2013 2/3 = 0.67; 2016 1/3 = 0.33.
 */
const ALL = [
  'affairs-hall',
  'office',
  'police-room',
  'library-reading-room',
  'cultural-activity-room',
  'party-school',
  'citizens-school',
  'outdoor-activity-place',
] as const;

function fixture(): Facilities {
  const f = new Facilities();
  const community = (communityId: string, households: number, n: number) =>
    f.do(
      'RecomputeRequirement',
      { communityId, households, reason: 'community-established', sourceEventId: `e-${n}` },
      '2010-01-01',
    );
  const existing = (communityId: string, facilityId: string, areaM2: number, functions: readonly string[]) =>
    f.do(
      'RecordExistingFacility',
      {
        communityId,
        facilityId,
        areaM2,
        useRightHolder: 'residents-committee',
        manager: 'sub-district-office',
        functions: functions as (typeof ALL)[number][],
      },
      '2010-01-01',
    );
  community('a-one', 1000, 1);
  community('b-two', 2500, 2);
  community('c-three', 1800, 3);
  existing('a-one', 'f-a', 200, ALL.slice(0, 4));
  f.do('RecordFacilityFunctions', { facilityId: 'f-a', functions: [...ALL.slice(4)] }, '2013-06-01');
  existing('b-two', 'f-b', 520, ALL.slice(0, 5).concat('outdoor-activity-place'));
  existing('c-three', 'f-c', 100, ALL.slice(1, 7));
  f.do(
    'RemedySpaceShortage',
    {
      communityId: 'c-three',
      facilityId: 'f-c-lease',
      kind: 'lease',
      areaM2: 300,
      leaseUntil: '2015-12-31',
      functions: ['affairs-hall', 'outdoor-activity-place'],
    },
    '2011-01-01',
  );
  f.do(
    'RemedySpaceShortage',
    { communityId: 'a-one', facilityId: 'f-a-new', kind: 'new-build', areaM2: 150 },
    '2015-01-01',
  );
  f.do(
    'RecomputeRequirement',
    { communityId: 'b-two', households: 3200, reason: 'households-changed', sourceEventId: 'e-4' },
    '2015-06-01',
  );
  return f;
}

describe('compliance queries at two dates (fixture computed by hand)', () => {
  // Built in each test, not while the suite is collected: a decider run outside any test makes
  // every mutant it reaches "static" for mutation testing.
  let f: Facilities;
  beforeEach(() => {
    f = fixture();
  });

  it('FAC-4 communities short of space on 2013-12-31 and on 2016-12-31', () => {
    expect(
      communitiesShortOfSpace(f.state, '2013-12-31').map((s) => [
        s.communityId,
        s.requiredM2,
        s.spaceM2,
        s.shortfallM2,
      ]),
    ).toEqual([['a-one', 350, 200, 150]]);
    expect(
      communitiesShortOfSpace(f.state, '2016-12-31').map((s) => [
        s.communityId,
        s.requiredM2,
        s.spaceM2,
        s.shortfallM2,
      ]),
    ).toEqual([
      ['b-two', 960, 520, 440],
      ['c-three', 360, 100, 260],
    ]);
  });

  it('FAC-6 compliance per community and per district on both dates', () => {
    const in2013 = districtCompliance(f.state, '2013-12-31');
    expect(in2013.communities.map((c) => [c.communityId, c.compliant])).toEqual([
      ['a-one', true],
      ['b-two', false],
      ['c-three', true],
    ]);
    expect(in2013.communities[1].missing).toEqual(['party-school', 'citizens-school']);
    expect(in2013).toMatchObject({ total: 3, compliant: 2, compliantShare: 0.67 });
    const in2016 = districtCompliance(f.state, '2016-12-31');
    expect(in2016.communities.map((c) => [c.communityId, c.compliant])).toEqual([
      ['a-one', true],
      ['b-two', false],
      ['c-three', false],
    ]);
    expect(in2016.communities[2].missing).toEqual(['affairs-hall', 'outdoor-activity-place']);
    expect(in2016).toMatchObject({ total: 3, compliant: 1, compliantShare: 0.33 });
  });

  it('FUND-1 funding compliance per district and year at two dates (a later budget for the same year)', () => {
    const g = new Funding();
    // 2014: 800,000 residents → 80,000 yuan required; budget 70,000 recorded 2014-02-01, raised to
    // 85,000 on 2014-09-01.
    g.do(
      'RecordUrbanPopulation',
      { district: 'xigu', year: 2014, urbanPopulation: 800_000, source: '统计年鉴' },
      '2014-01-10',
    );
    const lines = (operatingFunds: number) => ({
      infrastructure: 30_000,
      serviceOrganisations: 10_000,
      workerSubsidies: 20_000,
      operatingFunds,
    });
    g.do('RecordDistrictBudget', { district: 'xigu', year: 2014, lines: lines(10_000) }, '2014-02-01');
    g.do('RecordDistrictBudget', { district: 'xigu', year: 2014, lines: lines(25_000) }, '2014-09-01');
    expect(districtFunding(g.state, 'xigu', 2014, '2014-06-30')).toMatchObject({
      budgetedYuan: 70_000,
      requiredYuan: 80_000,
      shortfallYuan: 10_000,
      compliant: false,
    });
    expect(districtFunding(g.state, 'xigu', 2014, '2014-12-31')).toMatchObject({
      budgetedYuan: 85_000,
      shortfallYuan: 0,
      compliant: true,
    });
  });
});

describe('a project’s state and history at a date', () => {
  it('answers the project as it stood, with its history up to that date', () => {
    const f = underConstruction(registered());
    f.do(
      'InspectAcceptance',
      { projectId: PROJECT.projectId, builtSpaceM2: 300, inspector: '民政局' },
      '2014-06-01',
    );
    const in2012 = projectOn(f.state, PROJECT.projectId, '2012-12-31')!;
    expect(in2012.project.status).toBe('under-construction');
    expect(in2012.history.map((h) => h.type)).toEqual([
      'ConstructionProjectRegistered',
      'ConsultationRecorded',
      'ConsultationRecorded',
      'PlanningApproved',
      'ConstructionStarted',
    ]);
    expect(projectOn(f.state, PROJECT.projectId, '2014-06-01')!.project).toMatchObject({
      status: 'acceptance-failed',
      namingRefusal: { refusedOn: '2014-06-01' },
    });
    expect(projectOn(f.state, PROJECT.projectId, '2012-01-01')).toBeNull();
    expect(namingRefusalsInForce(f.state, '2014-05-31')).toEqual([]);
  });
});
