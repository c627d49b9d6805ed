import { amendedFact, type EventStore, type RecordedEvent, type StreamStates } from '#libs/event-sourcing';
import {
  changedDocuments,
  StateProjection,
  statesAndFoldsOf,
  type DocumentContent as Content,
  type DocumentWrite,
  type StateDerivation,
  type WrittenDigests,
} from '#libs/read-store';
import {
  activeBodiesOf,
  bodyKeys,
  dateOf,
  decisionOf,
  entitiesOf,
  ESTABLISHMENT_EVENT_TYPES,
  evolve,
  initialState,
  viewAsOf,
  type DistrictState,
  type DistrictView,
  type EstablishmentEvent,
  type Fact,
} from '../../domain';
import {
  ESTABLISHMENT_COLLECTIONS,
  type AreaDocument,
  type CommunityDocument,
  type DecisionDocument,
} from './documents';

const STREAM_PREFIX = 'district-';
const EVENT_TYPES: ReadonlySet<string> = new Set(ESTABLISHMENT_EVENT_TYPES);

/**
 * What the projection keeps of a district beside the service's state: digests, a date and ids.
 * What the documents hold is derived from the state each time.
 */
interface DistrictBook {
  areas: WrittenDigests;
  communities: WrittenDigests;
  /** The latest effective date through the events handled: an event dated before it was backfilled. */
  latest: string;
  /** Per community, its areas as last derived: a merger or a split moves them away. */
  areasOf: Map<string, readonly string[]>;
  /** Per community and residents' group named so far: could it carry responsibility (EST-7)? */
  active: Map<string, boolean>;
  /** The documents of areas and communities whose registration was annulled: tombstones already. */
  tombstoned: Set<string>;
  /**
   * Per body (`community:x`, `group:y`, bodyKeys), the areas whose responsible bodies named it as
   * last derived: a body that begins or ceases to carry responsibility finds its areas here, not
   * by a look over every area of the district. An event changes the bodies only of the areas it
   * names or of the communities it names (before or after it), which it derives again anyway.
   */
  areasByBody: Map<string, Set<string>>;
  bodiesOfArea: Map<string, readonly string[]>;
}

/**
 * What the establishment projection is made of beside the shared skeleton (StateProjection): on
 * each event its decision document (and for a correction the decision it corrects) and every area
 * and community document that changed, derived from the district's state.
 */
const districtDerivation: StateDerivation<DistrictState, DistrictBook> = {
  name: 'community-establishment',
  collections: Object.values(ESTABLISHMENT_COLLECTIONS),
  wholeCollections: [ESTABLISHMENT_COLLECTIONS.areas, ESTABLISHMENT_COLLECTIONS.communities],
  accepts: (event) => event.streamId.startsWith(STREAM_PREFIX) && EVENT_TYPES.has(event.type),
  whole(state, streamId, stored) {
    const book: DistrictBook = {
      areas: stored(ESTABLISHMENT_COLLECTIONS.areas),
      communities: stored(ESTABLISHMENT_COLLECTIONS.communities),
      latest: state.latestEffectiveAt,
      areasOf: new Map(),
      active: new Map(),
      tombstoned: new Set(),
      areasByBody: new Map(),
      bodiesOfArea: new Map(),
    };
    return { book, writes: everyDocument(book, state, streamId) };
  },
  touched,
  own: ownEntries,
};

/**
 * Projects the establishment decisions into `areas`, `communities` and `decisions`, from the
 * service's district states (its DistrictStates); given the event store instead (the rebuild
 * script, the specs), from states folded over it.
 */
export class EstablishmentProjection extends StateProjection<DistrictState, DistrictBook> {
  constructor(source: StreamStates<DistrictState> | EventStore) {
    // Over a store (the rebuild script, the specs), a rebuild folds each district itself.
    const { states, folds } = statesAndFoldsOf(source, { initialState, evolve }, STREAM_PREFIX);
    super(states, districtDerivation, folds);
  }
}

/** The event's own entries, from a state that holds it (a replay writes them as it folds). */
function ownEntries(state: DistrictState, event: RecordedEvent): DocumentWrite[] {
  const fact = state.factsById.get(event.eventId);
  return fact ? decisionEntries(state, fact, event) : [];
}

