import { factsAbout } from '#libs/decider';
import type { CommunityBody } from './commands';
import type { MemberRecord } from './events';
import { addDays, DEFAULT_STAFFING_POLICY, type StaffingPolicy } from './policy';
import {
  derivedDatesOf,
  entitiesOf,
  isOpenElection,
  ROLE_ORDER,
  termInOffice,
  viewAsOf,
  type CommitteeView,
  type Fact,
  type StaffingState,
  type StaffingView,
  type WorkerView,
} from './state';

/**
 * The auditor's questions, pure, each on a view folded as of the date asked about (viewAsOf), so
 * every answer is available for any past date as well as now.
 */

export interface Composition {
  committeeId: string;
  communityId: string;
  on: string;
  termId: string;
  electionId: string;
  startsOn: string;
  endsOn: string;
  termYears: number;
  regimeId: string;
  /** ELECT-2: the term's end has passed and no new term has started. */
  expired: boolean;
  size: number;
  members: MemberRecord[];
}

/** ELECT-1: the committee in office on a date, chair first; null when none. */
export function compositionOn(view: StaffingView, committeeId: string, on: string): Composition | null {
  const term = termInOffice(view, committeeId, on);
  if (!term) return null;
  return {
    committeeId,
    communityId: term.communityId,
    on,
    termId: term.termId,
    electionId: term.electionId,
    startsOn: term.startsOn,
    endsOn: term.endsOn,
    termYears: term.termYears,
    regimeId: term.regimeId,
    expired: on >= term.endsOn,
    size: term.members.length,
    members: [...term.members].sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role]),
  };
}

const isEmployedIn = (w: WorkerView, communityId: string): boolean =>
  w.status === 'employed' && w.communityId === communityId;

/** A community's employed workers and its committees in a view (STAFF-1 rosters). */
export interface CommunityMembers {
  readonly workers: WorkerView[];
  readonly committees: CommitteeView[];
}

/**
 * Every community's employed workers and committees in one pass over the view: a question about
 * one community on a past date reads its own from this, made once per folded view, instead of
 * scanning every worker and committee of the district.
 */
export function membersByCommunity(view: StaffingView): Map<string, CommunityMembers> {
  const members = new Map<string, CommunityMembers>();
  const of = (communityId: string) => {
    let m = members.get(communityId);
    if (!m) members.set(communityId, (m = { workers: [], committees: [] }));
    return m;
  };
  for (const w of Object.values(view.workers))
    if (w.status === 'employed' && w.communityId !== null) of(w.communityId).workers.push(w);
  for (const c of Object.values(view.committees)) of(c.communityId).committees.push(c);
  return members;
}

/** STAFF-1: the community's service-station workers and committee on the view's date. */
export function rosterOn(
  view: StaffingView,
  communityId: string,
  on: string,
  members: CommunityMembers = {
    workers: Object.values(view.workers).filter((w) => isEmployedIn(w, communityId)),
    committees: Object.values(view.committees).filter((c) => c.communityId === communityId),
  },
) {
  const workers = members.workers.map(rosterWorkerOf).sort((a, b) => a.personId.localeCompare(b.personId));
  const committees = members.committees
    .map((c) => compositionOn(view, c.committeeId, on))
    .filter((c): c is Composition => c !== null)
    .sort((a, b) => a.committeeId.localeCompare(b.committeeId));
  return { communityId, on, workers, committees };
}

/** STAFF-1: how a worker appears on a community's roster (no pay, no welfare). */
export function rosterWorkerOf(w: WorkerView) {
  return {
    personId: w.personId,
    post: w.post,
    since: w.employment.at(-1)?.from ?? w.hiredOn,
    collegeGraduate: w.collegeGraduate,
    qualifications: w.qualifications.map((q) => q.level),
  };
}

export interface CalendarEntry {
  committeeId: string;
  communityId: string;
  kind: 'called-election' | 'term-end';
  electionId: string | null;
  termId: string | null;
  dueOn: string;
  status: 'due' | 'overdue' | 'ending' | 'scheduled';
}

