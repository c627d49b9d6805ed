import {
  bitemporalFold,
  dateOf,
  decisionFactsOf,
  type BitemporalFact,
  type BitemporalState,
  type FactHistory,
  type EventContext,
} from '#libs/decider';
import type { AreaKind, CommunityBody } from './commands';
import {
  assertNever,
  entitiesOf,
  withoutFrozenDates,
  type EstablishmentEvent,
  type HouseholdRangeCheck,
  type ResponsibleBody,
} from './events';
import { addDays, householdRangeOn } from './policy';

/**
 * The state of one district's community map, the consistency boundary of EST-7: coverage is an
 * invariant across areas, committees and groups, so one stream per district lets a single
 * decision check it without a saga.
 *
 * The registry is bitemporal: events are recorded in any order, but the map is the fold of the
 * decisions sorted by the date they took effect in law. `facts` keeps every decision with its
 * envelope; `view` is the map as of the latest effective date.
 */

export interface AreaView {
  areaId: string;
  name: string;
  kind: AreaKind;
  subDistrict: string;
  households: number;
  adjacentAreaIds: string[];
  villageCommittee: { name: string } | null;
  formerVillageCommittee: { name: string } | null;
  migrantScale: { scale: 'large' | 'small'; thresholdHouseholds: number } | null;
  registeredOn: string;
  occupancy: { occupiedHouseholds: number; occupancyRate: number; reportedOn: string } | null;
  obligation: ObligationView | null;
  /** EST-7: exactly one of these is active at every moment. */
  responsibleBodies: ResponsibleBody[];
}

export interface ObligationView {
  reason: string;
  openedOn: string;
  dueOn: string;
  dueDays: number;
  closedOn: string | null;
  closedByCommunityId: string | null;
}

export type CommunityStatus = 'active' | 'merged' | 'split' | 'dissolved';

export interface BodyView {
  name: string;
  setUpOn: string;
  status: 'active' | 'ended';
}

export interface CommunityView {
  communityId: string;
  name: string;
  status: CommunityStatus;
  establishedOn: string;
  endedOn: string | null;
  areaIds: string[];
  committee: { committeeId: string; name: string; establishedOn: string; status: 'active' | 'ended' };
  partyOrganization: BodyView | null;
  serviceStation: BodyView | null;
  coexistingVillageCommittees: string[];
  householdRange: HouseholdRangeCheck;
  predecessorCommunityIds: string[];
  successorCommunityIds: string[];
  tasks: TaskView[];
}

export interface TaskView {
  taskId: string;
  department: string;
  description: string;
  fundingYuanPerYear: number;
  fundingSource: string;
  workingConditions: string;
  delegatedOn: string;
}

export interface GroupView {
  groupId: string;
  name: string;
  areaId: string;
  attachedToCommunityId: string;
  formedOn: string;
  disbandedOn: string | null;
}

export interface PostView {
  personId: string;
  communityId: string;
  body: CommunityBody;
  post: string;
  since: string;
}

export interface DistrictView {
  asOf: string | null;
  areas: Record<string, AreaView>;
  communities: Record<string, CommunityView>;
  /** committeeId → communityId */
  committees: Record<string, string>;
  groups: Record<string, GroupView>;
  posts: PostView[];
}

/** One recorded decision with what an auditor needs to trace it. */
export type Fact = BitemporalFact<EstablishmentEvent>;

export type DistrictState = BitemporalState<Fact, DistrictView>;

export const emptyView = (): DistrictView => ({
  asOf: null,
  areas: {},
  communities: {},
  committees: {},
  groups: {},
  posts: [],
});

export { dateOf };

/** All events appended by the decision that appended `eventId` (one command, one append). */
export function decisionOf(state: DistrictState, eventId: string): Fact[] {
  const target = state.factsById.get(eventId);
  if (!target) return [];
  return decisionFactsOf(state.facts, target).filter((f) => f.event.type !== 'DecisionCorrected');
}

/**
 * The entities whose entries in the map an event changes: those it is about and, for a registered
 * area, its neighbours (it is added to their adjacency without being about them).
 */
export const touchedEntitiesOf = (event: EstablishmentEvent): string[] =>
  event.type === 'AreaRegistered'
    ? [...entitiesOf(event), ...event.data.adjacentAreaIds.map((a) => `area:${a}`)]
    : entitiesOf(event);

