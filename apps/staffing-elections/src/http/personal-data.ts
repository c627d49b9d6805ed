import type { Actor } from '#libs/event-sourcing';
import { forbiddenProblem } from '#libs/http';
import { PERSONAL_DATA_RULE } from '../domain';

/**
 * Who reads which personal data of the staffing service (PERSONAL-DATA). The registry holds no
 * national id numbers (refused on input, in the domain, and by the event catalogue's schemas) and
 * no birth dates; a person is a pseudonymous id. What remains personal is a worker's pay (amounts)
 * and welfare records (health checks, days of leave, hardship subsidies: health and financial
 * data). The rules, enforced here at the HTTP edge:
 *
 * | what                                                        | officer of the district | admin | auditor          | officer of another district |
 * | ----------------------------------------------------------- | ----------------------- | ----- | ---------------- | --------------------------- |
 * | compositions, calendar, timelines, rosters, posts, ratios   | yes                     | yes   | yes              | 403 (district scope)        |
 * | a worker's record: pay and welfare as facts, no amounts     | yes                     | yes   | yes              | 403                         |
 * | pay and welfare in aggregate (`indicators/pay-and-welfare`) | yes                     | yes   | yes              | 403                         |
 * | pay findings (STAFF-3)                                      | with amounts            | same  | without amounts  | 403                         |
 * | a worker's pay amounts and welfare records                  | yes                     | yes   | 403 PERSONAL-DATA | 403                        |
 * | the raw event stream (`events`, carries those amounts)      | yes                     | yes   | 403 PERSONAL-DATA | 403                        |
 *
 * The district scope is the route's (@DistrictScoped): an officer reads the persons of their own
 * district only, admins and city-wide tokens every district. Auditors audit the rules (floor met,
 * insurances paid, health check done) without reading what one person earns or suffered; the
 * aggregates hide groups of fewer than AGGREGATE_MIN_PERSONS persons.
 */
export const PERSONAL_DETAIL_ROLES = ['officer', 'admin'] as const;

/** True when the actor may read a person's pay amounts and welfare records (in its district scope). */
export const mayReadPersonalDetails = (actor: Pick<Actor, 'roles'>): boolean =>
  actor.roles.some((r) => (PERSONAL_DETAIL_ROLES as readonly string[]).includes(r));

/** 403 naming the rule and where the reader finds what it may see instead. */
export function assertMayReadPersonalDetails(
  actor: Pick<Actor, 'roles'>,
  what: string,
  instead: string,
): void {
  if (mayReadPersonalDetails(actor)) return;
  throw forbiddenProblem(
    `${what} are personal data: officers of the person's district and admins read them; ` +
      `an auditor reads ${instead}.`,
    { ruleId: PERSONAL_DATA_RULE, requiredRoles: [...PERSONAL_DETAIL_ROLES], instead },
  );
}

/** STAFF-3 findings as the reader may see them: without the pay amount for an auditor. */
export function payFindingsFor<F extends { annualPayYuan: number }>(
  actor: Pick<Actor, 'roles'>,
  answer: { year: number; findings: F[] },
) {
  if (mayReadPersonalDetails(actor)) return { ...answer, personalData: 'full' as const };
  return {
    year: answer.year,
    personalData: 'aggregated' as const,
    findings: answer.findings.map(({ annualPayYuan: _amount, ...finding }) => finding),
  };
}
