import { Facilities, opinion, PROJECT, registered, underConstruction } from './testing/given-when-then';

/**
 * Bad input gets a clear error: every refusal of the facility decider names the rule and says what
 * it refuses, with the project, facility, market or community concerned (FAC-1..5, FAC-7, EST-8).
 */

const review = { projectId: PROJECT.projectId, reviewer: '兰州市规划局' };
const inspect = (builtSpaceM2: number) => ({
  projectId: PROJECT.projectId,
  builtSpaceM2,
  inspector: '城关区民政局',
});
const names = { projectId: PROJECT.projectId, buildingNames: ['雁滩新苑1号楼'] };
const handOver = (facilityId = 'f-ytxy-centre') => ({
  projectId: PROJECT.projectId,
  facilityId,
  useRightHolder: 'residents-committee' as const,
  manager: 'sub-district-office' as const,
});
const facility = (
  communityId: string,
  facilityId: string,
  areaM2: number,
  over: Record<string, unknown> = {},
) => ({
  communityId,
  facilityId,
  areaM2,
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
  f.do('RecordExistingFacility', facility('dongfanghong', 'f-dfh-office', 150), '2005-03-01');
  f.do('RecordExistingFacility', facility('gaolanlu', 'f-glr', 100), '2005-03-01');
  return f;
}

describe('FAC-1 FAC-2 refusals name the project and what stands in the way', () => {
  it('FAC-1 a project id already registered', () => {
    expect(
      registered().when('RegisterConstructionProject', PROJECT, '2012-05-02').thenRefused('FAC-1').message,
    ).toContain('project p-ytxy is already registered');
  });

  it('FAC-2 a design no longer open to revision, a review already over or refused, a consultation out of stage', () => {
    const f = registered(undefined, { plannedSpaceM2: 380 });
    f.do('ReviewPlanning', review, '2012-06-01');
    expect(f.when('ReviewPlanning', review, '2012-06-02').thenRefused('FAC-2').message).toContain(
      'the design of p-ytxy was refused; revise it first',
    );
    expect(
      f.when('StartConstruction', { projectId: 'p-ytxy' }, '2012-06-02').thenRefused('FAC-2').message,
    ).toContain('project p-ytxy has no approved design');
    expect(
      f
        .when('RecordConsultation', opinion('construction', 'civil-affairs'), '2012-06-02')
        .thenRefused('FAC-2').message,
    ).toContain('project p-ytxy has no approved design to build');
    expect(
      f.when('RecordConsultation', opinion('acceptance', 'civil-affairs'), '2012-06-02').thenRefused('FAC-2')
        .message,
    ).toContain('construction of p-ytxy has not started');
    f.do('ReviseDesign', { projectId: 'p-ytxy', plannedSpaceM2: 400 }, '2012-06-10');
    f.do('ReviewPlanning', review, '2012-06-20');
    expect(f.when('ReviewPlanning', review, '2012-06-21').thenRefused('FAC-2').message).toContain(
      'the design of p-ytxy is already approved',
    );
    expect(
      f.when('RecordConsultation', opinion('review', 'civil-affairs'), '2012-06-21').thenRefused('FAC-2')
        .message,
    ).toContain('the planning review of p-ytxy is over');
    expect(
      f.when('ReviseDesign', { projectId: 'p-ytxy', plannedSpaceM2: 500 }, '2012-06-21').thenRefused('FAC-2')
        .message,
    ).toContain('the design of p-ytxy was approved; it is approved');
    f.do('StartConstruction', { projectId: 'p-ytxy' }, '2012-09-01');
    expect(
      f.when('StartConstruction', { projectId: 'p-ytxy' }, '2012-09-02').thenRefused('FAC-2').message,
    ).toContain('construction of p-ytxy already started');
  });
});

describe('FAC-3 FAC-5 refusals name the project and its acceptance', () => {
  it('FAC-3 inspection before construction or after acceptance, names before acceptance or while refused', () => {
    const f = registered();
    f.do('ReviewPlanning', review, '2012-06-01');
    expect(f.when('InspectAcceptance', inspect(420), '2012-07-01').thenRefused('FAC-3').message).toContain(
      'construction of p-ytxy has not started',
    );
    const g = underConstruction();
    expect(g.when('AssignBuildingNames', names, '2014-05-02').thenRefused('FAC-3').message).toContain(
      'project p-ytxy has not passed acceptance',
    );
    expect(g.when('HandOverFacility', handOver(), '2014-05-02').thenRefused('FAC-3').message).toContain(
      'project p-ytxy has not passed acceptance',
    );
    g.do('InspectAcceptance', inspect(300), '2014-06-01');
    expect(g.when('AssignBuildingNames', names, '2014-07-01').thenRefused('FAC-3').message).toContain(
      'civil affairs refuses building naming and door numbers for p-ytxy since 2014-06-01: community space built 300 m² of 420 m² planned',
    );
    g.do('InspectAcceptance', inspect(420), '2014-08-01');
    expect(g.when('InspectAcceptance', inspect(420), '2014-09-01').thenRefused('FAC-3').message).toContain(
      'project p-ytxy already passed acceptance',
    );
    g.do('HandOverFacility', handOver(), '2014-09-01');
    expect(
      g.when('HandOverFacility', handOver('f-ytxy-2'), '2014-09-02').thenRefused('FAC-5').message,
    ).toContain('project p-ytxy was handed over as f-ytxy-centre');
  });
});

describe('FAC-4 FAC-5 FAC-7 refusals name the facility, the market or the community', () => {
  it('FAC-4 a facility or market already on record, or another community’s', () => {
    const f = dongfanghong();
    expect(
      f
        .when('RecordExistingFacility', facility('dongfanghong', 'f-dfh-office', 50), '2006-01-01')
        .thenRefused('FAC-4').message,
    ).toContain('facility f-dfh-office is already on record');
    f.do(
      'RemedyVegetableMarket',
      { communityId: 'dongfanghong', marketId: 'm-dfh', kind: 'new-build', areaM2: 600 },
      '2006-01-01',
    );
    expect(
      f
        .when(
          'RemedyVegetableMarket',
          { communityId: 'dongfanghong', marketId: 'm-dfh', kind: 'swap', areaM2: 600 },
          '2006-01-01',
        )
        .thenRefused('FAC-4').message,
    ).toContain('vegetable market m-dfh is already on record');
    expect(
      f
        .when(
          'RemedySpaceShortage',
          remedy({ kind: 'renovation-expansion', facilityId: 'f-glr' }),
          '2006-01-01',
        )
        .thenRefused('FAC-4').message,
    ).toContain('facility f-glr belongs to gaolanlu');
    expect(
      f
        .when('RemedySpaceShortage', remedy({ kind: 'swap', givesUpFacilityId: 'f-glr' }), '2006-01-01')
        .thenRefused('FAC-4').message,
    ).toContain('facility f-glr belongs to gaolanlu');
  });

  it('FAC-4 a swap without the facility given up, a facility given up without a swap, a lease without its end', () => {
    const f = dongfanghong();
    const message = (over: Record<string, unknown>) =>
      f.when('RemedySpaceShortage', remedy(over), '2006-01-01').thenRefused('FAC-4').message;
    expect(message({ kind: 'swap' })).toContain('a swap names the facility given up in exchange');
    expect(message({ givesUpFacilityId: 'f-dfh-office' })).toContain('only a swap gives up a facility');
    expect(message({ kind: 'lease' })).toContain('a lease needs its end date, after the effective date');
    expect(message({ leaseUntil: '2010-01-01' })).toContain('only a lease has an end date');
    expect(
      f
        .when(
          'RemedyVegetableMarket',
          { communityId: 'dongfanghong', marketId: 'm-dfh', kind: 'lease', areaM2: 600 },
          '2006-01-01',
        )
        .thenRefused('FAC-4').message,
    ).toContain('a lease needs its end date, after the effective date');
  });

  it('FAC-4 a lease that ended', () => {
    const f = dongfanghong();
    f.do(
      'RemedySpaceShortage',
      remedy({ kind: 'lease', facilityId: 'f-dfh-lease', leaseUntil: '2007-12-31' }),
      '2006-01-01',
    );
    expect(
      f
        .when('RecordFacilityFunctions', { facilityId: 'f-dfh-lease', functions: ['office'] }, '2008-01-01')
        .thenRefused('FAC-4').message,
    ).toContain('the lease of f-dfh-lease ended on 2007-12-31');
  });

  it('FAC-5 a right of use not the committee’s, a manager not the sub-district office', () => {
    const f = dongfanghong();
    expect(
      f.when('RemedySpaceShortage', remedy({ useRightHolder: 'other' }), '2006-01-01').thenRefused('FAC-5')
        .message,
    ).toContain('the residents committee holds the right of use of community facilities');
    expect(
      f.when('RemedySpaceShortage', remedy({ manager: 'other' }), '2006-01-01').thenRefused('FAC-5').message,
    ).toContain('community facilities are managed by the sub-district office');
  });

  it('FAC-7 a profit-making commercial use', () => {
    expect(
      dongfanghong()
        .when(
          'ChangeFacilityUse',
          { facilityId: 'f-dfh-office', newUse: '商铺', profitMaking: true },
          '2006-01-01',
        )
        .thenRefused('FAC-7').message,
    ).toContain('community facility f-dfh-office must not be converted to profit-making commercial use');
  });
});

describe('FAC-1 EST-8 refusals of recomputations and corrections say why', () => {
  it('FAC-1 a community merged away, a split taking two communities, facilities passed on without a merger', () => {
    const f = dongfanghong();
    const recompute = (communityId: string, over: Record<string, unknown>) => ({
      communityId,
      households: 1000,
      reason: 'review' as const,
      sourceEventId: `s-${communityId}`,
      ...over,
    });
    expect(
      f
        .when('RecomputeRequirement', recompute('x-1', { mergedCommunityIds: ['gaolanlu'] }), '2006-01-01')
        .thenRefused('FAC-1').message,
    ).toContain('only a merger or a split passes facilities on');
    expect(
      f
        .when(
          'RecomputeRequirement',
          recompute('x-1', { reason: 'split', mergedCommunityIds: ['gaolanlu', 'dongfanghong'] }),
          '2006-01-01',
        )
        .thenRefused('FAC-1').message,
    ).toContain('a split part takes over the space of one community, the split one');
    f.do(
      'RecomputeRequirement',
      recompute('x-1', { reason: 'merger', mergedCommunityIds: ['gaolanlu'] }),
      '2006-01-01',
    );
    expect(
      f.when('RecomputeRequirement', recompute('gaolanlu', {}), '2006-02-01').thenRefused('FAC-1').message,
    ).toContain('community gaolanlu was merged into x-1');
  });

  it('EST-8 a decision dated before one already recorded, an annulment with decisions built on it', () => {
    const f = dongfanghong();
    expect(
      f
        .when('RecordExistingFacility', facility('dongfanghong', 'f-dfh-2', 50), '2005-02-01')
        .thenRefused('EST-8').message,
    ).toContain('community:dongfanghong has a decision effective 2005-03-01, after 2005-02-01');
    f.do('RecordExistingFacility', facility('dongfanghong', 'f-dfh-2', 50), '2006-01-01');
    expect(
      f
        .when(
          'FollowEstablishmentCorrection',
          {
            correctionEventId: 'c-1',
            correctsEventId: 'est-1',
            correctsType: 'CommitteeEstablished',
            reason: '撤销',
            correctedEffectiveAt: null,
            correctedLegalBasis: null,
            annulled: true,
            correctedBy: 'clerk-chengguan-02',
            correctionRecordedAt: '2016-02-01T02:00:00.000Z',
          },
          '2016-02-01',
        )
        .thenRefused('EST-8').message,
    ).toContain('decisions recorded here build on the annulled decision; correct them first');
  });
});
