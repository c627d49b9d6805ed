import { factsAbout, RuleViolation } from '#libs/decider';
import type { EstablishmentEvent } from '../events';
import {
  activeBodiesOf,
  bodyKeys,
  touchedEntitiesOf,
  trialOf,
  type DistrictState,
  type DistrictView,
} from '../state';

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
 * `areasNamedWith` (the district's facts by entity) gives the areas ever named by a decision with
 * any of some bodies: a body is put on an area only by a decision naming both (entitiesOf), so the
 * areas whose bodies the events name are among them, and the others need not be looked at.
 */
export function assertCoverage(
  view: DistrictView,
  events: readonly EstablishmentEvent[],
  on: string,
  areasNamedWith?: (bodies: readonly string[]) => Iterable<string>,
): void {
  // Stryker disable next-line ConditionalExpression: a shortcut; events that change no responsibility leave every area's bodies as they were.
  if (!events.some((e) => CHANGES_RESPONSIBILITY.has(e.type))) return;
  const named = new Set(events.flatMap(touchedEntitiesOf));
  const candidates = areasNamedWith
    ? new Set([
        ...[...named].filter((e) => e.startsWith('area:')).map((e) => e.slice(5)),
        ...areasNamedWith([...named].filter((e) => e.startsWith('community:') || e.startsWith('group:'))),
      ])
    : undefined;
  const judged = (areaId: string): boolean =>
    named.has(`area:${areaId}`) ||
    (view.areas[areaId]?.responsibleBodies ?? []).some((b) => bodyKeys(b).some((k) => named.has(k)));
  // The areas looked at: the candidates on the map, or (without them) every area of the map.
  const onTheMap = () =>
    candidates ? [...candidates].filter((id) => Object.hasOwn(view.areas, id)) : Object.keys(view.areas);
  // Judged before the events, on the map as it is.
  const fineBefore = new Map<string, boolean>();
  for (const areaId of onTheMap())
    if (judged(areaId)) fineBefore.set(areaId, activeBodiesOf(view, areaId).length === 1);
  const trial = trialOf(view);
  try {
    for (const e of events) trial.apply(e, on);
    const failing = onTheMap().filter((areaId) => {
      if (!fineBefore.has(areaId) && !judged(areaId)) return false;
      const bodies = activeBodiesOf(view, areaId);
      // Stryker disable next-line ConditionalExpression: a new area is registered under exactly one active body (resolveResponsibility), so it is never judged here.
      return bodies.length !== 1 && (fineBefore.get(areaId) ?? true);
    });
    if (failing.length === 0) return;
    // The refusal names the first in the map's order, whichever were looked at (a refusal is rare).
    const failed = new Set(failing);
    const first =
      candidates && failing.length > 1 ? Object.keys(view.areas).find((id) => failed.has(id))! : failing[0];
    const bodies = activeBodiesOf(view, first);
    const problem = bodies.length === 0 ? 'gap' : 'overlap';
    throw new RuleViolation(
      'EST-7',
      bodies.length === 0
        ? `area ${first} would be left with no responsible body (gap)`
        : `area ${first} would have ${bodies.length} responsible bodies (overlap)`,
      { areaId: first, problem, bodies },
    );
  } finally {
    trial.undo();
  }
}

/**
 * EST-7: the areas any decision named together with one of these bodies (`community:x`,
 * `group:y`), from the facts indexed by entity, and the areas the communities hold on the map:
 * every area a body is responsible for is among them, since a body is put on an area only by a
 * decision naming both (entitiesOf: registration, committee, merger, split, transfer, proxy, group).
 */
export function areasNamedWith(
  state: DistrictState,
  view: DistrictView,
  bodies: readonly string[],
): Set<string> {
  const areas = new Set<string>();
  for (const f of factsAbout(state, bodies))
    for (const e of touchedEntitiesOf(f.event)) if (e.startsWith('area:')) areas.add(e.slice(5));
  for (const body of bodies)
    if (body.startsWith('community:'))
      for (const areaId of view.communities[body.slice(10)]?.areaIds ?? []) areas.add(areaId);
  return areas;
}
