import { requirementFor } from './policy';
import { Facilities, opinion, PROJECT, registered } from './testing/given-when-then';

describe('FAC-1 the requirement: max(0.2 m² per household, 350 m² per community)', () => {
  it('FAC-1 gives 350 m² to a community of 1,000 households (0.2 × 1,000 = 200 < 350)', () => {
    expect(requirementFor(1000)).toMatchObject({ requiredM2: 350, standard: 'basic', perHouseholdM2: 0.2 });
  });

  it('FAC-1 gives 0.2 m² per household above 1,750 households (2,000 → 400 m²; 1,751 → 350.2 m²)', () => {
    expect(requirementFor(2000).requiredM2).toBe(400);
    expect(requirementFor(1751).requiredM2).toBe(350.2);
    expect(requirementFor(1750).requiredM2).toBe(350);
  });

  it('FAC-1 raises the standard of a large community (registry default: > 3,000 households, 0.3 m²)', () => {
    expect(requirementFor(3000)).toMatchObject({ requiredM2: 600, standard: 'basic' });
    expect(requirementFor(3001)).toMatchObject({
      requiredM2: 900.3,
      standard: 'large-community',
      perHouseholdM2: 0.3,
    });
  });

  it('FAC-1 takes the large-community standard from the policy', () => {
    const policy = {
      perHouseholdM2: 0.2,
      minimumPerCommunityM2: 350,
      largeCommunityHouseholds: 2500,
      largeCommunityPerHouseholdM2: 0.25,
    };
    expect(requirementFor(2600, policy)).toMatchObject({ requiredM2: 650, largeCommunityHouseholds: 2500 });
  });

  it('FAC-1 records the requirement and whether the plan meets it when a project is registered', () => {
    new Facilities()
      .when('RegisterConstructionProject', { ...PROJECT, plannedSpaceM2: 380 }, '2012-03-01')
      .thenEvents('FAC-1', [
        {
          type: 'ConstructionProjectRegistered',
          data: {
            ...PROJECT,
            kind: 'new-estate',
            plannedSpaceM2: 380,
            requirement: {
              households: 2000,
              standard: 'basic',
              perHouseholdM2: 0.2,
              minimumPerCommunityM2: 350,
              largeCommunityHouseholds: 3000,
              requiredM2: 400,
            },
            meetsRequirement: false,
          },
        },
      ]);
  });

  it('FAC-1 refuses a second project with the same id', () => {
    registered().when('RegisterConstructionProject', PROJECT, '2012-04-01').thenRefused('FAC-1');
  });
});

