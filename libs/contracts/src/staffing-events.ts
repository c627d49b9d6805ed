import { z } from 'zod';
import { contract, contractTypesOf, type EventDataOf } from './event-contract';
import { containsPersonalData } from './personal-data';

/**
 * The public contract of the staffing and elections service: one zod schema per event type for
 * the `data` of the event, as published on `lanzhou.registry.staffing-elections.events.v1`.
 *
 * This is the one place an event's shape is written: the service's domain infers its event types
 * from these schemas (apps/staffing-elections/src/domain/events.ts); the contracts import nothing
 * of the services. `test/contracts/staffing-events.spec.ts` runs the events the domain itself
 * emits through these schemas.
 *
 * PERSONAL-DATA: a person is a pseudonymous `personId`, never a national id number (居民身份证号码):
 * no field holds one, and every id and text field refuses a string holding one (or a birth date) in
 * the zod schemas, with the detector of personal-data.ts. Pay and welfare
 * amounts are published to the civil-affairs subscribers of this topic; the HTTP API shows them
 * only to officers of the person's district and admins.
 *
 * A stored type string is never renamed (GUIDE §4.7); a new shape gets a new schema version.
 */

/**
 * Refuses any string holding a national identity number or a birth date, with the detector every
 * service uses (personal-data.ts). A JSON Schema pattern cannot verify a check digit, so the
 * published schemas state the rule in their description; the zod schemas enforce it.
 */
const NO_PERSONAL_DATA =
  'PERSONAL-DATA: never holds a national identity number (公民身份号码, check digit verified) or a birth date';
const withoutPersonalData = <S extends z.ZodString>(schema: S) =>
  schema.refine((s) => !containsPersonalData(s), NO_PERSONAL_DATA).meta({ description: NO_PERSONAL_DATA });

const text = () => withoutPersonalData(z.string());
const id = () => withoutPersonalData(z.string().min(1));
const ids = () => z.array(id());
/** A pseudonymous person id (the service's id format), never a national id number. */
export const PersonIdSchema = withoutPersonalData(
  z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'lower-case letters, digits and dashes, 2 to 64 characters'),
).meta({ description: 'PERSONAL-DATA: a pseudonymous person id, never a national identity number' });
const isoDate = () => z.iso.date().meta({ description: 'ISO 8601 calendar date (YYYY-MM-DD)' });
const count = () => z.number().int().min(0);
const yuan = () => z.number().min(0).meta({ description: 'Chinese yuan (CNY)' });
const year = () => z.number().int().min(1990).max(2100);

export const ELECTION_REASON_VALUES = ['schedule', 'new-committee', 'merger', 'split', 'vacancies'] as const;
export const ELECTORATE_MODE_VALUES = [
  'all-voters',
  'household-representatives',
  'group-representatives',
] as const;
export const COMMITTEE_ROLE_VALUES = ['chair', 'vice-chair', 'member'] as const;
export const STAFFING_COMMUNITY_BODIES = [
  'party-organization',
  'residents-committee',
  'service-station',
] as const;
export const INSURANCE_VALUES = ['pension', 'medical', 'unemployment', 'work-injury', 'maternity'] as const;

/** ELECT-2: the legal regime (version of the Organic Law) a decision was taken under. */
export const RegimeAppliedSchema = z
  .object({
    regimeId: z.enum(['organic-law-1989', 'organic-law-2018-amendment', 'organic-law-2025-revision']),
    name: z.string(),
    inForceFrom: isoDate(),
    termYears: z.number().int().min(1),
    committeeSize: z.object({ min: z.number().int().min(1), max: z.number().int().min(1) }),
  })
  .meta({ description: 'ELECT-2: the legal regime and its parameters, as applied' });

/** ELECT-1: an elected member, with the flags the "should" rules of ELECT-1 look at. */
export const MemberRecordSchema = z.object({
  personId: PersonIdSchema,
  role: z.enum(COMMITTEE_ROLE_VALUES),
  woman: z.boolean(),
  ethnicMinority: z.boolean(),
});

const insurances = () => z.array(z.enum(INSURANCE_VALUES));

export const ElectionCalledData = z.object({
  electionId: id(),
  committeeId: id(),
  communityId: id(),
  reason: z.enum(ELECTION_REASON_VALUES),
  calledOn: isoDate(),
  dueOn: isoDate(),
  dueDays: z.number().int().min(0).nullable().meta({
    description: 'ELECT4_ELECTION_DUE_DAYS used for dueOn; null when the call or the term fixed it',
  }),
  endsTermsOfCommitteeIds: ids(),
});

export const ElectorateRegisteredData = z.object({
  electionId: id(),
  mode: z.enum(ELECTORATE_MODE_VALUES),
  registeredVoters: count(),
  households: count().nullable(),
  groups: z.array(z.object({ groupId: id(), representatives: count() })).nullable(),
  regime: RegimeAppliedSchema,
});

