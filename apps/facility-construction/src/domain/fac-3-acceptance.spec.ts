import { namingRefusalsInForce } from './queries';
import { opinion, PROJECT, registered, underConstruction } from './testing/given-when-then';

const inspect = (builtSpaceM2: number) => ({
  projectId: PROJECT.projectId,
  builtSpaceM2,
  inspector: '城关区民政局',
});
const names = { projectId: PROJECT.projectId, buildingNames: ['雁滩新苑1号楼'], doorNumbers: ['雁滩路1号'] };

describe('FAC-3 acceptance against the plan', () => {
  it('FAC-3 fails a project that built less than planned and refuses naming and numbering as an event', () => {
    underConstruction()
      .when('InspectAcceptance', inspect(300), '2014-06-01')
      .thenEvents('FAC-3', [
        {
          type: 'AcceptanceFailed',
          data: {
            projectId: 'p-ytxy',
            inspector: '城关区民政局',
            builtSpaceM2: 300,
            plannedSpaceM2: 420,
            shortfallM2: 120,
          },
        },
        {
          type: 'NamingAndNumberingRefused',
          data: {
            projectId: 'p-ytxy',
            communityId: 'yantan-xinyuan',
            developer: PROJECT.developer,
            reason: 'community space built 300 m² of 420 m² planned',
          },
        },
      ]);
  });

  it('FAC-3 refuses building names and door numbers while the refusal is in force', () => {
    const f = underConstruction();
    f.do('InspectAcceptance', inspect(300), '2014-06-01');
    f.when('AssignBuildingNames', names, '2014-07-01').thenRefused('FAC-3', { refusedOn: '2014-06-01' });
    expect(namingRefusalsInForce(f.state, '2014-07-01')).toEqual([
      expect.objectContaining({ projectId: 'p-ytxy', refusedOn: '2014-06-01' }),
    ]);
  });

  it('FAC-3 a later passed acceptance lifts the refusal; names may then be assigned', () => {
    const f = underConstruction();
    f.do('InspectAcceptance', inspect(300), '2014-06-01');
    f.when('InspectAcceptance', inspect(420), '2015-03-01')
      .thenEvents('FAC-3', [
        {
          type: 'AcceptancePassed',
          data: expect.objectContaining({ projectId: 'p-ytxy', builtSpaceM2: 420, plannedSpaceM2: 420 }),
        },
        {
          type: 'NamingAndNumberingRefusalLifted',
          data: { projectId: 'p-ytxy', communityId: 'yantan-xinyuan', refusedOn: '2014-06-01' },
        },
      ])
      .andRecord();
    f.when('AssignBuildingNames', names, '2015-04-01').eventOf('BuildingNamesAssigned');
    expect(namingRefusalsInForce(f.state, '2015-04-01')).toEqual([]);
    // As the registry stood in 2014, the refusal was in force.
    expect(namingRefusalsInForce(f.state, '2014-12-31')).toHaveLength(1);
  });

  it('FAC-3 a second failure does not repeat the refusal in force', () => {
    const f = underConstruction();
    f.do('InspectAcceptance', inspect(300), '2014-06-01');
    expect(
      f
        .when('InspectAcceptance', inspect(410), '2014-09-01')
        .thenAccepted()
        .map((e) => e.type),
    ).toEqual(['AcceptanceFailed']);
  });

  it('FAC-3 passes a project that built as planned, without a refusal', () => {
    expect(
      underConstruction()
        .when('InspectAcceptance', inspect(425), '2014-06-01')
        .thenAccepted()
        .map((e) => e.type),
    ).toEqual(['AcceptancePassed']);
  });

  it('FAC-3 refuses names before acceptance, and acceptance before construction', () => {
    const f = underConstruction();
    f.when('AssignBuildingNames', names, '2014-06-01').thenRefused('FAC-3');
    const g = underConstruction();
    g.do('InspectAcceptance', inspect(420), '2014-06-01');
    g.when('InspectAcceptance', inspect(420), '2014-07-01').thenRefused('FAC-3');
  });

  it('FAC-2 a passed acceptance needs both acceptance opinions on record', () => {
    const f = registered();
    f.do('ReviewPlanning', { projectId: PROJECT.projectId, reviewer: '兰州市规划局' }, '2012-06-01');
    f.do('StartConstruction', { projectId: PROJECT.projectId }, '2012-09-01');
    f.do('RecordConsultation', opinion('acceptance', 'sub-district-office'), '2014-05-01');
    f.when('InspectAcceptance', inspect(420), '2014-06-01').thenRefused('FAC-2', {
      missing: ['civil-affairs'],
    });
    // A failed acceptance is recorded whatever the opinions: the refusal must be on record.
    f.when('InspectAcceptance', inspect(100), '2014-06-01').eventOf('NamingAndNumberingRefused');
  });

  it('FAC-3 hands over an accepted facility with its built space; not before acceptance', () => {
    const f = underConstruction();
    const handOver = {
      projectId: 'p-ytxy',
      facilityId: 'f-ytxy-centre',
      useRightHolder: 'residents-committee' as const,
      manager: 'sub-district-office' as const,
    };
    f.when('HandOverFacility', handOver, '2014-06-02').thenRefused('FAC-3');
    f.do('InspectAcceptance', inspect(430), '2014-06-01');
    const acquired = f.when('HandOverFacility', handOver, '2014-06-02').eventOf('FacilityAcquired');
    expect(acquired.data).toMatchObject({
      communityId: 'yantan-xinyuan',
      areaM2: 430,
      shortfallBeforeM2: 400,
      shortfallAfterM2: 0,
    });
  });
});
