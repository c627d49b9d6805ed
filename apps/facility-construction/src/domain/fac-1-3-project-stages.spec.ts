import { Facilities, opinion, PROJECT, registered, underConstruction } from './testing/given-when-then';

/**
 * A construction project from registration to hand-over, stage by stage (FAC-1, FAC-2, FAC-3,
 * FAC-5): what each decision records, the rule ids it cites, and what each stage refuses.
 */

const review = { projectId: PROJECT.projectId, reviewer: '兰州市规划局' };
const inspect = (builtSpaceM2: number) => ({
  projectId: PROJECT.projectId,
  builtSpaceM2,
  inspector: '城关区民政局',
});
const handOver = (over: Record<string, unknown> = {}) => ({
  projectId: PROJECT.projectId,
  facilityId: 'f-ytxy-centre',
  useRightHolder: 'residents-committee' as const,
  manager: 'sub-district-office' as const,
  ...over,
});
/** 2,000 households: FAC-1 requires max(0.2 × 2,000, 350) = 400 m². */
const REQUIRED_2000 = {
  households: 2000,
  standard: 'basic',
  perHouseholdM2: 0.2,
  minimumPerCommunityM2: 350,
  largeCommunityHouseholds: 3000,
  requiredM2: 400,
};
const BOTH_REVIEW_OPINIONS = [
  { consultee: 'civil-affairs', opinion: 'favourable', consultedOn: '2012-05-01' },
  { consultee: 'sub-district-office', opinion: 'favourable', consultedOn: '2012-05-01' },
];

describe('FAC-1 a plan exactly at the requirement meets it', () => {
  it('FAC-1 registers a plan of 400 m² for 2,000 households as meeting the requirement', () => {
    const registeredEvent = new Facilities()
      .when('RegisterConstructionProject', { ...PROJECT, plannedSpaceM2: 400 }, '2012-03-01')
      .eventOf('ConstructionProjectRegistered');
    expect(registeredEvent.ruleIds).toEqual(['FAC-1']);
    expect(registeredEvent.data.meetsRequirement).toBe(true);
    expect(registeredEvent.data.requirement).toEqual(REQUIRED_2000);
  });

  it('FAC-1 FAC-2 a plan of 400 m² for 2,000 households passes the planning review', () => {
    registered(undefined, { plannedSpaceM2: 400 })
      .when('ReviewPlanning', review, '2012-06-01')
      .thenEvents('FAC-2', [
        {
          type: 'PlanningApproved',
          data: {
            projectId: 'p-ytxy',
            reviewer: '兰州市规划局',
            plannedSpaceM2: 400,
            requirement: REQUIRED_2000,
            opinions: BOTH_REVIEW_OPINIONS,
          },
        },
      ]);
  });

  it('FAC-1 FAC-2 a design revised to exactly the requirement meets it', () => {
    const f = registered(undefined, { plannedSpaceM2: 380 });
    const revised = f
      .when('ReviseDesign', { projectId: 'p-ytxy', plannedSpaceM2: 400 }, '2012-05-10')
      .eventOf('DesignRevised');
    expect(revised.data.meetsRequirement).toBe(true);
  });
});

describe('FAC-1 FAC-2 a design is revised before approval', () => {
  it('FAC-1 FAC-2 a planned design is revised with its households, and the requirement follows them', () => {
    const f = registered();
    const revised = f
      .when(
        'ReviseDesign',
        { projectId: 'p-ytxy', plannedSpaceM2: 700, plannedHouseholds: 3100 },
        '2012-05-10',
      )
      .eventOf('DesignRevised');
    expect(revised.ruleIds).toEqual(['FAC-1', 'FAC-2']);
    // 3,100 > 3,000 households: 0.3 × 3,100 = 930 m²; 700 m² falls short.
    expect(revised.data).toEqual({
      projectId: 'p-ytxy',
      plannedHouseholds: 3100,
      plannedSpaceM2: 700,
      previousPlannedSpaceM2: 420,
      requirement: {
        households: 3100,
        standard: 'large-community',
        perHouseholdM2: 0.3,
        minimumPerCommunityM2: 350,
        largeCommunityHouseholds: 3000,
        requiredM2: 930,
      },
      meetsRequirement: false,
    });
  });

  it('FAC-1 FAC-2 a revision that leaves the households out keeps the planned ones', () => {
    const revised = registered()
      .when('ReviseDesign', { projectId: 'p-ytxy', plannedSpaceM2: 390 }, '2012-05-10')
      .eventOf('DesignRevised');
    expect(revised.data).toMatchObject({
      plannedHouseholds: 2000,
      requirement: REQUIRED_2000,
      meetsRequirement: false,
    });
  });

  it('FAC-2 a design under construction is not revised, naming the status', () => {
    underConstruction()
      .when('ReviseDesign', { projectId: 'p-ytxy', plannedSpaceM2: 500 }, '2014-05-02')
      .thenRefused('FAC-2', { status: 'under-construction' });
  });
});