export const ElectionHeldData = z.object({
  electionId: id(),
  committeeId: id(),
  communityId: id(),
  heldOn: isoDate(),
  registeredVoters: count(),
  votesCast: count(),
  turnout: z.number().min(0).max(1),
  candidates: z.array(
    z.object({ personId: PersonIdSchema, votes: count(), share: z.number().min(0).max(1) }),
  ),
  validity: z
    .object({
      valid: z.boolean(),
      minTurnoutExclusive: z.number(),
      minVoteShareExclusive: z.number(),
      reason: z.string().nullable(),
    })
    .meta({
      description: 'ELECT-5: the thresholds used (ELECT5_MIN_TURNOUT, ELECT5_MIN_VOTE_SHARE) and the verdict',
    }),
  elected: z.array(MemberRecordSchema),
  warnings: z.array(
    z.object({
      ruleId: z.literal('ELECT-1'),
      code: z.enum(['no-ethnic-minority-member', 'no-woman-member']),
      message: z.string(),
    }),
  ),
  regime: RegimeAppliedSchema,
});

export const TermStartedData = z.object({
  termId: id(),
  committeeId: id(),
  communityId: id(),
  electionId: id(),
  startsOn: isoDate(),
  endsOn: isoDate(),
  termYears: z.number().int().min(1),
  regime: RegimeAppliedSchema,
  members: z.array(MemberRecordSchema),
  /** ELECT-2: members may be re-elected; these sat on the previous term. */
  reElectedPersonIds: z.array(PersonIdSchema),
});

export const TermEndedData = z.object({
  termId: id(),
  committeeId: id(),
  endedOn: isoDate(),
  reason: z.enum(['succeeded', 'merger', 'split', 'dissolution']),
  byElectionId: id()
    .nullable()
    .meta({ description: 'The election whose call or result ended the term; null after a dissolution' }),
});

export const ElectionCancelledData = z.object({
  electionId: id(),
  committeeId: id(),
  cancelledOn: isoDate(),
  reason: z.enum(['merger', 'split', 'dissolution']),
  supersededByElectionId: id()
    .nullable()
    .meta({ description: 'The election called in its place (merger, split); null after a dissolution' }),
});

export const MembersJoinedTermData = z.object({
  termId: id(),
  committeeId: id(),
  electionId: id(),
  members: z.array(MemberRecordSchema),
});

export const WorkerHiredData = z.object({
  personId: PersonIdSchema,
  communityId: id(),
  post: text(),
  collegeGraduate: z.boolean(),
  hiredOn: isoDate(),
});

export const WorkerTransferredData = z.object({
  personId: PersonIdSchema,
  fromCommunityId: id(),
  toCommunityId: id(),
  post: text(),
});

export const WorkerLeftData = z.object({
  personId: PersonIdSchema,
  communityId: id(),
  reason: z.enum([
    'resigned',
    'retired',
    'dismissed',
    'contract-ended',
    'recruited-civil-servant',
    'selected-leadership-post',
    'deceased',
  ]),
});

export const WelfareRecordedData = z.object({
  personId: PersonIdSchema,
  year: year(),
  kind: z.enum(['health-check', 'paid-leave', 'hardship-subsidy']),
  days: z.number().int().min(1).nullable(),
  amountYuan: yuan().nullable(),
});

export const AverageWageRecordedData = z.object({ year: year(), averageAnnualWageYuan: yuan() });

export const PayRecordedData = z.object({
  personId: PersonIdSchema,
  communityId: id(),
  year: year(),
  annualPayYuan: yuan(),
  insurances: insurances(),
  housingFund: z.boolean(),
  floor: z.object({ wageYear: year(), averageAnnualWageYuan: yuan() }).nullable().meta({
    description: "STAFF-3: the floor applied (previous year's average wage), null before it applies",
  }),
  belowFloor: z.boolean(),
  missingInsurances: insurances(),
});

export const QualificationRecordedData = z.object({
  personId: PersonIdSchema,
  level: z.enum(['assistant-social-worker', 'social-worker', 'senior-social-worker']),
  obtainedOn: isoDate(),
});

export const CareerEventRecordedData = z.object({
  personId: PersonIdSchema,
  kind: z.enum([
    'recruited-civil-servant',
    'selected-leadership-post',
    'joined-party',
    'elected-representative',
    'commended',
  ]),
  organization: text(),
  reservedPost: z.boolean(),
});

const PostData = z.object({
  personId: PersonIdSchema,
  communityId: id(),
  body: z.enum(STAFFING_COMMUNITY_BODIES),
  post: text(),
});
export const StaffingPostAssignedData = PostData;
export const StaffingPostEndedData = PostData;

export const StaffingCorrectionFollowedData = z.object({
  correctionEventId: id(),
  correctsEventId: id(),
  correctsType: id(),
  reason: text(),
  correctedBy: text(),
  correctionRecordedAt: z.string(),
  correctedEffectiveAt: isoDate().nullable(),
  correctedLegalBasis: text().nullable(),
  annulled: z.boolean(),
  followed: z
    .array(z.object({ eventId: id(), type: id(), effectiveAt: isoDate() }))
    .meta({ description: 'EST-8: the facts derived from the corrected decision, with their date before it' }),
  /** What they are about, for the timelines (not entity keys: no chronology applies to it). */
  committeeIds: ids(),
  electionIds: ids(),
});

