import { Inject, Injectable, Optional } from '@nestjs/common';
import { NotFound, unchangedAsOf } from '#libs/event-sourcing';
import { DISTRICT_CODES } from '#libs/contracts';
import { ProjectionHost, RegistryClock, ViewsByDate } from '#libs/hosting';
import {
  afterKey,
  FIRST_LIST_PAGE,
  FIRST_PAGE,
  pageFromOneMore,
  pageOf,
  pageOfSorted,
  positionOf,
  sortedByKey,
  type ListPage,
  type PageRequest,
} from '#libs/http';
import {
  calendarStatusOn,
  cityQualificationRatio,
  committeeFacts,
  committeeTimelineFacts,
  communitiesWithoutGraduate,
  communitiesWithoutGraduateOf,
  compositionOn,
  districtQualificationRatio,
  electionCalendar,
  emptyView,
  payAndWelfareOf,
  payFindings,
  payFindingsOf,
  postsOfPerson,
  qualificationRatioOf,
  membersByCommunity,
  rosterOn,
  type CommunityMembers,
  rosterWorkerOf,
  viewAsOf,
  workerRecordOf,
  type CalendarEntry,
  type Composition,
  type StaffingPolicy,
  type StaffingState,
  type StaffingView,
  type WorkerView,
  timelineEntryOf,
} from '../domain';
import {
  STAFFING_COLLECTIONS as C,
  type CalendarDocument,
  type CommitteeDocument,
  type PersonDocument,
  type WorkerDocument,
} from './projections';
import { StaffingStates } from './staffing-states';
import { STAFFING_POLICY } from './tokens';

const byId = (a: { personId: string }, b: { personId: string }): number =>
  a.personId.localeCompare(b.personId);

const byCommittee = (entry: CalendarEntry): string => entry.committeeId;

/** A page of the calendar: its entries under `entries`, and `next` only when more follow. */
const calendarAnswer = (on: string, { items, next }: ListPage<CalendarEntry>) =>
  next === null ? { on, entries: items } : { on, entries: items, next };

/** A worker document as the domain's WorkerView (without the read model's bookkeeping). */
function workerOf(doc: WorkerDocument): WorkerView {
  const { _id, district, streamId, revision, ...worker } = doc;
  void [_id, district, streamId, revision];
  return worker;
}

/** ELECT-1/ELECT-2: a committee document's term in office as the composition answer on a date. */
function compositionOf(doc: CommitteeDocument, on: string): Composition | null {
  if (!doc.term) return null;
  return {
    committeeId: doc.committeeId,
    communityId: doc.communityId,
    on,
    termId: doc.term.termId,
    electionId: doc.term.electionId,
    startsOn: doc.term.startsOn,
    endsOn: doc.term.endsOn,
    termYears: doc.term.termYears,
    regimeId: doc.term.regimeId,
    expired: on >= doc.term.endsOn,
    size: doc.term.size,
    members: doc.term.members,
  };
}

const NO_MEMBERS: CommunityMembers = { workers: [], committees: [] };

/**
 * The auditor's questions. Without a date (`on`), the current state comes from the read models
 * (after `projections.fresh()`: a query sees this process's own writes); with a date, the
 * district's decisions are folded as of that date, because only the event log holds the past.
 * Which parts of a person's data a reader may see is decided at the HTTP edge
 * (http/personal-data.ts).
 */
@Injectable()
export class StaffingQueries {
  constructor(
    private readonly districts: StaffingStates,
    @Inject(STAFFING_POLICY) private readonly policy: StaffingPolicy,
    // Without a date, a question is about today in the registry's time zone.
    private readonly clock: RegistryClock,
    // Optional so the fold-only answers stay available (the projection tests compare against them).
    @Optional() private readonly projections?: ProjectionHost,
  ) {}

  private readonly views = new ViewsByDate<StaffingView>();
  /** The election calendar of a district on a date, in committee id order (a page is a slice). */
  private readonly calendars = new ViewsByDate<CalendarEntry[]>();

  /** The read store, once it holds everything this process appended; undefined to fold instead. */
  private async current(on: string | undefined) {
    if (on !== undefined || !this.projections) return undefined;
    await this.projections.fresh();
    return this.projections.readStore;
  }

  private at<T>(
    district: string,
    on: string | undefined,
    fn: (view: StaffingView, on: string, state: StaffingState) => T,
  ) {
    const date = on ?? this.clock.today();
    return this.districts.read(district, (state, revision) =>
      fn(this.viewOn(district, state, revision, date), date, state),
    );
  }

