import { assertNever } from '#libs/decider';
import type { DomainEvent } from '#libs/decider';
import {
  ESTABLISHMENT_CONTRACT_TYPES,
  type CommunityPartSchema,
  type CoverageFindingSchema,
  type DomainEventDataOf,
  type EstablishmentContracts,
  type HouseholdRangeCheckSchema,
  type ReadonlyDeep,
  type ResponsibleBodySchema,
} from '#libs/contracts';
import type { z } from 'zod';

/**
 * Events of the community establishment service. Their data are written once, as the published
 * contract (libs/contracts/src/establishment-events.ts), and read here as read-only types: a field
 * added, removed or retyped there changes the domain's events with it, and the compiler shows every
 * place that must follow. A type string, once stored, is never renamed (GUIDE §4.7); a new shape
 * gets a new schema version and an upcaster.
 */

type Data = DomainEventDataOf<EstablishmentContracts>;
type E<T extends keyof Data> = DomainEvent<T, Data[T]>;
type Shape<S extends z.ZodType> = ReadonlyDeep<z.output<S>>;

/** The body responsible for an area at a moment (EST-3, EST-7). */
export type ResponsibleBody = Shape<typeof ResponsibleBodySchema>;

/**
 * EST-9: a committee outside the household range of the law in force is flagged, not refused. The
 * event records the check as made on the decision's date; the fold judges `households` again by
 * the law in force on the effective date as corrected (EST-8), so the regime follows a correction.
 */
export type HouseholdRangeCheck = Shape<typeof HouseholdRangeCheckSchema>;
export type CommunityPart = Shape<typeof CommunityPartSchema>;
export type CoverageFinding = Shape<typeof CoverageFindingSchema>;

export type AreaRegistered = E<'AreaRegistered'>;
export type VillageConvertedToResidence = E<'VillageConvertedToResidence'>;
export type AreaHouseholdsUpdated = E<'AreaHouseholdsUpdated'>;
export type AdjacencyRecorded = E<'AdjacencyRecorded'>;
export type OccupancyReported = E<'OccupancyReported'>;
/**
 * EST-2, EST-8: the obligation opens on the effective date of the decision that opened it and is
 * due `dueDays` later; it closes on the effective date of the decision that closed it. Those dates
 * are derived in the fold from the facts as corrected, never carried in the data: a correction
 * that moves the decision moves them too. Events recorded before carry `openedOn`, `dueOn`,
 * `closedOn` and `overdue` frozen at decision time; `withoutFrozenDates` drops them on reading.
 */
export type EstablishmentObligationOpened = E<'EstablishmentObligationOpened'>;
export type EstablishmentObligationClosed = E<'EstablishmentObligationClosed'>;
export type ResidentsGroupFormed = E<'ResidentsGroupFormed'>;
export type ResidentsGroupDisbanded = E<'ResidentsGroupDisbanded'>;
export type ProxyManagementStarted = E<'ProxyManagementStarted'>;
export type ProxyManagementEnded = E<'ProxyManagementEnded'>;
export type AreaTransferred = E<'AreaTransferred'>;
export type CommitteeEstablished = E<'CommitteeEstablished'>;
export type CommitteesMerged = E<'CommitteesMerged'>;
export type CommitteeSplit = E<'CommitteeSplit'>;
export type CommitteeRenamed = E<'CommitteeRenamed'>;
export type CommitteeDissolved = E<'CommitteeDissolved'>;
export type PartyOrganizationSetUp = E<'PartyOrganizationSetUp'>;
export type ServiceStationSetUp = E<'ServiceStationSetUp'>;
export type PostAssigned = E<'PostAssigned'>;
export type PostEnded = E<'PostEnded'>;
export type TaskDelegated = E<'TaskDelegated'>;
/** EST-7: a correction records the archive's truth even when it reveals a gap or overlap. */
export type DecisionCorrected = E<'DecisionCorrected'>;

/** Every event of the service: one per contract, so a new contract must be folded (assertNever). */
export type EstablishmentEvent = { [T in keyof Data]: E<T> }[keyof Data];

