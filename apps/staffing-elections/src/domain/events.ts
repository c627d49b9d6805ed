import type { DomainEvent } from '#libs/decider';
import type { CommitteeRole, CommunityBody, ElectionReason } from './commands';
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
    reason: 'succeeded' | 'merger' | 'split';
    /** The election whose call or result ended it. */
    byElectionId: string;
  }
>;

/** A by-election for vacancies: the new members join the current term, whose end stays. */
export type MembersJoinedTerm = E<
  'MembersJoinedTerm',
  { termId: string; committeeId: string; electionId: string; members: readonly MemberRecord[] }
>;

export type WorkerHired = E<
  'WorkerHired',
  { personId: string; communityId: string; post: string; collegeGraduate: boolean; hiredOn: string }
>;
export type WorkerTransferred = E<
  'WorkerTransferred',
  { personId: string; fromCommunityId: string; toCommunityId: string; post: string }
>;
export type WorkerLeft = E<'WorkerLeft', { personId: string; communityId: string; reason: string }>;
export type WelfareRecorded = E<
  'WelfareRecorded',
  { personId: string; year: number; kind: string; days: number | null; amountYuan: number | null }
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
  { personId: string; level: string; obtainedOn: string }
>;
export type CareerEventRecorded = E<
  'CareerEventRecorded',
  { personId: string; kind: string; organization: string; reservedPost: boolean }
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
  | PostEnded;

export type StaffingEventType = StaffingEvent['type'];

export function assertNever(x: never): never {
  throw new Error(`unexpected ${JSON.stringify(x)}`);
}
