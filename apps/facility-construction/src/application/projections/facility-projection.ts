import { domainEventOf, eventContextOf, type EventStore, type RecordedEvent } from '#libs/event-sourcing';
import { positionOf } from '#libs/http';
import {
  digestsOf,
  StreamFoldingProjection,
  writeChanged,
  type DocumentContent as Content,
  type ReadStore,
  type StreamFolding,
  type WrittenDigests,
} from '#libs/read-store';
import {
  cityFunding,
  districtFunding,
  entitiesOf,
  evolve,
  evolveFunding,
  facilitiesOf,
  FACILITY_EVENT_TYPES,
  FUNDING_EVENT_TYPES,
  FUNDING_STREAM_ID,
  functionsOf,
  initialFundingState,
  initialState,
  round2,
  spaceOf,
  timelineEntitiesOf,
  timelineEntryOf,
  timelineOf,
  type Fact,
  type FacilityEvent,
  type FacilityState,
  type FundingEvent,
  type FundingState,
} from '../../domain';
import {
  FACILITY_COLLECTIONS as C,
  type CityFundingDocument,
  type CommunityDocument,
  type DistrictFundingDocument,
  type FacilityDecisionDocument,
  type NamingRefusalDocument,
  type ProjectDocument,
} from './documents';

const FACILITIES_PREFIX = 'facilities-';
const FACILITY_TYPES: ReadonlySet<string> = new Set(FACILITY_EVENT_TYPES);
const FUNDING_TYPES: ReadonlySet<string> = new Set(FUNDING_EVENT_TYPES);
/** Funding "now": every decision on record (effective dates never lie in the future). */
const ON_RECORD = '9999-12-31';

/** A facility stream folded up to `revision`, with the digests of its documents then. */
interface FacilityEntry {
  kind: 'facilities';
  revision: number;
  state: FacilityState;
  projects: WrittenDigests;
  communities: WrittenDigests;
  refusals: WrittenDigests;
  /** Per community: the end of its first lease in force (its figures change after it). */
  validUntil: Map<string, string | null>;
  /** The facts naming each entity ("project:x", ...): a project's refusals without scanning the district. */
  timelines: Timelines;
}

type Timelines = Map<string, Fact[]>;

interface FundingEntry {
  kind: 'funding';
  revision: number;
  state: FundingState;
  districts: WrittenDigests;
  years: WrittenDigests;
}

/**
 * What the facility projection is made of beside the shared skeleton (StreamFoldingProjection):
 * the facilities of each district and the city's funding ledger, each folded with the domain's own
 * evolve (the facilities are bitemporal: a backfilled decision refolds the district), and the
 * documents derived with the domain's own queries, so the read models answer what the fold answers.
 * After each event it recomputes the documents of the entities the event names (all of them after
 * a backfill, and the communities whose lease ended meanwhile) and writes those whose content
 * changed.
 */
