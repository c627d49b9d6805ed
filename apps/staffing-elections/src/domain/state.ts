import {
  bitemporalFold,
  dateOf,
  type BitemporalFact,
  type BitemporalState,
  type FactHistory,
  type EventContext,
} from '#libs/decider';
import type { CommitteeRole, CommunityBody, ElectionReason } from './commands';
import { assertNever, type MemberRecord, type StaffingEvent } from './events';
import { addDays, type ElectorateMode, type Insurance, type LegalRegime } from './policy';

/**
 * The state of one district's elections and workforce. One stream per district (see decider.ts):
 * a worker is employed in one service station at a time across the district's communities, and a
 * transfer moves them between two communities in one decision.
 *
 * Bitemporal like the establishment service: events are recorded in any order, the view is the
 * fold of the decisions sorted by the date they took effect in law. `facts` keeps every decision
 * with its envelope, `view` is the state as of the latest effective date, `viewAsOf` any other.
 */

export interface ElectionView {
  electionId: string;
  committeeId: string;
  communityId: string;
  reason: ElectionReason;
  calledOn: string;
  dueOn: string;
  /** ELECT-4: 'cancelled' when a merger, split or dissolution made it pointless. */
  status: 'called' | 'held' | 'failed' | 'cancelled';
  electorate: { mode: ElectorateMode; registeredVoters: number; regimeId: LegalRegime['regimeId'] } | null;
  heldOn: string | null;
  cancelledOn: string | null;
}

/** Still to be held: called, or held without a valid result (ELECT-5) and not cancelled. */
export const isOpenElection = (e: ElectionView): boolean => e.status === 'called' || e.status === 'failed';

export interface TermView {
  termId: string;
  committeeId: string;
  communityId: string;
  electionId: string;
  startsOn: string;
  endsOn: string;
  termYears: number;
  regimeId: LegalRegime['regimeId'];
  members: MemberRecord[];
  endedOn: string | null;
  endReason: string | null;
}

export interface CommitteeView {
  committeeId: string;
  communityId: string;
  electionIds: string[];
  termIds: string[];
  /** The latest term, ended or not. */
  latestTermId: string | null;
}

export interface Employment {
  communityId: string;
  post: string;
  from: string;
  to: string | null;
}

export interface WorkerView {
  personId: string;
  status: 'employed' | 'left';
  communityId: string | null;
  post: string;
  collegeGraduate: boolean;
  hiredOn: string;
  leftOn: string | null;
  leftReason: string | null;
  employment: Employment[];
  qualifications: { level: string; obtainedOn: string }[];
  welfare: { year: number; kind: string; days: number | null; amountYuan: number | null; on: string }[];
  pay: PayView[];
  careers: { kind: string; organization: string; reservedPost: boolean; on: string }[];
}

export interface PayView {
  year: number;
  communityId: string;
  annualPayYuan: number;
  insurances: Insurance[];
  housingFund: boolean;
  floor: { wageYear: number; averageAnnualWageYuan: number } | null;
  belowFloor: boolean;
  missingInsurances: Insurance[];
}

export interface PostView {
  personId: string;
  communityId: string;
  body: CommunityBody;
  post: string;
  since: string;
}

export interface StaffingView {
  asOf: string | null;
  committees: Record<string, CommitteeView>;
  elections: Record<string, ElectionView>;
  terms: Record<string, TermView>;
  workers: Record<string, WorkerView>;
  /** STAFF-3 input data: average annual wage of employees by year. */
  averageWages: Record<string, number>;
  posts: PostView[];
}

export type Fact = BitemporalFact<StaffingEvent>;

export type StaffingState = BitemporalState<Fact, StaffingView>;

export const emptyView = (): StaffingView => ({
  asOf: null,
  committees: {},
  elections: {},
  terms: {},
  workers: {},
  averageWages: {},
  posts: [],
});

export { dateOf };

export const termIdOf = (electionId: string): string => `term-${electionId}`;

/** The entities a decision is about, for the chronology guard and the timelines. */
export function entitiesOf(event: StaffingEvent): string[] {
  const d = event.data as unknown as Record<string, unknown>;
  const keys: string[] = [];
  if (typeof d.committeeId === 'string') keys.push(`committee:${d.committeeId}`);
  if (typeof d.electionId === 'string') keys.push(`election:${d.electionId}`);
  if (typeof d.personId === 'string') keys.push(`person:${d.personId}`);
  return keys;
}

/**
 * Where the index of facts by entity files a decision: the entities it is about and, for a
 * correction followed from the establishment service (EST-8), the committees and elections it
 * corrected, so that a committee's timeline finds its corrections without reading all of them.
 */
export function indexedUnder(event: StaffingEvent): string[] {
  if (event.type !== 'EstablishmentCorrectionFollowed') return entitiesOf(event);
  return [
    ...entitiesOf(event),
    ...event.data.committeeIds.map((id) => `committee:${id}`),
    ...event.data.electionIds.map((id) => `election:${id}`),
  ];
}

