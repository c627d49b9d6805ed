import { assertNever } from '#libs/decider';
import type { DomainEvent } from '#libs/decider';
import type { AreaKind, CommunityBody } from './commands';

/**
 * Events of the community establishment service. A type string, once stored, is never renamed
 * (GUIDE §4.7); a new shape gets a new schema version and an upcaster.
 */

/** The body responsible for an area at a moment (EST-3, EST-7). */
export type ResponsibleBody =
  | { readonly kind: 'own-committee'; readonly communityId: string; readonly committeeId: string }
  | { readonly kind: 'proxy'; readonly communityId: string; readonly committeeId: string }
  | {
      readonly kind: 'residents-group';
      readonly groupId: string;
      readonly attachedToCommunityId: string;
    };

/**
 * EST-9: a committee outside the household range of the law in force is flagged, not refused. The
 * event records the check as made on the decision's date; the fold judges `households` again by
 * the law in force on the effective date as corrected (EST-8), so the regime follows a correction.
 */
export interface HouseholdRangeCheck {
  readonly households: number;
  readonly regime: string;
  readonly minHouseholds: number;
  readonly maxHouseholds: number;
  readonly withinRange: boolean;
}

export interface CommunityPart {
  readonly communityId: string;
  readonly committeeId: string;
  readonly name: string;
  readonly areaIds: readonly string[];
  readonly householdRange: HouseholdRangeCheck;
}

export interface CoverageFinding {
  readonly areaId: string;
  readonly problem: 'gap' | 'overlap';
  readonly from: string;
  readonly to: string | null;
  readonly bodies: readonly ResponsibleBody[];
}

type E<T extends string, D> = DomainEvent<T, D>;

export type AreaRegistered = E<
  'AreaRegistered',
  {
    areaId: string;
    name: string;
    kind: AreaKind;
    subDistrict: string;
    households: number;
    adjacentAreaIds: readonly string[];
    villageCommittee: { name: string } | null;
    /** EST-6: scale of a migrant-population concentration area, by the policy threshold used. */
    migrantScale: { scale: 'large' | 'small'; thresholdHouseholds: number } | null;
    responsibility: ResponsibleBody;
    /** Name of the residents' group formed with the area, when that is its first body. */
    residentsGroupName: string | null;
  }
>;
export type VillageConvertedToResidence = E<
  'VillageConvertedToResidence',
  { areaId: string; formerVillageCommittee: { name: string } }
>;
export type AreaHouseholdsUpdated = E<
  'AreaHouseholdsUpdated',
  { areaId: string; households: number; previous: number }
>;
export type AdjacencyRecorded = E<
  'AdjacencyRecorded',
  { areaId: string; adjacentAreaIds: readonly string[] }
>;
export type OccupancyReported = E<
  'OccupancyReported',
  { areaId: string; occupiedHouseholds: number; households: number; occupancyRate: number }
>;
/**
 * EST-2, EST-8: the obligation opens on the effective date of the decision that opened it and is
 * due `dueDays` later; it closes on the effective date of the decision that closed it. Those dates
 * are derived in the fold from the facts as corrected, never carried in the data: a correction
 * that moves the decision moves them too. Events recorded before carry `openedOn`, `dueOn`,
 * `closedOn` and `overdue` frozen at decision time; `withoutFrozenDates` drops them on reading.
 */
export type EstablishmentObligationOpened = E<
  'EstablishmentObligationOpened',
  {
    areaId: string;
    reason: 'occupancy-threshold' | 'village-to-residence-conversion' | 'large-migrant-area';
    /** The policy's due period used (a parameter, not a date). */
    dueDays: number;
    occupancyThreshold: number | null;
    /** Frozen at decision time, in older events only; never read (derived in the fold, EST-8). */
    openedOn?: string;
    /** Frozen at decision time, in older events only; never read (derived in the fold, EST-8). */
    dueOn?: string;
  }
>;
export type EstablishmentObligationClosed = E<
  'EstablishmentObligationClosed',
  {
    areaId: string;
    communityId: string;
    committeeId: string;
    /** Frozen at decision time, in older events only; never read (derived in the fold, EST-8). */
    closedOn?: string;
    /** Frozen at decision time, in older events only; never read (derived in the fold, EST-8). */
    overdue?: boolean;
  }
>;
export type ResidentsGroupFormed = E<
  'ResidentsGroupFormed',
  { groupId: string; name: string; areaId: string; attachedToCommunityId: string }