const streamFolding: StreamFolding<FacilityEntry | FundingEntry> = {
  name: 'facility-construction',
  collections: Object.values(C),
  accepts: (event) =>
    (event.streamId.startsWith(FACILITIES_PREFIX) && FACILITY_TYPES.has(event.type)) ||
    (event.streamId === FUNDING_STREAM_ID && FUNDING_TYPES.has(event.type)),
  start: (streamId) =>
    streamId === FUNDING_STREAM_ID
      ? {
          kind: 'funding',
          revision: -1,
          state: initialFundingState(),
          districts: new Map(),
          years: new Map(),
        }
      : {
          kind: 'facilities',
          revision: -1,
          state: initialState(),
          projects: new Map(),
          communities: new Map(),
          refusals: new Map(),
          validUntil: new Map(),
          timelines: new Map(),
        },
  fold(entry, e) {
    if (entry.kind === 'facilities')
      entry.state = evolve(entry.state, domainEventOf<FacilityEvent>(e), eventContextOf(e));
    else entry.state = evolveFunding(entry.state, domainEventOf<FundingEvent>(e), eventContextOf(e));
  },
  caughtUp(entry, streamId) {
    if (entry.kind === 'facilities') {
      entry.timelines = new Map();
      for (const fact of entry.state.facts) noteFact(entry.timelines, fact);
      // What the documents hold after the events before this one (written, or stale-guarded).
      const docs = facilityContents(entry.state, streamId, 'all', entry.timelines);
      entry.projects = digestsOf(docs.projects);
      entry.communities = digestsOf(docs.communities);
      entry.refusals = digestsOf(docs.refusals);
      entry.validUntil = new Map(docs.communities.map(([, c]) => [c.communityId, c.figuresValidUntil]));
    } else {
      const keys = entry.state.facts.map((f) => keysOf(f.event));
      const docs = fundingContents(entry.state, streamId, keys);
      entry.districts = digestsOf(docs.districts);
      entry.years = digestsOf(docs.years);
    }
  },
  apply: (entry, event, readStore) =>
    entry.kind === 'facilities'
      ? applyFacility(entry, event, readStore)
      : applyFunding(entry, event, readStore),
};

/** Projects the facility decisions into projects, communities' space, naming refusals and funding. */
export class FacilityProjection extends StreamFoldingProjection<FacilityEntry | FundingEntry> {
  constructor(store: Pick<EventStore, 'readStream'>) {
    super(store, streamFolding);
  }
}

async function applyFacility(entry: FacilityEntry, event: RecordedEvent, readStore: ReadStore) {
  const domainEvent = domainEventOf<FacilityEvent>(event);
  const before = entry.state.latestEffectiveAt;
  const viewBefore = entry.state.view;
  entry.state = evolve(entry.state, domainEvent, eventContextOf(event));
  const state = entry.state;
  noteFact(entry.timelines, state.facts[state.facts.length - 1]);

  let scope: Scope = 'all';
  if (domainEvent.type === 'EstablishmentCorrectionFollowed') {
    // A correction followed (EST-8) refolds the district, but only the decisions it follows moved:
    // the documents of what they name, and of the communities the correction names, can change.
    const named = timelineEntitiesOf(domainEvent);
    for (const { eventId } of domainEvent.data.followed) {
      const fact = state.factsById.get(eventId);
      if (fact) named.push(...entitiesOf(fact.event));
    }
    scope = scopeOf(named, [viewBefore, state.view], entry.validUntil, state.latestEffectiveAt);
  } else if (eventContextOf(event).effectiveAt.slice(0, 10) >= before) {
    scope = scopeOf(entitiesOf(domainEvent), [state.view], entry.validUntil, state.latestEffectiveAt);
  }
  // Otherwise a backfilled decision refolded the district: any document may have changed.

  const guard = { streamId: event.streamId, revision: event.streamRevision };
  // The histories: the decision's own entry, and those of the decisions a correction moved.
  const decided = [state.facts[state.facts.length - 1]];
  if (domainEvent.type === 'EstablishmentCorrectionFollowed')
    for (const { eventId } of domainEvent.data.followed) {
      const fact = state.factsById.get(eventId);
      if (fact) decided.push(fact);
    }
  const decisions = readStore.collection<FacilityDecisionDocument>(C.decisions);
  for (const fact of decided)
    await decisions.upsertGuarded(
      documentId(districtOfStream(event.streamId), fact.eventId),
      { ...decisionContent(fact, event.streamId), revision: guard.revision },
      guard,
    );

  const docs = facilityContents(state, event.streamId, scope, entry.timelines);
  for (const [, c] of docs.communities) entry.validUntil.set(c.communityId, c.figuresValidUntil);
  await writeChanged(readStore.collection<ProjectDocument>(C.projects), entry.projects, docs.projects, guard);
  await writeChanged(
    readStore.collection<CommunityDocument>(C.communities),
    entry.communities,
    docs.communities,
    guard,
  );
  await writeChanged(
    readStore.collection<NamingRefusalDocument>(C.namingRefusals),
    entry.refusals,
    docs.refusals,
    guard,
  );
}

