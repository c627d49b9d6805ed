import { z } from 'zod';
import { contract, contractTypesOf, type EventDataOf } from './event-contract';

/**
 * The public contract of the facility construction and funding service: one zod schema per event
 * type for the `data` of the event, as published on
 * `lanzhou.registry.facility-construction.events.v1`. The district facility streams are
 * `facilities-<district>`, the city's funding ledger is `funding-lanzhou` (the record key).
 *
 * This is the one place an event's shape is written: the service's domain infers its event types
 * from these schemas (apps/facility-construction/src/domain/events.ts); the contracts import
 * nothing of the services. `test/contracts/facility-events.spec.ts` runs the events the domain
 * emits through these schemas.
 *
 * A stored type string is never renamed (GUIDE §4.7); a new shape gets a new schema version.
 */

/** FAC-2: the stages at which civil affairs and the sub-district office are consulted. */
export const CONSULTATION_STAGES = ['design', 'review', 'construction', 'acceptance'] as const;
/** FAC-2: who is consulted; the township government stands in for a sub-district office. */
export const CONSULTEES = ['civil-affairs', 'sub-district-office', 'township-government'] as const;
/** FAC-5: who may hold the right of use, and who may manage (the rule allows one of each). */
export const USE_RIGHT_HOLDERS = [
  'residents-committee',
  'sub-district-office',
  'developer',
  'property-management-company',
  'other',
] as const;
export const MANAGERS = [
  'sub-district-office',
  'township-government',
  'residents-committee',
  'developer',
  'property-management-company',
  'other',
] as const;
/** FAC-4: how a district resolves a community's lack of space. */
export const SPACE_REMEDY_KINDS = ['new-build', 'renovation-expansion', 'purchase', 'swap', 'lease'] as const;
/** FAC-6: "one hall, four rooms, two schools, one place" (一厅四室两校一场所). */
export const FACILITY_FUNCTIONS = [
  'affairs-hall',
  'office',
  'police-room',
  'library-reading-room',
  'cultural-activity-room',
  'party-school',
  'citizens-school',
  'outdoor-activity-place',
] as const;

const isoDate = () => z.iso.date().meta({ description: 'ISO 8601 calendar date (YYYY-MM-DD)' });
const m2 = (description: string) =>
  z
    .number()
    .min(0)
    .meta({ description: `${description}, in m²` });
const yuan = (description: string) =>
  z
    .number()
    .min(0)
    .meta({ description: `${description}, in yuan` });
const households = () => z.number().int().min(0);

/** FAC-1: the requirement with the parameters it was computed with. */
export const RequirementSchema = z
  .object({
    households: households(),
    standard: z.enum(['basic', 'large-community']),
    perHouseholdM2: z.number().min(0),
    minimumPerCommunityM2: z.number().min(0),
    largeCommunityHouseholds: households(),
    requiredM2: m2('max(households × perHouseholdM2, minimumPerCommunityM2)'),
  })
  .meta({ description: 'FAC-1: required community office and public-service space' });

const ConsultationStageSchema = z.enum(CONSULTATION_STAGES);
const ConsulteeSchema = z.enum(CONSULTEES).meta({ description: 'FAC-2: who was consulted' });
const FunctionsSchema = z.array(z.enum(FACILITY_FUNCTIONS)).meta({ description: 'FAC-6 functions' });

export const OpinionOnRecordSchema = z.object({
  consultee: ConsulteeSchema,
  opinion: z.string(),
  consultedOn: isoDate(),
});

export const ConstructionProjectRegisteredData = z.object({
  projectId: z.string(),
  name: z.string(),
  kind: z.enum(['new-estate', 'old-town-renovation']),
  developer: z.string(),
  communityId: z.string(),
  plannedHouseholds: households(),
  plannedSpaceM2: m2('planned community space'),
  requirement: RequirementSchema,
  meetsRequirement: z.boolean(),
});

export const DesignRevisedData = z.object({
  projectId: z.string(),
  plannedHouseholds: households(),
  plannedSpaceM2: m2('planned community space'),
  previousPlannedSpaceM2: m2('planned space before the revision'),
  requirement: RequirementSchema,
  meetsRequirement: z.boolean(),
});