/**
 * Events tried on the map itself, then taken back (`undo`, always in a `finally`): each entry an
 * event changes is cloned first and put back after, entries it adds are removed, so nothing of the
 * map outlives the trial. Copying the whole map for every decision that changes responsibility cost
 * a 3,000-area district 50 ms a committee; a trial costs what its events touch. decide is
 * synchronous, so no reader sees the map during a trial.
 */
export interface Trial {
  readonly view: DistrictView;
  undo(): void;
}

type Collection = 'areas' | 'communities' | 'groups' | 'committees';

const COLLECTION_OF: Record<string, Collection> = {
  area: 'areas',
  community: 'communities',
  group: 'groups',
};

/** The committee ids an event adds to the committees index. */
const committeeIdsOf = (event: EstablishmentEvent): string[] =>
  event.type === 'CommitteeEstablished'
    ? [event.data.committeeId]
    : event.type === 'CommitteesMerged'
      ? [event.data.result.committeeId]
      : event.type === 'CommitteeSplit'
        ? event.data.parts.map((p) => p.committeeId)
        : [];

export function trialOf(view: DistrictView): Trial & { apply(event: EstablishmentEvent, on: string): void } {
  const saved = new Map<string, { collection: Collection; id: string; entry: unknown }>();
  const originalPosts = view.posts;
  const originalAsOf = view.asOf;
  const records = view as unknown as Record<Collection, Record<string, unknown>>;
  const keep = (collection: Collection, id: string, clone: boolean): void => {
    const key = `${collection}:${id}`;
    if (saved.has(key)) return;
    const entry = records[collection][id];
    saved.set(key, { collection, id, entry });
    if (clone && entry !== undefined) records[collection][id] = structuredClone(entry);
  };
  return {
    view,
    apply(event, on) {
      for (const entity of touchedEntitiesOf(event)) {
        const colon = entity.indexOf(':');
        const collection = COLLECTION_OF[entity.slice(0, colon)];
        if (collection) keep(collection, entity.slice(colon + 1), true);
      }
      for (const id of committeeIdsOf(event)) keep('committees', id, false);
      if (view.posts === originalPosts) view.posts = [...originalPosts];
      applyToView(view, event, on);
    },
    undo() {
      for (const { collection, id, entry } of [...saved.values()].reverse())
        if (entry === undefined) delete records[collection][id];
        else records[collection][id] = entry;
      view.posts = originalPosts;
      view.asOf = originalAsOf;
    },
  };
}

const fold = bitemporalFold<EstablishmentEvent, DistrictView, Fact>({
  emptyView,
  applyToView: (view, f) => applyToView(view, f.event, f.effectiveAt),
  entitiesOf,
  indexedUnder: touchedEntitiesOf,
  // EST-8: dates older events froze at decision time are derived from the facts as corrected.
  eventOf: withoutFrozenDates,
  isCorrection: (event) => event.type === 'DecisionCorrected',
  correctionOf: (event, state) => {
    const d = (event as Extract<EstablishmentEvent, { type: 'DecisionCorrected' }>).data;
    return {
      targets: decisionOf(state, d.correctsEventId),
      effectiveAt: d.correctedEffectiveAt,
      legalBasis: d.correctedLegalBasis,
      annulled: d.annulled,
    };
  },
  // Corrections and annulled decisions do not shape the map, nor the chronology.
  countsInChronology: (f) => !f.annulled && f.event.type !== 'DecisionCorrected',
  stampAsOf: (view, asOf) => {
    view.asOf = asOf ?? null;
  },
});

export const initialState: (history?: FactHistory<EstablishmentEvent>) => DistrictState = fold.initialState;

/** The map as of a date: the fold of every decision that took effect on or before it. */
export const viewAsOf: (facts: readonly Fact[], asOf?: string) => DistrictView = fold.viewAsOf;

/** evolve never throws (GUIDE §4.5). */
export const evolve: (state: DistrictState, stored: EstablishmentEvent, ctx: EventContext) => DistrictState =
  fold.evolve;

const removeBody = (area: AreaView | undefined, match: (b: ResponsibleBody) => boolean): void => {
  if (area) area.responsibleBodies = area.responsibleBodies.filter((b) => !match(b));
};