async function applyFunding(entry: FundingEntry, event: RecordedEvent, readStore: ReadStore) {
  const domainEvent = domainEventOf<FundingEvent>(event);
  entry.state = evolveFunding(entry.state, domainEvent, eventContextOf(event));
  const guard = { streamId: event.streamId, revision: event.streamRevision };
  const docs = fundingContents(entry.state, event.streamId, [keysOf(domainEvent)]);
  await writeChanged(
    readStore.collection<DistrictFundingDocument>(C.districtFunding),
    entry.districts,
    docs.districts,
    guard,
  );
  await writeChanged(
    readStore.collection<CityFundingDocument>(C.cityFunding),
    entry.years,
    docs.years,
    guard,
  );
}

type Scope = 'all' | { projects: ReadonlySet<string>; communities: ReadonlySet<string> };

/**
 * The documents of the entities named (a facility or a market stands for its community, in each
 * view given), and of the communities whose lease ended before the latest effective date.
 */
function scopeOf(
  entities: readonly string[],
  views: readonly FacilityState['view'][],
  validUntil: ReadonlyMap<string, string | null>,
  latestEffectiveAt: string,
): Scope {
  const projects = new Set<string>();
  const communities = new Set<string>();
  for (const entity of entities) {
    const [kind, id] = splitEntity(entity);
    if (kind === 'project') projects.add(id);
    else if (kind === 'community') communities.add(id);
    else
      for (const view of views) {
        if (kind === 'facility' && view.facilities[id]) communities.add(view.facilities[id].communityId);
        else if (kind === 'market' && view.markets[id]) communities.add(view.markets[id].communityId);
      }
  }
  // A later effective date may pass the end of a lease: those communities' space changed.
  for (const [communityId, until] of validUntil)
    if (until !== null && until < latestEffectiveAt) communities.add(communityId);
  return { projects, communities };
}

/** Adds the fact to the timelines of the entities it names (once each, as timelineOf counts it). */
function noteFact(timelines: Timelines, fact: Fact): void {
  for (const entity of new Set(timelineEntitiesOf(fact.event))) {
    const facts = timelines.get(entity);
    if (facts) facts.push(fact);
    else timelines.set(entity, [fact]);
  }
}

const splitEntity = (entity: string): [string, string] => {
  const at = entity.indexOf(':');
  return [entity.slice(0, at), entity.slice(at + 1)];
};

export const districtOfStream = (streamId: string): string => streamId.slice(FACILITIES_PREFIX.length);
/** `<district>/<projectId>`, `<district>/<communityId>`, `<district>/<eventId>` of a decision. */
export const documentId = (district: string, id: string): string => `${district}/${id}`;
/** `<district>/<year>` of a district's funding; `<year>` of the city's. */
export const districtFundingId = (district: string, year: number): string => `${district}/${year}`;
export const cityFundingId = (year: number): string => String(year);

/** The entries of `records` whose keys are in scope, looked up by key so a narrow scope costs little. */
function inScope<T>(records: Record<string, T>, ids: ReadonlySet<string> | 'all'): T[] {
  if (ids === 'all') return Object.values(records);
  const found: T[] = [];
  for (const id of ids) if (Object.hasOwn(records, id)) found.push(records[id]);
  return found;
}

/** A decision as the histories of the entities it names show it, in their order. */
export function decisionContent(fact: Fact, streamId: string): Content<FacilityDecisionDocument> {
  return {
    district: districtOfStream(streamId),
    streamId,
    eventId: fact.eventId,
    entityIds: [...new Set(timelineEntitiesOf(fact.event))],
    position: positionOf(fact.effectiveAt, fact.seq),
    entry: timelineEntryOf(fact),
  };
}

