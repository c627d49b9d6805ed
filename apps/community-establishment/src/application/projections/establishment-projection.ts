import { domainEventOf, eventContextOf, type EventStore, type RecordedEvent } from '#libs/event-sourcing';
import {
  StreamFoldingProjection,
  writeChanged as writeChangedContents,
  type DocumentContent as Content,
  type ReadCollection,
  type ReadStore,
  type StreamFolding,
} from '#libs/read-store';
import {
  activeBodiesOf,
  decisionOf,
  entitiesOf,
  ESTABLISHMENT_EVENT_TYPES,
  evolve,
  initialState,
  type DistrictState,
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

/** A district folded up to `revision`, with the JSON of its area and community documents then. */
interface DistrictEntry {
  revision: number;
  state: DistrictState;
  envelopes: Map<string, Envelope>;
  areas: Map<string, string>;
  communities: Map<string, string>;
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
    entry.areas = new Map(areaContents(entry.state, district, streamId).map(([id, c]) => [id, json(c)]));
    entry.communities = new Map(
      communityContents(entry.state, district, streamId).map(([id, c]) => [id, json(c)]),
    );
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
  fold(entry, event);

  // The decision itself, and for a correction the decision it corrects (its dates changed).
  const decisions = readStore.collection<DecisionDocument>(ESTABLISHMENT_COLLECTIONS.decisions);
  const touched = [entry.state.factsById.get(event.eventId)!];
  const domainEvent = domainEventOf<EstablishmentEvent>(event);
  if (domainEvent.type === 'DecisionCorrected')
    touched.push(...decisionOf(entry.state, domainEvent.data.correctsEventId));
  for (const fact of touched) {
    const doc = decisionDocument(fact, entry.envelopes.get(fact.eventId)!, district, streamId, revision);
    await decisions.upsertGuarded(fact.eventId, doc, guard);
  }

  await writeChanged(
    readStore.collection<AreaDocument>(ESTABLISHMENT_COLLECTIONS.areas),
    entry.areas,
    areaContents(entry.state, district, streamId),
    guard,
  );
  await writeChanged(
    readStore.collection<CommunityDocument>(ESTABLISHMENT_COLLECTIONS.communities),
    entry.communities,
    communityContents(entry.state, district, streamId),
    guard,
  );
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

const json = (content: unknown): string => JSON.stringify(content);

/**
 * Upserts the documents whose content changed; a document that left the map (its registration
 * annulled) becomes a tombstone. `previous` is updated to the new contents.
 */
async function writeChanged<T extends { _id: string; removed: boolean; revision: number }>(
  collection: ReadCollection<T>,
  previous: Map<string, string>,
  contents: Array<[string, Content<T>]>,
  guard: { streamId: string; revision: number },
): Promise<void> {
  await writeChangedContents(collection, previous, contents, guard);
  const seen = new Set(contents.map(([id]) => id));
  const tombstones: Array<[string, Content<T>]> = [];
  for (const [id, before] of previous) {
    if (seen.has(id)) continue;
    const content = JSON.parse(before) as Content<T>;
    if (!content.removed) tombstones.push([id, { ...content, removed: true }]);
  }
  await writeChangedContents(collection, previous, tombstones, guard);
}

function areaContents(
  state: DistrictState,
  district: string,
  streamId: string,
): Array<[string, Content<AreaDocument>]> {
  const view = state.view;
  return Object.values(view.areas).map((area) => {
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

function communityContents(
  state: DistrictState,
  district: string,
  streamId: string,
): Array<[string, Content<CommunityDocument>]> {
  const view = state.view;
  return Object.values(view.communities).map((c) => {
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