  /** The district as of a date, folded once per revision and date (ViewsByDate). */
  private viewOn(district: string, state: StaffingState, revision: number, date: string): StaffingView {
    return this.views.view(
      district,
      revision,
      date,
      () => viewAsOf(state.facts, date),
      (foldedAt) => unchangedAsOf(state, foldedAt, revision, date),
    );
  }

  /** Each community's workers and committees in a folded past view (immutable), made once per view. */
  private readonly members = new WeakMap<StaffingView, Map<string, CommunityMembers>>();
  private membersOf(view: StaffingView): Map<string, CommunityMembers> {
    let members = this.members.get(view);
    if (!members) this.members.set(view, (members = membersByCommunity(view)));
    return members;
  }

  private async workers(district: string, filter: Record<string, unknown> = {}): Promise<WorkerView[]> {
    const store = (await this.current(undefined))!;
    const docs = await store.collection<WorkerDocument>(C.workers).find({ district, ...filter });
    return docs.map(workerOf).sort(byId);
  }

  private async committeesInOffice(district: string, communityId?: string) {
    const store = (await this.current(undefined))!;
    const docs = await store
      .collection<CommitteeDocument>(C.committees)
      .find({ district, term: { $ne: null }, ...(communityId ? { communityId } : {}) });
    return docs.sort((a, b) => a.committeeId.localeCompare(b.committeeId));
  }

  async composition(district: string, committeeId: string, on?: string) {
    const store = await this.current(on);
    if (store) {
      const date = this.clock.today();
      const doc = await store
        .collection<CommitteeDocument>(C.committees)
        .findOne({ _id: `${district}/${committeeId}` });
      if (!doc) throw new NotFound('committee', committeeId);
      const c = compositionOf(doc, date);
      if (!c) throw new NotFound('committee term', `${committeeId} on ${date}`);
      return c;
    }
    return this.at(district, on, (view, date) => {
      if (!view.committees[committeeId]) throw new NotFound('committee', committeeId);
      const c = compositionOn(view, committeeId, date);
      if (!c) throw new NotFound('committee term', `${committeeId} on ${date}`);
      return c;
    });
  }

  async roster(district: string, communityId: string, on?: string) {
    if (await this.current(on)) {
      const date = this.clock.today();
      const workers = await this.workers(district, { status: 'employed', communityId });
      const committees = await this.committeesInOffice(district, communityId);
      return {
        communityId,
        on: date,
        workers: workers.map(rosterWorkerOf),
        committees: committees.map((c) => compositionOf(c, date)!),
      };
    }
    return this.at(district, on, (view, date) =>
      rosterOn(view, communityId, date, this.membersOf(view).get(communityId) ?? NO_MEMBERS),
    );
  }

  /**
   * ELECT-2, ELECT-4: a page of the election calendar on a date, by committee id (`?after=` the
   * last id of the page before): now from the read model's index, a page of rows; on a past date
   * from the calendar of the district's view on that date, sorted once per revision and date.
   */
  async calendar(district: string, on?: string, page: PageRequest = FIRST_LIST_PAGE) {
    const store = await this.current(on);
    if (store) {
      const date = this.clock.today();
      const docs = await store.collection<CalendarDocument>(C.calendar).find(
        {
          district,
          listed: true,
          ...afterKey('committeeId', page),
        },
        { sort: { committeeId: 1 }, limit: page.limit + 1 },
      );
      const found = pageFromOneMore(docs, page.limit, (d) => d.committeeId);
      return calendarAnswer(date, {
        items: found.items.map((d) => ({
          committeeId: d.committeeId,
          communityId: d.communityId,
          kind: d.kind!,
          electionId: d.electionId,
          termId: d.termId,
          dueOn: d.dueOn!,
          status: calendarStatusOn({ kind: d.kind!, dueOn: d.dueOn! }, date, this.policy),
        })),
        next: found.next,
      });
    }
    const date = on ?? this.clock.today();
    return this.districts.read(district, (state, revision) => {
      const calendar = this.calendars.view(
        district,
        revision,
        date,
        () =>
          sortedByKey(
            electionCalendar(this.viewOn(district, state, revision, date), date, this.policy),
            byCommittee,
          ),
        (foldedAt) => unchangedAsOf(state, foldedAt, revision, date),
      );
      return calendarAnswer(date, pageOfSorted(calendar, byCommittee, page));
    });
  }