export const ConsultationRecordedData = z.object({
  projectId: z.string(),
  stage: ConsultationStageSchema,
  consultee: ConsulteeSchema,
  opinion: z.string().meta({ description: 'favourable, favourable-with-conditions or unfavourable' }),
  summary: z.string(),
});

export const PlanningReviewRefusedData = z.object({
  projectId: z.string(),
  reviewer: z.string(),
  plannedSpaceM2: m2('planned community space'),
  requirement: RequirementSchema,
  shortfallM2: m2('requirement minus planned space'),
});

export const PlanningApprovedData = z.object({
  projectId: z.string(),
  reviewer: z.string(),
  plannedSpaceM2: m2('planned community space'),
  requirement: RequirementSchema,
  opinions: z.array(OpinionOnRecordSchema),
});

export const ConstructionStartedData = z.object({ projectId: z.string() });

export const AcceptanceFailedData = z.object({
  projectId: z.string(),
  inspector: z.string(),
  builtSpaceM2: m2('space built'),
  plannedSpaceM2: m2('space planned'),
  shortfallM2: m2('planned minus built'),
});

export const AcceptancePassedData = z.object({
  projectId: z.string(),
  inspector: z.string(),
  builtSpaceM2: m2('space built'),
  plannedSpaceM2: m2('space planned'),
  opinions: z.array(OpinionOnRecordSchema),
});

export const NamingAndNumberingRefusedData = z.object({
  projectId: z.string(),
  communityId: z.string(),
  developer: z.string(),
  reason: z.string(),
});

export const NamingAndNumberingRefusalLiftedData = z.object({
  projectId: z.string(),
  communityId: z.string(),
  refusedOn: isoDate(),
});

export const BuildingNamesAssignedData = z.object({
  projectId: z.string(),
  buildingNames: z.array(z.string()),
  doorNumbers: z.array(z.string()),
});

export const FacilityAcquiredData = z.object({
  communityId: z.string(),
  facilityId: z.string(),
  source: z.enum(['project-handover', 'existing', ...SPACE_REMEDY_KINDS]).meta({
    description: "How the space came to the community: a project's hand-over, the archive, or a FAC-4 remedy",
  }),
  projectId: z.string().nullable(),
  areaM2: m2('area acquired'),
  extendsFacility: z.boolean().meta({ description: 'renovation-expansion of an existing facility' }),
  givesUpFacilityId: z.string().nullable().meta({ description: 'swap: the facility given up' }),
  leaseUntil: isoDate().nullable(),
  useRightHolder: z.enum(USE_RIGHT_HOLDERS),
  manager: z.enum(MANAGERS),
  functions: FunctionsSchema,
  shortfallBeforeM2: m2('FAC-4 shortfall before').nullable(),
  shortfallAfterM2: m2('FAC-4 shortfall after').nullable(),
});

export const VegetableMarketRemediedData = z.object({
  communityId: z.string(),
  marketId: z.string(),
  kind: z.string().meta({ description: 'new-build, renovation, buy-back, swap or lease' }),
  areaM2: m2('market area'),
  leaseUntil: isoDate().nullable(),
});

export const FacilityFunctionsRecordedData = z.object({
  facilityId: z.string(),
  communityId: z.string(),
  functions: FunctionsSchema,
});

export const FacilityUseChangedData = z.object({
  facilityId: z.string(),
  communityId: z.string(),
  previousUse: z.string(),
  newUse: z.string(),
});

export const UtilityTariffRecordedData = z.object({
  facilityId: z.string(),
  communityId: z.string(),
  utility: z.string().meta({ description: 'heating, water, electricity, gas or telecom' }),
  rateCategory: z.string().meta({ description: 'residential, reduced or non-residential' }),
  pricePerUnitYuan: yuan('price per unit'),
  unit: z.string(),
  flagged: z.boolean().meta({ description: 'FAC-8: charged at neither a residential nor a reduced rate' }),
});

export const RequirementRecomputedData = z.object({
  communityId: z.string(),
  households: households(),
  previousRequiredM2: m2('requirement before').nullable(),
  requirement: RequirementSchema,
  reason: z.string().meta({
    description: 'community-established, households-changed, merger, split or review',
  }),
  sourceEventId: z.string().meta({ description: 'the establishment event that caused it' }),
  mergedCommunityIds: z.array(z.string()).meta({
    description:
      'Communities whose facilities it takes over: the merged ones, or the split community for the first part of a split in which no part keeps its id',
  }),
  /** The community's own areas as the establishment event lists them; empty when not given. */
  areaIds: z.array(z.string()).meta({ description: "the community's own areas" }),
  spaceM2: m2('space in force'),
  shortfallM2: m2('requirement minus space, at least 0'),
  meetsRequirement: z.boolean(),
});

