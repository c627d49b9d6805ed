import type { Actor } from '#libs/event-sourcing';
import { forbiddenProblem, type CommandRouteTable } from '#libs/http';
import {
  AssignBuildingNames,
  ChangeFacilityUse,
  HandOverFacility,
  InspectAcceptance,
  RecomputeRequirement,
  RecordCityBudget,
  RecordConsultation,
  RecordDistrictBudget,
  RecordExistingFacility,
  RecordFacilityFunctions,
  RecordUrbanPopulation,
  RecordUtilityTariff,
  RegisterConstructionProject,
  RemedySpaceShortage,
  RemedyVegetableMarket,
  ReviewPlanning,
  ReviseDesign,
  StartConstruction,
  type FacilityCommandType,
  type FundingCommandType,
} from '../domain';

/**
 * The facility construction commands of a district: construction projects (FAC-1..3), community
 * facilities (FAC-4..8) and the district's funding records (FUND-1, FUND-2), POSTs under the
 * district. Path parameters named like a command field fill it (the district of a funding record).
 */
export const FACILITY_COMMANDS = {
  register: {
    path: 'projects',
    command: 'RegisterConstructionProject',
    schema: RegisterConstructionProject,
    rules: ['FAC-1'],
    summary: 'Register a residential construction project and its planned community space (FAC-1)',
  },
  revise: {
    path: 'projects/:projectId/design-revisions',
    command: 'ReviseDesign',
    schema: ReviseDesign,
    rules: ['FAC-1', 'FAC-2'],
    summary: 'Revise a design before approval (FAC-1, FAC-2)',
  },
  consult: {
    path: 'projects/:projectId/consultations',
    command: 'RecordConsultation',
    schema: RecordConsultation,
    rules: ['FAC-2'],
    summary: 'Record the opinion of civil affairs or the sub-district office at a stage (FAC-2)',
  },
  review: {
    path: 'projects/:projectId/planning-reviews',
    command: 'ReviewPlanning',
    schema: ReviewPlanning,
    rules: ['FAC-1', 'FAC-2'],
    summary:
      'Planning review: a design short of FAC-1 is refused on record; approval needs both opinions (FAC-2)',
  },
  start: {
    path: 'projects/:projectId/construction-start',
    command: 'StartConstruction',
    schema: StartConstruction,
    rules: ['FAC-2'],
    summary: 'Start construction of an approved design (FAC-2)',
  },
  accept: {
    path: 'projects/:projectId/acceptance-inspections',
    command: 'InspectAcceptance',
    schema: InspectAcceptance,
    rules: ['FAC-3'],
    summary: 'Acceptance against the plan; a failure refuses naming and door numbers (FAC-3)',
  },
  names: {
    path: 'projects/:projectId/building-names',
    command: 'AssignBuildingNames',
    schema: AssignBuildingNames,
    rules: ['FAC-3'],
    summary: 'Assign building names and door numbers; refused while a FAC-3 refusal is in force',
  },
  handOver: {
    path: 'projects/:projectId/hand-over',
    command: 'HandOverFacility',
    schema: HandOverFacility,
    rules: ['FAC-3', 'FAC-5'],
    summary:
      'Hand an accepted facility over: use right to the committee, managed by the sub-district office (FAC-3, FAC-5)',
  },
  recompute: {
    path: 'communities/:communityId/requirement-recomputations',
    command: 'RecomputeRequirement',
    schema: RecomputeRequirement,
    rules: ['FAC-1'],
    summary: "Recompute a community's FAC-1 requirement after an establishment event",
  },
  existing: {
    path: 'communities/:communityId/facilities',
    command: 'RecordExistingFacility',
    schema: RecordExistingFacility,
    rules: ['FAC-4', 'FAC-5', 'FAC-6'],
    summary: 'Record an existing community facility (FAC-4, FAC-5, FAC-6)',
  },
  remedy: {
    path: 'communities/:communityId/space-remedies',
    command: 'RemedySpaceShortage',
    schema: RemedySpaceShortage,
    rules: ['FAC-4'],
    summary: 'Resolve a lack of space: new build, renovation or expansion, purchase, swap or lease (FAC-4)',
  },
  market: {
    path: 'communities/:communityId/vegetable-markets',
    command: 'RemedyVegetableMarket',
    schema: RemedyVegetableMarket,
    rules: ['FAC-4'],
    summary: 'Provide a community vegetable market: new build, renovation, buy-back, swap or lease (FAC-4)',
  },
  functions: {
    path: 'facilities/:facilityId/functions',
    command: 'RecordFacilityFunctions',
    schema: RecordFacilityFunctions,
    rules: ['FAC-6'],
    summary: 'Record the functions a facility provides (FAC-6)',
  },
  useChange: {
    path: 'facilities/:facilityId/use-changes',
    command: 'ChangeFacilityUse',
    schema: ChangeFacilityUse,
    rules: ['FAC-7'],
    summary: 'Change the use of a facility; profit-making commercial use is refused (FAC-7)',
  },
  tariff: {
    path: 'facilities/:facilityId/tariffs',
    command: 'RecordUtilityTariff',
    schema: RecordUtilityTariff,
    rules: ['FAC-8'],
    summary: 'Record a utility tariff; a non-residential rate is flagged (FAC-8)',
  },
  population: {
    path: 'funding/urban-population',
    command: 'RecordUrbanPopulation',
    schema: RecordUrbanPopulation,
    rules: ['FUND-1'],
    summary: "Record the district's urban population for a year (FUND-1 input data)",
  },
  budget: {
    path: 'funding/budgets',
    command: 'RecordDistrictBudget',
    schema: RecordDistrictBudget,
    rules: ['FUND-1', 'FUND-2'],
    summary: "Record the district's community-work budget by line (FUND-1, FUND-2)",
  },
} satisfies CommandRouteTable<FacilityCommandType | FundingCommandType>;

/** The city's own budget is recorded with a city-wide scope only. */
function cityWide(actor: Actor): void {
  if (actor.districtScope !== '*')
    throw forbiddenProblem(`The city budget needs a city-wide scope, not ${actor.districtScope}.`, {
      districtScope: actor.districtScope,
    });
}

/** The city's budget (FUND-1), under api/city/funding. */
export const CITY_FUNDING_COMMANDS = {
  cityBudget: {
    path: 'budgets',
    command: 'RecordCityBudget',
    schema: RecordCityBudget,
    rules: ['FUND-1'],
    summary: "Record the city's community-work budget for a year (FUND-1); city-wide scope",
    roles: ['officer', 'admin'],
    authorise: cityWide,
  },
} satisfies CommandRouteTable<FundingCommandType>;
