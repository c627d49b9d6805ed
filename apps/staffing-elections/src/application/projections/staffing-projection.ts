import { domainEventOf, eventContextOf, type EventStore, type RecordedEvent } from '#libs/event-sourcing';
import type { Projection, ReadCollection, ReadDocument, ReadStore } from '#libs/read-store';
import {
  calendarDateOf,
  compositionOn,
  evolve,
  initialState,
  isOpenElection,
  postsOfPerson,
  STAFFING_EVENT_TYPES,
  type StaffingEvent,
  type StaffingState,
} from '../../domain';
import {
  STAFFING_COLLECTIONS,
  type CalendarDocument,
  type CommitteeDocument,
  type PersonDocument,
  type WorkerDocument,
} from './documents';

const STREAM_PREFIX = 'district-';
const EVENT_TYPES: ReadonlySet<string> = new Set(STAFFING_EVENT_TYPES);

type Content<T> = Omit<T, '_id' | 'revision'>;
type Collection = keyof typeof STAFFING_COLLECTIONS;

/** A district folded up to `revision`, with the JSON of each of its documents then. */
interface DistrictEntry {
  revision: number;
  state: StaffingState;
  /** Every person any decision so far named (members, workers, appointees): their ORG-2 documents. */
  personIds: Set<string>;
  written: Record<Collection, Map<string, string>>;
}

/**
 * Projects the staffing decisions of every district into `committees`, `election-calendar`,
 * `persons` and `workers`: the current state, as the queries without a date answer it.
 *
 * Like the establishment projection, it keeps each district folded with the domain's own `evolve`
 * (a backfilled decision changes the current state of any document, so a document can't be patched
 * from one event alone), and on each event upserts the documents whose content changed, guarded by
 * (stream, revision). So the live projection, a restart from any checkpoint and a rebuild from 0
 * write the same documents with the same revisions, and an event delivered twice writes nothing.
 */
export class StaffingProjection implements Projection {
  readonly name = 'staffing-elections';
  readonly collections = Object.values(STAFFING_COLLECTIONS);
  private readonly districts = new Map<string, DistrictEntry>();

  constructor(private readonly store: Pick<EventStore, 'readStream'>) {}

  reset(): void {
    this.districts.clear();
  }

  async handle(event: RecordedEvent, readStore: ReadStore): Promise<void> {
    if (!event.streamId.startsWith(STREAM_PREFIX) || !EVENT_TYPES.has(event.type)) return;
    const entry = await this.foldedBefore(event);
    try {
      fold(entry, event);
      entry.revision = event.streamRevision;
      await writeChanged(entry, districtOf(event.streamId), event, readStore);
    } catch (error) {
      // The fold moved on but the documents may not have: refold when the event comes again.
      this.districts.delete(event.streamId);
      throw error;
    }
  }

  /** The district folded to the revision before the event's, read from the store when needed. */
  private async foldedBefore(event: RecordedEvent): Promise<DistrictEntry> {
    let entry = this.districts.get(event.streamId);
    if (!entry || entry.revision >= event.streamRevision) {
      entry = {
        revision: -1,
        state: initialState(),
        personIds: new Set(),
        written: { committees: new Map(), calendar: new Map(), persons: new Map(), workers: new Map() },
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
      const contents = contentsOf(entry, districtOf(event.streamId), event.streamId);
      for (const name of Object.keys(contents) as Collection[])
        entry.written[name] = new Map(contents[name].map(([id, c]) => [id, JSON.stringify(c)]));
    }
    return entry;
  }
}

export const districtOf = (streamId: string): string => streamId.slice(STREAM_PREFIX.length);
export const documentId = (district: string, id: string): string => `${district}/${id}`;

function fold(entry: DistrictEntry, event: RecordedEvent): void {
  const domainEvent = domainEventOf<StaffingEvent>(event);
  for (const personId of personIdsOf(domainEvent)) entry.personIds.add(personId);
  entry.state = evolve(entry.state, domainEvent, eventContextOf(event));
}

function personIdsOf(event: StaffingEvent): string[] {
  switch (event.type) {
    case 'TermStarted':
    case 'MembersJoinedTerm':
      return event.data.members.map((m) => m.personId);
    case 'WorkerHired':
    case 'PostAssigned':
      return [event.data.personId];
    default:
      return [];
  }
}

async function writeChanged(
  entry: DistrictEntry,
  district: string,
  event: RecordedEvent,
  readStore: ReadStore,
): Promise<void> {
  const guard = { streamId: event.streamId, revision: event.streamRevision };
  const contents = contentsOf(entry, district, event.streamId);
  for (const name of Object.keys(contents) as Collection[]) {
    const collection: ReadCollection<ReadDocument> = readStore.collection(STAFFING_COLLECTIONS[name]);
    const previous = entry.written[name];
    for (const [id, content] of contents[name]) {
      const now = JSON.stringify(content);
      if (previous.get(id) === now) continue;
      previous.set(id, now);
      await collection.upsertGuarded(id, { ...content, revision: guard.revision }, guard);
    }
  }
}

/** Every document of the district as of its latest effective date. Documents never disappear. */
function contentsOf(entry: DistrictEntry, district: string, streamId: string) {
  const { view, latestEffectiveAt: on } = entry.state;
  const base = { district, streamId };
  const committees: Array<[string, Content<CommitteeDocument>]> = [];
  const calendar: Array<[string, Content<CalendarDocument>]> = [];
  for (const c of Object.values(view.committees)) {
    const id = documentId(district, c.committeeId);
    const composition = compositionOn(view, c.committeeId, on);
    const open = c.electionIds.map((e) => view.elections[e]).find(isOpenElection);
    const ended = c.termIds
      .map((t) => view.terms[t])
      .filter((t) => t.endedOn !== null)
      .at(-1);
    committees.push([
      id,
      {
        ...base,
        committeeId: c.committeeId,
        communityId: c.communityId,
        term: composition && {
          termId: composition.termId,
          electionId: composition.electionId,
          startsOn: composition.startsOn,
          endsOn: composition.endsOn,
          termYears: composition.termYears,
          regimeId: composition.regimeId,
          size: composition.size,
          members: composition.members,
        },
        openElection: open
          ? {
              electionId: open.electionId,
              reason: open.reason,
              calledOn: open.calledOn,
              dueOn: open.dueOn,
              status: open.status as 'called' | 'failed',
            }
          : null,
        lastEndedTerm: ended
          ? { termId: ended.termId, endedOn: ended.endedOn!, reason: ended.endReason! }
          : null,
        electionIds: [...c.electionIds],
        termIds: [...c.termIds],
      },
    ]);
    const date = calendarDateOf(view, c.committeeId, on);
    calendar.push([
      id,
      {
        ...base,
        committeeId: c.committeeId,
        communityId: c.communityId,
        listed: date !== null,
        kind: date?.kind ?? null,
        electionId: date?.electionId ?? null,
        termId: date?.termId ?? null,
        dueOn: date?.dueOn ?? null,
      },
    ]);
  }
  const persons: Array<[string, Content<PersonDocument>]> = [...entry.personIds].map((personId) => [
    documentId(district, personId),
    { ...base, personId, posts: postsOfPerson(view, personId, on) },
  ]);
  const workers: Array<[string, Content<WorkerDocument>]> = Object.values(view.workers).map((w) => [
    documentId(district, w.personId),
    { ...base, ...w },
  ]);
  return { committees, calendar, persons, workers };
}
