import type { CalendarEntry, ElectionReason, MemberRecord, PersonPost, WorkerView } from '../../domain';

/**
 * The read models of the staffing and elections service: the current state of each district,
 * kept by StaffingProjection from the event log (MongoDB through mongoose, or in memory through
 * mingo). Every document names its district and stream and the stream revision of the last event
 * that changed it; documents are total (null, never a missing field), as the read store's
 * merge-on-upsert expects.
 *
 * Nothing here depends on the day it is read: whether a term has expired or an election is
 * overdue is worked out by the queries from the dates stored (see StaffingQueries).
 */

export const STAFFING_COLLECTIONS = {
  committees: 'committees',
  calendar: 'election-calendar',
  persons: 'persons',
  workers: 'workers',
} as const;

interface Guarded {
  _id: string;
  /** District code, e.g. `chengguan`. */
  district: string;
  /** `district-<code>`: the stream whose revision guards the document. */
  streamId: string;
  /** Stream revision of the last event that changed this document. */
  revision: number;
}

/** ELECT-1/ELECT-2: the term in office of a committee, members chair first. */
export interface TermInOffice {
  termId: string;
  electionId: string;
  startsOn: string;
  endsOn: string;
  termYears: number;
  regimeId: string;
  size: number;
  members: MemberRecord[];
}

/** A committee now: who sits on it and for how long, and the election still to be held. */
export interface CommitteeDocument extends Guarded {
  committeeId: string;
  communityId: string;
  /** The term in office (started, not ended by a decision), or null (none yet, or ended, ELECT-4). */
  term: TermInOffice | null;
  /** ELECT-4/ELECT-5: the election called and not yet validly held, or null. */
  openElection: {
    electionId: string;
    reason: ElectionReason;
    calledOn: string;
    dueOn: string;
    status: 'called' | 'failed';
  } | null;
  /** The latest term that ended, and why (succeeded, merger, split, dissolution). */
  lastEndedTerm: { termId: string; endedOn: string; reason: string } | null;
  electionIds: string[];
  termIds: string[];
}

/**
 * ELECT-2/ELECT-4: one per committee: what it is next to be elected for (its open election, else
 * the end of its term in office). `listed` is false when it has neither: a dissolved committee, or
 * one whose election a merger superseded. The status (due, overdue, ending, scheduled) depends on
 * the day asked, so the query computes it from `dueOn`.
 */
export interface CalendarDocument extends Guarded {
  committeeId: string;
  communityId: string;
  listed: boolean;
  kind: CalendarEntry['kind'] | null;
  electionId: string | null;
  termId: string | null;
  dueOn: string | null;
}

/** ORG-2: every post a person holds now in the three bodies of the district's communities. */
export interface PersonDocument extends Guarded {
  personId: string;
  posts: PersonPost[];
}

/**
 * STAFF-1..6: a community worker now. Holds personal data (pay amounts, welfare records): who may
 * read which part is decided at the HTTP edge (http/personal-data.ts), never here.
 */
export interface WorkerDocument extends WorkerView, Guarded {}
