import { assertNever } from '#libs/decider';
import type { DomainEvent } from '#libs/decider';
import type {
  BudgetLine,
  ConsultationStage,
  Consultee,
  FacilityFunction,
  Manager,
  SpaceRemedyKind,
  UseRightHolder,
} from './commands';
import type { Requirement } from './policy';

/**
 * Events of the facility construction and funding service. A type string, once stored, is never
 * renamed; a new shape gets a new schema version and an upcaster.
 */
type E<T extends string, D> = DomainEvent<T, D>;

export interface OpinionOnRecord {
  readonly consultee: Consultee;
  readonly opinion: string;
  readonly consultedOn: string;
}

export type ConstructionProjectRegistered = E<
  'ConstructionProjectRegistered',
  {
    projectId: string;
    name: string;
    kind: 'new-estate' | 'old-town-renovation';
    developer: string;
    communityId: string;
    plannedHouseholds: number;
    plannedSpaceM2: number;
    requirement: Requirement;
    meetsRequirement: boolean;
  }
>;
export type DesignRevised = E<
  'DesignRevised',
  {
    projectId: string;
    plannedHouseholds: number;
    plannedSpaceM2: number;
    previousPlannedSpaceM2: number;
    requirement: Requirement;
    meetsRequirement: boolean;
  }
>;
export type ConsultationRecorded = E<
  'ConsultationRecorded',
  { projectId: string; stage: ConsultationStage; consultee: Consultee; opinion: string; summary: string }
>;
export type PlanningReviewRefused = E<
  'PlanningReviewRefused',
  {
    projectId: string;
    reviewer: string;
    plannedSpaceM2: number;
    requirement: Requirement;
    shortfallM2: number;
  }
>;
export type PlanningApproved = E<
  'PlanningApproved',
  {
    projectId: string;
    reviewer: string;
    plannedSpaceM2: number;
    requirement: Requirement;
    opinions: readonly OpinionOnRecord[];
  }
>;
export type ConstructionStarted = E<'ConstructionStarted', { projectId: string }>;
export type AcceptanceFailed = E<
  'AcceptanceFailed',
  { projectId: string; inspector: string; builtSpaceM2: number; plannedSpaceM2: number; shortfallM2: number }
>;
export type AcceptancePassed = E<
  'AcceptancePassed',
  {
    projectId: string;
    inspector: string;
    builtSpaceM2: number;
    plannedSpaceM2: number;
    opinions: readonly OpinionOnRecord[];
  }
>;
/** FAC-3: civil affairs refuses building naming and door numbers; subscribers see the refusal. */
export type NamingAndNumberingRefused = E<
  'NamingAndNumberingRefused',
  { projectId: string; communityId: string; developer: string; reason: string }
>;
export type NamingAndNumberingRefusalLifted = E<
  'NamingAndNumberingRefusalLifted',
  { projectId: string; communityId: string; refusedOn: string }
>;
export type BuildingNamesAssigned = E<
  'BuildingNamesAssigned',
  { projectId: string; buildingNames: readonly string[]; doorNumbers: readonly string[] }
>;
export type FacilityAcquired = E<
  'FacilityAcquired',
  {
    communityId: string;
    facilityId: string;
    /** How the space came to the community: a project's hand-over, the archive, or a FAC-4 remedy. */
    source: 'project-handover' | 'existing' | SpaceRemedyKind;
    projectId: string | null;
    areaM2: number;
    /** renovation-expansion: area added to an existing facility instead of a new one. */
    extendsFacility: boolean;
    givesUpFacilityId: string | null;
    leaseUntil: string | null;
    useRightHolder: UseRightHolder;
    manager: Manager;
    functions: readonly FacilityFunction[];
    /** The community's shortfall before and after, on the effective date (FAC-4). */
    shortfallBeforeM2: number | null;
    shortfallAfterM2: number | null;
  }
>;
export type VegetableMarketRemedied = E<
  'VegetableMarketRemedied',
  { communityId: string; marketId: string; kind: string; areaM2: number; leaseUntil: string | null }
>;
export type FacilityFunctionsRecorded = E<
  'FacilityFunctionsRecorded',
  { facilityId: string; communityId: string; functions: readonly FacilityFunction[] }
>;
export type FacilityUseChanged = E<
  'FacilityUseChanged',
  { facilityId: string; communityId: string; previousUse: string; newUse: string }
>;
export type UtilityTariffRecorded = E<
  'UtilityTariffRecorded',
  {
    facilityId: string;
    communityId: string;
    utility: string;
    rateCategory: string;
    pricePerUnitYuan: number;
    unit: string;
    /** FAC-8: charged at neither a residential nor a reduced rate. */
    flagged: boolean;
  }
>;
export type RequirementRecomputed = E<
  'RequirementRecomputed',
  {
    communityId: string;
    households: number;
    previousRequiredM2: number | null;
    requirement: Requirement;
    reason: string;
    sourceEventId: string;
    /**
     * The communities whose facilities and markets this community takes over: those merged into
     * it, or for a split in which no part keeps the split community's id, that community (its
     * first part takes the space over; FAC-1, FAC-4).
     */
    mergedCommunityIds: readonly string[];
    /** The community's own areas as the establishment event lists them; empty when not given. */
    areaIds: readonly string[];
    spaceM2: number;
    shortfallM2: number;
    meetsRequirement: boolean;
  }
>;

