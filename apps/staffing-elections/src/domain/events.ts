import { assertNever } from '#libs/decider';
import type { DomainEvent } from '#libs/decider';
import type {
  CAREER_EVENT_KINDS,
  CommitteeRole,
  CommunityBody,
  ElectionReason,
  LEAVING_REASONS,
  QUALIFICATION_LEVELS,
  WELFARE_KINDS,
} from './commands';
import type { ElectorateMode, Insurance, LegalRegime } from './policy';

/**
 * Events of the staffing and elections service. A type string, once stored, is never renamed. No
 * event carries a national id number: persons are pseudonymous ids.
 */

type E<T extends string, D> = DomainEvent<T, D>;

/** ELECT-2: the regime and parameters a decision was taken under, recorded in the event. */
export interface RegimeApplied {
  readonly regimeId: LegalRegime['regimeId'];
  readonly name: string;
  readonly inForceFrom: string;
  readonly termYears: number;
  readonly committeeSize: { readonly min: number; readonly max: number };
}

export interface MemberRecord {
  readonly personId: string;
  readonly role: CommitteeRole;
  readonly woman: boolean;
  readonly ethnicMinority: boolean;
}

/** A "should" of ELECT-1 that was not met: recorded, never refused. */
export interface ElectionWarning {
  readonly ruleId: 'ELECT-1';
  readonly code: 'no-ethnic-minority-member' | 'no-woman-member';
  readonly message: string;
}

export type ElectionCalled = E<
  'ElectionCalled',
  {
    electionId: string;
    committeeId: string;
    communityId: string;
    reason: ElectionReason;
    calledOn: string;
    dueOn: string;
    /** Days of the policy period used for dueOn, or null when the call or the term fixed it. */
    dueDays: number | null;
    endsTermsOfCommitteeIds: readonly string[];
  }
>;

export type ElectorateRegistered = E<
  'ElectorateRegistered',
  {
    electionId: string;
    mode: ElectorateMode;
    registeredVoters: number;
    households: number | null;
    groups: readonly { groupId: string; representatives: number }[] | null;
    regime: RegimeApplied;
  }
>;

export type ElectionHeld = E<
  'ElectionHeld',
  {
    electionId: string;
    committeeId: string;
    communityId: string;
    heldOn: string;
    registeredVoters: number;
    votesCast: number;
    turnout: number;
    candidates: readonly { personId: string; votes: number; share: number }[];
    /** ELECT-5: the thresholds used (policy parameters) and the verdict. */
    validity: {
      valid: boolean;
      minTurnoutExclusive: number;
      minVoteShareExclusive: number;
      reason: string | null;
    };
    elected: readonly MemberRecord[];
    warnings: readonly ElectionWarning[];
    regime: RegimeApplied;
  }
>;

export type TermStarted = E<
  'TermStarted',
  {
    termId: string;
    committeeId: string;
    communityId: string;
    electionId: string;
    startsOn: string;
    /** ELECT-2: startsOn + the term length of the regime in force on the election date. */
    endsOn: string;
    termYears: number;
    regime: RegimeApplied;
    members: readonly MemberRecord[];
    /** ELECT-2: members may be re-elected; these sat on the previous term. */
    reElectedPersonIds: readonly string[];
  }
>;

export type TermEnded = E<
  'TermEnded',
  {
    termId: string;
    committeeId: string;
    endedOn: string;
    reason: 'succeeded' | 'merger' | 'split' | 'dissolution';
    /** The election whose call or result ended it; null when the committee was dissolved. */
    byElectionId: string | null;
  }
>;

/**
 * ELECT-4: an election still open (called, or failed and not yet held again) that will not be
 * held: a merger or split elects the resulting committee instead, or the committee was dissolved.
 */
export type ElectionCancelled = E<
  'ElectionCancelled',
  {
    electionId: string;
    committeeId: string;
    cancelledOn: string;
    reason: 'merger' | 'split' | 'dissolution';
    /** The election called in its place (merger, split); null after a dissolution. */
    supersededByElectionId: string | null;
  }
>;

/** A by-election for vacancies: the new members join the current term, whose end stays. */
export type MembersJoinedTerm = E<
  'MembersJoinedTerm',
  { termId: string; committeeId: string; electionId: string; members: readonly MemberRecord[] }
>;