/** A calendar entry without its status, which depends only on the day it is looked at. */
export type CalendarDate = Omit<CalendarEntry, 'status'>;

/**
 * What a committee is next to be elected for on a date: its open election (called, not validly
 * held, not cancelled), else the end of its term in office; null when it has neither (e.g. after a
 * dissolution, or a merger that superseded its election, ELECT-4).
 */
export function calendarDateOf(view: StaffingView, committeeId: string, on: string): CalendarDate | null {
  const committee = view.committees[committeeId];
  if (!committee) return null;
  const open = committee.electionIds.map((id) => view.elections[id]).find(isOpenElection);
  if (open)
    return {
      committeeId,
      communityId: committee.communityId,
      kind: 'called-election',
      electionId: open.electionId,
      termId: null,
      dueOn: open.dueOn,
    };
  const term = termInOffice(view, committeeId, on);
  if (term)
    return {
      committeeId,
      communityId: committee.communityId,
      kind: 'term-end',
      electionId: null,
      termId: term.termId,
      dueOn: term.endsOn,
    };
  return null;
}

/**
 * ELECT-2/ELECT-4: a called election is due, or overdue after its due date; a term is scheduled,
 * ending within the notice period, or overdue once past its end without a successor.
 */
export function calendarStatusOn(
  entry: Pick<CalendarDate, 'kind' | 'dueOn'>,
  on: string,
  policy: StaffingPolicy = DEFAULT_STAFFING_POLICY,
): CalendarEntry['status'] {
  if (entry.kind === 'called-election') return on > entry.dueOn ? 'overdue' : 'due';
  if (on >= entry.dueOn) return 'overdue';
  return addDays(on, policy.termEndingNoticeDays) >= entry.dueOn ? 'ending' : 'scheduled';
}

export const byCalendarOrder = (a: CalendarDate, b: CalendarDate): number =>
  a.dueOn.localeCompare(b.dueOn) || a.committeeId.localeCompare(b.committeeId);

/** The election calendar on a date: one entry per committee with an open election or a term. */
export function electionCalendar(
  view: StaffingView,
  on: string,
  policy: StaffingPolicy = DEFAULT_STAFFING_POLICY,
): CalendarEntry[] {
  const entries: CalendarEntry[] = [];
  for (const committee of Object.values(view.committees)) {
    const date = calendarDateOf(view, committee.committeeId, on);
    if (date) entries.push({ ...date, status: calendarStatusOn(date, on, policy) });
  }
  return entries.sort(byCalendarOrder);
}

export interface QualificationRatio {
  workers: number;
  qualified: number;
  ratio: number | null;
  target: number;
  meetsTarget: boolean;
}

function ratioOf(workers: number, qualified: number, policy: StaffingPolicy): QualificationRatio {
  const ratio = workers === 0 ? null : qualified / workers;
  return {
    workers,
    qualified,
    ratio,
    target: policy.qualificationTarget,
    meetsTarget: ratio !== null && ratio >= policy.qualificationTarget,
  };
}

/** STAFF-4: workers employed on the view's date and those holding a certificate obtained by then. */
export function districtQualificationRatio(
  view: StaffingView,
  policy: StaffingPolicy = DEFAULT_STAFFING_POLICY,
): QualificationRatio {
  return qualificationRatioOf(Object.values(view.workers), policy);
}

/** STAFF-4 over a list of workers (the employed ones count). */
export function qualificationRatioOf(
  all: readonly WorkerView[],
  policy: StaffingPolicy = DEFAULT_STAFFING_POLICY,
): QualificationRatio {
  const workers = all.filter((w) => w.status === 'employed');
  return ratioOf(workers.length, workers.filter((w) => w.qualifications.length > 0).length, policy);
}

