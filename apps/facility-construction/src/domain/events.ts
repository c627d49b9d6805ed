import { assertNever } from '#libs/decider';
import type { DomainEvent } from '#libs/decider';
import {
  FACILITY_CONTRACT_TYPES,
  type DomainEventDataOf,
  type FacilityContracts,
  type OpinionOnRecordSchema,
  type ReadonlyDeep,
} from '#libs/contracts';
import type { z } from 'zod';

/**
 * Events of the facility construction and funding service. Their data are written once, as the
 * published contract (libs/contracts/src/facility-events.ts), and read here as read-only types: a
 * field added, removed or retyped there changes the domain's events with it. A type string, once
 * stored, is never renamed; a new shape gets a new schema version and an upcaster.
 */
type Data = DomainEventDataOf<FacilityContracts>;
type E<T extends keyof Data> = DomainEvent<T, Data[T]>;

export type OpinionOnRecord = ReadonlyDeep<z.output<typeof OpinionOnRecordSchema>>;

export type ConstructionProjectRegistered = E<'ConstructionProjectRegistered'>;
export type DesignRevised = E<'DesignRevised'>;
export type ConsultationRecorded = E<'ConsultationRecorded'>;
export type PlanningReviewRefused = E<'PlanningReviewRefused'>;
export type PlanningApproved = E<'PlanningApproved'>;
export type ConstructionStarted = E<'ConstructionStarted'>;
export type AcceptanceFailed = E<'AcceptanceFailed'>;
export type AcceptancePassed = E<'AcceptancePassed'>;
/** FAC-3: civil affairs refuses building naming and door numbers; subscribers see the refusal. */
export type NamingAndNumberingRefused = E<'NamingAndNumberingRefused'>;
export type NamingAndNumberingRefusalLifted = E<'NamingAndNumberingRefusalLifted'>;
export type BuildingNamesAssigned = E<'BuildingNamesAssigned'>;
export type FacilityAcquired = E<'FacilityAcquired'>;
export type VegetableMarketRemedied = E<'VegetableMarketRemedied'>;
export type FacilityFunctionsRecorded = E<'FacilityFunctionsRecorded'>;
export type FacilityUseChanged = E<'FacilityUseChanged'>;
export type UtilityTariffRecorded = E<'UtilityTariffRecorded'>;
export type RequirementRecomputed = E<'RequirementRecomputed'>;
/**
 * EST-8: this service followed a correction of an establishment decision it had
 * reacted to. The FAC-1 recomputations listed were derived from that decision (their
 * sourceEventId); from now on they take effect on the corrected date (or are annulled), with their
 * figures derived again on that date. The event records the correction itself for the timelines:
 * who recorded it, when, why, on what basis.
 */
export type EstablishmentCorrectionFollowed = E<'EstablishmentCorrectionFollowed'>;

/** The FAC-1 figures of a recomputation that derive from the state on its effective date. */
export type RecomputedFigures = NonNullable<
  Data['EstablishmentCorrectionFollowed']['followed'][number]['figures']
>;

// ---- funding -----------------------------------------------------------------------------------

export type UrbanPopulationRecorded = E<'UrbanPopulationRecorded'>;
export type DistrictCommunityBudgetRecorded = E<'DistrictCommunityBudgetRecorded'>;
export type CityCommunityBudgetRecorded = E<'CityCommunityBudgetRecorded'>;

const FUNDING_TYPES = [
  'UrbanPopulationRecorded',
  'DistrictCommunityBudgetRecorded',
  'CityCommunityBudgetRecorded',
] as const satisfies readonly (keyof Data)[];
export type FundingEventType = (typeof FUNDING_TYPES)[number];
/** Every event type of the city's funding ledger (`funding-lanzhou`), in the catalogue's order. */
export const FUNDING_EVENT_TYPES: readonly FundingEventType[] = FUNDING_TYPES;
/** The district facility streams (`facilities-<district>`) hold every other event of the contract. */
export type FacilityEventType = Exclude<keyof Data, FundingEventType>;

/** Every event of a district facility stream: a new contract must be folded (assertNever). */
export type FacilityEvent = { [T in FacilityEventType]: E<T> }[FacilityEventType];
export type FundingEvent = { [T in FundingEventType]: E<T> }[FundingEventType];

const isFundingType = (type: string): type is FundingEventType =>
  (FUNDING_TYPES as readonly string[]).includes(type);
/** Every event type of the district facility streams (`facilities-<district>`), in the catalogue's order. */
export const FACILITY_EVENT_TYPES: readonly FacilityEventType[] = FACILITY_CONTRACT_TYPES.filter(
  (type): type is FacilityEventType => !isFundingType(type),
);

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
