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
  type CommitteeView,
  type StaffingEvent,
  type StaffingState,
  type StaffingView,
  type TermView,
  type WorkerView,
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
  /**
   * Terms that start or end after the latest effective date: the only ones whose being in office
   * (so their committee, calendar and members' documents) can change when that date moves on.
   */
  pendingTerms: Set<string>;
}

/** The documents an event may have changed, by id within the district. */
interface Touched {
  committees: Set<string>;
  persons: Set<string>;
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
      const district = districtOf(event.streamId);
      const domainEvent = domainEventOf<StaffingEvent>(event);
      const before = { view: entry.state.view, on: entry.state.latestEffectiveAt };
      // Ids looked up before the fold too: an event may move an election or term off a committee.
      const touched = touchedBy(entry.state.view, domainEvent, undefined);
      fold(entry, event);
      entry.revision = event.streamRevision;
      // A backfilled decision refolds the whole view (a new object): any document may change.
      const contents =
        entry.state.view === before.view
          ? changedContentsOf(entry, district, event.streamId, domainEvent, before.on, touched)
          : allContentsOf(entry, district, event.streamId);
      await writeChanged(entry, contents, event, readStore);
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
        pendingTerms: new Set(),
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
      const contents = allContentsOf(entry, districtOf(event.streamId), event.streamId);
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

type Contents = ReturnType<typeof allContentsOf>;

async function writeChanged(
  entry: DistrictEntry,
  contents: Contents,
  event: RecordedEvent,
  readStore: ReadStore,
): Promise<void> {
  const guard = { streamId: event.streamId, revision: event.streamRevision };
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

/**
 * The committees and persons whose documents an event can change, from the ids it names: its
 * committee, the committee of its election or term, and every member of that committee's terms
 * (their ORG-2 posts follow its term in office); its person for the workforce and post decisions.
 */
function touchedBy(view: StaffingView, event: StaffingEvent, into: Touched | undefined): Touched {
  const touched = into ?? { committees: new Set<string>(), persons: new Set<string>() };
  const d = event.data as unknown as Record<string, unknown>;
  if (typeof d.committeeId === 'string') touched.committees.add(d.committeeId);
  if (typeof d.electionId === 'string') {
    const election = view.elections[d.electionId];
    if (election) touched.committees.add(election.committeeId);
  }
  if (typeof d.termId === 'string') {
    const term = view.terms[d.termId];
    if (term) touched.committees.add(term.committeeId);
  }
  if (typeof d.personId === 'string') touched.persons.add(d.personId);
  if (Array.isArray(d.members))
    for (const m of d.members as Array<{ personId: string }>) touched.persons.add(m.personId);
  addMembersOf(view, touched.committees, touched.persons);
  return touched;
}

function addMembersOf(view: StaffingView, committeeIds: Iterable<string>, persons: Set<string>): void {
  for (const committeeId of committeeIds)
    for (const termId of view.committees[committeeId]?.termIds ?? [])
      for (const m of view.terms[termId]?.members ?? []) persons.add(m.personId);
}

const isPending = (t: TermView, on: string): boolean =>
  t.startsOn > on || (t.endedOn !== null && t.endedOn > on);

/**
 * The documents the event may have changed, after an in-place fold: those of the ids it names,
 * plus, when the latest effective date moved on, those of the committees with a term that started
 * or ended in between (termInOffice is the only date-dependent part of the documents).
 */
function changedContentsOf(
  entry: DistrictEntry,
  district: string,
  streamId: string,
  event: StaffingEvent,
  onBefore: string,
  touched: Touched,
): Contents {
  const { view, latestEffectiveAt: on } = entry.state;
  touchedBy(view, event, touched);
  if (on !== onBefore) {
    const moved = new Set<string>();
    for (const termId of entry.pendingTerms) {
      const t = view.terms[termId];
      if (!t) {
        entry.pendingTerms.delete(termId);
        continue;
      }
      const crossed = (date: string | null) => date !== null && onBefore < date && date <= on;
      if (crossed(t.startsOn) || crossed(t.endedOn)) moved.add(t.committeeId);
      if (!isPending(t, on)) entry.pendingTerms.delete(termId);
    }
    for (const committeeId of moved) touched.committees.add(committeeId);
    addMembersOf(view, moved, touched.persons);
  }
  for (const committeeId of touched.committees)
    for (const termId of view.committees[committeeId]?.termIds ?? []) {
      const t = view.terms[termId];
      if (t && isPending(t, on)) entry.pendingTerms.add(termId);
      else entry.pendingTerms.delete(termId);
    }
  const base = { district, streamId };
  const committees: Contents['committees'] = [];
  const calendar: Contents['calendar'] = [];
  for (const committeeId of touched.committees) {
    const c = view.committees[committeeId];
    if (!c) continue;
    committees.push(committeeContentOf(view, c, base, on));
    calendar.push(calendarContentOf(view, c, base, on));
  }
  const persons: Contents['persons'] = [];
  const workers: Contents['workers'] = [];
  for (const personId of touched.persons) {
    if (entry.personIds.has(personId)) persons.push(personContentOf(view, personId, base, on));
    const w = view.workers[personId];
    if (w) workers.push(workerContentOf(w, base));
  }
  return { committees, calendar, persons, workers };
}

interface Base {
  district: string;
  streamId: string;
}

/** Every document of the district as of its latest effective date. Documents never disappear. */
function allContentsOf(entry: DistrictEntry, district: string, streamId: string) {
  const { view, latestEffectiveAt: on } = entry.state;
  const base = { district, streamId };
  const committees: Array<[string, Content<CommitteeDocument>]> = [];
  const calendar: Array<[string, Content<CalendarDocument>]> = [];
  for (const c of Object.values(view.committees)) {
    committees.push(committeeContentOf(view, c, base, on));
    calendar.push(calendarContentOf(view, c, base, on));
  }
  const persons: Array<[string, Content<PersonDocument>]> = [...entry.personIds].map((personId) =>
    personContentOf(view, personId, base, on),
  );
  const workers: Array<[string, Content<WorkerDocument>]> = Object.values(view.workers).map((w) =>
    workerContentOf(w, base),
  );
  entry.pendingTerms = new Set(
    Object.values(view.terms)
      .filter((t) => isPending(t, on))
      .map((t) => t.termId),
  );
  return { committees, calendar, persons, workers };
}

function committeeContentOf(
  view: StaffingView,
  c: CommitteeView,
  base: Base,
  on: string,
): [string, Content<CommitteeDocument>] {
  const composition = compositionOn(view, c.committeeId, on);
  const open = c.electionIds.map((e) => view.elections[e]).find(isOpenElection);
  const ended = c.termIds
    .map((t) => view.terms[t])
    .filter((t) => t.endedOn !== null)
    .at(-1);
  return [
    documentId(base.district, c.committeeId),
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
  ];
}

function calendarContentOf(
  view: StaffingView,
  c: CommitteeView,
  base: Base,
  on: string,
): [string, Content<CalendarDocument>] {
  const date = calendarDateOf(view, c.committeeId, on);
  return [
    documentId(base.district, c.committeeId),
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
  ];
}

const personContentOf = (
  view: StaffingView,
  personId: string,
  base: Base,
  on: string,
): [string, Content<PersonDocument>] => [
  documentId(base.district, personId),
  { ...base, personId, posts: postsOfPerson(view, personId, on) },
];

const workerContentOf = (w: WorkerView, base: Base): [string, Content<WorkerDocument>] => [
  documentId(base.district, w.personId),
  { ...base, ...w },
];
