import { RuleViolation } from '#libs/decider';
import type { EstablishmentEvent } from '../events';
import { activeBodiesOf, applyToView, type DistrictView } from '../state';

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

/** EST-7: after the decision every area that was covered by exactly one body still is. */
export function assertCoverage(view: DistrictView, events: readonly EstablishmentEvent[], on: string): void {
  // Stryker disable next-line ConditionalExpression: a shortcut; events that change no responsibility leave every area's bodies as they were.
  if (!events.some((e) => CHANGES_RESPONSIBILITY.has(e.type))) return;
  const after = structuredClone(view);
  for (const e of events) applyToView(after, e, on);
  for (const area of Object.values(after.areas)) {
    const bodies = activeBodiesOf(after, area.areaId);
    if (bodies.length === 1) continue;
    // Stryker disable next-line ConditionalExpression: a new area is registered under exactly one active body (resolveResponsibility), so it is never judged here.
    const wasFine = !view.areas[area.areaId] || activeBodiesOf(view, area.areaId).length === 1;
    if (!wasFine) continue;
    const problem = bodies.length === 0 ? 'gap' : 'overlap';
    throw new RuleViolation(
      'EST-7',
      bodies.length === 0
        ? `area ${area.areaId} would be left with no responsible body (gap)`
        : `area ${area.areaId} would have ${bodies.length} responsible bodies (overlap)`,
      { areaId: area.areaId, problem, bodies },
    );
  }
}