describe('FAC-2 the planning review', () => {
  it('FAC-1 FAC-2 a refusal records the reviewer, the plan, the requirement and the shortfall', () => {
    const refused = registered(undefined, { plannedSpaceM2: 399.5 })
      .when('ReviewPlanning', review, '2012-06-01')
      .eventOf('PlanningReviewRefused');
    expect(refused.ruleIds).toEqual(['FAC-1', 'FAC-2']);
    expect(refused.data).toEqual({
      projectId: 'p-ytxy',
      reviewer: '兰州市规划局',
      plannedSpaceM2: 399.5,
      requirement: REQUIRED_2000,
      shortfallM2: 0.5,
    });
  });

  it('FAC-1 FAC-2 the shortfall of a refused design is rounded to 0.01 m²', () => {
    // 1,751 households: 0.2 × 1,751 = 350.2 m²; a plan of 350.1 m² falls short by 0.1 m².
    expect(
      registered(undefined, { plannedHouseholds: 1751, plannedSpaceM2: 350.1 })
        .when('ReviewPlanning', review, '2012-06-01')
        .eventOf('PlanningReviewRefused').data.shortfallM2,
    ).toBe(0.1);
  });

  it('FAC-1 FAC-2 an approval cites both rules', () => {
    expect(
      registered().when('ReviewPlanning', review, '2012-06-01').eventOf('PlanningApproved').ruleIds,
    ).toEqual(['FAC-1', 'FAC-2']);
  });

  it('FAC-2 an approved design is not reviewed again', () => {
    const f = registered();
    f.do('ReviewPlanning', review, '2012-06-01');
    f.when('ReviewPlanning', review, '2012-06-02').thenRefused('FAC-2');
  });

  it('FAC-2 the latest opinion of each consultee at review is the one on record', () => {
    const f = registered();
    f.do(
      'RecordConsultation',
      { ...opinion('review', 'civil-affairs'), opinion: 'favourable-with-conditions' },
      '2012-05-20',
    );
    f.do('RecordConsultation', opinion('review', 'township-government'), '2012-05-21');
    f.do(
      'RecordConsultation',
      { ...opinion('review', 'civil-affairs'), opinion: 'unfavourable' },
      '2012-05-22',
    );
    f.do(
      'RecordConsultation',
      { ...opinion('review', 'sub-district-office'), opinion: 'favourable-with-conditions' },
      '2012-05-23',
    );
    expect(f.when('ReviewPlanning', review, '2012-06-01').eventOf('PlanningApproved').data.opinions).toEqual([
      { consultee: 'civil-affairs', opinion: 'unfavourable', consultedOn: '2012-05-22' },
      { consultee: 'sub-district-office', opinion: 'favourable-with-conditions', consultedOn: '2012-05-23' },
    ]);
  });

  it('FAC-2 without any opinion at review both consultees are named missing', () => {
    const f = new Facilities();
    f.do('RegisterConstructionProject', PROJECT, '2012-03-01');
    const refusal = f.when('ReviewPlanning', review, '2012-06-01').thenRefused('FAC-2', {
      stage: 'review',
      missing: ['civil-affairs', 'sub-district-office or township-government'],
    });
    expect(refusal.message).toContain(
      'the review needs the recorded opinion of civil-affairs and sub-district-office or township-government',
    );
  });
});