/** STAFF-4 per district and city-wide (pooled: qualified workers over all workers of the city). */
export function cityQualificationRatio(
  viewsByDistrict: Readonly<Record<string, StaffingView>>,
  on: string,
  policy: StaffingPolicy = DEFAULT_STAFFING_POLICY,
) {
  const districts = Object.entries(viewsByDistrict).map(([district, view]) => ({
    district,
    ...districtQualificationRatio(view, policy),
  }));
  const workers = districts.reduce((s, d) => s + d.workers, 0);
  const qualified = districts.reduce((s, d) => s + d.qualified, 0);
  return {
    on,
    targetYear: policy.qualificationTargetYear,
    districts,
    cityWide: ratioOf(workers, qualified, policy),
  };
}

/**
 * STAFF-5: communities known on the view's date (a worker employed there or a committee in office)
 * without an employed college graduate.
 */
export function communitiesWithoutGraduate(view: StaffingView, on: string): string[] {
  return communitiesWithoutGraduateOf(
    Object.values(view.workers),
    Object.values(view.committees)
      .filter((c) => termInOffice(view, c.committeeId, on))
      .map((c) => c.communityId),
  );
}

/** STAFF-5 from the workers and the communities whose committee is in office. */
export function communitiesWithoutGraduateOf(
  all: readonly WorkerView[],
  communitiesWithCommitteeInOffice: readonly string[],
): string[] {
  const employed = all.filter((w) => w.status === 'employed');
  const communities = new Set<string>(communitiesWithCommitteeInOffice);
  for (const w of employed) communities.add(w.communityId!);
  const withGraduate = new Set(employed.filter((w) => w.collegeGraduate).map((w) => w.communityId!));
  return [...communities].filter((c) => !withGraduate.has(c)).sort();
}

/** STAFF-3: pay records of a year below the floor or without all five insurances and the fund. */
export function payFindings(view: StaffingView, year: number) {
  return payFindingsOf(Object.values(view.workers), year);
}

export function payFindingsOf(workers: readonly WorkerView[], year: number) {
  const findings = [];
  for (const w of workers) {
    for (const p of w.pay) {
      if (p.year !== year) continue;
      if (!p.belowFloor && p.missingInsurances.length === 0 && p.housingFund) continue;
      findings.push({
        personId: w.personId,
        communityId: p.communityId,
        year,
        annualPayYuan: p.annualPayYuan,
        floor: p.floor,
        belowFloor: p.belowFloor,
        missingInsurances: p.missingInsurances,
        housingFundMissing: !p.housingFund,
      });
    }
  }
  return findings.sort((a, b) => a.personId.localeCompare(b.personId));
}

/**
 * Personal data: aggregates of fewer persons than this are not shown (null), so that no one's pay
 * or subsidy can be read off an average or a total. A registry default; the law fixes no number.
 */
export const AGGREGATE_MIN_PERSONS = 3;

/**
 * STAFF-1..6: a worker's record as every reader in the district may see it: employment,
 * qualifications, career events, and pay and welfare only as the STAFF-2/STAFF-3 facts an audit
 * needs (floor met, insurances and fund paid, welfare recorded per kind), never amounts or days.
 */
export function workerRecordOf(w: WorkerView) {
  const welfare = new Map<string, { year: number; kind: string; records: number }>();
  for (const x of w.welfare) {
    const key = `${x.year}/${x.kind}`;
    const found = welfare.get(key) ?? { year: x.year, kind: x.kind, records: 0 };
    found.records += 1;
    welfare.set(key, found);
  }
  return {
    personId: w.personId,
    status: w.status,
    communityId: w.communityId,
    post: w.post,
    collegeGraduate: w.collegeGraduate,
    hiredOn: w.hiredOn,
    leftOn: w.leftOn,
    leftReason: w.leftReason,
    employment: w.employment,
    qualifications: w.qualifications,
    careers: w.careers,
    pay: w.pay.map((p) => ({
      year: p.year,
      communityId: p.communityId,
      belowFloor: p.belowFloor,
      missingInsurances: p.missingInsurances,
      housingFund: p.housingFund,
    })),
    welfare: [...welfare.values()].sort((a, b) => a.year - b.year || a.kind.localeCompare(b.kind)),
  };
}

