import { z } from 'zod';
import { containsPersonalData } from '#libs/contracts';
import { ELECTORATE_MODES, FIVE_INSURANCES } from './policy';

/**
 * Commands of the staffing and elections service. One zod schema per command gives the request
 * validation, the TypeScript type and the OpenAPI schema.
 *
 * Personal data: a person is a pseudonymous `personId` plus what the registry needs (role, the
 * flags ELECT-1 asks about, qualifications, pay). National id numbers (公民身份号码) and birth dates
 * never enter an event: any text holding one is refused here and again by decide, with the one
 * detector of libs/contracts (personal-data.ts) that every service uses.
 */

const NO_NATIONAL_ID =
  'PERSONAL-DATA: must not contain a national identity number or a birth date: use the pseudonymous person id';

export const Id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'lower-case letters, digits and dashes, 2 to 64 characters')
  .refine((s) => !containsPersonalData(s), NO_NATIONAL_ID);

/** A pseudonymous person id, never a national id number. */
export const PersonId = Id;

const Text = (max = 200) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !containsPersonalData(s), NO_NATIONAL_ID);

const Count = z.number().int().min(0).max(10_000_000);
const Year = z.number().int().min(1990).max(2100);

/** ELECT-4: why an election is called. */
export const ELECTION_REASONS = ['schedule', 'new-committee', 'merger', 'split', 'vacancies'] as const;
export const ElectionReason = z.enum(ELECTION_REASONS);
export type ElectionReason = z.infer<typeof ElectionReason>;

export const CallElection = z.strictObject({
  electionId: Id,
  committeeId: Id,
  communityId: Id,
  reason: ElectionReason,
  /** ELECT-4: a merger ends the terms of the merged committees; a split may end the source's. */
  endsTermsOfCommitteeIds: z.array(Id).max(20).default([]),
  /** When the election must be held; default: the term's end (schedule) or the policy period. */
  dueOn: z.iso.date().optional(),
});

export const ElectorateModeSchema = z.enum(ELECTORATE_MODES);

export const RegisterElectorate = z.strictObject({
  electionId: Id,
  /** ELECT-3 */
  mode: ElectorateModeSchema,
  registeredVoters: Count.min(1),
  /** household-representatives: the households of the community (one representative each). */
  households: Count.optional(),
  /** group-representatives: residents' groups and how many representatives each sends (2–3). */
  groups: z
    .array(z.strictObject({ groupId: Id, representatives: z.number().int().min(0).max(100) }))
    .max(500)
    .optional(),
});

export const COMMITTEE_ROLES = ['chair', 'vice-chair', 'member'] as const;
export const CommitteeRole = z.enum(COMMITTEE_ROLES);
export type CommitteeRole = z.infer<typeof CommitteeRole>;

export const ElectedMember = z.strictObject({
  personId: PersonId,
  role: CommitteeRole,
  /** ELECT-1 flags: recorded so the "should" rules can be checked, nothing more. */
  woman: z.boolean(),
  ethnicMinority: z.boolean(),
});
export type ElectedMember = z.infer<typeof ElectedMember>;

export const RecordElectionResults = z.strictObject({
  electionId: Id,
  /** Aggregated counts only: no ballot-level personal data. */
  votesCast: Count,
  candidates: z
    .array(z.strictObject({ personId: PersonId, votes: Count }))
    .min(1)
    .max(100),
  elected: z.array(ElectedMember).max(30),
  /** ELECT-1: a multi-ethnic area should elect members of the smaller ethnic groups. */
  multiEthnicArea: z.boolean().default(false),
});

export const HireWorker = z.strictObject({
  personId: PersonId,
  communityId: Id,
  post: Text(),
  /** STAFF-5 */
  collegeGraduate: z.boolean(),
});
export const TransferWorker = z.strictObject({
  personId: PersonId,
  toCommunityId: Id,
  post: Text().optional(),
});
export const LEAVING_REASONS = [
  'resigned',
  'retired',
  'dismissed',
  'contract-ended',
  'recruited-civil-servant',
  'selected-leadership-post',
  'deceased',
] as const;
export const WorkerLeaves = z.strictObject({ personId: PersonId, reason: z.enum(LEAVING_REASONS) });

