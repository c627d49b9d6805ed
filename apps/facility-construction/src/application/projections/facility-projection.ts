import {
  streamStatesOver,
  type EventStore,
  type RecordedEvent,
  type StateEvolver,
  type StreamStates,
} from '#libs/event-sourcing';
import { positionOf } from '#libs/http';
import {
  changedDocuments,
  StateProjection,
  type DocumentContent as Content,
  type DocumentWrite,
  type StateDerivation,
  type WrittenDigests,
} from '#libs/read-store';
import {
  cityFunding,
  dateOf,
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

/** What the projection keeps of a facility stream beside the service's state: digests, dates, ids. */
interface FacilityBook {
  kind: 'facilities';
  projects: WrittenDigests;
  communities: WrittenDigests;
  refusals: WrittenDigests;
  /** The latest effective date through the events handled: an event dated before it was backfilled. */
  latest: string;
  /** Per community: the end of its first lease in force (its figures change after it). */
  validUntil: Map<string, string | null>;
  /** The community of each facility and market as last derived ("facility:x" -> community id). */
  placeOf: Map<string, string>;
}

interface FundingBook {
  kind: 'funding';
  districts: WrittenDigests;
  years: WrittenDigests;
}

type StreamState = FacilityState | FundingState;
type Book = FacilityBook | FundingBook;

/**
 * What the facility projection is made of beside the shared skeleton (StateProjection): the
 * documents of each district's facilities and of the city's funding ledger, derived with the
 * domain's own queries from the service's states (the facilities are bitemporal: a backfilled
 * decision refolds the district), so the read models answer what the fold answers. On each event
 * it derives the documents of the entities the event names (all of them after a backfill, and the
 * communities whose lease ended meanwhile) and writes those whose content changed.
 */
const derivation: StateDerivation<StreamState, Book> = {
  name: 'facility-construction',
  collections: Object.values(C),
  accepts: (event) =>
    (event.streamId.startsWith(FACILITIES_PREFIX) && FACILITY_TYPES.has(event.type)) ||
    (event.streamId === FUNDING_STREAM_ID && FUNDING_TYPES.has(event.type)),
  wholeCollections: [C.projects, C.communities, C.namingRefusals, C.districtFunding, C.cityFunding],
  whole(state, streamId, stored) {
    if (streamId === FUNDING_STREAM_ID) {
      const funding = state as FundingState;
      const book: FundingBook = {
        kind: 'funding',
        districts: stored(C.districtFunding),
        years: stored(C.cityFunding),
      };
      const keys = funding.facts.map((f) => keysOf(f.event));
      return { book, writes: fundingWrites(book, fundingContents(funding, streamId, keys)) };
    }
    const facilities = state as FacilityState;
    const book: FacilityBook = {
      kind: 'facilities',
      projects: stored(C.projects),
      communities: stored(C.communities),
      refusals: stored(C.namingRefusals),
      latest: facilities.latestEffectiveAt,
      validUntil: new Map(),
      placeOf: new Map(),
    };
    return {
      book,
      writes: facilityWrites(book, facilityContents(facilities, streamId, 'all', facilities.factsByEntity)),
    };
  },
  touched: (book, state, event, reflected) =>
    book.kind === 'facilities'
      ? touchedFacility(book, state as FacilityState, event, reflected)
      : reflected
        ? []
        : fundingWrites(
            book,
            fundingContents(state as FundingState, event.streamId, [
              keysOf({ type: event.type, data: event.data } as FundingEvent),
            ]),
          ),
  own: (state, event) =>
    event.streamId === FUNDING_STREAM_ID ? [] : ownEntries(state as FacilityState, event),
};

/**
 * Projects the facility decisions into projects, communities' space, naming refusals and funding,
 * from the service's states (FacilityStreams: facilities and funding), or given the event store,
 * from states folded over it.
 */
export class FacilityProjection extends StateProjection<StreamState, Book> {
  constructor(
    source:
      | { readonly facilities: StreamStates<FacilityState>; readonly funding: StreamStates<FundingState> }
      | EventStore,
  ) {
    const states =
      'facilities' in source
        ? source
        : {
            facilities: streamStatesOver(source, { initialState, evolve }),
            funding: streamStatesOver(source, { initialState: initialFundingState, evolve: evolveFunding }),
          };
    super(
      (streamId) =>
        (streamId === FUNDING_STREAM_ID ? states.funding : states.facilities) as StreamStates<StreamState>,
      derivation,
      // Over a store (the rebuild script, the specs), a rebuild folds each stream itself.
      'facilities' in source
        ? undefined
        : {
            evolverOf: (streamId) =>
              (streamId === FUNDING_STREAM_ID
                ? { initialState: initialFundingState, evolve: evolveFunding }
                : streamId.startsWith(FACILITIES_PREFIX)
                  ? { initialState, evolve }
                  : undefined) as StateEvolver<never, StreamState> | undefined,
            historyFrom: source,
          },
    );
  }
}

/** The event's own entries, from a state that holds it (a replay writes them as it folds). */
function ownEntries(state: FacilityState, event: RecordedEvent): DocumentWrite[] {
  const fact = state.factsById.get(event.eventId);
  return fact ? decisionEntries(state, fact, event).writes : [];
}

/**
 * The histories: the decision's own entry, and those of the decisions a correction moved; each
 * guarded by the event's own revision.
 */
function decisionEntries(state: FacilityState, fact: Fact, event: RecordedEvent) {
  const domainEvent = fact.event;
  const district = districtOfStream(event.streamId);
  const decided = [fact];
  if (domainEvent.type === 'EstablishmentCorrectionFollowed')
    for (const { eventId } of domainEvent.data.followed) {
      const followed = state.factsById.get(eventId);
      if (followed) decided.push(followed);
    }
  const writes: DocumentWrite[] = decided.map((f) => ({
    collection: C.decisions,
    id: documentId(district, f.eventId),
    content: decisionContent(f, event.streamId),
    revision: event.streamRevision,
  }));
  return { decided, writes };
}

function touchedFacility(
  book: FacilityBook,
  state: FacilityState,
  event: RecordedEvent,
  reflected: boolean,
): DocumentWrite[] {
  const fact = state.factsById.get(event.eventId);
  if (!fact) return [];
  const domainEvent = fact.event;
  const { decided, writes } = decisionEntries(state, fact, event);
  if (reflected) return writes;

  let scope: Scope = 'all';
  const on = dateOf(event.metadata.effectiveAt);
  if (domainEvent.type === 'EstablishmentCorrectionFollowed') {
    // A correction followed (EST-8) refolds the district, but only the decisions it follows moved:
    // the documents of what they name, and of the communities the correction names, can change.
    const named = timelineEntitiesOf(domainEvent);
    for (const f of decided.slice(1)) named.push(...entitiesOf(f.event));
    scope = scopeOf(named, state.view, book, state.latestEffectiveAt);
    book.latest = state.latestEffectiveAt;
  } else if (on >= book.latest) {
    scope = scopeOf(entitiesOf(domainEvent), state.view, book, state.latestEffectiveAt);
    book.latest = on;
  }
  // Otherwise a backfilled decision refolded the district: any document may have changed.
  writes.push(...facilityWrites(book, facilityContents(state, event.streamId, scope, state.factsByEntity)));
  return writes;
}

function facilityWrites(book: FacilityBook, docs: ReturnType<typeof facilityContents>): DocumentWrite[] {
  for (const [, c] of docs.communities) {
    book.validUntil.set(c.communityId, c.figuresValidUntil);
    for (const f of c.facilities) book.placeOf.set(`facility:${f.facilityId}`, c.communityId);
    for (const m of c.markets) book.placeOf.set(`market:${m.marketId}`, c.communityId);
  }
  return [
    ...changedDocuments(C.projects, book.projects, docs.projects),
    ...changedDocuments(C.communities, book.communities, docs.communities),
    ...changedDocuments(C.namingRefusals, book.refusals, docs.refusals),
  ];
}

function fundingWrites(book: FundingBook, docs: ReturnType<typeof fundingContents>): DocumentWrite[] {
  return [
    ...changedDocuments(C.districtFunding, book.districts, docs.districts),
    ...changedDocuments(C.cityFunding, book.years, docs.years),
  ];
}

type Scope = 'all' | { projects: ReadonlySet<string>; communities: ReadonlySet<string> };

/**
 * The documents of the entities named (a facility or a market stands for its community, now or as
 * last derived), and of the communities whose lease ended before the latest effective date.
 */
function scopeOf(
  entities: readonly string[],
  view: FacilityState['view'],
  book: FacilityBook,
  latestEffectiveAt: string,
): Scope {
  const projects = new Set<string>();
  const communities = new Set<string>();
  for (const entity of entities) {
    const [kind, id] = splitEntity(entity);
    if (kind === 'project') projects.add(id);
    else if (kind === 'community') communities.add(id);
    else {
      const was = book.placeOf.get(entity);
      if (was !== undefined) communities.add(was);
      if (kind === 'facility' && view.facilities[id]) communities.add(view.facilities[id].communityId);
      else if (kind === 'market' && view.markets[id]) communities.add(view.markets[id].communityId);
    }
  }
  // A later effective date may pass the end of a lease: those communities' space changed.
  for (const [communityId, until] of book.validUntil)
    if (until !== null && until < latestEffectiveAt) communities.add(communityId);
  return { projects, communities };
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
  timelines?: ReadonlyMap<string, readonly Fact[]>,
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