/** STAFF-2/STAFF-3 of a district's workers in a year, in aggregate (see AGGREGATE_MIN_PERSONS). */
export function payAndWelfareOf(workers: readonly WorkerView[], year: number) {
  const y = String(year);
  const pay = workers.flatMap((w) => w.pay.filter((p) => p.year === year));
  const welfare = workers.flatMap((w) =>
    w.welfare.filter((x) => x.year === year).map((x) => ({ ...x, personId: w.personId })),
  );
  const workedInYear = workers.filter((w) =>
    w.employment.some((e) => e.from.slice(0, 4) <= y && (e.to === null || e.to.slice(0, 4) >= y)),
  );
  const persons = (records: readonly { personId: string }[]) => new Set(records.map((r) => r.personId)).size;
  const shown = <T>(count: number, value: () => T): T | null =>
    count >= AGGREGATE_MIN_PERSONS ? value() : null;
  const leave = welfare.filter((x) => x.kind === 'paid-leave');
  const subsidies = welfare.filter((x) => x.kind === 'hardship-subsidy');
  return {
    year,
    minPersons: AGGREGATE_MIN_PERSONS,
    workers: workedInYear.length,
    pay: {
      records: pay.length,
      belowFloor: pay.filter((p) => p.belowFloor).length,
      missingInsurances: pay.filter((p) => p.missingInsurances.length > 0).length,
      withoutHousingFund: pay.filter((p) => !p.housingFund).length,
      averageAnnualPayYuan: shown(pay.length, () =>
        Math.round(pay.reduce((s, p) => s + p.annualPayYuan, 0) / pay.length),
      ),
    },
    welfare: {
      healthChecks: persons(welfare.filter((x) => x.kind === 'health-check')),
      paidLeave: {
        persons: persons(leave),
        days: shown(persons(leave), () => leave.reduce((s, x) => s + (x.days ?? 0), 0)),
      },
      hardshipSubsidies: {
        persons: persons(subsidies),
        amountYuan: shown(persons(subsidies), () => subsidies.reduce((s, x) => s + (x.amountYuan ?? 0), 0)),
      },
    },
  };
}

export interface PersonPost {
  communityId: string;
  body: CommunityBody;
  post: string;
  since: string;
  source: 'election' | 'employment' | 'appointment';
}

/** ORG-2: every post a person holds on the view's date, in the three bodies of any community. */
export const postsOfPerson = (view: StaffingView, personId: string, on: string): PersonPost[] =>
  postsOfPersons(view, new Set([personId]), on).get(personId)!;

/**
 * ORG-2 for several persons at once, in one pass over the district's committees, workers and
 * posts: asked person by person, the posts of every person of a district cost persons times
 * committees.
 */
export function postsOfPersons(
  view: StaffingView,
  personIds: ReadonlySet<string>,
  on: string,
): Map<string, PersonPost[]> {
  const out = new Map<string, PersonPost[]>([...personIds].map((id) => [id, []]));
  for (const c of Object.values(view.committees)) {
    const term = termInOffice(view, c.committeeId, on);
    const seated = new Set<string>();
    for (const m of term?.members ?? []) {
      const posts = out.get(m.personId);
      // A person's first seat in the term is their post.
      if (term && posts && !seated.has(m.personId))
        posts.push({
          communityId: c.communityId,
          body: 'residents-committee',
          post: m.role,
          since: term.startsOn,
          source: 'election',
        });
      seated.add(m.personId);
    }
  }
  for (const [personId, posts] of out) {
    const w = view.workers[personId];
    if (w?.status === 'employed')
      posts.push({
        communityId: w.communityId!,
        body: 'service-station',
        post: w.post,
        since: w.employment.at(-1)?.from ?? w.hiredOn,
        source: 'employment',
      });
  }
  for (const p of view.posts)
    out.get(p.personId)?.push({
      communityId: p.communityId,
      body: p.body,
      post: p.post,
      since: p.since,
      source: 'appointment',
    });
  return out;
}