/**
 * The documents of a district's facilities in scope, from its folded state; `timelines` (the facts
 * naming each entity) spares scanning every fact of the district for a project's refusals.
 */
export function facilityContents(
  state: FacilityState,
  streamId: string,
  scope: Scope,
  timelines?: Timelines,
) {
  const district = districtOfStream(streamId);
  const view = state.view;
  const on = state.latestEffectiveAt;
  const historyOf = (entity: string) =>
    timelineOf(timelines ? (timelines.get(entity) ?? []) : state.facts, entity);
  const projects: Array<[string, Content<ProjectDocument>]> = [];
  const refusals: Array<[string, Content<NamingRefusalDocument>]> = [];
  for (const p of inScope(view.projects, scope === 'all' ? 'all' : scope.projects)) {
    projects.push([documentId(district, p.projectId), { ...p, district, streamId }]);
    const history = historyOf(`project:${p.projectId}`);
    // FAC-3: the refusal in force, or the last one lifted.
    const refused = history.filter((h) => h.type === 'NamingAndNumberingRefused').at(-1);
    if (!refused) continue;
    const lifted = history.filter((h) => h.type === 'NamingAndNumberingRefusalLifted').at(-1);
    refusals.push([
      documentId(district, p.projectId),
      {
        district,
        streamId,
        projectId: p.projectId,
        communityId: p.communityId,
        developer: p.developer,
        refusedOn: p.namingRefusal?.refusedOn ?? refused.effectiveAt,
        reason: p.namingRefusal?.reason ?? (refused.data as { reason: string }).reason,
        inForce: p.namingRefusal !== null,
        liftedOn: p.namingRefusal === null && lifted ? lifted.effectiveAt : null,
      },
    ]);
  }
  const communities: Array<[string, Content<CommunityDocument>]> = [];
  for (const c of inScope(view.communities, scope === 'all' ? 'all' : scope.communities)) {
    const required = c.requirement?.requiredM2 ?? null;
    const spaceM2 = spaceOf(view, c.communityId, on);
    const shortfallM2 = required === null ? null : round2(Math.max(0, required - spaceM2));
    const leaseEnds = facilitiesOf(view, c.communityId, on)
      .map((f) => f.leaseUntil)
      .filter((d): d is string => d !== null)
      .sort();
    const { sourceEventIds: _followed, ...community } = c;
    communities.push([
      documentId(district, c.communityId),
      {
        ...community,
        district,
        streamId,
        facilities: Object.values(view.facilities).filter((f) => f.communityId === c.communityId),
        markets: Object.values(view.markets).filter((m) => m.communityId === c.communityId),
        spaceM2,
        shortfallM2,
        meetsRequirement: shortfallM2 === null ? null : shortfallM2 === 0,
        functions: c.mergedInto === null ? functionsOf(view, c.communityId, on) : null,
        figuresValidUntil: leaseEnds[0] ?? null,
      },
    ]);
  }
  return { projects, communities, refusals };
}

interface FundingKeys {
  district: string | null;
  year: number;
}

const keysOf = (event: FundingEvent): FundingKeys => ({
  district: 'district' in event.data ? event.data.district : null,
  year: event.data.year,
});

/** The funding documents of the districts and years named, from the folded ledger. */
export function fundingContents(state: FundingState, streamId: string, keys: readonly FundingKeys[]) {
  const districts = new Map<string, Content<DistrictFundingDocument>>();
  const years = new Map<string, Content<CityFundingDocument>>();
  for (const { district, year } of keys) {
    if (district !== null)
      districts.set(districtFundingId(district, year), {
        ...districtFunding(state, district, year, ON_RECORD),
        streamId,
      });
    years.set(cityFundingId(year), { ...cityFunding(state, year, ON_RECORD), streamId });
  }
  return { districts: [...districts], years: [...years] };
}
