import type {
  CommunityFacilitiesView,
  DistrictFundingAnswer,
  FacilityRecordView,
  FunctionsAnswer,
  MarketView,
  ProjectView,
  TimelineEntry,
} from '../../domain';

/**
 * The read models of the facility construction service. Collection names carry the service's
 * prefix so that they never meet the establishment service's `communities` in a shared database.
 * Every document names its stream and the stream revision of the last event that changed it;
 * documents are total (null, never a missing field), as the read store's merge-on-upsert expects.
 */
export const FACILITY_COLLECTIONS = {
  projects: 'facilityProjects',
  communities: 'facilityCommunities',
  namingRefusals: 'facilityNamingRefusals',
  districtFunding: 'districtFunding',
  cityFunding: 'cityFunding',
  decisions: 'facilityDecisions',
} as const;

interface Guarded {
  _id: string;
  /** `facilities-<district>` or `funding-lanzhou`: the stream whose revision guards the document. */
  streamId: string;
  /** Stream revision of the last event that changed this document. */
  revision: number;
}

/**
 * A construction project now (FAC-1..3). Its history (consultations, reviews, acceptances,
 * refusals, hand-over) is in `facilityDecisions`, so that a decision does not rewrite it whole.
 */
export interface ProjectDocument extends ProjectView, Guarded {
  district: string;
}

/**
 * A community as the answers show it: without the establishment events it followed, which only
 * the command side needs (each applied once) and which grow with every change of households.
 */
export type CommunityAnswerView = Omit<CommunityFacilitiesView, 'sourceEventIds'>;

/**
 * A community's space now (FAC-1, FAC-4, FAC-6): its requirement, every facility and market it
 * has had, and the figures on the latest effective date of its district. Those figures hold until
 * `figuresValidUntil`, the end of the first lease in force (null: no lease); after it a reader
 * recomputes them from `facilities` for its own date, as the domain does. Its history is in
 * `facilityDecisions`.
 */
export interface CommunityDocument extends CommunityAnswerView, Guarded {
  district: string;
  facilities: FacilityRecordView[];
  markets: MarketView[];
  /** The office and public-service space in force (FAC-1, FAC-4). */
  spaceM2: number;
  /** Requirement minus space, at least 0; null while no requirement is on record. */
  shortfallM2: number | null;
  meetsRequirement: boolean | null;
  /** FAC-6: the eight functions present and missing; null once merged away or split. */
  functions: FunctionsAnswer | null;
  figuresValidUntil: string | null;
}

/**
 * FAC-3: a refusal of building naming and door numbers, kept after it was lifted (inForce false)
 * so that the auditor sees both.
 */
export interface NamingRefusalDocument extends Guarded {
  district: string;
  projectId: string;
  communityId: string;
  developer: string;
  refusedOn: string;
  reason: string;
  inForce: boolean;
  liftedOn: string | null;
}

/** FUND-1, FUND-2: a district's community-work funding for a year, on record now. */
export interface DistrictFundingDocument extends DistrictFundingAnswer, Guarded {}

/** FUND-1: the city's budget for a year against every district's urban population. */
export interface CityFundingDocument extends Guarded {
  year: number;
  urbanPopulation: number;
  districtsWithoutPopulation: string[];
  requiredYuan: number;
  budgetedYuan: number | null;
  shortfallYuan: number | null;
  compliant: boolean | null;
  districts: DistrictFundingAnswer[];
}

/**
 * One decision of a district's facilities as the histories of the entities it names show it
 * (GET /projects/{id}, GET /communities/{id}): an event writes its own, and a followed correction
 * (EST-8) rewrites those of the decisions it moved. A history is read by entity, in `position`
 * order, a page at a time.
 */
export interface FacilityDecisionDocument extends Guarded {
  district: string;
  eventId: string;
  /** The entities whose histories show it (timelineEntitiesOf): "project:x", "community:y", ... */
  entityIds: string[];
  /** Its place in them: effective date as corrected, then recording order (positionOf). */
  position: string;
  entry: TimelineEntry;
}
