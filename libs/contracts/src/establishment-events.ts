import { z } from 'zod';
import { contract, contractTypesOf, type EventDataOf } from './event-contract';

/**
 * The public contract of the community establishment service: one zod schema per event type for
 * the `data` of the event, as published on `lanzhou.registry.community-establishment.events.v1`.
 *
 * This is the one place an event's shape is written: the service's domain infers its event types
 * from these schemas (apps/community-establishment/src/domain/events.ts), so the two cannot drift.
 * The contracts import nothing of the services (`libs/` never depends on `apps/`).
 *
 * A stored type string is never renamed (GUIDE §4.7); a new shape gets a new schema version.
 */

/** EST-1: the kinds of area the 2013 text names. */
export const AREA_KINDS = [
  'new-residential-estate',
  'urban-rural-fringe',
  'industrial-mining-site',
  'urban-village-redevelopment-estate',
  'migrant-population-concentration',
  'village-to-residence-conversion',
  'existing-town-area',
] as const;
export const AreaKindSchema = z.enum(AREA_KINDS).meta({ description: 'EST-1: kind of area' });

/** ORG-1: the three bodies of a community, where posts are held (ORG-2). */
export const COMMUNITY_BODIES = ['party-organization', 'residents-committee', 'service-station'] as const;
export const CommunityBodySchema = z
  .enum(COMMUNITY_BODIES)
  .meta({ description: 'ORG-1: one of the three bodies of a community' });

const isoDate = () => z.iso.date().meta({ description: 'ISO 8601 calendar date (YYYY-MM-DD)' });
const dateOrInstant = () => z.string().meta({ description: 'ISO 8601 date (YYYY-MM-DD) or instant' });
const ids = () => z.array(z.string());

/** The body responsible for an area at a moment (EST-3, EST-7). */
export const ResponsibleBodySchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('own-committee'), communityId: z.string(), committeeId: z.string() }),
    z.object({ kind: z.literal('proxy'), communityId: z.string(), committeeId: z.string() }),
    z.object({
      kind: z.literal('residents-group'),
      groupId: z.string(),
      attachedToCommunityId: z.string(),
    }),
  ])
  .meta({ description: 'EST-3, EST-7: the body responsible for an area' });

/** EST-9: a committee outside the household range of the law in force is flagged, not refused. */
export const HouseholdRangeCheckSchema = z
  .object({
    households: z.number().int().min(0),
    regime: z.string(),
    minHouseholds: z.number().int().min(0),
    maxHouseholds: z.number().int().min(0),
    withinRange: z.boolean(),
  })
  .meta({ description: 'EST-9: household range check against the regime in force' });

export const CommunityPartSchema = z.object({
  communityId: z.string(),
  committeeId: z.string(),
  name: z.string(),
  areaIds: ids(),
  householdRange: HouseholdRangeCheckSchema,
});

export const CoverageFindingSchema = z.object({
  areaId: z.string(),
  problem: z.enum(['gap', 'overlap']),
  from: dateOrInstant(),
  to: dateOrInstant().nullable(),
  bodies: z.array(ResponsibleBodySchema),
});

export const AreaRegisteredData = z.object({
  areaId: z.string(),
  name: z.string(),
  kind: AreaKindSchema,
  subDistrict: z.string(),
  households: z.number().int().min(0),
  adjacentAreaIds: ids(),
  villageCommittee: z.object({ name: z.string() }).nullable(),
  migrantScale: z
    .object({ scale: z.enum(['large', 'small']), thresholdHouseholds: z.number().int().min(0) })
    .nullable()
    .meta({ description: 'EST-6: scale of a migrant-population concentration area' }),
  responsibility: ResponsibleBodySchema,
  /** Name of the residents' group formed with the area, when that is its first body. */
  residentsGroupName: z.string().nullable(),
});

export const VillageConvertedToResidenceData = z.object({
  areaId: z.string(),
  formerVillageCommittee: z.object({ name: z.string() }),
});

export const AreaHouseholdsUpdatedData = z.object({
  areaId: z.string(),
  households: z.number().int().min(0),
  previous: z.number().int().min(0),
});

export const AdjacencyRecordedData = z.object({ areaId: z.string(), adjacentAreaIds: ids() });

export const OccupancyReportedData = z.object({
  areaId: z.string(),
  occupiedHouseholds: z.number().int().min(0),
  households: z.number().int().min(0),
  occupancyRate: z.number().min(0),
});

export const EstablishmentObligationOpenedData = z.object({
  areaId: z.string(),
  reason: z.enum(['occupancy-threshold', 'village-to-residence-conversion', 'large-migrant-area']),
  /** The policy's due period used (a parameter, not a date). */
  dueDays: z.number().int().min(0),
  occupancyThreshold: z.number().nullable(),
  // EST-2, EST-8: opened on the event's effective date (as corrected), due dueDays later. Older
  // events also carry the dates frozen at decision time; readers must not rely on them.
  openedOn: isoDate().optional(),
  dueOn: isoDate().optional(),
});