/** The decision itself, and for a correction the decisions it corrects (their dates changed). */
function decisionEntries(state: DistrictState, fact: Fact, event: RecordedEvent): DocumentWrite[] {
  const streamId = event.streamId;
  const domainEvent = fact.event;
  const writes: DocumentWrite[] = [
    {
      collection: ESTABLISHMENT_COLLECTIONS.decisions,
      id: event.eventId,
      content: decisionDocument(fact, event, districtOf(streamId), streamId),
      revision: event.streamRevision,
    },
  ];
  if (domainEvent.type === 'DecisionCorrected')
    for (const corrected of decisionOf(state, domainEvent.data.correctsEventId))
      writes.push({
        collection: ESTABLISHMENT_COLLECTIONS.decisions,
        id: corrected.eventId,
        // Their envelopes are in their documents already: the read store keeps what is left out.
        content: correctedPart(corrected),
        revision: event.streamRevision,
      });
  return writes;
}

function touched(book: DistrictBook, state: DistrictState, event: RecordedEvent, reflected: boolean) {
  const streamId = event.streamId;
  const district = districtOf(streamId);
  const fact = state.factsById.get(event.eventId);
  if (!fact) return [];
  const domainEvent = fact.event;
  const writes = decisionEntries(state, fact, event);
  if (reflected) return writes;

  const on = dateOf(event.metadata.effectiveAt);
  // A correction or a backfilled decision refolds the district: any document may have changed,
  // or left the map. Otherwise only the documents of what the event touched can change.
  if (domainEvent.type === 'DecisionCorrected' || on < book.latest) {
    if (domainEvent.type === 'DecisionCorrected') book.latest = state.latestEffectiveAt;
    writes.push(...everyDocument(book, state, streamId));
    return writes;
  }
  book.latest = on;
  const scope = touchedBy(book, state.view, domainEvent);
  for (const areaId of scope.areas) noteBodies(book, state.view, areaId);
  writes.push(
    ...changedDocuments(
      ESTABLISHMENT_COLLECTIONS.areas,
      book.areas,
      areaContents(state, district, streamId, scope.areas),
    ),
    ...changedDocuments(
      ESTABLISHMENT_COLLECTIONS.communities,
      book.communities,
      noteCommunities(book, state.view, communityContents(state, district, streamId, scope.communities)),
    ),
  );
  return writes;
}

/**
 * Every area and community document of the district that changed since last written (all of them
 * the first time); a document that left the map (its registration annulled) becomes a tombstone.
 */
function everyDocument(book: DistrictBook, state: DistrictState, streamId: string): DocumentWrite[] {
  const district = districtOf(streamId);
  const view = state.view;
  for (const areaId of new Set([...book.bodiesOfArea.keys(), ...Object.keys(view.areas)]))
    noteBodies(book, view, areaId);
  const areas = areaContents(state, district, streamId);
  const communities = noteCommunities(book, view, communityContents(state, district, streamId));
  for (const id of Object.keys(view.groups)) noteActive(view, 'group', id, book.active);
  const left = leftTheMap(state, book.tombstoned);
  const writes = [
    ...changedDocuments(ESTABLISHMENT_COLLECTIONS.areas, book.areas, areas),
    ...changedDocuments(ESTABLISHMENT_COLLECTIONS.communities, book.communities, communities),
  ];
  if (left.areas.size + left.communities.size === 0) return writes;
  // What a tombstone shows: the document as it was with the annulled decisions still standing.
  const reinstated: DistrictState = {
    ...state,
    view: viewAsOf(state.facts.map((f) => (left.facts.has(f) ? amendedFact(f, { annulled: false }) : f))),
  };
  const tombstones = <T>(contents: Array<[string, T]>) =>
    contents.map(([id, content]): [string, T] => [id, { ...content, removed: true }]);
  writes.push(
    ...changedDocuments(
      ESTABLISHMENT_COLLECTIONS.areas,
      book.areas,
      tombstones(areaContents(reinstated, district, streamId, left.areas)),
    ),
    ...changedDocuments(
      ESTABLISHMENT_COLLECTIONS.communities,
      book.communities,
      tombstones(communityContents(reinstated, district, streamId, left.communities)),
    ),
  );
  return writes;
}

/**
 * The areas and communities that annulled decisions registered, no longer in the map, and not yet
 * written as tombstones (a tombstone is derived once: it takes a refold of the district).
 */