/** STAFF-2: annual health check, paid leave, hardship subsidy. */
export const WELFARE_KINDS = ['health-check', 'paid-leave', 'hardship-subsidy'] as const;
export const RecordWelfare = z.strictObject({
  personId: PersonId,
  year: Year,
  kind: z.enum(WELFARE_KINDS),
  days: z.number().int().min(1).max(366).optional(),
  amountYuan: z.number().min(0.01).max(1e7).optional(),
});

/** STAFF-3 input data: the previous year's average wage of employees, per district and year. */
export const RecordAverageWage = z.strictObject({
  year: Year,
  averageAnnualWageYuan: z.number().min(1).max(1e7),
});

export const RecordPay = z.strictObject({
  personId: PersonId,
  year: Year,
  annualPayYuan: z.number().min(0).max(1e7),
  /** STAFF-3: which of the five insurances were paid, and the housing fund. */
  insurances: z.array(z.enum(FIVE_INSURANCES)).max(5),
  housingFund: z.boolean(),
});

/** STAFF-4: levels of the social-work qualification certificate (社会工作者职业水平证书). */
export const QUALIFICATION_LEVELS = [
  'assistant-social-worker',
  'social-worker',
  'senior-social-worker',
] as const;
export const RecordQualification = z.strictObject({
  personId: PersonId,
  level: z.enum(QUALIFICATION_LEVELS),
  /** Date on the certificate; the certificate number is not needed and not recorded. */
  obtainedOn: z.iso.date(),
});

/** STAFF-6: events of a worker's career. */
export const CAREER_EVENT_KINDS = [
  'recruited-civil-servant',
  'selected-leadership-post',
  'joined-party',
  'elected-representative',
  'commended',
] as const;
export const RecordCareerEvent = z.strictObject({
  personId: PersonId,
  kind: z.enum(CAREER_EVENT_KINDS),
  organization: Text(),
  /** STAFF-6: a post reserved by the district for community workers. */
  reservedPost: z.boolean().default(false),
});

/** ORG-2: the three bodies where one person may hold posts at once. */
/**
 * ELECT-4: the terms of a committee end without an election because the committee itself ends
 * (the establishment service dissolved it): its term in office ends and an open election is
 * cancelled.
 */
export const TERM_END_REASONS = ['dissolution'] as const;
export const EndTerms = z.strictObject({ committeeId: Id, reason: z.enum(TERM_END_REASONS) });

/**
 * EST-8: the establishment service corrected a decision this service reacted to
 * (moved its effective date, changed its legal basis or annulled it). The facts derived here from
 * that decision (ELECT-4: the election it called, the terms it ended, the elections it cancelled)
 * follow, so every date derived from it moves with it. Sent by the reaction, not by officers.
 */
export const FollowEstablishmentCorrection = z.strictObject({
  /** The establishment's DecisionCorrected event. */
  correctionEventId: z.string().trim().min(1).max(100),
  /** The establishment decision it corrects: the causation of the facts derived from it here. */
  correctsEventId: z.string().trim().min(1).max(100),
  correctsType: z.string().trim().min(1).max(100),
  reason: Text(1000),
  correctedEffectiveAt: z.iso.date().nullable(),
  correctedLegalBasis: Text().nullable(),
  annulled: z.boolean(),
  /** Who recorded the correction in the establishment service, and when. */
  correctedBy: Text(),
  correctionRecordedAt: z.string().trim().min(1).max(40),
});

export const COMMUNITY_BODIES = ['party-organization', 'residents-committee', 'service-station'] as const;
export const CommunityBody = z.enum(COMMUNITY_BODIES);
export type CommunityBody = z.infer<typeof CommunityBody>;
export const AssignPost = z.strictObject({
  personId: PersonId,
  communityId: Id,
  body: CommunityBody,
  post: Text(),
});
export const EndPost = AssignPost;

export const COMMAND_SCHEMAS = {
  CallElection,
  RegisterElectorate,
  RecordElectionResults,
  EndTerms,
  HireWorker,
  TransferWorker,
  WorkerLeaves,
  RecordWelfare,
  RecordAverageWage,
  RecordPay,
  RecordQualification,
  RecordCareerEvent,
  AssignPost,
  EndPost,
  FollowEstablishmentCorrection,
} as const;

type Schemas = typeof COMMAND_SCHEMAS;
export type CommandType = keyof Schemas;
export type CommandOf<T extends CommandType> = { readonly type: T; readonly data: z.infer<Schemas[T]> };
export type StaffingCommand = { [T in CommandType]: CommandOf<T> }[CommandType];
