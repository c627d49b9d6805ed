import { NotFound, RuleViolation, type CommandContext } from '#libs/decider';
import type { Manager, UseRightHolder } from '../commands';
import { entitiesOf, type FacilityEvent } from '../events';
import { dateOf, viewAsOf, type FacilityState, type FacilityView, type ProjectView } from '../state';

// The checks every slice of the facility decider shares: the date it judges on, chronology, lookups.

export const ev = <T extends FacilityEvent['type']>(
  type: T,
  ruleIds: string[],
  data: Extract<FacilityEvent, { type: T }>['data'],
): FacilityEvent => ({ type, ruleIds, data }) as FacilityEvent;

/**
 * A decision judged on the facilities as they stood on its effective date (a backfilled decision is
 * judged by its date), and refused if it would come before one already recorded on the same entity.
 */
export function onItsDate(
  state: FacilityState,
  ctx: CommandContext,
  decideOn: (view: FacilityView, on: string) => FacilityEvent[],
): FacilityEvent[] {
  const on = dateOf(ctx.effectiveAt);
  // The facilities as they stood on the effective date: a backfilled decision is judged by its date.
  // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent; on or after the latest date, the view as of `on` is the current view
  const view = on >= state.latestEffectiveAt ? state.view : viewAsOf(state.facts, on);
  const events = decideOn(view, on);
  assertChronological(state, events, on);
  return events;
}

/**
 * The registry's chronology (README, "Bitemporal history"): a decision about a project, community
 * or facility is not dated before a decision already recorded on it.
 */
function assertChronological(state: FacilityState, events: readonly FacilityEvent[], on: string): void {
  for (const entity of new Set(events.flatMap(entitiesOf))) {
    const last = state.lastEffectiveByEntity.get(entity);
    // Stryker disable next-line ConditionalExpression: equivalent; a date is never below undefined
    if (last !== undefined && on < last)
      throw new RuleViolation('EST-8', `${entity} has a decision effective ${last}, after ${on}`, {
        entity,
        lastEffectiveAt: last,
      });
  }
}

export function requireProject(view: FacilityView, projectId: string): ProjectView {
  const p = view.projects[projectId];
  if (!p) throw new NotFound('project', projectId);
  return p;
}

export function requireFacility(view: FacilityView, facilityId: string, on: string) {
  const f = view.facilities[facilityId];
  if (!f || f.endedOn !== null) throw new NotFound('facility', facilityId);
  // Stryker disable next-line ConditionalExpression: equivalent; null < a date is false (the null test narrows the type)
  if (f.leaseUntil !== null && f.leaseUntil < on)
    throw new RuleViolation('FAC-4', `the lease of ${facilityId} ended on ${f.leaseUntil}`);
  return f;
}

export function assertNewFacility(view: FacilityView, facilityId: string): void {
  if (view.facilities[facilityId])
    throw new RuleViolation('FAC-4', `facility ${facilityId} is already on record`, { facilityId });
}

/** FAC-5: the committee holds the right of use; the sub-district office (or township) manages. */
export function assertUseAndManagement(useRightHolder: UseRightHolder, manager: Manager): void {
  if (useRightHolder !== 'residents-committee')
    throw new RuleViolation(
      'FAC-5',
      'the residents committee holds the right of use of community facilities',
      {
        useRightHolder,
      },
    );
  if (manager !== 'sub-district-office' && manager !== 'township-government')
    throw new RuleViolation('FAC-5', 'community facilities are managed by the sub-district office', {
      manager,
    });
}
