import { z } from 'zod';

/**
 * Commands of the facility construction and funding service (FAC-1..8, FUND-1..2). One zod schema
 * per command gives the request validation, the TypeScript type and the OpenAPI schema.
 */

export const Id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'lower-case letters, digits and dashes, 2 to 64 characters');

const Name = z.string().trim().min(1).max(200);
const Text = z.string().trim().min(1).max(2000);
const Households = z.number().int().min(0).max(1_000_000);
/** Floor space in square metres. */
const Area = z.number().min(0).max(1_000_000);
const PositiveArea = z.number().gt(0).max(1_000_000);
const Yuan = z.number().min(0).max(1e12);

/** FAC-2: the stages at which civil affairs and the sub-district office are consulted. */
export const CONSULTATION_STAGES = ['design', 'review', 'construction', 'acceptance'] as const;
export const ConsultationStage = z.enum(CONSULTATION_STAGES);
export type ConsultationStage = z.infer<typeof ConsultationStage>;

/** FAC-2: who is consulted; the township government stands in for a sub-district office. */
export const CONSULTEES = ['civil-affairs', 'sub-district-office', 'township-government'] as const;
export const Consultee = z.enum(CONSULTEES);
export type Consultee = z.infer<typeof Consultee>;

export const OPINIONS = ['favourable', 'favourable-with-conditions', 'unfavourable'] as const;
export const Opinion = z.enum(OPINIONS);

/** FAC-5: who may hold the right of use, and who may manage. */
export const USE_RIGHT_HOLDERS = [
  'residents-committee',
  'sub-district-office',
  'developer',
  'property-management-company',
  'other',
] as const;
export const UseRightHolder = z.enum(USE_RIGHT_HOLDERS);
export type UseRightHolder = z.infer<typeof UseRightHolder>;
export const MANAGERS = [
  'sub-district-office',
  'township-government',
  'residents-committee',
  'developer',
  'property-management-company',
  'other',
] as const;
export const Manager = z.enum(MANAGERS);
export type Manager = z.infer<typeof Manager>;

/** FAC-4: how a district resolves a community's lack of space. */
export const SPACE_REMEDY_KINDS = ['new-build', 'renovation-expansion', 'purchase', 'swap', 'lease'] as const;
export const SpaceRemedyKind = z.enum(SPACE_REMEDY_KINDS);
export type SpaceRemedyKind = z.infer<typeof SpaceRemedyKind>;

/** FAC-4: how community vegetable markets are provided (buy-back included). */
export const MARKET_REMEDY_KINDS = ['new-build', 'renovation', 'buy-back', 'swap', 'lease'] as const;
export const MarketRemedyKind = z.enum(MARKET_REMEDY_KINDS);

/** FAC-6: "one hall, four rooms, two schools, one place" (一厅四室两校一场所). */
export const REQUIRED_FUNCTIONS = [
  'affairs-hall',
  'office',
  'police-room',
  'library-reading-room',
  'cultural-activity-room',
  'party-school',
  'citizens-school',
  'outdoor-activity-place',
] as const;
export const FacilityFunction = z.enum(REQUIRED_FUNCTIONS);
export type FacilityFunction = z.infer<typeof FacilityFunction>;

/** FAC-8: the utilities the text names, and the rate categories a tariff may be charged at. */
export const UTILITIES = ['heating', 'water', 'electricity', 'gas', 'telecom'] as const;
export const Utility = z.enum(UTILITIES);
export const RATE_CATEGORIES = ['residential', 'reduced', 'non-residential'] as const;
export const RateCategory = z.enum(RATE_CATEGORIES);

/** Why a community's requirement is recomputed (reactions to the establishment service). */
export const RECOMPUTE_REASONS = [
  'community-established',
  'households-changed',
  'merger',
  'split',
  'review',
] as const;
export const RecomputeReason = z.enum(RECOMPUTE_REASONS);

// ---- construction projects (FAC-1, FAC-2, FAC-3) ------------------------------------------------