const fold = bitemporalFold<StaffingEvent, StaffingView, Fact>({
  emptyView,
  applyToView,
  entitiesOf,
  indexedUnder,
  // Staffing numbers its facts in the order they are folded.
  seqOf: (_ctx, foldedSoFar) => foldedSoFar,
  /*
   * EST-8: the derived facts take the corrected date (or basis, or are annulled), and the view and
   * the chronology guard are refolded from the facts as corrected, so every date derived from them
   * (derivedDatesOf) answers by the correction as of any date asked.
   */
  isCorrection: (event) => event.type === 'EstablishmentCorrectionFollowed',
  correctionOf: (event, state) => {
    const d = (event as Extract<StaffingEvent, { type: 'EstablishmentCorrectionFollowed' }>).data;
    const ids = new Set(d.followed.map((f) => f.eventId));
    return {
      // Found by id, not by a scan: a scan reads every light fact's envelope back from the store.
      targets: [...ids].flatMap((id) => state.factsById.get(id) ?? []),
      effectiveAt: d.correctedEffectiveAt ? dateOf(d.correctedEffectiveAt) : null,
      legalBasis: d.correctedLegalBasis,
      annulled: d.annulled,
    };
  },
  // EST-8: a committee whose only election was annulled stays known, with nothing open, so
  // its documents say so instead of keeping what the annulled election showed.
  annulledLeaves: (view, fact) => {
    if (fact.event.type === 'ElectionCalled')
      committeeOf(view, fact.event.data.committeeId, fact.event.data.communityId);
  },
  stampAsOf: (view, asOf) => {
    view.asOf = asOf ?? null;
  },
  latestNeverMovesBack: true,
  refoldAsOfLatest: true,
});

export const initialState: (history?: FactHistory<StaffingEvent>) => StaffingState = fold.initialState;

export const evolve: (state: StaffingState, event: StaffingEvent, ctx: EventContext) => StaffingState =
  fold.evolve;

/** The view as of the end of a date: the decisions effective on or before it (as corrected). */
export const viewAsOf: (facts: readonly Fact[], date: string) => StaffingView = fold.viewAsOf;

/**
 * EST-8: the dates an event's data holds that derive from its effective date,
 * derived again from the effective date as corrected. The event data keeps what was derived when it
 * was recorded; the fold, the queries and the timelines use these.
 */
export function derivedDatesOf(event: StaffingEvent, on: string): Record<string, string> {
  switch (event.type) {
    case 'ElectionCalled':
      // ELECT-4: the policy period runs from the call; a due date the call or the term fixed stays.
      return {
        calledOn: on,
        dueOn: event.data.dueDays === null ? event.data.dueOn : addDays(on, event.data.dueDays),
      };
    case 'TermEnded':
      return { endedOn: on };
    case 'ElectionCancelled':
      return { cancelledOn: on };
    default:
      return {};
  }
}

const memberCopy = (m: MemberRecord): MemberRecord => ({ ...m });