function newCommunity(
  communityId: string,
  committeeId: string,
  name: string,
  areaIds: readonly string[],
  on: string,
  householdRange: HouseholdRangeCheck,
  predecessors: string[],
): CommunityView {
  return {
    communityId,
    name,
    status: 'active',
    establishedOn: on,
    endedOn: null,
    areaIds: [...areaIds],
    committee: { committeeId, name, establishedOn: on, status: 'active' },
    partyOrganization: null,
    serviceStation: null,
    coexistingVillageCommittees: [],
    householdRange,
    predecessorCommunityIds: predecessors,
    successorCommunityIds: [],
    tasks: [],
  };
}

function endCommunity(
  c: CommunityView | undefined,
  status: CommunityStatus,
  on: string,
  successors: string[],
): void {
  if (!c) return;
  c.status = status;
  c.endedOn = on;
  c.committee.status = 'ended';
  if (c.partyOrganization) c.partyOrganization.status = 'ended';
  if (c.serviceStation) c.serviceStation.status = 'ended';
  c.successorCommunityIds = successors;
  c.areaIds = [];
}

function coverWithOwnCommittee(view: DistrictView, c: CommunityView, areaIds: readonly string[]): void {
  for (const areaId of areaIds) {
    const area = view.areas[areaId];
    if (!area) continue;
    if (!c.areaIds.includes(areaId)) c.areaIds.push(areaId);
    area.responsibleBodies.push({
      kind: 'own-committee',
      communityId: c.communityId,
      committeeId: c.committee.committeeId,
    });
  }
}

/**
 * EST-9 with EST-8: the household count is the decision's fact; the law it is judged by is the one
 * in force on the effective date as corrected, not the regime recorded at decision time.
 */
const rejudged = (range: HouseholdRangeCheck, on: string): HouseholdRangeCheck =>
  householdRangeOn(range.households, on);