export type EstablishmentEventType = EstablishmentEvent['type'];

/** Every event type of the service, in the catalogue's order. */
export const ESTABLISHMENT_EVENT_TYPES: readonly EstablishmentEventType[] = ESTABLISHMENT_CONTRACT_TYPES;

/** Ids of the entities an event concerns, for timelines and the per-entity order of EST-8. */
export function entitiesOf(event: EstablishmentEvent): string[] {
  switch (event.type) {
    case 'AreaRegistered': {
      const r = event.data.responsibility;
      return [
        `area:${event.data.areaId}`,
        ...(r.kind === 'residents-group'
          ? [`group:${r.groupId}`, `community:${r.attachedToCommunityId}`]
          : [`community:${r.communityId}`]),
      ];
    }
    case 'VillageConvertedToResidence':
    case 'AreaHouseholdsUpdated':
    case 'OccupancyReported':
    case 'EstablishmentObligationOpened':
      return [`area:${event.data.areaId}`];
    case 'AdjacencyRecorded':
      return [`area:${event.data.areaId}`, ...event.data.adjacentAreaIds.map((a) => `area:${a}`)];
    case 'EstablishmentObligationClosed':
      return [`area:${event.data.areaId}`, `community:${event.data.communityId}`];
    case 'ResidentsGroupFormed':
      return [
        `area:${event.data.areaId}`,
        `group:${event.data.groupId}`,
        `community:${event.data.attachedToCommunityId}`,
      ];
    case 'ResidentsGroupDisbanded':
      return [`area:${event.data.areaId}`, `group:${event.data.groupId}`];
    case 'ProxyManagementStarted':
    case 'ProxyManagementEnded':
      return [`area:${event.data.areaId}`, `community:${event.data.byCommunityId}`];
    case 'AreaTransferred':
      return [
        `area:${event.data.areaId}`,
        `community:${event.data.fromCommunityId}`,
        `community:${event.data.toCommunityId}`,
      ];
    case 'CommitteeEstablished':
      return [`community:${event.data.communityId}`, ...event.data.areaIds.map((a) => `area:${a}`)];
    case 'CommitteesMerged':
      return [
        ...event.data.sourceCommunityIds.map((c) => `community:${c}`),
        `community:${event.data.result.communityId}`,
        ...event.data.result.areaIds.map((a) => `area:${a}`),
      ];
    case 'CommitteeSplit':
      return [
        `community:${event.data.sourceCommunityId}`,
        ...event.data.parts.flatMap((p) => [
          `community:${p.communityId}`,
          ...p.areaIds.map((a) => `area:${a}`),
        ]),
      ];
    case 'CommitteeRenamed':
    case 'PartyOrganizationSetUp':
    case 'ServiceStationSetUp':
    case 'TaskDelegated':
      return [`community:${event.data.communityId}`];
    case 'CommitteeDissolved':
      return [`community:${event.data.communityId}`, ...event.data.areaIds.map((a) => `area:${a}`)];
    case 'PostAssigned':
    case 'PostEnded':
      return [`community:${event.data.communityId}`, `person:${event.data.personId}`];
    case 'DecisionCorrected':
      return [];
    default:
      return assertNever(event);
  }
}

/** Data fields that older events froze at decision time; derived in the fold now (EST-2, EST-8). */
const FROZEN_DATES: Partial<Record<EstablishmentEventType, readonly string[]>> = {
  EstablishmentObligationOpened: ['openedOn', 'dueOn'],
  EstablishmentObligationClosed: ['closedOn', 'overdue'],
};

/**
 * Reads a stored event without the dates older events froze at decision time (the stored event
 * itself is never rewritten): after a correction they would contradict the effective dates.
 */
export function withoutFrozenDates<T extends EstablishmentEvent>(event: T): T {
  const frozen = FROZEN_DATES[event.type];
  if (!frozen || !frozen.some((field) => field in event.data)) return event;
  const data: Record<string, unknown> = { ...event.data };
  for (const field of frozen) delete data[field];
  return { ...event, data } as T;
}

export { assertNever };