export function applyToView(view: StaffingView, fact: Fact): void {
  const event = fact.event;
  const on = fact.effectiveAt;
  view.asOf = on;
  switch (event.type) {
    case 'ElectionCalled': {
      const d = event.data;
      const dates = derivedDatesOf(event, on);
      const committee = committeeOf(view, d.committeeId, d.communityId);
      committee.electionIds.push(d.electionId);
      view.elections[d.electionId] = {
        electionId: d.electionId,
        committeeId: d.committeeId,
        communityId: d.communityId,
        reason: d.reason,
        calledOn: dates.calledOn,
        dueOn: dates.dueOn,
        status: 'called',
        electorate: null,
        heldOn: null,
        cancelledOn: null,
      };
      return;
    }
    case 'ElectorateRegistered': {
      const e = view.elections[event.data.electionId];
      if (e)
        e.electorate = {
          mode: event.data.mode,
          registeredVoters: event.data.registeredVoters,
          regimeId: event.data.regime.regimeId,
        };
      return;
    }
    case 'ElectionHeld': {
      const e = view.elections[event.data.electionId];
      if (e) {
        e.status = event.data.validity.valid ? 'held' : 'failed';
        e.heldOn = event.data.heldOn;
      }
      return;
    }
    case 'TermStarted': {
      const d = event.data;
      const committee = committeeOf(view, d.committeeId, d.communityId);
      committee.termIds.push(d.termId);
      committee.latestTermId = d.termId;
      view.terms[d.termId] = {
        termId: d.termId,
        committeeId: d.committeeId,
        communityId: d.communityId,
        electionId: d.electionId,
        startsOn: d.startsOn,
        endsOn: d.endsOn,
        termYears: d.termYears,
        regimeId: d.regime.regimeId,
        members: d.members.map(memberCopy),
        endedOn: null,
        endReason: null,
      };
      return;
    }
    case 'TermEnded': {
      const t = view.terms[event.data.termId];
      if (t) {
        t.endedOn = derivedDatesOf(event, on).endedOn;
        t.endReason = event.data.reason;
      }
      return;
    }
    case 'ElectionCancelled': {
      const e = view.elections[event.data.electionId];
      if (e) {
        e.status = 'cancelled';
        e.cancelledOn = derivedDatesOf(event, on).cancelledOn;
      }
      return;
    }
    case 'MembersJoinedTerm': {
      const t = view.terms[event.data.termId];
      if (t) t.members.push(...event.data.members.map(memberCopy));
      return;
    }
    case 'WorkerHired': {
      const d = event.data;
      const earlier = view.workers[d.personId];
      view.workers[d.personId] = {
        personId: d.personId,
        status: 'employed',
        communityId: d.communityId,
        post: d.post,
        collegeGraduate: d.collegeGraduate || (earlier?.collegeGraduate ?? false),
        hiredOn: d.hiredOn,
        leftOn: null,
        leftReason: null,
        employment: [
          ...(earlier?.employment ?? []),
          { communityId: d.communityId, post: d.post, from: on, to: null },
        ],
        qualifications: earlier?.qualifications ?? [],
        welfare: earlier?.welfare ?? [],
        pay: earlier?.pay ?? [],
        careers: earlier?.careers ?? [],
      };
      return;
    }
    case 'WorkerTransferred': {
      const w = view.workers[event.data.personId];
      if (!w) return;
      const current = w.employment.at(-1);
      if (current && current.to === null) current.to = on;
      w.employment.push({ communityId: event.data.toCommunityId, post: event.data.post, from: on, to: null });
      w.communityId = event.data.toCommunityId;
      w.post = event.data.post;
      return;
    }
    case 'WorkerLeft': {
      const w = view.workers[event.data.personId];
      if (!w) return;
      const current = w.employment.at(-1);
      if (current && current.to === null) current.to = on;
      w.status = 'left';
      w.communityId = null;
      w.leftOn = on;
      w.leftReason = event.data.reason;
      return;
    }
    case 'WelfareRecorded': {
      const d = event.data;
      view.workers[d.personId]?.welfare.push({
        year: d.year,
        kind: d.kind,
        days: d.days,
        amountYuan: d.amountYuan,
        on,
      });
      return;
    }
    case 'AverageWageRecorded':
      view.averageWages[String(event.data.year)] = event.data.averageAnnualWageYuan;
      return;
    case 'PayRecorded': {
      const d = event.data;
      view.workers[d.personId]?.pay.push({
        year: d.year,
        communityId: d.communityId,
        annualPayYuan: d.annualPayYuan,
        insurances: [...d.insurances],
        housingFund: d.housingFund,
        floor: d.floor,
        belowFloor: d.belowFloor,
        missingInsurances: [...d.missingInsurances],
      });
      return;
    }
    case 'QualificationRecorded':
      view.workers[event.data.personId]?.qualifications.push({
        level: event.data.level,
        obtainedOn: event.data.obtainedOn,
      });
      return;
    case 'CareerEventRecorded':
      view.workers[event.data.personId]?.careers.push({
        kind: event.data.kind,
        organization: event.data.organization,
        reservedPost: event.data.reservedPost,
        on,
      });
      return;
    case 'PostAssigned':
      view.posts.push({ ...event.data, since: on });
      return;
    case 'PostEnded':
      view.posts = view.posts.filter((p) => !samePost(p, event.data));
      return;
    case 'EstablishmentCorrectionFollowed':
      // Applied to the facts themselves in evolve (EST-8); nothing of its own to show in a view.
      return;
    default:
      assertNever(event);
  }
}

export function samePost(
  a: { personId: string; communityId: string; body: string; post: string },
  b: { personId: string; communityId: string; body: string; post: string },
): boolean {
  return (
    a.personId === b.personId && a.communityId === b.communityId && a.body === b.body && a.post === b.post
  );
}

function committeeOf(view: StaffingView, committeeId: string, communityId: string): CommitteeView {
  const found = view.committees[committeeId];
  if (found) return found;
  const created: CommitteeView = {
    committeeId,
    communityId,
    electionIds: [],
    termIds: [],
    latestTermId: null,
  };
  view.committees[committeeId] = created;
  return created;
}

/** The term of a committee in office on a date (started, not ended by a decision). */
export function termInOffice(view: StaffingView, committeeId: string, on: string): TermView | null {
  const committee = view.committees[committeeId];
  if (!committee) return null;
  for (const termId of [...committee.termIds].reverse()) {
    const t = view.terms[termId];
    if (t.startsOn <= on && (t.endedOn === null || on < t.endedOn)) return t;
  }
  return null;
}

/** An election of the committee that is called and not yet validly held (nor cancelled). */
export function openElectionOf(view: StaffingView, committeeId: string): ElectionView | null {
  const committee = view.committees[committeeId];
  if (!committee) return null;
  for (const id of committee.electionIds) {
    const e = view.elections[id];
    if (isOpenElection(e)) return e;
  }
  return null;
}

export const ROLE_ORDER: Record<CommitteeRole, number> = { chair: 0, 'vice-chair': 1, member: 2 };