describe('FAC-2 planning review', () => {
  const review = { projectId: PROJECT.projectId, reviewer: '兰州市规划局' };

  it('FAC-2 refuses a design short of FAC-1, and the refusal is an event with the shortfall', () => {
    registered(undefined, { plannedSpaceM2: 380 })
      .when('ReviewPlanning', review, '2012-06-01')
      .thenEvents('FAC-2', [
        {
          type: 'PlanningReviewRefused',
          data: expect.objectContaining({ projectId: 'p-ytxy', plannedSpaceM2: 380, shortfallM2: 20 }),
        },
      ]);
  });

  it('FAC-2 refuses a large community design meeting only the basic standard (3,100 households, 620 m²)', () => {
    registered(undefined, { plannedHouseholds: 3100, plannedSpaceM2: 620 })
      .when('ReviewPlanning', review, '2012-06-01')
      .eventOf('PlanningReviewRefused');
  });

  it('FAC-2 approves a design meeting FAC-1 with both opinions on record', () => {
    const approved = registered().when('ReviewPlanning', review, '2012-06-01').eventOf('PlanningApproved');
    expect(approved.ruleIds).toEqual(expect.arrayContaining(['FAC-1', 'FAC-2']));
    expect(approved.data.opinions).toEqual([
      { consultee: 'civil-affairs', opinion: 'favourable', consultedOn: '2012-05-01' },
      { consultee: 'sub-district-office', opinion: 'favourable', consultedOn: '2012-05-01' },
    ]);
  });

  it('FAC-2 refuses approval without the civil affairs opinion at review', () => {
    const f = new Facilities();
    f.do('RegisterConstructionProject', PROJECT, '2012-03-01');
    f.do('RecordConsultation', opinion('review', 'sub-district-office'), '2012-05-01');
    f.do('RecordConsultation', opinion('design', 'civil-affairs'), '2012-05-01');
    f.when('ReviewPlanning', review, '2012-06-01').thenRefused('FAC-2', { missing: ['civil-affairs'] });
  });

  it('FAC-2 refuses approval without the sub-district office or township opinion; a township opinion suffices', () => {
    const f = new Facilities();
    f.do('RegisterConstructionProject', PROJECT, '2012-03-01');
    f.do('RecordConsultation', opinion('review', 'civil-affairs'), '2012-05-01');
    f.when('ReviewPlanning', review, '2012-06-01').thenRefused('FAC-2', {
      missing: ['sub-district-office or township-government'],
    });
    f.do('RecordConsultation', opinion('review', 'township-government'), '2012-05-02');
    f.when('ReviewPlanning', review, '2012-06-01').eventOf('PlanningApproved');
  });

  it('FAC-2 a refused design is revised, then approved at a new review', () => {
    const f = registered(undefined, { plannedSpaceM2: 380 });
    f.do('ReviewPlanning', review, '2012-06-01');
    f.when('ReviewPlanning', review, '2012-06-02').thenRefused('FAC-2');
    f.do('ReviseDesign', { projectId: 'p-ytxy', plannedSpaceM2: 400 }, '2012-06-10');
    expect(f.state.view.projects['p-ytxy'].status).toBe('planned');
    f.when('ReviewPlanning', review, '2012-06-20').eventOf('PlanningApproved');
  });

  it('FAC-2 construction needs an approved design', () => {
    registered().when('StartConstruction', { projectId: 'p-ytxy' }, '2012-07-01').thenRefused('FAC-2');
  });

  it('FAC-2 consultations at each stage are events, in the order of the stages', () => {
    const f = registered();
    f.when('RecordConsultation', opinion('construction', 'civil-affairs'), '2012-05-10').thenRefused('FAC-2');
    f.do('ReviewPlanning', review, '2012-06-01');
    f.when('RecordConsultation', opinion('review', 'civil-affairs'), '2012-06-02').thenRefused('FAC-2');
    f.when('RecordConsultation', opinion('acceptance', 'civil-affairs'), '2012-06-02').thenRefused('FAC-2');
    f.when('RecordConsultation', opinion('construction', 'sub-district-office'), '2012-10-01').thenEvents(
      'FAC-2',
      [{ type: 'ConsultationRecorded', data: opinion('construction', 'sub-district-office') }],
    );
  });

  it('FAC-2 an approved design is not revised', () => {
    const f = registered();
    f.do('ReviewPlanning', review, '2012-06-01');
    f.when('ReviseDesign', { projectId: 'p-ytxy', plannedSpaceM2: 300 }, '2012-07-01').thenRefused('FAC-2');
  });

  it('FAC-2 refers to a project that exists', () => {
    new Facilities().when('ReviewPlanning', review, '2012-06-01').thenNotFound('project', 'p-ytxy');
  });

  it('a decision is not dated before one already recorded on the same project', () => {
    const f = registered(undefined, { plannedSpaceM2: 380 });
    f.do('ReviewPlanning', review, '2012-06-01');
    f.when('ReviseDesign', { projectId: 'p-ytxy', plannedSpaceM2: 400 }, '2012-05-15').thenRefused('EST-8', {
      entity: 'project:p-ytxy',
      lastEffectiveAt: '2012-06-01',
    });
  });
});