export const RegisterConstructionProject = z.strictObject({
  projectId: Id,
  name: Name,
  kind: z.enum(['new-estate', 'old-town-renovation']).default('new-estate'),
  developer: Name,
  /** The community the estate's households will belong to (it may not exist yet). */
  communityId: Id,
  /** Households of the community served once the project is occupied. */
  plannedHouseholds: Households,
  plannedSpaceM2: Area,
});

export const ReviseDesign = z.strictObject({
  projectId: Id,
  plannedSpaceM2: Area,
  plannedHouseholds: Households.optional(),
});

export const RecordConsultation = z.strictObject({
  projectId: Id,
  stage: ConsultationStage,
  consultee: Consultee,
  opinion: Opinion,
  summary: Text,
});

export const ReviewPlanning = z.strictObject({ projectId: Id, reviewer: Name });

export const StartConstruction = z.strictObject({ projectId: Id });

export const InspectAcceptance = z.strictObject({ projectId: Id, builtSpaceM2: Area, inspector: Name });

export const AssignBuildingNames = z.strictObject({
  projectId: Id,
  buildingNames: z.array(Name).min(1).max(200),
  doorNumbers: z.array(z.string().trim().min(1).max(50)).max(2000).default([]),
});

export const HandOverFacility = z.strictObject({
  projectId: Id,
  facilityId: Id,
  useRightHolder: UseRightHolder,
  manager: Manager,
  functions: z.array(FacilityFunction).max(8).default([]),
});

// ---- community facilities (FAC-4..8) and the requirement (FAC-1) --------------------------------

export const RecomputeRequirement = z.strictObject({
  communityId: Id,
  households: Households,
  reason: RecomputeReason,
  /** The establishment event that caused the recomputation: the same source is applied once. */
  sourceEventId: z.string().trim().min(1).max(100),
  /**
   * The communities whose facilities the community takes over: for a merger the merged ones; for
   * a split in which no part keeps the split community's id, that community, named by the first
   * part only (FAC-1, FAC-4: the other parts start with no space and are reported short).
   */
  mergedCommunityIds: z.array(Id).max(20).default([]),
  /** The community's own areas, as the establishment event lists them (for a change of households). */
  areaIds: z.array(Id).max(1000).default([]),
});

/**
 * A change of an area's households in the establishment service (FAC-1): the community
 * that has the area among its own recomputes its FAC-1 requirement with the difference.
 */
export const RecountCommunityHouseholds = z.strictObject({
  areaId: Id,
  households: Households,
  previous: Households,
  sourceEventId: z.string().trim().min(1).max(100),
});

/**
 * EST-8: the establishment service corrected a decision this service reacted to
 * (moved its effective date, changed its legal basis or annulled it). The FAC-1 recomputations
 * derived from it (their `sourceEventId`) follow, and their figures are derived again on the
 * corrected date. Sent by the reaction, not by officers.
 */
export const FollowEstablishmentCorrection = z.strictObject({
  /** The establishment's DecisionCorrected event. */
  correctionEventId: z.string().trim().min(1).max(100),
  /** The establishment decision it corrects. */
  correctsEventId: z.string().trim().min(1).max(100),
  correctsType: z.string().trim().min(1).max(100),
  reason: Text,
  correctedEffectiveAt: z.iso.date().nullable(),
  correctedLegalBasis: Name.nullable(),
  annulled: z.boolean(),
  /** Who recorded the correction in the establishment service, and when. */
  correctedBy: Name,
  correctionRecordedAt: z.string().trim().min(1).max(40),
});

export const RecordExistingFacility = z.strictObject({
  communityId: Id,
  facilityId: Id,
  areaM2: PositiveArea,
  useRightHolder: UseRightHolder,
  manager: Manager,
  functions: z.array(FacilityFunction).max(8).default([]),
});