/** Applies one event to the map. Total: unknown references are ignored, never thrown on. */
export function applyToView(view: DistrictView, event: EstablishmentEvent, on: string): void {
  view.asOf = on;
  switch (event.type) {
    case 'AreaRegistered': {
      const d = event.data;
      view.areas[d.areaId] = {
        areaId: d.areaId,
        name: d.name,
        kind: d.kind,
        subDistrict: d.subDistrict,
        households: d.households,
        adjacentAreaIds: [...d.adjacentAreaIds],
        villageCommittee: d.villageCommittee,
        formerVillageCommittee: null,
        migrantScale: d.migrantScale,
        registeredOn: on,
        occupancy: null,
        obligation: null,
        responsibleBodies: [d.responsibility],
      };
      for (const other of d.adjacentAreaIds) {
        const o = view.areas[other];
        if (o && !o.adjacentAreaIds.includes(d.areaId)) o.adjacentAreaIds.push(d.areaId);
      }
      const r = d.responsibility;
      if (r.kind === 'own-committee') {
        const c = view.communities[r.communityId];
        if (c && !c.areaIds.includes(d.areaId)) c.areaIds.push(d.areaId);
      } else if (r.kind === 'residents-group') {
        view.groups[r.groupId] = {
          groupId: r.groupId,
          name: d.residentsGroupName ?? r.groupId,
          areaId: d.areaId,
          attachedToCommunityId: r.attachedToCommunityId,
          formedOn: on,
          disbandedOn: null,
        };
      }
      return;
    }
    case 'VillageConvertedToResidence': {
      const area = view.areas[event.data.areaId];
      if (area) area.formerVillageCommittee = event.data.formerVillageCommittee;
      return;
    }
    case 'AreaHouseholdsUpdated': {
      const area = view.areas[event.data.areaId];
      if (area) area.households = event.data.households;
      return;
    }
    case 'AdjacencyRecorded': {
      const area = view.areas[event.data.areaId];
      if (!area) return;
      for (const other of event.data.adjacentAreaIds) {
        if (!area.adjacentAreaIds.includes(other)) area.adjacentAreaIds.push(other);
        const o = view.areas[other];
        if (o && !o.adjacentAreaIds.includes(area.areaId)) o.adjacentAreaIds.push(area.areaId);
      }
      return;
    }
    case 'OccupancyReported': {
      const area = view.areas[event.data.areaId];
      if (area)
        area.occupancy = {
          occupiedHouseholds: event.data.occupiedHouseholds,
          occupancyRate: event.data.occupancyRate,
          reportedOn: on,
        };
      return;
    }
    case 'EstablishmentObligationOpened': {
      // EST-2, EST-8: opened on the decision's effective date as corrected, due dueDays later.
      const area = view.areas[event.data.areaId];
      if (area)
        area.obligation = {
          reason: event.data.reason,
          openedOn: on,
          dueOn: addDays(on, event.data.dueDays),
          dueDays: event.data.dueDays,
          closedOn: null,
          closedByCommunityId: null,
        };
      return;
    }
    case 'EstablishmentObligationClosed': {
      // EST-2, EST-8: closed on the effective date of the establishing decision as corrected.
      const obligation = view.areas[event.data.areaId]?.obligation;
      if (obligation) {
        obligation.closedOn = on;
        obligation.closedByCommunityId = event.data.communityId;
      }
      return;
    }
    case 'ResidentsGroupFormed': {
      const d = event.data;
      view.groups[d.groupId] = {
        groupId: d.groupId,
        name: d.name,
        areaId: d.areaId,
        attachedToCommunityId: d.attachedToCommunityId,
        formedOn: on,
        disbandedOn: null,
      };
      view.areas[d.areaId]?.responsibleBodies.push({
        kind: 'residents-group',
        groupId: d.groupId,
        attachedToCommunityId: d.attachedToCommunityId,
      });
      return;
    }
    case 'ResidentsGroupDisbanded': {
      const g = view.groups[event.data.groupId];
      if (g) g.disbandedOn = on;
      removeBody(
        view.areas[event.data.areaId],
        (b) => b.kind === 'residents-group' && b.groupId === event.data.groupId,
      );
      return;
    }
    case 'ProxyManagementStarted':
      view.areas[event.data.areaId]?.responsibleBodies.push({
        kind: 'proxy',
        communityId: event.data.byCommunityId,
        committeeId: event.data.byCommitteeId,
      });
      return;
    case 'ProxyManagementEnded':
      removeBody(
        view.areas[event.data.areaId],
        (b) => b.kind === 'proxy' && b.communityId === event.data.byCommunityId,
      );
      return;
    case 'AreaTransferred': {
      const d = event.data;
      const from = view.communities[d.fromCommunityId];
      if (from) from.areaIds = from.areaIds.filter((a) => a !== d.areaId);
      removeBody(
        view.areas[d.areaId],
        (b) => b.kind === 'own-committee' && b.communityId === d.fromCommunityId,
      );
      const to = view.communities[d.toCommunityId];
      if (to) coverWithOwnCommittee(view, to, [d.areaId]);
      return;
    }
    case 'CommitteeEstablished': {
      const d = event.data;
      const c = newCommunity(
        d.communityId,
        d.committeeId,
        d.name,
        [],
        on,
        rejudged(d.householdRange, on),
        [],
      );
      c.coexistingVillageCommittees = [...d.coexistingVillageCommittees];
      view.communities[d.communityId] = c;
      view.committees[d.committeeId] = d.communityId;
      coverWithOwnCommittee(view, c, d.areaIds);
      return;
    }
    case 'CommitteesMerged': {
      const d = event.data;
      const r = d.result;
      for (const sourceId of d.sourceCommunityIds) {
        const source = view.communities[sourceId];
        if (!source) continue;
        for (const areaId of source.areaIds)
          removeBody(view.areas[areaId], (b) => b.kind === 'own-committee' && b.communityId === sourceId);
        if (sourceId !== r.communityId) endCommunity(source, 'merged', on, [r.communityId]);
      }
      let result = view.communities[r.communityId];
      if (d.absorbed && result) {
        result.areaIds = [];
        // The event names the result; an absorbing community takes that name (EST-8).
        result.name = r.name;
        result.committee.name = r.name;
        result.householdRange = rejudged(r.householdRange, on);
        result.predecessorCommunityIds.push(...d.sourceCommunityIds.filter((s) => s !== r.communityId));
      } else {
        result = newCommunity(r.communityId, r.committeeId, r.name, [], on, rejudged(r.householdRange, on), [
          ...d.sourceCommunityIds,
        ]);
        view.communities[r.communityId] = result;
        view.committees[r.committeeId] = r.communityId;
      }
      result.coexistingVillageCommittees = villageCommitteesOf(view, r.areaIds);
      coverWithOwnCommittee(view, result, r.areaIds);
      return;
    }
    case 'CommitteeSplit': {
      const d = event.data;
      const source = view.communities[d.sourceCommunityId];
      if (source)
        for (const areaId of source.areaIds)
          removeBody(
            view.areas[areaId],
            (b) => b.kind === 'own-committee' && b.communityId === d.sourceCommunityId,
          );
      const continues = d.parts.some((p) => p.communityId === d.sourceCommunityId);
      if (source && !continues)
        endCommunity(
          source,
          'split',
          on,
          d.parts.map((p) => p.communityId),
        );
      if (source && continues) {
        source.areaIds = [];
        source.successorCommunityIds = d.parts
          .map((p) => p.communityId)
          .filter((id) => id !== source.communityId);
      }
      for (const p of d.parts) {
        let c = view.communities[p.communityId];
        if (p.communityId === d.sourceCommunityId && c) {
          c.householdRange = rejudged(p.householdRange, on);
          // The event names each part, the continuing source included (EST-8).
          c.name = p.name;
          c.committee.name = p.name;
        } else {
          c = newCommunity(p.communityId, p.committeeId, p.name, [], on, rejudged(p.householdRange, on), [
            d.sourceCommunityId,
          ]);
          view.communities[p.communityId] = c;
          view.committees[p.committeeId] = p.communityId;
        }
        c.coexistingVillageCommittees = villageCommitteesOf(view, p.areaIds);
        coverWithOwnCommittee(view, c, p.areaIds);
      }
      return;
    }
    case 'CommitteeRenamed': {
      const c = view.communities[event.data.communityId];
      if (c) {
        c.name = event.data.name;
        c.committee.name = event.data.name;
      }
      return;
    }
    case 'CommitteeDissolved': {
      const c = view.communities[event.data.communityId];
      for (const areaId of c?.areaIds ?? [])
        removeBody(
          view.areas[areaId],
          (b) => b.kind === 'own-committee' && b.communityId === event.data.communityId,
        );
      endCommunity(c, 'dissolved', on, []);
      return;
    }
    case 'PartyOrganizationSetUp': {
      const c = view.communities[event.data.communityId];
      if (c) c.partyOrganization = { name: event.data.name, setUpOn: on, status: 'active' };
      return;
    }
    case 'ServiceStationSetUp': {
      const c = view.communities[event.data.communityId];
      if (c) c.serviceStation = { name: event.data.name, setUpOn: on, status: 'active' };
      return;
    }
    case 'PostAssigned': {
      const d = event.data;
      view.posts.push({
        personId: d.personId,
        communityId: d.communityId,
        body: d.body,
        post: d.post,
        since: on,
      });
      return;
    }
    case 'PostEnded': {
      const d = event.data;
      view.posts = view.posts.filter(
        (p) =>
          !(
            p.personId === d.personId &&
            p.communityId === d.communityId &&
            p.body === d.body &&
            p.post === d.post
          ),
      );
      return;
    }
    case 'TaskDelegated': {
      const d = event.data;
      view.communities[d.communityId]?.tasks.push({
        taskId: d.taskId,
        department: d.department,
        description: d.description,
        fundingYuanPerYear: d.fundingYuanPerYear,
        fundingSource: d.fundingSource,
        workingConditions: d.workingConditions,
        delegatedOn: on,
      });
      return;
    }
    case 'DecisionCorrected':
      return;
    default:
      assertNever(event);
  }
}