describe('FAC-2 consultations at design, review, construction and acceptance', () => {
  it('FAC-2 design and review opinions are recorded before approval, not after', () => {
    const f = new Facilities();
    f.do('RegisterConstructionProject', PROJECT, '2012-03-01');
    for (const stage of ['design', 'review'] as const)
      f.when('RecordConsultation', opinion(stage, 'civil-affairs'), '2012-04-01').thenEvents('FAC-2', [
        { type: 'ConsultationRecorded', data: opinion(stage, 'civil-affairs') },
      ]);
    f.do('RecordConsultation', opinion('review', 'civil-affairs'), '2012-05-01');
    f.do('RecordConsultation', opinion('review', 'sub-district-office'), '2012-05-01');
    f.do('ReviewPlanning', review, '2012-06-01');
    for (const stage of ['design', 'review'] as const)
      f.when('RecordConsultation', opinion(stage, 'civil-affairs'), '2012-06-02').thenRefused('FAC-2', {
        stage,
      });
  });

  it('FAC-2 the opinion at acceptance is recorded once construction has started', () => {
    const f = registered();
    f.do('ReviewPlanning', review, '2012-06-01');
    f.do('StartConstruction', { projectId: 'p-ytxy' }, '2012-09-01');
    f.when('RecordConsultation', opinion('acceptance', 'civil-affairs'), '2014-05-01').thenEvents('FAC-2', [
      { type: 'ConsultationRecorded', data: opinion('acceptance', 'civil-affairs') },
    ]);
  });

  it('FAC-2 every consultation cites FAC-2', () => {
    expect(
      registered()
        .when('RecordConsultation', opinion('design', 'civil-affairs'), '2012-05-02')
        .thenAccepted()[0].ruleIds,
    ).toEqual(['FAC-2']);
  });
});

describe('FAC-2 construction of an approved design', () => {
  it('FAC-2 construction starts once, on an approved design', () => {
    const f = registered();
    f.when('StartConstruction', { projectId: 'p-ytxy' }, '2012-07-01').thenRefused('FAC-2', {
      status: 'planned',
    });
    f.do('ReviewPlanning', review, '2012-06-01');
    const started = f.when('StartConstruction', { projectId: 'p-ytxy' }, '2012-09-01');
    started.thenEvents('FAC-2', [{ type: 'ConstructionStarted', data: { projectId: 'p-ytxy' } }]);
    expect(started.thenAccepted()[0].ruleIds).toEqual(['FAC-2']);
    started.andRecord();
    f.when('StartConstruction', { projectId: 'p-ytxy' }, '2012-10-01').thenRefused('FAC-2');
  });
});

describe('FAC-3 acceptance against the plan', () => {
  it('FAC-3 a project not under construction is not inspected, naming its status', () => {
    const f = registered();
    f.do('ReviewPlanning', review, '2012-06-01');
    f.when('InspectAcceptance', inspect(420), '2012-07-01').thenRefused('FAC-3', { status: 'approved' });
  });

  it('FAC-2 FAC-3 a project built exactly as planned passes, with both acceptance opinions', () => {
    const passed = underConstruction().when('InspectAcceptance', inspect(420), '2014-06-01');
    passed.thenEvents('FAC-3', [
      {
        type: 'AcceptancePassed',
        data: {
          projectId: 'p-ytxy',
          inspector: '城关区民政局',
          builtSpaceM2: 420,
          plannedSpaceM2: 420,
          opinions: [
            { consultee: 'civil-affairs', opinion: 'favourable', consultedOn: '2014-05-01' },
            { consultee: 'sub-district-office', opinion: 'favourable', consultedOn: '2014-05-01' },
          ],
        },
      },
    ]);
    expect(passed.thenAccepted()[0].ruleIds).toEqual(['FAC-2', 'FAC-3']);
  });

  it('FAC-3 a failure and the refusal of naming and numbering cite FAC-3, and so does lifting it', () => {
    const f = underConstruction();
    const failed = f.when('InspectAcceptance', inspect(419.99), '2014-06-01');
    expect(failed.thenAccepted().map((e) => [e.type, e.ruleIds])).toEqual([
      ['AcceptanceFailed', ['FAC-3']],
      ['NamingAndNumberingRefused', ['FAC-3']],
    ]);
    expect(failed.eventOf('AcceptanceFailed').data.shortfallM2).toBe(0.01);
    failed.andRecord();
    expect(
      f
        .when('InspectAcceptance', inspect(420), '2014-09-01')
        .thenAccepted()
        .map((e) => [e.type, e.ruleIds]),
    ).toEqual([
      ['AcceptancePassed', ['FAC-2', 'FAC-3']],
      ['NamingAndNumberingRefusalLifted', ['FAC-3']],
    ]);
  });

  it('FAC-3 names and door numbers are assigned after acceptance, citing FAC-3', () => {
    const f = underConstruction();
    const names = { projectId: 'p-ytxy', buildingNames: ['雁滩新苑1号楼'], doorNumbers: ['雁滩路1号'] };
    f.when('AssignBuildingNames', names, '2014-05-02').thenRefused('FAC-3', { status: 'under-construction' });
    f.do('InspectAcceptance', inspect(420), '2014-06-01');
    const assigned = f.when('AssignBuildingNames', names, '2014-07-01');
    assigned.thenEvents('FAC-3', [{ type: 'BuildingNamesAssigned', data: names }]);
    expect(assigned.thenAccepted()[0].ruleIds).toEqual(['FAC-3']);
  });
});