const RecomputedFiguresSchema = z.object({
  previousRequiredM2: m2('requirement before').nullable(),
  spaceM2: m2('space in force'),
  shortfallM2: m2('requirement minus space, at least 0'),
  meetsRequirement: z.boolean(),
});

export const FacilityCorrectionFollowedData = z.object({
  correctionEventId: z.string().meta({ description: "the establishment service's DecisionCorrected" }),
  correctsEventId: z.string().meta({ description: 'the establishment decision it corrects' }),
  correctsType: z.string(),
  reason: z.string(),
  correctedBy: z.string(),
  correctionRecordedAt: z.string(),
  correctedEffectiveAt: isoDate().nullable(),
  correctedLegalBasis: z.string().nullable(),
  annulled: z.boolean(),
  followed: z
    .array(
      z.object({
        eventId: z.string(),
        type: z.string(),
        effectiveAt: isoDate(),
        figures: RecomputedFiguresSchema.nullable(),
      }),
    )
    .meta({
      description:
        'EST-8: the FAC-1 recomputations derived from the corrected decision, with their date before it and their figures on the corrected date',
    }),
  /** The communities they are about, for the timelines (not entity keys: no chronology applies). */
  communityIds: z.array(z.string()),
});

const BudgetLinesSchema = z.object({
  infrastructure: yuan('infrastructure'),
  serviceOrganisations: yuan('service organisations'),
  workerSubsidies: yuan('community worker subsidies'),
  operatingFunds: yuan('operating funds'),
});

export const UrbanPopulationRecordedData = z.object({
  district: z.string(),
  year: z.number().int(),
  urbanPopulation: z.number().int().min(0),
  source: z.string(),
  requiredYuan: yuan('FUND-1: 0.1 yuan per urban resident'),
});

export const DistrictCommunityBudgetRecordedData = z.object({
  district: z.string(),
  year: z.number().int(),
  lines: BudgetLinesSchema.meta({ description: 'FUND-2: the four lines, each stated' }),
  totalYuan: yuan('sum of the lines'),
  /** FUND-1 on the day of recording; null while the year's population is not on record. */
  requiredYuan: yuan('FUND-1 requirement').nullable(),
  meetsRequirement: z.boolean().nullable(),
});

export const CityCommunityBudgetRecordedData = z.object({
  year: z.number().int(),
  amountYuan: yuan("the city's community-work budget"),
});

/**
 * Every event type of the facility construction service, facility streams first, then the funding
 * ledger. Rule ids are those the decider cites when it emits the event; the conditional ones are
 * marked in the description.
 */