/**
 * EST-8: this service followed a correction of an establishment decision it had
 * reacted to. The facts listed were derived from that decision (their causation); from now on they
 * take effect on the corrected date (or are annulled), and every date derived from their effective
 * date (calledOn, dueOn, endedOn, cancelledOn) is derived again in the fold. The event records the
 * correction itself for the timeline: who recorded it, when, why, on what basis.
 */
export type EstablishmentCorrectionFollowed = E<
  'EstablishmentCorrectionFollowed',
  {
    correctionEventId: string;
    correctsEventId: string;
    correctsType: string;
    reason: string;
    correctedBy: string;
    correctionRecordedAt: string;
    correctedEffectiveAt: string | null;
    correctedLegalBasis: string | null;
    annulled: boolean;
    /** The derived facts, each with the effective date it had before this correction. */
    followed: readonly { eventId: string; type: string; effectiveAt: string }[];
    /** What they are about, for the timelines (not entity keys: no chronology applies to it). */
    committeeIds: readonly string[];
    electionIds: readonly string[];
  }
>;

export type WorkerHired = E<
  'WorkerHired',
  { personId: string; communityId: string; post: string; collegeGraduate: boolean; hiredOn: string }
>;
export type WorkerTransferred = E<
  'WorkerTransferred',
  { personId: string; fromCommunityId: string; toCommunityId: string; post: string }
>;
export type WorkerLeft = E<
  'WorkerLeft',
  { personId: string; communityId: string; reason: (typeof LEAVING_REASONS)[number] }
>;
export type WelfareRecorded = E<
  'WelfareRecorded',
  {
    personId: string;
    year: number;
    kind: (typeof WELFARE_KINDS)[number];
    days: number | null;
    amountYuan: number | null;
  }
>;
export type AverageWageRecorded = E<'AverageWageRecorded', { year: number; averageAnnualWageYuan: number }>;
export type PayRecorded = E<
  'PayRecorded',
  {
    personId: string;
    communityId: string;
    year: number;
    annualPayYuan: number;
    insurances: readonly Insurance[];
    housingFund: boolean;
    /** STAFF-3: the floor applied (previous year's average wage) or null before payFloorFromYear. */
    floor: { wageYear: number; averageAnnualWageYuan: number } | null;
    belowFloor: boolean;
    missingInsurances: readonly Insurance[];
  }
>;
export type QualificationRecorded = E<
  'QualificationRecorded',
  { personId: string; level: (typeof QUALIFICATION_LEVELS)[number]; obtainedOn: string }
>;
export type CareerEventRecorded = E<
  'CareerEventRecorded',
  {
    personId: string;
    kind: (typeof CAREER_EVENT_KINDS)[number];
    organization: string;
    reservedPost: boolean;
  }
>;
export type PostAssigned = E<
  'PostAssigned',
  { personId: string; communityId: string; body: CommunityBody; post: string }
>;
export type PostEnded = E<
  'PostEnded',
  { personId: string; communityId: string; body: CommunityBody; post: string }
>;

export type StaffingEvent =
  | ElectionCalled
  | ElectorateRegistered
  | ElectionHeld
  | TermStarted
  | TermEnded
  | ElectionCancelled
  | MembersJoinedTerm
  | WorkerHired
  | WorkerTransferred
  | WorkerLeft
  | WelfareRecorded
  | AverageWageRecorded
  | PayRecorded
  | QualificationRecorded
  | CareerEventRecorded
  | PostAssigned
  | PostEnded
  | EstablishmentCorrectionFollowed;

export type StaffingEventType = StaffingEvent['type'];

/** Every event type of the service, in the order of the union above (the catalogue's order). */
export const STAFFING_EVENT_TYPES: readonly StaffingEventType[] = [
  'ElectionCalled',
  'ElectorateRegistered',
  'ElectionHeld',
  'TermStarted',
  'TermEnded',
  'ElectionCancelled',
  'MembersJoinedTerm',
  'WorkerHired',
  'WorkerTransferred',
  'WorkerLeft',
  'WelfareRecorded',
  'AverageWageRecorded',
  'PayRecorded',
  'QualificationRecorded',
  'CareerEventRecorded',
  'PostAssigned',
  'PostEnded',
  'EstablishmentCorrectionFollowed',
];

export { assertNever };