describe('FAC-3 FAC-5 the hand-over of an accepted project’s facility', () => {
  const accepted = (): Facilities => {
    const f = underConstruction();
    f.do('InspectAcceptance', inspect(430), '2014-06-01');
    return f;
  };

  it('FAC-3 FAC-5 records the facility with the built space, the committee’s use right and the shortfall', () => {
    accepted()
      .when('HandOverFacility', handOver(), '2014-06-02')
      .thenEvents('FAC-5', [
        {
          type: 'FacilityAcquired',
          data: {
            communityId: 'yantan-xinyuan',
            facilityId: 'f-ytxy-centre',
            source: 'project-handover',
            projectId: 'p-ytxy',
            areaM2: 430,
            extendsFacility: false,
            givesUpFacilityId: null,
            leaseUntil: null,
            useRightHolder: 'residents-committee',
            manager: 'sub-district-office',
            functions: [],
            shortfallBeforeM2: 400,
            shortfallAfterM2: 0,
          },
        },
      ]);
  });

  it('FAC-3 FAC-5 FAC-6 cites FAC-3 and FAC-5, and FAC-6 when the facility provides required functions', () => {
    const f = accepted();
    expect(f.when('HandOverFacility', handOver(), '2014-06-02').thenAccepted()[0].ruleIds).toEqual([
      'FAC-3',
      'FAC-5',
    ]);
    expect(
      f.when('HandOverFacility', handOver({ functions: ['affairs-hall'] }), '2014-06-02').thenAccepted()[0]
        .ruleIds,
    ).toEqual(['FAC-3', 'FAC-5', 'FAC-6']);
  });

  it('FAC-5 a project’s facility is handed over once', () => {
    const f = accepted();
    f.do('HandOverFacility', handOver(), '2014-06-02');
    f.when('HandOverFacility', handOver({ facilityId: 'f-ytxy-2' }), '2014-06-03').thenRefused('FAC-5');
  });

  it('FAC-4 the handed-over facility’s id is not one already on record', () => {
    const f = accepted();
    f.do(
      'RecordExistingFacility',
      {
        communityId: 'yantan-xinyuan',
        facilityId: 'f-ytxy-centre',
        areaM2: 50,
        useRightHolder: 'residents-committee',
        manager: 'sub-district-office',
      },
      '2014-06-01',
    );
    f.when('HandOverFacility', handOver(), '2014-06-02').thenRefused('FAC-4', {
      facilityId: 'f-ytxy-centre',
    });
  });

  it('FAC-5 the right of use of a handed-over facility is the committee’s, its manager the sub-district office', () => {
    const f = accepted();
    f.when('HandOverFacility', handOver({ useRightHolder: 'developer' }), '2014-06-02').thenRefused('FAC-5', {
      useRightHolder: 'developer',
    });
    f.when(
      'HandOverFacility',
      handOver({ manager: 'property-management-company' }),
      '2014-06-02',
    ).thenRefused('FAC-5', { manager: 'property-management-company' });
  });

  it('FAC-3 a project whose acceptance failed hands nothing over', () => {
    const f = underConstruction();
    f.do('InspectAcceptance', inspect(300), '2014-06-01');
    f.when('HandOverFacility', handOver(), '2014-06-02').thenRefused('FAC-3', {
      status: 'acceptance-failed',
    });
  });
});
