/**
 * Legal regimes and policy parameters of the election and staffing rules (RULES.md ELECT-1..5,
 * STAFF-1..6). The law fixes some numbers (5–9 members, term lengths); the numbers it leaves open
 * are policy parameters with documented defaults, never silent constants. Every decision that used
 * one records the regime and the values it used.
 */

/** ELECT-3 [law]: who votes, as the residents decide. */
export const ELECTORATE_MODES = ['all-voters', 'household-representatives', 'group-representatives'] as const;
export type ElectorateMode = (typeof ELECTORATE_MODES)[number];

/**
 * One version of the Organic Law of Urban Residents' Committees (城市居民委员会组织法), with the
 * parameters a decision under it needs. ELECT-2: data keyed by the date it came into force, so a
 * 2013 election is judged by the 1989 law and one of 2026 by the revised law.
 */
export interface LegalRegime {
  readonly regimeId: 'organic-law-1989' | 'organic-law-2018-amendment' | 'organic-law-2025-revision';
  readonly name: string;
  readonly inForceFrom: string;
  /** ELECT-2: years between the start and the end of a term. */
  readonly termYears: number;
  /** ELECT-1: chair, vice-chairs and members, this many in all. */
  readonly committeeSize: { readonly min: number; readonly max: number };
  /** ELECT-3: the electorate modes the law allows. */
  readonly electorateModes: readonly ElectorateMode[];
  /** ELECT-3: representatives per residents' group when the groups elect. */
  readonly representativesPerGroup: { readonly min: number; readonly max: number };
  /** ELECT-1: Gansu's rules from 2026-01-01 reportedly ask for a woman member (flagged, not refused). */
  readonly womanMemberExpected: boolean;
}

export const LEGAL_REGIMES: readonly LegalRegime[] = [
  {
    regimeId: 'organic-law-1989',
    name: 'Organic Law of Urban Residents’ Committees 1989',
    // Adopted 1989-12-26, in force 1990-01-01; the registry starts in 1990.
    inForceFrom: '1990-01-01',
    termYears: 3,
    committeeSize: { min: 5, max: 9 },
    electorateModes: ELECTORATE_MODES,
    representativesPerGroup: { min: 2, max: 3 },
    womanMemberExpected: false,
  },
  {
    regimeId: 'organic-law-2018-amendment',
    name: 'Organic Law, amendment of 2018-12-29',
    inForceFrom: '2018-12-29',
    termYears: 5,
    committeeSize: { min: 5, max: 9 },
    electorateModes: ELECTORATE_MODES,
    representativesPerGroup: { min: 2, max: 3 },
    womanMemberExpected: false,
  },
  {
    regimeId: 'organic-law-2025-revision',
    // Revised 2025-10-28, in force 2026-01-01; parameters as reported, to be checked against the
    // published text (RULES.md ELECT-1, ELECT-2).
    name: 'Organic Law, revision of 2025-10-28',
    inForceFrom: '2026-01-01',
    termYears: 5,
    committeeSize: { min: 5, max: 9 },
    electorateModes: ELECTORATE_MODES,
    representativesPerGroup: { min: 2, max: 3 },
    womanMemberExpected: true,
  },
];

/** ELECT-2: the regime in force on a date (the 1989 law for anything before 2018-12-29). */
export function regimeOn(date: string, regimes: readonly LegalRegime[] = LEGAL_REGIMES): LegalRegime {
  let found = regimes[0];
  // Stryker disable next-line MethodExpression: equivalent, a date-time sorts against YYYY-MM-DD as its date does
  for (const r of regimes) if (r.inForceFrom <= date.slice(0, 10)) found = r;
  return found;
}

/** STAFF-3: the five social insurances (五险) beside the housing fund (一金). */
export const FIVE_INSURANCES = ['pension', 'medical', 'unemployment', 'work-injury', 'maternity'] as const;
export type Insurance = (typeof FIVE_INSURANCES)[number];

export interface StaffingPolicy {
  /**
   * ELECT-5: an election is valid when more than this share of the registered voters cast a vote.
   * Registry default 0.5 ("more than half", the usual reading of the Organic Law's rule).
   */
  readonly minTurnoutExclusive: number;
  /**
   * ELECT-5: a candidate is elected with more than this share of the votes cast. Registry default
   * 0.5 ("more than half of the votes cast").
   */
  readonly minVoteShareExclusive: number;
  /**
   * ELECT-4: days from calling an election (new committee, merger, split, vacancies) to its due
   * date when the call does not name one. Registry default 90 days; the text says "promptly".
   */
  readonly electionDueDays: number;
  /** Election calendar: days before a term's end from which it is listed as "ending". Default 180. */
  readonly termEndingNoticeDays: number;
  /** STAFF-3: first pay year judged against the floor ("by the end of the 12th FYP", 2015). */
  readonly payFloorFromYear: number;
  /** STAFF-4: target share of qualification holders among community workers (20% by 2020). */
  readonly qualificationTarget: number;
  readonly qualificationTargetYear: number;
}

export const DEFAULT_STAFFING_POLICY: StaffingPolicy = {
  minTurnoutExclusive: 0.5,
  minVoteShareExclusive: 0.5,
  electionDueDays: 90,
  termEndingNoticeDays: 180,
  payFloorFromYear: 2015,
  qualificationTarget: 0.2,
  qualificationTargetYear: 2020,
};

/** Adds whole years to a YYYY-MM-DD date; 29 February falls back to 28 February. */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.slice(0, 10).split('-').map(Number);
  const target = new Date(Date.UTC(y + years, m - 1, d));
  if (target.getUTCMonth() !== m - 1) target.setUTCDate(0);
  return target.toISOString().slice(0, 10);
}

/** Adds whole days to a YYYY-MM-DD date, in UTC so no time zone shifts the result. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
