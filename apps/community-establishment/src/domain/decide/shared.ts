import { NotFound, RuleViolation } from '#libs/decider';
import { entitiesOf, type EstablishmentEvent } from '../events';
import type { CommunityView, DistrictState, DistrictView } from '../state';

// What every slice of the establishment decider uses: building events, the lookups that throw
// NotFound, and the EST-8 chronology guard that every decision but a correction passes.

export const ev = <T extends EstablishmentEvent['type']>(
  type: T,
  ruleIds: string[],
  data: Extract<EstablishmentEvent, { type: T }>['data'],
): EstablishmentEvent => ({ type, ruleIds, data }) as EstablishmentEvent;

export function requireArea(view: DistrictView, areaId: string) {
  const area = view.areas[areaId];
  if (!area) throw new NotFound('area', areaId);
  return area;
}

export function requireActiveCommunity(view: DistrictView, communityId: string): CommunityView {
  const c = view.communities[communityId];
  if (!c) throw new NotFound('community', communityId);
  if (c.status !== 'active')
    throw new RuleViolation('EST-8', `community ${communityId} was ${c.status} on ${c.endedOn}`, {
      communityId,
      status: c.status,
      endedOn: c.endedOn,
    });
  return c;
}

/** EST-8: each entity's history is recorded in the order its decisions took effect. */
export function assertChronological(
  state: DistrictState,
  events: readonly EstablishmentEvent[],
  on: string,
): void {
  for (const event of events)
    for (const entity of entitiesOf(event)) {
      const last = state.lastEffectiveByEntity.get(entity);
      // Stryker disable next-line ConditionalExpression: undefined > on is false as well; the first test only narrows the type.
      if (last !== undefined && last > on)
        throw new RuleViolation(
          'EST-8',
          `a later decision on ${entity} took effect on ${last}; record earlier decisions first, or correct that one`,
          { entity, lastEffectiveAt: last, effectiveAt: on },
        );
    }
}