function leftTheMap(state: DistrictState, tombstoned: Set<string>) {
  const left = { areas: new Set<string>(), communities: new Set<string>(), facts: new Set<Fact>() };
  for (const correction of state.corrections) {
    if (correction.event.type !== 'DecisionCorrected' || !correction.event.data.annulled) continue;
    for (const fact of decisionOf(state, correction.event.data.correctsEventId))
      for (const entity of entitiesOf(fact.event)) {
        const [kind, id] = [entity.slice(0, entity.indexOf(':')), entity.slice(entity.indexOf(':') + 1)];
        if (tombstoned.has(entity)) continue;
        if (kind === 'area' && !Object.hasOwn(state.view.areas, id)) left.areas.add(id);
        else if (kind === 'community' && !Object.hasOwn(state.view.communities, id)) left.communities.add(id);
        else continue;
        tombstoned.add(entity);
        left.facts.add(fact);
      }
  }
  return left;
}

/** Notes the areas and whether it can carry responsibility of each community derived. */
function noteCommunities<T>(
  book: DistrictBook,
  view: DistrictView,
  contents: Array<[string, T & { communityId: string; areaIds: readonly string[] }]>,
): Array<[string, T & { communityId: string; areaIds: readonly string[] }]> {
  for (const [, c] of contents) {
    book.areasOf.set(c.communityId, [...c.areaIds]);
    noteActive(view, 'community', c.communityId, book.active);
  }
  return contents;
}

/** The areas and communities whose documents an event applied in place can change. */
interface Touched {
  areas: Set<string>;
  communities: Set<string>;
  groups: Set<string>;
}

/** Notes the bodies an area names now (none when it left the map), for areasByBody. */
function noteBodies(book: DistrictBook, view: DistrictView, areaId: string): void {
  for (const body of book.bodiesOfArea.get(areaId) ?? []) book.areasByBody.get(body)?.delete(areaId);
  const area = view.areas[areaId];
  if (!area) {
    book.bodiesOfArea.delete(areaId);
    return;
  }
  const bodies = [...new Set(area.responsibleBodies.flatMap(bodyKeys))];
  for (const body of bodies) {
    const areas = book.areasByBody.get(body);
    if (areas) areas.add(areaId);
    else book.areasByBody.set(body, new Set([areaId]));
  }
  book.bodiesOfArea.set(areaId, bodies);
}

/** Notes whether a community or residents' group can carry responsibility now (EST-7); answers it. */
function noteActive(
  view: DistrictView,
  kind: 'community' | 'group',
  id: string,
  active: Map<string, boolean>,
): boolean {
  const is =
    kind === 'community'
      ? view.communities[id]?.status === 'active'
      : !!view.groups[id] && view.groups[id].disbandedOn === null;
  active.set(`${kind}:${id}`, is);
  return is;
}

/** The entities the event names (the domain's entitiesOf, and the adjacent areas of a new area). */
function namedBy(event: EstablishmentEvent): Touched {
  const touched: Touched = { areas: new Set(), communities: new Set(), groups: new Set() };
  for (const entity of entitiesOf(event)) {
    const at = entity.indexOf(':');
    const kind = entity.slice(0, at);
    const id = entity.slice(at + 1);
    if (kind === 'area') touched.areas.add(id);
    else if (kind === 'community') touched.communities.add(id);
    else if (kind === 'group') touched.groups.add(id);
  }
  // A new area is recorded as adjacent on its neighbours too.
  if (event.type === 'AreaRegistered') for (const a of event.data.adjacentAreaIds) touched.areas.add(a);
  return touched;
}

/**
 * What the event named, the areas its communities held as last derived (a merger or a split moves
 * them away) and hold now, and the communities responsible for the areas it names (a community
 * document carries what it derives from its areas). A community or residents' group named that
 * began or ceased to carry responsibility since last derived changes the active bodies of every
 * area it is responsible for (EST-7): only then are the areas looked over.
 */
function touchedBy(book: DistrictBook, view: DistrictView, event: EstablishmentEvent): Touched {
  const now = namedBy(event);
  const areas = new Set(now.areas);
  const communities = new Set(now.communities);
  for (const communityId of now.communities) {
    for (const areaId of book.areasOf.get(communityId) ?? []) areas.add(areaId);
    for (const areaId of view.communities[communityId]?.areaIds ?? []) areas.add(areaId);
  }
  const changed = new Set<string>();
  const note = (kind: 'community' | 'group', id: string) => {
    const was = book.active.get(`${kind}:${id}`) ?? false;
    if (noteActive(view, kind, id, book.active) !== was) changed.add(`${kind}:${id}`);
  };
  for (const id of now.communities) note('community', id);
  for (const id of now.groups) note('group', id);
  for (const body of changed) for (const areaId of book.areasByBody.get(body) ?? []) areas.add(areaId);
  for (const areaId of now.areas)
    for (const b of view.areas[areaId]?.responsibleBodies ?? [])
      communities.add(b.kind === 'residents-group' ? b.attachedToCommunityId : b.communityId);
  return { areas, communities, groups: now.groups };
}