export const RemedySpaceShortage = z.strictObject({
  communityId: Id,
  /** The facility created, extended (renovation-expansion) or received (swap). */
  facilityId: Id,
  kind: SpaceRemedyKind,
  areaM2: PositiveArea,
  /** swap: the facility given up in exchange. */
  givesUpFacilityId: Id.optional(),
  /** lease: the last day of the lease; the space no longer counts after it. */
  leaseUntil: z.iso.date().optional(),
  useRightHolder: UseRightHolder.default('residents-committee'),
  manager: Manager.default('sub-district-office'),
  functions: z.array(FacilityFunction).max(8).default([]),
});

export const RemedyVegetableMarket = z.strictObject({
  communityId: Id,
  marketId: Id,
  kind: MarketRemedyKind,
  areaM2: PositiveArea,
  leaseUntil: z.iso.date().optional(),
});

export const RecordFacilityFunctions = z.strictObject({
  facilityId: Id,
  functions: z.array(FacilityFunction).min(1).max(8),
});

export const ChangeFacilityUse = z.strictObject({
  facilityId: Id,
  newUse: Name,
  /** FAC-7: a profit-making commercial use is refused. */
  profitMaking: z.boolean(),
});

export const RecordUtilityTariff = z.strictObject({
  facilityId: Id,
  utility: Utility,
  rateCategory: RateCategory,
  pricePerUnitYuan: z.number().min(0).max(1e6),
  unit: z.string().trim().min(1).max(20),
});

// ---- funding (FUND-1, FUND-2) -------------------------------------------------------------------

export const Year = z.number().int().min(2000).max(2100);

export const RecordUrbanPopulation = z.strictObject({
  district: z.string().min(1).max(40),
  year: Year,
  urbanPopulation: z.number().int().min(0).max(100_000_000),
  source: Name,
});

/** FUND-2: the four budget lines of a district; each must be stated (0 is a statement). */
export const BudgetLines = z.strictObject({
  infrastructure: Yuan.optional(),
  serviceOrganisations: Yuan.optional(),
  workerSubsidies: Yuan.optional(),
  operatingFunds: Yuan.optional(),
});
export const BUDGET_LINES = [
  'infrastructure',
  'serviceOrganisations',
  'workerSubsidies',
  'operatingFunds',
] as const;
export type BudgetLine = (typeof BUDGET_LINES)[number];

export const RecordDistrictBudget = z.strictObject({
  district: z.string().min(1).max(40),
  year: Year,
  lines: BudgetLines,
});

export const RecordCityBudget = z.strictObject({ year: Year, amountYuan: Yuan });

export const FACILITY_COMMAND_SCHEMAS = {
  RegisterConstructionProject,
  ReviseDesign,
  RecordConsultation,
  ReviewPlanning,
  StartConstruction,
  InspectAcceptance,
  AssignBuildingNames,
  HandOverFacility,
  RecomputeRequirement,
  RecountCommunityHouseholds,
  FollowEstablishmentCorrection,
  RecordExistingFacility,
  RemedySpaceShortage,
  RemedyVegetableMarket,
  RecordFacilityFunctions,
  ChangeFacilityUse,
  RecordUtilityTariff,
} as const;

export const FUNDING_COMMAND_SCHEMAS = {
  RecordUrbanPopulation,
  RecordDistrictBudget,
  RecordCityBudget,
} as const;

type FacilitySchemas = typeof FACILITY_COMMAND_SCHEMAS;
export type FacilityCommandType = keyof FacilitySchemas;
export type FacilityCommandOf<T extends FacilityCommandType> = {
  readonly type: T;
  readonly data: z.infer<FacilitySchemas[T]>;
};
export type FacilityCommand = { [T in FacilityCommandType]: FacilityCommandOf<T> }[FacilityCommandType];

type FundingSchemas = typeof FUNDING_COMMAND_SCHEMAS;
export type FundingCommandType = keyof FundingSchemas;
export type FundingCommandOf<T extends FundingCommandType> = {
  readonly type: T;
  readonly data: z.infer<FundingSchemas[T]>;
};
export type FundingCommand = { [T in FundingCommandType]: FundingCommandOf<T> }[FundingCommandType];
