import { assertNever } from '#libs/decider';
import type { DomainEvent } from '#libs/decider';
import {
  STAFFING_CONTRACT_TYPES,
  type DomainEventDataOf,
  type MemberRecordSchema,
  type ReadonlyDeep,
  type RegimeAppliedSchema,
  type StaffingContracts,
} from '#libs/contracts';
import type { z } from 'zod';

/**
 * Events of the staffing and elections service. Their data are written once, as the published
 * contract (libs/contracts/src/staffing-events.ts), and read here as read-only types: a field
 * added, removed or retyped there changes the domain's events with it. A type string, once stored,
 * is never renamed. No event carries a national id number: persons are pseudonymous ids.
 */

type Data = DomainEventDataOf<StaffingContracts>;
type E<T extends keyof Data> = DomainEvent<T, Data[T]>;

/** ELECT-2: the regime and parameters a decision was taken under, recorded in the event. */
export type RegimeApplied = ReadonlyDeep<z.output<typeof RegimeAppliedSchema>>;
export type MemberRecord = ReadonlyDeep<z.output<typeof MemberRecordSchema>>;
/** A "should" of ELECT-1 that was not met: recorded, never refused. */
export type ElectionWarning = Data['ElectionHeld']['warnings'][number];

export type ElectionCalled = E<'ElectionCalled'>;
export type ElectorateRegistered = E<'ElectorateRegistered'>;
/** ELECT-5: the thresholds used (policy parameters) and the verdict, in `validity`. */
export type ElectionHeld = E<'ElectionHeld'>;
/** ELECT-2: ends on startsOn + the term length of the regime in force on the election date. */
export type TermStarted = E<'TermStarted'>;
export type TermEnded = E<'TermEnded'>;
/**
 * ELECT-4: an election still open (called, or failed and not yet held again) that will not be
 * held: a merger or split elects the resulting committee instead, or the committee was dissolved.
 */
export type ElectionCancelled = E<'ElectionCancelled'>;
/** A by-election for vacancies: the new members join the current term, whose end stays. */
export type MembersJoinedTerm = E<'MembersJoinedTerm'>;
/**
 * EST-8: this service followed a correction of an establishment decision it had
 * reacted to. The facts listed were derived from that decision (their causation); from now on they
 * take effect on the corrected date (or are annulled), and every date derived from their effective
 * date (calledOn, dueOn, endedOn, cancelledOn) is derived again in the fold. The event records the
 * correction itself for the timeline: who recorded it, when, why, on what basis.
 */
export type EstablishmentCorrectionFollowed = E<'EstablishmentCorrectionFollowed'>;
export type WorkerHired = E<'WorkerHired'>;
export type WorkerTransferred = E<'WorkerTransferred'>;
export type WorkerLeft = E<'WorkerLeft'>;
export type WelfareRecorded = E<'WelfareRecorded'>;
export type AverageWageRecorded = E<'AverageWageRecorded'>;
/** STAFF-3: the floor applied (previous year's average wage) or null before payFloorFromYear. */
export type PayRecorded = E<'PayRecorded'>;
export type QualificationRecorded = E<'QualificationRecorded'>;
export type CareerEventRecorded = E<'CareerEventRecorded'>;
export type PostAssigned = E<'PostAssigned'>;
export type PostEnded = E<'PostEnded'>;

/** Every event of the service: one per contract, so a new contract must be folded (assertNever). */
export type StaffingEvent = { [T in keyof Data]: E<T> }[keyof Data];

export type StaffingEventType = StaffingEvent['type'];

/** Every event type of the service, in the catalogue's order. */
export const STAFFING_EVENT_TYPES: readonly StaffingEventType[] = STAFFING_CONTRACT_TYPES;

export { assertNever };