export const districtOf = (streamId: string): string => streamId.slice(STREAM_PREFIX.length);
export const areaDocumentId = (district: string, areaId: string): string => `${district}/${areaId}`;
export const communityDocumentId = (district: string, communityId: string): string =>
  `${district}/${communityId}`;

/** The area documents of the district, or of the areas named (those still in the map). */
function areaContents(
  state: DistrictState,
  district: string,
  streamId: string,
  areaIds?: ReadonlySet<string>,
): Array<[string, Content<AreaDocument>]> {
  const view = state.view;
  return inScope(view.areas, areaIds).map((area) => {
    const activeBodies = activeBodiesOf(view, area.areaId);
    const content: Content<AreaDocument> = {
      ...area,
      district,
      streamId,
      activeBodies,
      responsibleBody: activeBodies.length === 1 ? activeBodies[0] : null,
      coverage: activeBodies.length === 1 ? 'covered' : activeBodies.length === 0 ? 'gap' : 'overlap',
      removed: false,
    };
    return [areaDocumentId(district, area.areaId), content];
  });
}

/** The community documents of the district, or of the communities named (those in the map). */
function communityContents(
  state: DistrictState,
  district: string,
  streamId: string,
  communityIds?: ReadonlySet<string>,
): Array<[string, Content<CommunityDocument>]> {
  const view = state.view;
  return inScope(view.communities, communityIds).map((c) => {
    const content: Content<CommunityDocument> = {
      ...c,
      district,
      streamId,
      committeeId: c.committee.committeeId,
      missingBodies: [
        ...(c.partyOrganization ? [] : ['party-organization' as const]),
        ...(c.serviceStation ? [] : ['service-station' as const]),
      ],
      posts: view.posts.filter((p) => p.communityId === c.communityId),
      removed: false,
    };
    return [communityDocumentId(district, c.communityId), content];
  });
}

/** The records named (all of them without names), looked up by key so that a few cost little. */
function inScope<T>(records: Record<string, T>, ids: ReadonlySet<string> | undefined): T[] {
  if (!ids) return Object.values(records);
  const found: T[] = [];
  for (const id of ids) if (Object.hasOwn(records, id)) found.push(records[id]);
  return found;
}

/** A decision as the auditor's index shows it: the fact as corrected, with the envelope it came in. */
function decisionDocument(
  fact: Fact,
  recorded: RecordedEvent,
  district: string,
  streamId: string,
): Content<DecisionDocument> {
  const event = fact.event;
  return {
    district,
    streamId,
    eventId: fact.eventId,
    type: event.type,
    schemaVersion: recorded.schemaVersion,
    streamRevision: fact.seq,
    globalPosition: recorded.globalPosition,
    effectiveAt: fact.effectiveAt,
    originalEffectiveAt: fact.originalEffectiveAt,
    recordedAt: fact.recordedAt,
    actor: {
      subject: fact.actor.subject,
      roles: [...recorded.metadata.actor.roles],
      districtScope: fact.actor.districtScope,
    },
    legalBasis: fact.legalBasis,
    originalLegalBasis: fact.originalLegalBasis,
    ruleIds: [...event.ruleIds],
    entityIds: entitiesOf(event),
    correlationId: fact.correlationId,
    causationId: recorded.metadata.causationId,
    annulled: fact.annulled,
    correctedBy: [...fact.correctedBy],
    correctsEventId: event.type === 'DecisionCorrected' ? event.data.correctsEventId : null,
    data: event.data,
  };
}

/** What a correction changes in the documents of the decisions it corrects (EST-8). */
function correctedPart(fact: Fact): Partial<Content<DecisionDocument>> {
  return {
    effectiveAt: fact.effectiveAt,
    legalBasis: fact.legalBasis,
    annulled: fact.annulled,
    correctedBy: [...fact.correctedBy],
  };
}