>;
export type ResidentsGroupDisbanded = E<
  'ResidentsGroupDisbanded',
  { groupId: string; areaId: string; reason: string }
>;
export type ProxyManagementStarted = E<
  'ProxyManagementStarted',
  { areaId: string; byCommunityId: string; byCommitteeId: string }
>;
export type ProxyManagementEnded = E<
  'ProxyManagementEnded',
  { areaId: string; byCommunityId: string; byCommitteeId: string; reason: string }
>;
export type AreaTransferred = E<
  'AreaTransferred',
  { areaId: string; fromCommunityId: string; toCommunityId: string; toCommitteeId: string }
>;
export type CommitteeEstablished = E<
  'CommitteeEstablished',
  {
    communityId: string;
    committeeId: string;
    name: string;
    areaIds: readonly string[];
    /** EST-4: village committees the new committee coexists with. */
    coexistingVillageCommittees: readonly string[];
    householdRange: HouseholdRangeCheck;
  }
>;
export type CommitteesMerged = E<
  'CommitteesMerged',
  {
    sourceCommunityIds: readonly string[];
    sourceCommitteeIds: readonly string[];
    result: CommunityPart;
    absorbed: boolean;
  }
>;
export type CommitteeSplit = E<
  'CommitteeSplit',
  { sourceCommunityId: string; sourceCommitteeId: string; parts: readonly CommunityPart[] }
>;
export type CommitteeRenamed = E<
  'CommitteeRenamed',
  { communityId: string; committeeId: string; previousName: string; name: string }
>;
export type CommitteeDissolved = E<
  'CommitteeDissolved',
  { communityId: string; committeeId: string; reason: string; areaIds: readonly string[] }
>;
export type PartyOrganizationSetUp = E<'PartyOrganizationSetUp', { communityId: string; name: string }>;
export type ServiceStationSetUp = E<'ServiceStationSetUp', { communityId: string; name: string }>;
export type PostAssigned = E<
  'PostAssigned',
  { personId: string; communityId: string; body: CommunityBody; post: string; concurrentPosts: number }
>;
export type PostEnded = E<
  'PostEnded',
  { personId: string; communityId: string; body: CommunityBody; post: string }
>;
export type TaskDelegated = E<
  'TaskDelegated',
  {
    taskId: string;
    communityId: string;
    department: string;
    description: string;
    fundingYuanPerYear: number;
    fundingSource: string;
    workingConditions: string;
  }
>;
export type DecisionCorrected = E<
  'DecisionCorrected',
  {
    correctsEventId: string;
    correctsType: string;
    reason: string;
    correctedEffectiveAt: string | null;
    correctedLegalBasis: string | null;
    annulled: boolean;
    /** EST-7: a correction records the archive's truth even when it reveals a gap or overlap. */
    coverageFindings: readonly CoverageFinding[];
  }
>;

export type EstablishmentEvent =
  | AreaRegistered
  | VillageConvertedToResidence
  | AreaHouseholdsUpdated
  | AdjacencyRecorded
  | OccupancyReported
  | EstablishmentObligationOpened
  | EstablishmentObligationClosed
  | ResidentsGroupFormed
  | ResidentsGroupDisbanded
  | ProxyManagementStarted
  | ProxyManagementEnded
  | AreaTransferred
  | CommitteeEstablished
  | CommitteesMerged
  | CommitteeSplit
  | CommitteeRenamed
  | CommitteeDissolved
  | PartyOrganizationSetUp
  | ServiceStationSetUp
  | PostAssigned
  | PostEnded
  | TaskDelegated
  | DecisionCorrected;

export type EstablishmentEventType = EstablishmentEvent['type'];

export const ESTABLISHMENT_EVENT_TYPES: readonly EstablishmentEventType[] = [
  'AreaRegistered',
  'VillageConvertedToResidence',
  'AreaHouseholdsUpdated',
  'AdjacencyRecorded',
  'OccupancyReported',
  'EstablishmentObligationOpened',
  'EstablishmentObligationClosed',
  'ResidentsGroupFormed',
  'ResidentsGroupDisbanded',
  'ProxyManagementStarted',
  'ProxyManagementEnded',
  'AreaTransferred',
  'CommitteeEstablished',
  'CommitteesMerged',
  'CommitteeSplit',
  'CommitteeRenamed',
  'CommitteeDissolved',
  'PartyOrganizationSetUp',
  'ServiceStationSetUp',
  'PostAssigned',
  'PostEnded',
  'TaskDelegated',
  'DecisionCorrected',
];

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
