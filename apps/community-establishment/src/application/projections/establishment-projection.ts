import { domainEventOf, eventContextOf, type EventStore, type RecordedEvent } from '#libs/event-sourcing';
import {
  digestsOf,
  StreamFoldingProjection,
  writeChanged as writeChangedContents,
  type DocumentContent as Content,
  type ReadCollection,
  type ReadStore,
  type StreamFolding,
  type WrittenDigests,
} from '#libs/read-store';
import {
  activeBodiesOf,
  decisionOf,
  entitiesOf,
  ESTABLISHMENT_EVENT_TYPES,
  evolve,
  initialState,
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

/** What the envelope holds beyond the domain's Fact, kept for the decision documents. */
interface Envelope {
  globalPosition: number;
  schemaVersion: number;
  causationId: string | null;
  roles: string[];
}

/** A district folded up to `revision`, with the digests of its area and community documents then. */
interface DistrictEntry {
  revision: number;
  state: DistrictState;
  envelopes: Map<string, Envelope>;
  areas: WrittenDigests;
  communities: WrittenDigests;
}

/**
 * What the establishment projection is made of beside the shared skeleton (StreamFoldingProjection):
 * each district folded with the domain's evolve, and on each event its decision document (and for
 * a correction the decision it corrects) and every area and community document that changed.
 */
const districtFolding: StreamFolding<DistrictEntry> = {
  name: 'community-establishment',
  collections: Object.values(ESTABLISHMENT_COLLECTIONS),
  accepts: (event) => event.streamId.startsWith(STREAM_PREFIX) && EVENT_TYPES.has(event.type),
  start: () => ({
    revision: -1,
    state: initialState(),
    envelopes: new Map(),
    areas: new Map(),
    communities: new Map(),
  }),
  fold,
  caughtUp(entry, streamId) {
    const district = districtOf(streamId);
    entry.areas = digestsOf(areaContents(entry.state, district, streamId));
    entry.communities = digestsOf(communityContents(entry.state, district, streamId));
  },
  apply,
};

/** Projects the establishment decisions into `areas`, `communities` and `decisions`. */
export class EstablishmentProjection extends StreamFoldingProjection<DistrictEntry> {
  constructor(store: Pick<EventStore, 'readStream'>) {
    super(store, districtFolding);
  }
}

async function apply(entry: DistrictEntry, event: RecordedEvent, readStore: ReadStore): Promise<void> {
  const streamId = event.streamId;
  const district = districtOf(streamId);
  const revision = event.streamRevision;
  const guard = { streamId, revision };
  const domainEvent = domainEventOf<EstablishmentEvent>(event);
  const viewBefore = entry.state.view;
  const before = domainEvent.type === 'DecisionCorrected' ? 'all' : namedBefore(viewBefore, domainEvent);
  fold(entry, event);

  // The decision itself, and for a correction the decision it corrects (its dates changed).
  const decisions = readStore.collection<DecisionDocument>(ESTABLISHMENT_COLLECTIONS.decisions);
  const touched = [entry.state.factsById.get(event.eventId)!];
  if (domainEvent.type === 'DecisionCorrected')
    touched.push(...decisionOf(entry.state, domainEvent.data.correctsEventId));
  for (const fact of touched) {
    const doc = decisionDocument(fact, entry.envelopes.get(fact.eventId)!, district, streamId, revision);
    await decisions.upsertGuarded(fact.eventId, doc, guard);
  }

  const areas = readStore.collection<AreaDocument>(ESTABLISHMENT_COLLECTIONS.areas);
  const communities = readStore.collection<CommunityDocument>(ESTABLISHMENT_COLLECTIONS.communities);
  // A correction or a backfilled decision refolds the district (evolve builds a new view): any
  // document may have changed, or left the map. Otherwise evolve applied the event to the view in
  // place, and only the documents of what it touched can change.
  if (before === 'all' || entry.state.view !== viewBefore) {
    await writeChanged(areas, entry.areas, areaContents(entry.state, district, streamId), guard);
    await writeChanged(
      communities,
      entry.communities,
      communityContents(entry.state, district, streamId),
      guard,
    );
    return;
  }
  const scope = touchedBy(entry.state.view, domainEvent, before);
  await writeChangedContents(
    areas,
    entry.areas,
    areaContents(entry.state, district, streamId, scope.areas),
    guard,
  );
  await writeChangedContents(
    communities,
    entry.communities,
    communityContents(entry.state, district, streamId, scope.communities),
    guard,
  );
}

/** The areas and communities whose documents an event applied in place can change. */
interface Touched {
  areas: Set<string>;
  communities: Set<string>;
  groups: Set<string>;
}

/** What the event names before it is applied, and whether each body it names can carry responsibility. */
interface NamedBefore extends Touched {
  /** Per community and residents' group named: could it carry responsibility (EST-7)? */
  active: Map<string, boolean>;
}

/** Before the event: the areas of the communities it names (a merger or a split moves them away). */
function namedBefore(view: DistrictView, event: EstablishmentEvent): NamedBefore {
  const named = { ...namedBy(event), active: new Map<string, boolean>() };
  for (const communityId of named.communities)
    for (const areaId of view.communities[communityId]?.areaIds ?? []) named.areas.add(areaId);
  noteActive(view, named, named.active);
  return named;
}

function noteActive(view: DistrictView, named: Touched, active: Map<string, boolean>): void {
  for (const id of named.communities)
    active.set(`community:${id}`, view.communities[id]?.status === 'active');
  for (const id of named.groups) {
    const g = view.groups[id];
    active.set(`group:${id}`, !!g && g.disbandedOn === null);
  }
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
 * After the event: what it named, the areas its communities hold, and the communities responsible
 * for the areas it names (a community document carries what it derives from its areas). A
 * community or residents' group named that began or ceased to carry responsibility changes the
 * active bodies of every area it is responsible for (EST-7): only then are the areas looked over.
 */
function touchedBy(view: DistrictView, event: EstablishmentEvent, before: NamedBefore): Touched {
  const now = namedBy(event);
  const areas = new Set([...before.areas, ...now.areas]);
  const communities = new Set(now.communities);
  for (const communityId of now.communities)
    for (const areaId of view.communities[communityId]?.areaIds ?? []) areas.add(areaId);
  const active = new Map<string, boolean>();
  noteActive(view, now, active);
  const changed = new Set(
    [...active].filter(([key, is]) => before.active.get(key) !== is).map(([key]) => key),
  );
  if (changed.size > 0)
    for (const area of Object.values(view.areas))
      if (
        area.responsibleBodies.some((b) =>
          b.kind === 'residents-group'
            ? changed.has(`group:${b.groupId}`) || changed.has(`community:${b.attachedToCommunityId}`)
            : changed.has(`community:${b.communityId}`),
        )
      )
        areas.add(area.areaId);
  for (const areaId of now.areas)
    for (const b of view.areas[areaId]?.responsibleBodies ?? [])
      communities.add(b.kind === 'residents-group' ? b.attachedToCommunityId : b.communityId);
  return { areas, communities, groups: now.groups };
}

export const districtOf = (streamId: string): string => streamId.slice(STREAM_PREFIX.length);
export const areaDocumentId = (district: string, areaId: string): string => `${district}/${areaId}`;
export const communityDocumentId = (district: string, communityId: string): string =>
  `${district}/${communityId}`;

function fold(entry: DistrictEntry, event: RecordedEvent): void {
  entry.envelopes.set(event.eventId, {
    globalPosition: event.globalPosition,
    schemaVersion: event.schemaVersion,
    causationId: event.metadata.causationId,
    roles: [...event.metadata.actor.roles],
  });
  entry.state = evolve(entry.state, domainEventOf<EstablishmentEvent>(event), eventContextOf(event));
}

/** What `previous` remembers of a tombstone: never a digest (those are 27 characters). */
const TOMBSTONE = 'removed';

/**
 * Upserts the documents whose content changed; a document that left the map (its registration
 * annulled) becomes a tombstone. `previous` is updated to the new contents.
 */
async function writeChanged<T extends { _id: string; removed: boolean; revision: number }>(
  collection: ReadCollection<T>,
  previous: WrittenDigests,
  contents: Array<[string, Content<T>]>,
  guard: { streamId: string; revision: number },
): Promise<void> {
  await writeChangedContents(collection, previous, contents, guard);
  const seen = new Set(contents.map(([id]) => id));
  for (const [id, digest] of previous) {
    if (seen.has(id) || digest === TOMBSTONE) continue;
    previous.set(id, TOMBSTONE);
    // The read store keeps the fields a write leaves out: the tombstone is the last content, removed.
    const tombstone = { removed: true, revision: guard.revision } as unknown as Omit<T, '_id'>;
    await collection.upsertGuarded(id, tombstone, guard);
  }
}

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

function decisionDocument(
  fact: Fact,
  envelope: Envelope,
  district: string,
  streamId: string,
  revision: number,
): Omit<DecisionDocument, '_id'> {
  const event = fact.event;
  return {
    district,
    streamId,
    revision,
    eventId: fact.eventId,
    type: event.type,
    schemaVersion: envelope.schemaVersion,
    streamRevision: fact.seq,
    globalPosition: envelope.globalPosition,
    effectiveAt: fact.effectiveAt,
    originalEffectiveAt: fact.originalEffectiveAt,
    recordedAt: fact.recordedAt,
    actor: { subject: fact.actor.subject, roles: envelope.roles, districtScope: fact.actor.districtScope },
    legalBasis: fact.legalBasis,
    originalLegalBasis: fact.originalLegalBasis,
    ruleIds: [...event.ruleIds],
    entityIds: entitiesOf(event),
    correlationId: fact.correlationId,
    causationId: envelope.causationId,
    annulled: fact.annulled,
    correctedBy: [...fact.correctedBy],
    correctsEventId: event.type === 'DecisionCorrected' ? event.data.correctsEventId : null,
    data: event.data,
  };
}