/** EST-4: the village committees the areas of a community coexist with. */
export function villageCommitteesOf(view: DistrictView, areaIds: readonly string[]): string[] {
  const names = areaIds.map((a) => view.areas[a]?.villageCommittee?.name).filter((n): n is string => !!n);
  return [...new Set(names)];
}

/** EST-7: is this body able to carry responsibility (its committee or group still exists)? */
/** The entities whose status decides whether a body counts for an area (EST-7). */
export const bodyKeys = (b: ResponsibleBody): string[] =>
  b.kind === 'residents-group'
    ? [`group:${b.groupId}`, `community:${b.attachedToCommunityId}`]
    : [`community:${b.communityId}`];

export function isActiveBody(view: DistrictView, body: ResponsibleBody): boolean {
  switch (body.kind) {
    case 'own-committee':
    case 'proxy':
      return view.communities[body.communityId]?.status === 'active';
    case 'residents-group': {
      const g = view.groups[body.groupId];
      return (
        !!g && g.disbandedOn === null && view.communities[body.attachedToCommunityId]?.status === 'active'
      );
    }
    default:
      return assertNever(body);
  }
}

export function activeBodiesOf(view: DistrictView, areaId: string): ResponsibleBody[] {
  return (view.areas[areaId]?.responsibleBodies ?? []).filter((b) => isActiveBody(view, b));
}
