import {
  FACILITY_COMMAND_SCHEMAS,
  FUNDING_COMMAND_SCHEMAS,
  type FacilityCommand,
  type FacilityCommandType,
  type FundingCommand,
  type FundingCommandType,
} from '../commands';
import type { FacilityInput, FundingInput } from './given-when-then';

/**
 * A story of 城关区 (and one project of 七里河区) that produces every facility and funding event
 * type, decision by decision: a project refused at review, revised, approved, failing acceptance
 * (FAC-3 refusal of naming) and passing it later; remedies of space (a lease that has ended by
 * now), a market, functions, a use change and a flagged tariff; a backfill from the 2005 archive;
 * a merger, a split whose first part takes the space over, a change of households (its date
 * corrected later, EST-8); the funding ledger. Each step is one command as the service receives it; the projection tests run it
 * through the service, the contract tests through the pure deciders.
 */
export type StoryStep =
  | {
      readonly label: string;
      readonly on: string;
      readonly stream: 'facilities';
      readonly district: string;
      readonly command: FacilityCommand;
    }
  | {
      readonly label: string;
      readonly on: string;
      readonly stream: 'funding';
      readonly command: FundingCommand;
    };

export const STORY_DISTRICT = 'chengguan';

export function facilityStory(): StoryStep[] {
  const steps: StoryStep[] = [];
  const fac = <T extends FacilityCommandType>(
    label: string,
    on: string,
    type: T,
    data: FacilityInput<T>,
    district = STORY_DISTRICT,
  ) =>
    steps.push({
      label,
      on,
      stream: 'facilities',
      district,
      command: { type, data: FACILITY_COMMAND_SCHEMAS[type].parse(data) } as FacilityCommand,
    });
  const fund = <T extends FundingCommandType>(label: string, on: string, type: T, data: FundingInput<T>) =>
    steps.push({
      label,
      on,
      stream: 'funding',
      command: { type, data: FUNDING_COMMAND_SCHEMAS[type].parse(data) } as FundingCommand,
    });
  const opinion = (projectId: string, stage: 'review' | 'acceptance', consultee: string) => ({
    projectId,
    stage,
    consultee: consultee as 'civil-affairs',
    opinion: 'favourable' as const,
    summary: `${consultee} ${stage} 意见`,
  });

  fac('established', '2005-03-01', 'RecomputeRequirement', {
    communityId: 'dongfanghong',
    households: 2000,
    reason: 'community-established',
    sourceEventId: 'est-dfh',
    areaIds: ['a-dfh', 'a-dfh-west'],
  });
  fac('existing facility', '2005-03-01', 'RecordExistingFacility', {
    communityId: 'dongfanghong',
    facilityId: 'f-dfh-office',
    areaM2: 150,
    useRightHolder: 'residents-committee',
    manager: 'sub-district-office',
    functions: ['office', 'affairs-hall'],
  });

  // 雁滩新苑: 2,000 households need 400 m²; the first design plans 380.
  fac('project registered', '2012-03-01', 'RegisterConstructionProject', {
    projectId: 'p-ytxy',
    name: '雁滩新苑住宅小区',
    developer: '兰州雁滩置业有限公司',
    communityId: 'yantan-xinyuan',
    plannedHouseholds: 2000,
    plannedSpaceM2: 380,
  });
  fac('review opinion 1', '2012-05-01', 'RecordConsultation', opinion('p-ytxy', 'review', 'civil-affairs'));
  fac(
    'review opinion 2',
    '2012-05-01',
    'RecordConsultation',
    opinion('p-ytxy', 'review', 'sub-district-office'),
  );
  fac('review refused', '2012-05-15', 'ReviewPlanning', { projectId: 'p-ytxy', reviewer: '兰州市规划局' });
  fac('design revised', '2012-05-20', 'ReviseDesign', { projectId: 'p-ytxy', plannedSpaceM2: 420 });
  fac('review approved', '2012-06-01', 'ReviewPlanning', { projectId: 'p-ytxy', reviewer: '兰州市规划局' });
  fac('construction started', '2012-09-01', 'StartConstruction', { projectId: 'p-ytxy' });

  fund('population', '2013-01-15', 'RecordUrbanPopulation', {
    district: 'chengguan',
    year: 2013,
    urbanPopulation: 1_200_000,
    source: '城关区统计年鉴2012',
  });
  fund('population qilihe', '2013-01-20', 'RecordUrbanPopulation', {
    district: 'qilihe',
    year: 2013,
    urbanPopulation: 500_000,
    source: '七里河区统计年鉴2012',
  });
  fund('district budget', '2013-02-01', 'RecordDistrictBudget', {
    district: 'chengguan',
    year: 2013,
    lines: {
      infrastructure: 60_000,
      serviceOrganisations: 30_000,
      workerSubsidies: 20_000,
      operatingFunds: 0,
    },
  });
  fund('city budget', '2013-02-15', 'RecordCityBudget', { year: 2013, amountYuan: 150_000 });

  fac(
    'acceptance opinion 1',
    '2014-05-01',
    'RecordConsultation',
    opinion('p-ytxy', 'acceptance', 'civil-affairs'),
  );
  fac(
    'acceptance opinion 2',
    '2014-05-01',
    'RecordConsultation',
    opinion('p-ytxy', 'acceptance', 'sub-district-office'),
  );
  fac('acceptance failed', '2014-06-01', 'InspectAcceptance', {
    projectId: 'p-ytxy',
    builtSpaceM2: 300,
    inspector: '城关区住建局',
  });

  // A project of 七里河区 that fails acceptance and stays refused.
  fac(
    'qilihe project',
    '2013-04-01',
    'RegisterConstructionProject',
    {
      projectId: 'p-xjp',
      name: '西津坪小区',
      developer: '兰州西津置业有限公司',
      communityId: 'xijinping',
      plannedHouseholds: 1500,
      plannedSpaceM2: 360,
    },
    'qilihe',
  );
  fac(
    'qilihe opinion 1',
    '2013-05-01',
    'RecordConsultation',
    opinion('p-xjp', 'review', 'civil-affairs'),
    'qilihe',
  );
  fac(
    'qilihe opinion 2',
    '2013-05-01',
    'RecordConsultation',
    opinion('p-xjp', 'review', 'township-government'),
    'qilihe',
  );
  fac(
    'qilihe approved',
    '2013-06-01',
    'ReviewPlanning',
    { projectId: 'p-xjp', reviewer: '兰州市规划局' },
    'qilihe',
  );
  fac('qilihe started', '2013-07-01', 'StartConstruction', { projectId: 'p-xjp' }, 'qilihe');
  fac(
    'qilihe acceptance failed',
    '2015-03-01',
    'InspectAcceptance',
    {
      projectId: 'p-xjp',
      builtSpaceM2: 200,
      inspector: '七里河区住建局',
    },
    'qilihe',
  );

  fac('acceptance passed', '2015-06-01', 'InspectAcceptance', {
    projectId: 'p-ytxy',
    builtSpaceM2: 420,
    inspector: '城关区住建局',
  });
  fac('building names', '2015-07-01', 'AssignBuildingNames', {
    projectId: 'p-ytxy',
    buildingNames: ['雁滩新苑1号楼', '雁滩新苑2号楼'],
    doorNumbers: ['雁滩路1号', '雁滩路3号'],
  });
  fac('hand-over', '2015-08-01', 'HandOverFacility', {
    projectId: 'p-ytxy',
    facilityId: 'f-ytxy-centre',
    useRightHolder: 'residents-committee',
    manager: 'sub-district-office',
    functions: [
      'affairs-hall',
      'office',
      'police-room',
      'library-reading-room',
      'cultural-activity-room',
      'party-school',
      'citizens-school',
      'outdoor-activity-place',
    ],
  });

  fac('lease', '2016-01-01', 'RemedySpaceShortage', {
    communityId: 'dongfanghong',
    facilityId: 'f-dfh-lease',
    kind: 'lease',
    areaM2: 300,
    leaseUntil: '2020-12-31',
    functions: ['cultural-activity-room'],
  });
  fac('market', '2016-02-01', 'RemedyVegetableMarket', {
    communityId: 'dongfanghong',
    marketId: 'm-dfh',
    kind: 'buy-back',
    areaM2: 200,
  });
  fac('functions', '2016-03-01', 'RecordFacilityFunctions', {
    facilityId: 'f-dfh-office',
    functions: ['police-room', 'library-reading-room'],
  });
  fac('use changed', '2016-04-01', 'ChangeFacilityUse', {
    facilityId: 'f-dfh-office',
    newUse: '社区图书馆与办公',
    profitMaking: false,
  });
  fac('tariff', '2016-05-01', 'RecordUtilityTariff', {
    facilityId: 'f-dfh-office',
    utility: 'heating',
    rateCategory: 'non-residential',
    pricePerUnitYuan: 30,
    unit: 'm²·season',
  });

  // Backfilled from the 2005 archive: the district is refolded.
  fac('backfilled community', '2005-03-01', 'RecomputeRequirement', {
    communityId: 'gaolanlu',
    households: 1000,
    reason: 'community-established',
    sourceEventId: 'est-glr',
    areaIds: ['a-glr'],
  });
  fac('backfilled facility', '2005-03-01', 'RecordExistingFacility', {
    communityId: 'gaolanlu',
    facilityId: 'f-glr',
    areaM2: 350,
    useRightHolder: 'residents-committee',
    manager: 'sub-district-office',
  });

  fac('merger', '2017-01-01', 'RecomputeRequirement', {
    communityId: 'dongfang-gaolan',
    households: 3000,
    reason: 'merger',
    sourceEventId: 'est-merger',
    mergedCommunityIds: ['dongfanghong', 'gaolanlu'],
    areaIds: ['a-dfh', 'a-dfh-west', 'a-glr'],
  });
  // The merged community ends in the split: its first part takes the space over (FAC-1, FAC-4).
  fac('split, first part', '2018-01-01', 'RecomputeRequirement', {
    communityId: 'dongfang',
    households: 2000,
    reason: 'split',
    sourceEventId: 'est-split',
    mergedCommunityIds: ['dongfang-gaolan'],
    areaIds: ['a-dfh', 'a-dfh-west'],
  });
  fac('split, second part', '2018-01-01', 'RecomputeRequirement', {
    communityId: 'gaolan',
    households: 1000,
    reason: 'split',
    sourceEventId: 'est-split',
    areaIds: ['a-glr'],
  });
  fac('households changed', '2018-06-01', 'RecountCommunityHouseholds', {
    areaId: 'a-glr',
    households: 1900,
    previous: 1000,
    sourceEventId: 'est-households',
  });
  // A decision dated after the lease ended: the district's latest date passes 2020-12-31.
  fac('after the lease', '2021-03-01', 'RecordUtilityTariff', {
    facilityId: 'f-ytxy-centre',
    utility: 'water',
    rateCategory: 'residential',
    pricePerUnitYuan: 2.9,
    unit: 'm³',
  });
  // EST-8: the establishment corrects the date of the change of households; FAC-1 follows.
  fac('correction followed', '2021-04-01', 'FollowEstablishmentCorrection', {
    correctionEventId: 'est-households-corrected',
    correctsEventId: 'est-households',
    correctsType: 'AreaHouseholdsUpdated',
    reason: '户数统计日期录入错误',
    correctedEffectiveAt: '2018-07-01',
    correctedLegalBasis: null,
    annulled: false,
    correctedBy: 'clerk-chengguan-02',
    correctionRecordedAt: '2021-04-01T02:00:00.000Z',
  });
  return steps;
}