export interface TimelineEntry {
  eventId: string;
  type: string;
  /** As corrected (EST-8). */
  effectiveAt: string;
  recordedAt: string;
  legalBasis: string;
  ruleIds: readonly string[];
  actor: { subject: string; districtScope: string };
  /** The event's data with the dates derived from its effective date as corrected. */
  data: unknown;
  /**
   * EST-8: on an entry a correction moved, annulled or re-based, what it was
   * and what it is now, and the corrections (their own entries in the timeline) that did it.
   */
  corrected?: {
    originalEffectiveAt: string;
    correctedEffectiveAt: string;
    originalLegalBasis: string;
    annulled: boolean;
    /** Each derived date of the data that moved: as recorded and as corrected. */
    dates: Record<string, { original: string; corrected: string }>;
    correctedBy: string[];
  };
}

export function timelineEntryOf(f: Fact): TimelineEntry {
  const data = f.event.data as unknown as Record<string, unknown>;
  const derived = derivedDatesOf(f.event, f.effectiveAt);
  const entry: TimelineEntry = {
    eventId: f.eventId,
    type: f.event.type,
    effectiveAt: f.effectiveAt,
    recordedAt: f.recordedAt,
    legalBasis: f.legalBasis,
    ruleIds: f.event.ruleIds,
    actor: f.actor,
    data: { ...data, ...derived },
  };
  if (f.correctedBy.length === 0) return entry;
  const dates: Record<string, { original: string; corrected: string }> = {};
  for (const [field, corrected] of Object.entries(derived))
    if (data[field] !== corrected) dates[field] = { original: String(data[field]), corrected };
  return {
    ...entry,
    corrected: {
      originalEffectiveAt: f.originalEffectiveAt,
      correctedEffectiveAt: f.effectiveAt,
      originalLegalBasis: f.originalLegalBasis,
      annulled: f.annulled,
      dates,
      correctedBy: [...f.correctedBy],
    },
  };
}

/**
 * The committee's elections and terms by effective date, with basis, actor and rule ids. A
 * correction followed from the establishment service (EST-8) is an entry of its own, on the date
 * it was recorded here, beside the entries it corrected (which show their original and corrected
 * dates); an annulled entry stays, marked as such.
 */
export function committeeTimeline(facts: readonly Fact[], committeeId: string): TimelineEntry[] {
  return committeeTimelineFacts(facts, committeeId).map(timelineEntryOf);
}

/** The decisions of a committee's timeline in its order (committeeTimeline without the entries made). */
export function committeeTimelineFacts(facts: readonly Fact[], committeeId: string): Fact[] {
  const electionIds = new Set(
    facts
      .filter((f) => f.event.type === 'ElectionCalled' && f.event.data.committeeId === committeeId)
      .map((f) => (f.event.data as { electionId: string }).electionId),
  );
  const about = (f: Fact): boolean => {
    if (f.event.type === 'EstablishmentCorrectionFollowed')
      return (
        f.event.data.committeeIds.includes(committeeId) ||
        f.event.data.electionIds.some((id) => electionIds.has(id))
      );
    const keys = entitiesOf(f.event);
    return (
      keys.includes(`committee:${committeeId}`) ||
      keys.some((k) => electionIds.has(k.slice('election:'.length)) && k.startsWith('election:'))
    );
  };
  return facts
    .filter(about)
    .sort((a, b) => (a.effectiveAt < b.effectiveAt ? -1 : a.effectiveAt > b.effectiveAt ? 1 : a.seq - b.seq));
}

/**
 * What committeeTimeline needs for one committee, from the facts indexed by entity: the decisions
 * naming it or its elections, and the corrections followed of them, not the district's history.
 */
export function committeeFacts(state: StaffingState, committeeId: string): Fact[] {
  const entities = [`committee:${committeeId}`];
  for (const f of state.factsByEntity.get(`committee:${committeeId}`) ?? [])
    if (f.event.type === 'ElectionCalled') entities.push(`election:${f.event.data.electionId}`);
  // The corrections followed are filed under the committees and elections they corrected.
  return factsAbout(state, entities);
}

/** Convenience for callers that hold the facts: the view as of a date. */
export const asOf = (facts: readonly Fact[], on: string): StaffingView => viewAsOf(facts, on);
