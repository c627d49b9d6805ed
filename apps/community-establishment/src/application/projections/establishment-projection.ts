import { domainEventOf, eventContextOf, type EventStore, type RecordedEvent } from '#libs/event-sourcing';
import type { Projection, ReadStore } from '#libs/read-store';
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

type Content<T> = Omit<T, '_id' | 'revision'>;

/**
 * Projects the establishment decisions into `areas`, `communities` and `decisions`.
 *
 * The map is bitemporal: a backfilled decision or a correction can change the map as of any date,
 * so a document can't be patched from one event alone. Instead the projection keeps each
 * district's state folded with the domain's own `evolve` (like the command side's StateCache), and
 * on each event compares every area and community document before and after it: the ones that
 * changed are upserted, guarded by (stream, revision). So the live projection, a restart from any
 * checkpoint and a rebuild from 0 write the same documents with the same revisions, and delivering
 * an event twice writes nothing.
 *
 * The fold is exact: before an event of revision r the district is folded to r - 1, reading what
 * it has not seen from the store (after a restart, or when an event comes again).
 */
export class EstablishmentProjection implements Projection {
  readonly name = 'community-establishment';
  readonly collections = Object.values(ESTABLISHMENT_COLLECTIONS);
  private readonly districts = new Map<string, DistrictEntry>();

  constructor(private readonly store: Pick<EventStore, 'readStream'>) {}

  reset(): void {
    this.districts.clear();
  }

  async handle(event: RecordedEvent, readStore: ReadStore): Promise<void> {
    if (!event.streamId.startsWith(STREAM_PREFIX) || !EVENT_TYPES.has(event.type)) return;
    const entry = await this.foldedBefore(event);
    try {
      await this.apply(entry, event, readStore);
    } catch (error) {
      // The fold moved on but the documents may not have: refold when the event comes again.
      this.districts.delete(event.streamId);
      throw error;
    }
  }

  private async foldedBefore(event: RecordedEvent): Promise<DistrictEntry> {
    let entry = this.districts.get(event.streamId);
    if (!entry || entry.revision >= event.streamRevision) {
      entry = {
        revision: -1,
        state: initialState(),
        envelopes: new Map(),
        areas: new Map(),
        communities: new Map(),
      };
      this.districts.set(event.streamId, entry);
    }
    const missing = event.streamRevision - entry.revision - 1;
    if (missing > 0) {
      const events = await this.store.readStream(event.streamId, {
        fromRevision: entry.revision + 1,
        maxCount: missing,
      });
      for (const e of events) if (EVENT_TYPES.has(e.type)) fold(entry, e);
      entry.revision = event.streamRevision - 1;
      const district = districtOf(event.streamId);
      entry.areas = new Map(
        areaContents(entry.state, district, event.streamId).map(([id, c]) => [id, json(c)]),
      );
      entry.communities = new Map(
        communityContents(entry.state, district, event.streamId).map(([id, c]) => [id, json(c)]),
      );
    }
    return entry;
  }

  private async apply(entry: DistrictEntry, event: RecordedEvent, readStore: ReadStore): Promise<void> {
    const streamId = event.streamId;
    const district = districtOf(streamId);
    const revision = event.streamRevision;
    const guard = { streamId, revision };
    fold(entry, event);
    entry.revision = revision;

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
      revision,
      guard,
    );
    await writeChanged(
      readStore.collection<CommunityDocument>(ESTABLISHMENT_COLLECTIONS.communities),
      entry.communities,
      communityContents(entry.state, district, streamId),
      revision,
      guard,
    );
  }
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
async function writeChanged<T extends { _id: string; removed: boolean }>(
  collection: ReturnType<ReadStore['collection']>,
  previous: Map<string, string>,
  contents: Array<[string, Content<T>]>,
  revision: number,
  guard: { streamId: string; revision: number },
): Promise<void> {
  const seen = new Set<string>();
  for (const [id, content] of contents) {
    seen.add(id);
    const now = json(content);
    if (previous.get(id) === now) continue;
    previous.set(id, now);
    await collection.upsertGuarded(id, { ...content, revision }, guard);
  }
  for (const [id, before] of [...previous]) {
    if (seen.has(id)) continue;
    const content = JSON.parse(before) as Content<T>;
    if (content.removed) continue;
    const tombstone = { ...content, removed: true };
    previous.set(id, json(tombstone));
    await collection.upsertGuarded(id, { ...tombstone, revision }, guard);
  }
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