/** The FAC-1 figures of a recomputation that derive from the state on its effective date. */
export interface RecomputedFigures {
  previousRequiredM2: number | null;
  spaceM2: number;
  shortfallM2: number;
  meetsRequirement: boolean;
}

/**
 * EST-8: this service followed a correction of an establishment decision it had
 * reacted to. The FAC-1 recomputations listed were derived from that decision (their
 * sourceEventId); from now on they take effect on the corrected date (or are annulled), with their
 * figures derived again on that date. The event records the correction itself for the timelines:
 * who recorded it, when, why, on what basis.
 */
export type EstablishmentCorrectionFollowed = E<
  'EstablishmentCorrectionFollowed',
  {
    correctionEventId: string;
    correctsEventId: string;
    correctsType: string;
    reason: string;
    correctedBy: string;
    correctionRecordedAt: string;
    correctedEffectiveAt: string | null;
    correctedLegalBasis: string | null;
    annulled: boolean;
    /** The recomputations, each with its date before this correction and its figures after it. */
    followed: readonly {
      eventId: string;
      type: string;
      effectiveAt: string;
      figures: RecomputedFigures | null;
    }[];
    /** The communities they are about, for the timelines (not entity keys: no chronology applies). */
    communityIds: readonly string[];
  }
>;

export type FacilityEvent =
  | ConstructionProjectRegistered
  | DesignRevised
  | ConsultationRecorded
  | PlanningReviewRefused
  | PlanningApproved
  | ConstructionStarted
  | AcceptanceFailed
  | AcceptancePassed
  | NamingAndNumberingRefused
  | NamingAndNumberingRefusalLifted
  | BuildingNamesAssigned
  | FacilityAcquired
  | VegetableMarketRemedied
  | FacilityFunctionsRecorded
  | FacilityUseChanged
  | UtilityTariffRecorded
  | RequirementRecomputed
  | EstablishmentCorrectionFollowed;

// ---- funding -----------------------------------------------------------------------------------

export type UrbanPopulationRecorded = E<
  'UrbanPopulationRecorded',
  { district: string; year: number; urbanPopulation: number; source: string; requiredYuan: number }
>;
export type DistrictCommunityBudgetRecorded = E<
  'DistrictCommunityBudgetRecorded',
  {
    district: string;
    year: number;
    lines: Record<BudgetLine, number>;
    totalYuan: number;
    /** FUND-1 on the day of recording; null while the year's population is not on record. */
    requiredYuan: number | null;
    meetsRequirement: boolean | null;
  }
>;
export type CityCommunityBudgetRecorded = E<
  'CityCommunityBudgetRecorded',
  { year: number; amountYuan: number }
>;
export type FundingEvent =
  UrbanPopulationRecorded | DistrictCommunityBudgetRecorded | CityCommunityBudgetRecorded;

export type FacilityEventType = FacilityEvent['type'];
export type FundingEventType = FundingEvent['type'];

// Records keyed by the union: the compiler refuses a list that misses or invents a type.
const FACILITY_TYPES: Record<FacilityEventType, true> = {
  ConstructionProjectRegistered: true,
  DesignRevised: true,
  ConsultationRecorded: true,
  PlanningReviewRefused: true,
  PlanningApproved: true,
  ConstructionStarted: true,
  AcceptanceFailed: true,
  AcceptancePassed: true,
  NamingAndNumberingRefused: true,
  NamingAndNumberingRefusalLifted: true,
  BuildingNamesAssigned: true,
  FacilityAcquired: true,
  VegetableMarketRemedied: true,
  FacilityFunctionsRecorded: true,
  FacilityUseChanged: true,
  UtilityTariffRecorded: true,
  RequirementRecomputed: true,
  EstablishmentCorrectionFollowed: true,
};
const FUNDING_TYPES: Record<FundingEventType, true> = {
  UrbanPopulationRecorded: true,
  DistrictCommunityBudgetRecorded: true,
  CityCommunityBudgetRecorded: true,
};

/** Every event type of the district facility streams (`facilities-<district>`). */
export const FACILITY_EVENT_TYPES = Object.keys(FACILITY_TYPES) as readonly FacilityEventType[];
/** Every event type of the city's funding ledger (`funding-lanzhou`). */
export const FUNDING_EVENT_TYPES = Object.keys(FUNDING_TYPES) as readonly FundingEventType[];

/**
 * The entities whose timelines show the event: those it is about and, for a correction followed
 * from the establishment service (EST-8), the communities of the decisions it corrected.
 */
export function timelineEntitiesOf(event: FacilityEvent): string[] {
  if (event.type === 'EstablishmentCorrectionFollowed')
    return event.data.communityIds.map((id) => `community:${id}`);
  return entitiesOf(event);
}

/** The entities an event is about ("project:x", "community:y", "facility:z"), for timelines. */
export function entitiesOf(event: FacilityEvent): string[] {
  const d = event.data as Partial<Record<string, unknown>>;
  const out: string[] = [];
  if (typeof d.projectId === 'string') out.push(`project:${d.projectId}`);
  if (typeof d.communityId === 'string') out.push(`community:${d.communityId}`);
  if (typeof d.facilityId === 'string') out.push(`facility:${d.facilityId}`);
  if (typeof d.givesUpFacilityId === 'string') out.push(`facility:${d.givesUpFacilityId}`);
  if (typeof d.marketId === 'string') out.push(`market:${d.marketId}`);
  if (Array.isArray(d.mergedCommunityIds))
    for (const id of d.mergedCommunityIds as string[]) out.push(`community:${id}`);
  return out;
}

export { assertNever };
