import type { CommunityBody } from './commands';
import type { MemberRecord } from './events';
import { addDays, DEFAULT_STAFFING_POLICY, type StaffingPolicy } from './policy';
import {
  entitiesOf,
  ROLE_ORDER,
  termInOffice,
  viewAsOf,
  type Fact,
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

/** STAFF-1: the community's service-station workers and committee on the view's date. */
export function rosterOn(view: StaffingView, communityId: string, on: string) {
  const workers = Object.values(view.workers)
    .filter((w) => isEmployedIn(w, communityId))
    .map((w) => ({
      personId: w.personId,
      post: w.post,
      since: w.employment.at(-1)?.from ?? w.hiredOn,
      collegeGraduate: w.collegeGraduate,
      qualifications: w.qualifications.map((q) => q.level),
    }))
    .sort((a, b) => a.personId.localeCompare(b.personId));
  const committees = Object.values(view.committees)
    .filter((c) => c.communityId === communityId)
    .map((c) => compositionOn(view, c.committeeId, on))
    .filter((c): c is Composition => c !== null);
  return { communityId, on, workers, committees };
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

/**
 * The election calendar on a date: called elections not yet validly held (due, or overdue after
 * their due date), and terms in office (ending within the notice period, or overdue once past
 * their end without a successor).
 */
export function electionCalendar(
  view: StaffingView,
  on: string,
  policy: StaffingPolicy = DEFAULT_STAFFING_POLICY,
): CalendarEntry[] {
  const entries: CalendarEntry[] = [];
  for (const committee of Object.values(view.committees)) {
    const open = committee.electionIds.map((id) => view.elections[id]).find((e) => e.status !== 'held');
    if (open)
      entries.push({
        committeeId: committee.committeeId,
        communityId: committee.communityId,
        kind: 'called-election',
        electionId: open.electionId,
        termId: null,
        dueOn: open.dueOn,
        status: on > open.dueOn ? 'overdue' : 'due',
      });
    const term = termInOffice(view, committee.committeeId, on);
    if (term && !open)
      entries.push({
        committeeId: committee.committeeId,
        communityId: committee.communityId,
        kind: 'term-end',
        electionId: null,
        termId: term.termId,
        dueOn: term.endsOn,
        status:
          on >= term.endsOn
            ? 'overdue'
            : addDays(on, policy.termEndingNoticeDays) >= term.endsOn
              ? 'ending'
              : 'scheduled',
      });
  }
  return entries.sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.committeeId.localeCompare(b.committeeId));
}

const employedWorkers = (view: StaffingView): WorkerView[] =>
  Object.values(view.workers).filter((w) => w.status === 'employed');

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
  const workers = employedWorkers(view);
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
  const communities = new Set<string>();
  for (const w of employedWorkers(view)) communities.add(w.communityId!);
  for (const c of Object.values(view.committees))
    if (termInOffice(view, c.committeeId, on)) communities.add(c.communityId);
  const withGraduate = new Set(
    employedWorkers(view)
      .filter((w) => w.collegeGraduate)
      .map((w) => w.communityId!),
  );
  return [...communities].filter((c) => !withGraduate.has(c)).sort();
}

/** STAFF-3: pay records of a year below the floor or without all five insurances and the fund. */
export function payFindings(view: StaffingView, year: number) {
  const findings = [];
  for (const w of Object.values(view.workers)) {
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

export interface PersonPost {
  communityId: string;
  body: CommunityBody;
  post: string;
  since: string;
  source: 'election' | 'employment' | 'appointment';
}

/** ORG-2: every post a person holds on the view's date, in the three bodies of any community. */
export function postsOfPerson(view: StaffingView, personId: string, on: string): PersonPost[] {
  const posts: PersonPost[] = [];
  for (const c of Object.values(view.committees)) {
    const term = termInOffice(view, c.committeeId, on);
    const m = term?.members.find((x) => x.personId === personId);
    if (term && m)
      posts.push({
        communityId: c.communityId,
        body: 'residents-committee',
        post: m.role,
        since: term.startsOn,
        source: 'election',
      });
  }
  const w = view.workers[personId];
  if (w?.status === 'employed')
    posts.push({
      communityId: w.communityId!,
      body: 'service-station',
      post: w.post,
      since: w.employment.at(-1)?.from ?? w.hiredOn,
      source: 'employment',
    });
  for (const p of view.posts)
    if (p.personId === personId)
      posts.push({
        communityId: p.communityId,
        body: p.body,
        post: p.post,
        since: p.since,
        source: 'appointment',
      });
  return posts;
}

export interface TimelineEntry {
  eventId: string;
  type: string;
  effectiveAt: string;
  recordedAt: string;
  legalBasis: string;
  ruleIds: readonly string[];
  actor: { subject: string; districtScope: string };
  data: unknown;
}

/** The committee's elections and terms by effective date, with basis, actor and rule ids. */
export function committeeTimeline(facts: readonly Fact[], committeeId: string): TimelineEntry[] {
  const electionIds = new Set(
    facts
      .filter((f) => f.event.type === 'ElectionCalled' && f.event.data.committeeId === committeeId)
      .map((f) => (f.event.data as { electionId: string }).electionId),
  );
  return facts
    .filter((f) => {
      const keys = entitiesOf(f.event);
      return (
        keys.includes(`committee:${committeeId}`) ||
        keys.some((k) => electionIds.has(k.slice('election:'.length)) && k.startsWith('election:'))
      );
    })
    .sort((a, b) => (a.effectiveAt < b.effectiveAt ? -1 : a.effectiveAt > b.effectiveAt ? 1 : a.seq - b.seq))
    .map((f) => ({
      eventId: f.eventId,
      type: f.event.type,
      effectiveAt: f.effectiveAt,
      recordedAt: f.recordedAt,
      legalBasis: f.legalBasis,
      ruleIds: f.event.ruleIds,
      actor: f.actor,
      data: f.event.data,
    }));
}

/** Convenience for callers that hold the facts: the view as of a date. */
export const asOf = (facts: readonly Fact[], on: string): StaffingView => viewAsOf(facts, on);