export const FACILITY_EVENTS = {
  ConstructionProjectRegistered: contract(
    'ConstructionProjectRegistered',
    ConstructionProjectRegisteredData,
    ['FAC-1'],
    'A residential construction project was registered with its planned community space and the FAC-1 requirement of the community it serves.',
  ),
  DesignRevised: contract(
    'DesignRevised',
    DesignRevisedData,
    ['FAC-1', 'FAC-2'],
    'The design of a project not yet approved was revised; the requirement is recomputed.',
  ),
  ConsultationRecorded: contract(
    'ConsultationRecorded',
    ConsultationRecordedData,
    ['FAC-2'],
    'The opinion of civil affairs or the sub-district office (or township) at a stage of a project.',
  ),
  PlanningReviewRefused: contract(
    'PlanningReviewRefused',
    PlanningReviewRefusedData,
    ['FAC-1', 'FAC-2'],
    'The planning review refused a design short of the FAC-1 requirement; the shortfall is on record.',
  ),
  PlanningApproved: contract(
    'PlanningApproved',
    PlanningApprovedData,
    ['FAC-1', 'FAC-2'],
    'The planning review approved a design meeting FAC-1, with both opinions (FAC-2) on record.',
  ),
  ConstructionStarted: contract(
    'ConstructionStarted',
    ConstructionStartedData,
    ['FAC-2'],
    'Construction of an approved design started.',
  ),
  AcceptanceFailed: contract(
    'AcceptanceFailed',
    AcceptanceFailedData,
    ['FAC-3'],
    'A project failed acceptance: the community space was not built as planned.',
  ),
  AcceptancePassed: contract(
    'AcceptancePassed',
    AcceptancePassedData,
    ['FAC-2', 'FAC-3'],
    'A project passed acceptance against its plan, with both acceptance opinions on record.',
  ),
  NamingAndNumberingRefused: contract(
    'NamingAndNumberingRefused',
    NamingAndNumberingRefusedData,
    ['FAC-3'],
    'Civil affairs refuses building naming and door numbers for a project that failed acceptance.',
  ),
  NamingAndNumberingRefusalLifted: contract(
    'NamingAndNumberingRefusalLifted',
    NamingAndNumberingRefusalLiftedData,
    ['FAC-3'],
    'The refusal of building naming and door numbers was lifted when the project passed acceptance.',
  ),
  BuildingNamesAssigned: contract(
    'BuildingNamesAssigned',
    BuildingNamesAssignedData,
    ['FAC-3'],
    'Building names and door numbers were assigned to an accepted project.',
  ),
  FacilityAcquired: contract(
    'FacilityAcquired',
    FacilityAcquiredData,
    ['FAC-3', 'FAC-4', 'FAC-5', 'FAC-6'],
    "A community acquired office and public-service space, with its shortfall before and after. Always FAC-5 (the committee's right of use, the sub-district office's management); FAC-3 for a project's hand-over, FAC-4 otherwise; FAC-6 when it provides functions.",
  ),
  VegetableMarketRemedied: contract(
    'VegetableMarketRemedied',
    VegetableMarketRemediedData,
    ['FAC-4'],
    'A community vegetable market was provided by new build, renovation, buy-back, swap or lease.',
  ),
  FacilityFunctionsRecorded: contract(
    'FacilityFunctionsRecorded',
    FacilityFunctionsRecordedData,
    ['FAC-6'],
    'Functions of "one hall, four rooms, two schools, one place" a facility provides.',
  ),
  FacilityUseChanged: contract(
    'FacilityUseChanged',
    FacilityUseChangedData,
    ['FAC-7'],
    'The use of a community facility changed (never to profit-making commercial use).',
  ),
  UtilityTariffRecorded: contract(
    'UtilityTariffRecorded',
    UtilityTariffRecordedData,
    ['FAC-8'],
    'A utility tariff of a facility; one at a non-residential rate is flagged.',
  ),
  RequirementRecomputed: contract(
    'RequirementRecomputed',
    RequirementRecomputedData,
    ['FAC-1', 'FAC-4'],
    "A community's FAC-1 requirement was recomputed after an establishment event (a new community, a merger, a split, a change of households), with its space and shortfall (FAC-4).",
  ),
  EstablishmentCorrectionFollowed: contract(
    'EstablishmentCorrectionFollowed',
    FacilityCorrectionFollowedData,
    ['EST-8', 'FAC-1'],
    'A correction of an establishment decision (EST-8) was followed: the FAC-1 requirements recomputed in reaction to it take the corrected date, basis or annulment, with their space and shortfall derived again on the corrected date.',
  ),
  UrbanPopulationRecorded: contract(
    'UrbanPopulationRecorded',
    UrbanPopulationRecordedData,
    ['FUND-1'],
    "A district's urban population for a year, and what FUND-1 requires for it.",
  ),
  DistrictCommunityBudgetRecorded: contract(
    'DistrictCommunityBudgetRecorded',
    DistrictCommunityBudgetRecordedData,
    ['FUND-1', 'FUND-2'],
    "A district's community-work budget for a year by its four FUND-2 lines, judged against FUND-1 when the population is on record.",
  ),
  CityCommunityBudgetRecorded: contract(
    'CityCommunityBudgetRecorded',
    CityCommunityBudgetRecordedData,
    ['FUND-1'],
    "The city's community-work budget for a year.",
  ),
} as const;

export type FacilityContracts = typeof FACILITY_EVENTS;
export type FacilityContractType = keyof FacilityContracts;

/** The data type of each event type, as subscribers see it. */
export type FacilityEventData = EventDataOf<FacilityContracts>;

export const FACILITY_CONTRACT_TYPES = contractTypesOf(FACILITY_EVENTS);
