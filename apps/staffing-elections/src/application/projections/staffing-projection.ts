import { domainEventOf, type EventStore, type StreamStates } from '#libs/event-sourcing';
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
  calendarDateOf,
  compositionOn,
  dateOf,
  evolve,
  initialState,
  isOpenElection,
  postsOfPersons,
  STAFFING_EVENT_TYPES,
  type CommitteeView,
  type PersonPost,
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

type Collection = keyof typeof STAFFING_COLLECTIONS;

/** What the projection keeps of a district beside the service's state: digests, dates and ids. */
interface DistrictBook {
  /** Every person any decision so far named (members, workers, appointees): their ORG-2 documents. */
  personIds: Set<string>;
  written: Record<Collection, WrittenDigests>;
  /** The latest effective date through the events handled: an event dated before it was backfilled. */
  latest: string;
  /** The latest effective date the documents were last derived as of. */
  on: string;
  /**
   * Terms that start or end after `on`: the only ones whose being in office (so their committee,
   * calendar and members' documents) can change when that date moves on.
   */
  pendingTerms: Set<string>;
}

/** The documents an event may have changed, by id within the district. */
interface Touched {
  committees: Set<string>;
  persons: Set<string>;
}

/**
 * What the staffing projection is made of beside the shared skeleton (StateProjection): on each
 * event the documents of the committees and persons it names (all of the district's after a
 * backfill or a followed correction, which refold the view), derived from the district's state.
 */
const districtDerivation: StateDerivation<StaffingState, DistrictBook> = {
  name: 'staffing-elections',
  collections: Object.values(STAFFING_COLLECTIONS),
  wholeCollections: Object.values(STAFFING_COLLECTIONS),
  accepts: (event) => event.streamId.startsWith(STREAM_PREFIX) && EVENT_TYPES.has(event.type),
  whole(state, streamId, stored, named) {
    const book: DistrictBook = {
      personIds: new Set(),
      pendingTerms: new Set(),
      latest: state.latestEffectiveAt,
      on: state.latestEffectiveAt,
      written: {
        committees: stored(STAFFING_COLLECTIONS.committees),
        calendar: stored(STAFFING_COLLECTIONS.calendar),
        persons: stored(STAFFING_COLLECTIONS.persons),
        workers: stored(STAFFING_COLLECTIONS.workers),
      },
    };
    if (named) for (const personId of named) book.personIds.add(personId);
    else
      for (const fact of state.facts)
        for (const personId of personIdsOf(fact.event)) book.personIds.add(personId);
    return { book, writes: writesOf(book, allContentsOf(book, state, districtOf(streamId), streamId)) };
  },
  idsNamedBy: (event) => personIdsOf(domainEventOf<StaffingEvent>(event)),
  touched(book, state, event, reflected) {
    if (reflected) return [];
    const fact = state.factsById.get(event.eventId);
    if (!fact) return [];
    const domainEvent = fact.event;
    for (const personId of personIdsOf(domainEvent)) book.personIds.add(personId);
    const district = districtOf(event.streamId);
    const on = dateOf(event.metadata.effectiveAt);
    const correction = domainEvent.type === 'EstablishmentCorrectionFollowed';
    // A backfilled decision or a followed correction refolds the whole view: any document may change.
    if (correction || on < book.latest) {
      if (correction) book.latest = state.latestEffectiveAt;
      return writesOf(book, allContentsOf(book, state, district, event.streamId));
    }
    book.latest = on;
    const touched = touchedBy(state.view, domainEvent, undefined);
    return writesOf(book, changedContentsOf(book, state, district, event.streamId, domainEvent, touched));
  },
};

/**
 * Projects the staffing decisions of every district into `committees`, `election-calendar`,
 * `persons` and `workers`: the current state, as the queries without a date answer it; from the
 * service's district states (StaffingStates), or given the event store, from states folded over it.
 */
export class StaffingProjection extends StateProjection<StaffingState, DistrictBook> {
  constructor(source: StreamStates<StaffingState> | EventStore) {
    // Over a store (the rebuild script, the specs), a rebuild folds each district itself.
    const { states, folds } = statesAndFoldsOf(source, { initialState, evolve }, STREAM_PREFIX);
    super(states, districtDerivation, folds);
  }
}

export const districtOf = (streamId: string): string => streamId.slice(STREAM_PREFIX.length);
export const documentId = (district: string, id: string): string => `${district}/${id}`;

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

function writesOf(book: DistrictBook, contents: Contents): DocumentWrite[] {
  const writes: DocumentWrite[] = [];
  for (const name of Object.keys(contents) as Collection[])
    writes.push(...changedDocuments(STAFFING_COLLECTIONS[name], book.written[name], contents[name]));
  return writes;
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
  entry: DistrictBook,
  state: StaffingState,
  district: string,
  streamId: string,
  event: StaffingEvent,
  touched: Touched,
): Contents {
  const { view, latestEffectiveAt: on } = state;
  const onBefore = entry.on;
  entry.on = on;
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
  const posts = postsOfPersons(view, new Set([...touched.persons].filter((p) => entry.personIds.has(p))), on);
  for (const personId of touched.persons) {
    const held = posts.get(personId);
    if (held) persons.push(personContentOf(personId, held, base));
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
function allContentsOf(entry: DistrictBook, state: StaffingState, district: string, streamId: string) {
  const { view, latestEffectiveAt: on } = state;
  entry.on = on;
  const base = { district, streamId };
  const committees: Array<[string, Content<CommitteeDocument>]> = [];
  const calendar: Array<[string, Content<CalendarDocument>]> = [];
  for (const c of Object.values(view.committees)) {
    committees.push(committeeContentOf(view, c, base, on));
    calendar.push(calendarContentOf(view, c, base, on));
  }
  const persons: Array<[string, Content<PersonDocument>]> = [
    ...postsOfPersons(view, entry.personIds, on),
  ].map(([personId, held]) => personContentOf(personId, held, base));
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
  personId: string,
  posts: PersonPost[],
  base: Base,
): [string, Content<PersonDocument>] => [documentId(base.district, personId), { ...base, personId, posts }];

const workerContentOf = (w: WorkerView, base: Base): [string, Content<WorkerDocument>] => [
  documentId(base.district, w.personId),
  { ...base, ...w },
];
