import { RuleViolation } from '#libs/decider';
import type { EstablishmentEvent } from '../events';
import { activeBodiesOf, bodyKeys, touchedEntitiesOf, trialOf, type DistrictView } from '../state';

// The EST-7 guard every decision but a correction passes: no area loses its one responsible body.

/** The events that can change who is responsible for an area; only these need the EST-7 check. */
// Stryker disable StringLiteral: a safety net. Every decision that can leave a gap or overlap either
// refuses it itself or emits CommitteeDissolved, so none of the other entries changes an outcome.
const CHANGES_RESPONSIBILITY: ReadonlySet<EstablishmentEvent['type']> = new Set([
  'AreaRegistered',
  'ResidentsGroupFormed',
  'ResidentsGroupDisbanded',
  'ProxyManagementStarted',
  'ProxyManagementEnded',
  'AreaTransferred',
  'CommitteeEstablished',
  'CommitteesMerged',
  'CommitteeSplit',
  // Stryker restore StringLiteral
  'CommitteeDissolved',
]);

/**
 * EST-7: after the decision every area that was covered by exactly one body still is. Only the
 * areas the events can change are judged: those they name and those whose bodies they name.
 */
export function assertCoverage(view: DistrictView, events: readonly EstablishmentEvent[], on: string): void {
  // Stryker disable next-line ConditionalExpression: a shortcut; events that change no responsibility leave every area's bodies as they were.
  if (!events.some((e) => CHANGES_RESPONSIBILITY.has(e.type))) return;
  const named = new Set(events.flatMap(touchedEntitiesOf));
  const judged = (areaId: string): boolean =>
    named.has(`area:${areaId}`) ||
    (view.areas[areaId]?.responsibleBodies ?? []).some((b) => bodyKeys(b).some((k) => named.has(k)));
  // Judged before the events, on the map as it is.
  const fineBefore = new Map<string, boolean>();
  for (const areaId in view.areas)
    if (judged(areaId)) fineBefore.set(areaId, activeBodiesOf(view, areaId).length === 1);
  const trial = trialOf(view);
  try {
    for (const e of events) trial.apply(e, on);
    for (const areaId in view.areas) {
      if (!fineBefore.has(areaId) && !judged(areaId)) continue;
      const bodies = activeBodiesOf(view, areaId);
      if (bodies.length === 1) continue;
      // Stryker disable next-line ConditionalExpression: a new area is registered under exactly one active body (resolveResponsibility), so it is never judged here.
      const wasFine = fineBefore.get(areaId) ?? true;
      if (!wasFine) continue;
      const problem = bodies.length === 0 ? 'gap' : 'overlap';
      throw new RuleViolation(
        'EST-7',
        bodies.length === 0
          ? `area ${areaId} would be left with no responsible body (gap)`
          : `area ${areaId} would have ${bodies.length} responsible bodies (overlap)`,
        { areaId, problem, bodies },
      );
    }
  } finally {
    trial.undo();
  }
}