export const EstablishmentObligationClosedData = z.object({
  areaId: z.string(),
  communityId: z.string(),
  committeeId: z.string(),
  // EST-2, EST-8: closed on the event's effective date (as corrected). Older events only.
  closedOn: isoDate().optional(),
  overdue: z.boolean().optional(),
});

export const ResidentsGroupFormedData = z.object({
  groupId: z.string(),
  name: z.string(),
  areaId: z.string(),
  attachedToCommunityId: z.string(),
});

export const ResidentsGroupDisbandedData = z.object({
  groupId: z.string(),
  areaId: z.string(),
  reason: z.string(),
});

export const ProxyManagementStartedData = z.object({
  areaId: z.string(),
  byCommunityId: z.string(),
  byCommitteeId: z.string(),
});

export const ProxyManagementEndedData = z.object({
  areaId: z.string(),
  byCommunityId: z.string(),
  byCommitteeId: z.string(),
  reason: z.string(),
});

export const AreaTransferredData = z.object({
  areaId: z.string(),
  fromCommunityId: z.string(),
  toCommunityId: z.string(),
  toCommitteeId: z.string(),
});

export const CommitteeEstablishedData = z.object({
  communityId: z.string(),
  committeeId: z.string(),
  name: z.string(),
  areaIds: ids(),
  coexistingVillageCommittees: z
    .array(z.string())
    .meta({ description: 'EST-4: village committees the new committee coexists with' }),
  householdRange: HouseholdRangeCheckSchema,
});

export const CommitteesMergedData = z.object({
  sourceCommunityIds: ids(),
  sourceCommitteeIds: ids(),
  result: CommunityPartSchema,
  absorbed: z.boolean(),
});

export const CommitteeSplitData = z.object({
  sourceCommunityId: z.string(),
  sourceCommitteeId: z.string(),
  parts: z.array(CommunityPartSchema),
});

export const CommitteeRenamedData = z.object({
  communityId: z.string(),
  committeeId: z.string(),
  previousName: z.string(),
  name: z.string(),
});

export const CommitteeDissolvedData = z.object({
  communityId: z.string(),
  committeeId: z.string(),
  reason: z.string(),
  areaIds: ids(),
});

export const PartyOrganizationSetUpData = z.object({ communityId: z.string(), name: z.string() });

export const ServiceStationSetUpData = z.object({ communityId: z.string(), name: z.string() });

export const PostAssignedData = z.object({
  personId: z.string(),
  communityId: z.string(),
  body: CommunityBodySchema,
  post: z.string(),
  concurrentPosts: z.number().int().min(1),
});

export const PostEndedData = z.object({
  personId: z.string(),
  communityId: z.string(),
  body: CommunityBodySchema,
  post: z.string(),
});

export const TaskDelegatedData = z.object({
  taskId: z.string(),
  communityId: z.string(),
  department: z.string(),
  description: z.string(),
  fundingYuanPerYear: z.number().min(0),
  fundingSource: z.string(),
  workingConditions: z.string(),
});

export const DecisionCorrectedData = z.object({
  correctsEventId: z.string(),
  correctsType: z.string(),
  reason: z.string(),
  correctedEffectiveAt: dateOrInstant().nullable(),
  correctedLegalBasis: z.string().nullable(),
  annulled: z.boolean(),
  coverageFindings: z
    .array(CoverageFindingSchema)
    .meta({ description: 'EST-7: gaps or overlaps the correction reveals in the archive' }),
});

export type { EventContract } from './event-contract';

/**
 * Every event type of the community establishment service, in the order of the domain's
 * ESTABLISHMENT_EVENT_TYPES. Rule ids are those the decider cites when it emits the event; the
 * conditional ones are marked in the description.
 */
