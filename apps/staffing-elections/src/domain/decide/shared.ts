import { NotFound, RuleViolation, type CommandContext } from '#libs/decider';
import type { RegimeApplied, StaffingEvent } from '../events';
import type { LegalRegime } from '../policy';
import {
  dateOf,
  entitiesOf,
  viewAsOf,
  type StaffingState,
  type StaffingView,
  type WorkerView,
} from '../state';

// The checks every slice of the staffing decider shares: the date it judges on, chronology, lookups.

export const ev = <T extends StaffingEvent['type']>(
  type: T,
  ruleIds: readonly string[],
  data: Extract<StaffingEvent, { type: T }>['data'],
): StaffingEvent => ({ type, ruleIds, data }) as StaffingEvent;

export const regimeApplied = (r: LegalRegime): RegimeApplied => ({
  regimeId: r.regimeId,
  name: r.name,
  inForceFrom: r.inForceFrom,
  termYears: r.termYears,
  committeeSize: { ...r.committeeSize },
});

/**
 * A decision judged on the state as it stood on its effective date (a backfilled decision is judged
 * by its own date), and refused if it would come before one already recorded on the same entity.
 */
export function onItsDate(
  state: StaffingState,
  ctx: CommandContext,
  decideOn: (view: StaffingView, on: string) => StaffingEvent[],
): StaffingEvent[] {
  const on = dateOf(ctx.effectiveAt);
  // The state as it stood on the effective date: a backfilled decision is judged by its own date.
  // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent from the latest decision on (the fold as of it is the view); a backdated decision is tested (STAFF-3)
  const view = on >= state.latestEffectiveAt ? state.view : viewAsOf(state.facts, on);
  const events = decideOn(view, on);
  assertChronological(state, events, on);
  return events;
}

/** A decision about an entity may not be dated before one already recorded on it. */
function assertChronological(state: StaffingState, events: readonly StaffingEvent[], on: string): void {
  for (const event of events) {
    for (const key of entitiesOf(event)) {
      const last = state.lastEffectiveByEntity.get(key);
      // Stryker disable next-line ConditionalExpression: equivalent, nothing recorded compares as no later date
      if (last !== undefined && last > on)
        throw new RuleViolation(
          event.ruleIds[0],
          `${key} has a decision effective ${last}; a later decision cannot take effect earlier (${on})`,
          { entity: key, latestEffectiveAt: last },
        );
    }
  }
}

export function known(view: StaffingView, personId: string): WorkerView {
  const w = view.workers[personId];
  if (!w) throw new NotFound('worker', personId);
  return w;
}

export function employed(view: StaffingView, personId: string, ruleId: string): WorkerView {
  const w = known(view, personId);
  // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent, a worker has a station exactly while employed
  if (w.status !== 'employed' || w.communityId === null)
    throw new RuleViolation(ruleId, `${personId} does not work in a service station (left on ${w.leftOn})`);
  return w;
}

/** An election that can still be acted on: known, and not cancelled (ELECT-4). */
export function requireElection(view: StaffingView, electionId: string) {
  const e = view.elections[electionId];
  if (!e) throw new NotFound('election', electionId);
  if (e.status === 'cancelled')
    throw new RuleViolation('ELECT-4', `election ${electionId} was cancelled on ${e.cancelledOn}`, {
      electionId,
    });
  return e;
}
