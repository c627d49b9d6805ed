import type { HouseholdRangeCheck } from './events';

/**
 * Policy parameters of the establishment rules. The 2013 text fixes some numbers (50% occupancy,
 * EST-2) and leaves others open ("promptly", "large"); those are parameters with documented
 * defaults, never silent constants. Every decision that used one records the value it used.
 */
export interface EstablishmentPolicy {
  /** EST-2: occupancy rate at which a new estate must get its own committee (fixed by the text). */
  readonly occupancyThreshold: number;
  /** EST-2, EST-5, EST-6: days between opening an establishment obligation and its due date. */
  readonly obligationDueDays: number;
  /** EST-6: households from which a migrant-population concentration area is "large". */
  readonly largeMigrantAreaHouseholds: number;
}

export const DEFAULT_POLICY: EstablishmentPolicy = {
  occupancyThreshold: 0.5,
  // "及时" (promptly) is not quantified by the text; 180 days is the registry's default.
  obligationDueDays: 180,
  // "规模较大" is not quantified either; 1,000 households is the registry's default.
  largeMigrantAreaHouseholds: 1000,
};

/**
 * EST-9 [law]: the household range a committee's area usually holds, by the law in force on the
 * effective date. Data keyed by date so a 2013 decision is judged by the 1989 law.
 */
export interface HouseholdRangeRegime {
  readonly regime: string;
  readonly inForceFrom: string;
  readonly minHouseholds: number;
  readonly maxHouseholds: number;
}

export const HOUSEHOLD_RANGE_REGIMES: readonly HouseholdRangeRegime[] = [
  {
    regime: 'Organic Law 1989',
    // Stryker disable next-line StringLiteral: the first regime is also the fallback for any earlier date, so its start date changes no judgement.
    inForceFrom: '1990-01-01',
    minHouseholds: 100,
    maxHouseholds: 700,
  },
  // Reported range of the revised law; to be checked against the published text.
  { regime: 'Organic Law revised 2025', inForceFrom: '2026-01-01', minHouseholds: 1000, maxHouseholds: 3000 },
];

export function householdRangeRegimeOn(date: string): HouseholdRangeRegime {
  let found = HOUSEHOLD_RANGE_REGIMES[0];
  for (const r of HOUSEHOLD_RANGE_REGIMES) if (r.inForceFrom <= date) found = r;
  return found;
}

/**
 * EST-9: judges a household count by the law in force on a date. The fold calls it with the
 * effective date as corrected (EST-8), so a correction across 2026-01-01 changes the regime.
 */
export function householdRangeOn(households: number, date: string): HouseholdRangeCheck {
  const regime = householdRangeRegimeOn(date);
  return {
    households,
    regime: regime.regime,
    minHouseholds: regime.minHouseholds,
    maxHouseholds: regime.maxHouseholds,
    withinRange: households >= regime.minHouseholds && households <= regime.maxHouseholds,
  };
}

/** Adds whole days to a YYYY-MM-DD date, in UTC so no time zone shifts the result. */
export function addDays(date: string, days: number): string {
  // Stryker disable next-line MethodExpression: every caller passes a date already (dateOf); the slice only guards an instant.
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