export const ESTABLISHMENT_EVENTS = {
  AreaRegistered: contract(
    'AreaRegistered',
    AreaRegisteredData,
    ['EST-1', 'EST-7', 'EST-3', 'EST-4', 'EST-6'],
    'An area of one of the EST-1 kinds was registered with the body responsible for it. Always EST-1 and EST-7; EST-3 when a proxy or residents group is responsible, EST-4 for an urban-rural fringe, EST-6 for a migrant-population concentration area.',
  ),
  VillageConvertedToResidence: contract(
    'VillageConvertedToResidence',
    VillageConvertedToResidenceData,
    ['EST-5'],
    'A village area was converted into a residence area; its village committee is recorded as former.',
  ),
  AreaHouseholdsUpdated: contract(
    'AreaHouseholdsUpdated',
    AreaHouseholdsUpdatedData,
    ['EST-9'],
    'The number of households of an area changed.',
  ),
  AdjacencyRecorded: contract(
    'AdjacencyRecorded',
    AdjacencyRecordedData,
    ['EST-3'],
    'Adjacent areas were recorded for an area (a proxy committee must be adjacent).',
  ),
  OccupancyReported: contract(
    'OccupancyReported',
    OccupancyReportedData,
    ['EST-2'],
    'The occupancy of a new residential estate was reported.',
  ),
  EstablishmentObligationOpened: contract(
    'EstablishmentObligationOpened',
    EstablishmentObligationOpenedData,
    ['EST-2', 'EST-5', 'EST-6'],
    'An obligation to establish a residents committee by a due date was opened: EST-2 for the occupancy threshold, EST-5 for a village-to-residence conversion, EST-6 for a large migrant area (one of them, by reason).',
  ),
  EstablishmentObligationClosed: contract(
    'EstablishmentObligationClosed',
    EstablishmentObligationClosedData,
    ['EST-2'],
    'An establishment obligation was fulfilled by a committee; overdue when closed after the due date.',
  ),
  ResidentsGroupFormed: contract(
    'ResidentsGroupFormed',
    ResidentsGroupFormedData,
    ['EST-3', 'EST-6', 'EST-7'],
    'A residents group attached to a community became responsible for an area.',
  ),
  ResidentsGroupDisbanded: contract(
    'ResidentsGroupDisbanded',
    ResidentsGroupDisbandedData,
    ['EST-3'],
    'A residents group was disbanded.',
  ),
  ProxyManagementStarted: contract(
    'ProxyManagementStarted',
    ProxyManagementStartedData,
    ['EST-3', 'EST-7', 'EST-8'],
    'An adjacent committee started to manage an area by proxy.',
  ),
  ProxyManagementEnded: contract(
    'ProxyManagementEnded',
    ProxyManagementEndedData,
    ['EST-3', 'EST-8'],
    'Proxy management of an area ended.',
  ),
  AreaTransferred: contract(
    'AreaTransferred',
    AreaTransferredData,
    ['EST-7', 'EST-8'],
    'An area moved from one community to another.',
  ),
  CommitteeEstablished: contract(
    'CommitteeEstablished',
    CommitteeEstablishedData,
    ['EST-8', 'EST-7', 'EST-9', 'ORG-1', 'EST-2', 'EST-4', 'EST-5', 'EST-6'],
    "A community residents' committee was established for its areas. Always EST-8, EST-7, EST-9 and ORG-1; EST-2, EST-4, EST-5, EST-6 when one of its areas is of the matching kind.",
  ),
  CommitteesMerged: contract(
    'CommitteesMerged',
    CommitteesMergedData,
    ['EST-8', 'EST-7', 'EST-9'],
    'Committees were merged into one (a new one, or absorbed into one of them).',
  ),
  CommitteeSplit: contract(
    'CommitteeSplit',
    CommitteeSplitData,
    ['EST-8', 'EST-7', 'EST-9'],
    'A committee was split into parts, each a community with its own committee.',
  ),
  CommitteeRenamed: contract('CommitteeRenamed', CommitteeRenamedData, ['EST-8'], 'A committee was renamed.'),
  CommitteeDissolved: contract(
    'CommitteeDissolved',
    CommitteeDissolvedData,
    ['EST-8', 'EST-7'],
    'A committee was dissolved; its areas are listed.',
  ),
  PartyOrganizationSetUp: contract(
    'PartyOrganizationSetUp',
    PartyOrganizationSetUpData,
    ['ORG-1'],
    'The party organization of a community was set up.',
  ),
  ServiceStationSetUp: contract(
    'ServiceStationSetUp',
    ServiceStationSetUpData,
    ['ORG-1'],
    'The service station of a community was set up.',
  ),
  PostAssigned: contract(
    'PostAssigned',
    PostAssignedData,
    ['ORG-2'],
    'A person took a post in one of the bodies of a community; concurrentPosts counts the posts held.',
  ),
  PostEnded: contract('PostEnded', PostEndedData, ['ORG-2'], 'A person left a post.'),
  TaskDelegated: contract(
    'TaskDelegated',
    TaskDelegatedData,
    ['ORG-3'],
    'A department delegated an administrative task, with funding and working conditions, to the service station.',
  ),
  DecisionCorrected: contract(
    'DecisionCorrected',
    DecisionCorrectedData,
    ['EST-8', 'EST-7'],
    'An earlier decision was corrected or annulled. Always EST-8; EST-7 when the correction reveals coverage gaps or overlaps.',
  ),
} as const;

export type EstablishmentContracts = typeof ESTABLISHMENT_EVENTS;
export type EstablishmentContractType = keyof EstablishmentContracts;

/** The data type of each event type, as subscribers see it. */
export type EstablishmentEventData = EventDataOf<EstablishmentContracts>;

export const ESTABLISHMENT_CONTRACT_TYPES = contractTypesOf(ESTABLISHMENT_EVENTS);