/**
 * Every event type of the staffing and elections service, in the order of the domain's
 * STAFFING_EVENT_TYPES. Rule ids are those the decider cites when it emits the event; the
 * conditional ones are marked in the description.
 */
export const STAFFING_EVENTS = {
  ElectionCalled: contract(
    'ElectionCalled',
    ElectionCalledData,
    ['ELECT-4'],
    'An election was called for a committee: on schedule, for a new committee, after a merger or split, or for vacancies.',
  ),
  ElectorateRegistered: contract(
    'ElectorateRegistered',
    ElectorateRegisteredData,
    ['ELECT-3'],
    'The electorate of an election was registered: all voters, one representative per household, or 2 to 3 per residents’ group.',
  ),
  ElectionHeld: contract(
    'ElectionHeld',
    ElectionHeldData,
    ['ELECT-5', 'ELECT-1'],
    'An election was held, with aggregated results and its validity. Always ELECT-5; ELECT-1 when valid (the composition was checked).',
  ),
  TermStarted: contract(
    'TermStarted',
    TermStartedData,
    ['ELECT-1', 'ELECT-2', 'ELECT-4'],
    'A committee’s term started with its elected members, ending by the term length of the law in force. Always ELECT-1 and ELECT-2; ELECT-4 when the election was not the scheduled one.',
  ),
  TermEnded: contract(
    'TermEnded',
    TermEndedData,
    ['ELECT-2', 'ELECT-4'],
    'A committee’s term ended. ELECT-2 when a new term succeeded it; ELECT-4 when a merger, a split or a dissolution ended it.',
  ),
  ElectionCancelled: contract(
    'ElectionCancelled',
    ElectionCancelledData,
    ['ELECT-4'],
    'An open election will not be held: a merger or split elects the resulting committee instead, or the committee was dissolved.',
  ),
  MembersJoinedTerm: contract(
    'MembersJoinedTerm',
    MembersJoinedTermData,
    ['ELECT-1', 'ELECT-2', 'ELECT-4'],
    'Members elected in a by-election for vacancies joined the term in office, whose end stays (ELECT-1, ELECT-2, ELECT-4).',
  ),
  WorkerHired: contract(
    'WorkerHired',
    WorkerHiredData,
    ['STAFF-1', 'STAFF-5'],
    'A community worker was hired into a service station (STAFF-1), a college graduate or not (STAFF-5).',
  ),
  WorkerTransferred: contract(
    'WorkerTransferred',
    WorkerTransferredData,
    ['STAFF-1'],
    'A worker moved to the service station of another community (STAFF-1).',
  ),
  WorkerLeft: contract(
    'WorkerLeft',
    WorkerLeftData,
    ['STAFF-1', 'STAFF-6'],
    'A worker left the service station. Always STAFF-1; STAFF-6 when recruited as a civil servant or selected for a leadership post.',
  ),
  WelfareRecorded: contract(
    'WelfareRecorded',
    WelfareRecordedData,
    ['STAFF-2'],
    'Welfare of a worker was recorded: annual health check, paid leave (days) or hardship subsidy (amount) (STAFF-2). Personal data.',
  ),
  AverageWageRecorded: contract(
    'AverageWageRecorded',
    AverageWageRecordedData,
    ['STAFF-3'],
    'The district’s average annual wage of employees for a year, the pay floor of the next year (STAFF-3).',
  ),
  PayRecorded: contract(
    'PayRecorded',
    PayRecordedData,
    ['STAFF-3'],
    'A worker’s annual pay, insurances and housing fund, judged against the floor (STAFF-3). Personal data.',
  ),
  QualificationRecorded: contract(
    'QualificationRecorded',
    QualificationRecordedData,
    ['STAFF-4'],
    'A worker obtained a social-work qualification certificate (STAFF-4); its number is not recorded.',
  ),
  CareerEventRecorded: contract(
    'CareerEventRecorded',
    CareerEventRecordedData,
    ['STAFF-6'],
    'An event of a worker’s career: recruited, selected, joined the Party, elected representative, commended (STAFF-6).',
  ),
  PostAssigned: contract(
    'PostAssigned',
    StaffingPostAssignedData,
    ['ORG-2'],
    'A person took a post in one of the three bodies of a community; posts may be held concurrently (ORG-2).',
  ),
  PostEnded: contract('PostEnded', StaffingPostEndedData, ['ORG-2'], 'A person left a post (ORG-2).'),
  EstablishmentCorrectionFollowed: contract(
    'EstablishmentCorrectionFollowed',
    StaffingCorrectionFollowedData,
    ['EST-8', 'ELECT-4'],
    'A correction of an establishment decision (EST-8) was followed: the elections called, terms ended and elections cancelled in reaction to it (ELECT-4) take the corrected date, basis or annulment, and every date derived from them moves with it.',
  ),
} as const;

export type StaffingContracts = typeof STAFFING_EVENTS;
export type StaffingContractType = keyof StaffingContracts;

/** The data type of each event type, as subscribers see it. */
export type StaffingEventData = EventDataOf<StaffingContracts>;

export const STAFFING_CONTRACT_TYPES = contractTypesOf(STAFFING_EVENTS);