  async qualificationRatio(district: string, on?: string) {
    if (await this.current(on))
      return {
        district,
        on: this.clock.today(),
        ...qualificationRatioOf(await this.workers(district, { status: 'employed' }), this.policy),
      };
    return this.at(district, on, (view, date) => ({
      district,
      on: date,
      ...districtQualificationRatio(view, this.policy),
    }));
  }

  /** STAFF-4 city-wide: every district's workers now, or every district's stream folded as of the date. */
  async cityQualificationRatio(on?: string) {
    const date = on ?? this.clock.today();
    const views: Record<string, StaffingView> = {};
    const store = await this.current(on);
    if (store) {
      const employed = await store.collection<WorkerDocument>(C.workers).find({ status: 'employed' });
      for (const district of DISTRICT_CODES) views[district] = emptyView();
      for (const doc of employed) {
        const view = views[doc.district];
        if (view) view.workers[doc.personId] = workerOf(doc);
      }
    } else {
      for (const district of DISTRICT_CODES)
        views[district] = await this.districts.read(district, (state, revision) =>
          this.viewOn(district, state, revision, date),
        );
    }
    return cityQualificationRatio(views, date, this.policy);
  }

  async withoutGraduate(district: string, on?: string) {
    if (await this.current(on)) {
      const workers = await this.workers(district, { status: 'employed' });
      const committees = await this.committeesInOffice(district);
      return {
        on: this.clock.today(),
        communityIds: communitiesWithoutGraduateOf(
          workers,
          committees.map((c) => c.communityId),
        ),
      };
    }
    return this.at(district, on, (view, date) => ({
      on: date,
      communityIds: communitiesWithoutGraduate(view, date),
    }));
  }

  /** STAFF-3: the year's pay records below the floor or without the insurances and fund. */
  async payFindings(district: string, year: number) {
    if (await this.current(undefined))
      return { year, findings: payFindingsOf(await this.workers(district), year) };
    return this.districts.read(district, (state) => ({ year, findings: payFindings(state.view, year) }));
  }

  /** STAFF-2/STAFF-3 in aggregate: what any reader may see of a year's pay and welfare. */
  async payAndWelfare(district: string, year: number) {
    if (await this.current(undefined))
      return { district, ...payAndWelfareOf(await this.workers(district), year) };
    return this.districts.read(district, (state) => ({
      district,
      ...payAndWelfareOf(Object.values(state.view.workers), year),
    }));
  }

  /** STAFF-1..6: a worker now (read model) or as of a date (fold), with all its personal data. */
  async worker(district: string, personId: string, on?: string): Promise<WorkerView & { on: string }> {
    const store = await this.current(on);
    if (store) {
      const doc = await store
        .collection<WorkerDocument>(C.workers)
        .findOne({ _id: `${district}/${personId}` });
      if (!doc) throw new NotFound('worker', personId);
      return { ...workerOf(doc), on: this.clock.today() };
    }
    return this.at(district, on, (view, date) => {
      const w = view.workers[personId];
      if (!w) throw new NotFound('worker', personId);
      return { ...w, on: date };
    });
  }

  /** STAFF-1..6: the record every reader may see (pay and welfare as facts, not amounts). */
  async workerRecord(district: string, personId: string, on?: string) {
    const w = await this.worker(district, personId, on);
    return { ...workerRecordOf(w), on: w.on };
  }

  async posts(district: string, personId: string, on?: string) {
    const store = await this.current(on);
    if (store) {
      const doc = await store
        .collection<PersonDocument>(C.persons)
        .findOne({ _id: `${district}/${personId}` });
      return { personId, on: this.clock.today(), posts: doc?.posts ?? [] };
    }
    return this.at(district, on, (view, date) => ({
      personId,
      on: date,
      posts: postsOfPerson(view, personId, date),
    }));
  }

  /** A page of a committee's timeline: its entries, and `next` only when more follow. */
  timeline(district: string, committeeId: string, page: PageRequest = FIRST_PAGE) {
    return this.districts.read(district, (state) => {
      const facts = committeeTimelineFacts(committeeFacts(state, committeeId), committeeId);
      if (facts.length === 0) throw new NotFound('committee', committeeId);
      const { entries, next } = pageOf(facts, (f) => positionOf(f.effectiveAt, f.seq), page);
      return {
        committeeId,
        entries: entries.map(timelineEntryOf),
        ...(next === undefined ? {} : { next }),
      };
    });
  }

  events(district: string, fromRevision: number, maxCount: number) {
    return this.districts.events(district, fromRevision, maxCount);
  }
}
