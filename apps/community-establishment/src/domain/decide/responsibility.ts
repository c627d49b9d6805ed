import { RuleViolation, assertNever } from '#libs/decider';
import type { ResponsibilityRequest } from '../commands';
import type { EstablishmentEvent, ResponsibleBody } from '../events';
import { activeBodiesOf, type CommunityView, type DistrictView } from '../state';
import { ev, requireActiveCommunity } from './shared';

// Who is responsible for an area (EST-3, EST-6, EST-7): the checks and events that areas, interim
// coverage and committees share.

/** Attachment to an adjacent community: EST-6 for a migrant-population area, EST-3 otherwise. */
export const attachmentRule = (kind: string): string =>
  kind === 'migrant-population-concentration' ? 'EST-6' : 'EST-3';

/** Adjacency (相邻): one of the community's own areas borders the area. */
function isAdjacent(view: DistrictView, c: CommunityView, areaId: string): boolean {
  // Stryker disable next-line ConditionalExpression,BooleanLiteral,OptionalChaining: no area is ever adjacent to itself (EST-3) and a community's areas are all registered.
  return c.areaIds.some((a) => a !== areaId && (view.areas[a]?.adjacentAreaIds.includes(areaId) ?? false));
}

export function assertAdjacent(view: DistrictView, c: CommunityView, areaId: string, ruleId: string): void {
  if (!isAdjacent(view, c, areaId))
    throw new RuleViolation(ruleId, `community ${c.communityId} is not adjacent to area ${areaId}`, {
      communityId: c.communityId,
      areaId,
    });
}

/** EST-6: a small migrant-population area keeps a residents' group; no later proxy replaces it. */
export function assertNoProxyForSmallMigrantArea(view: DistrictView, areaId: string): void {
  // Stryker disable next-line OptionalChaining: callers pass a registered area (or one in the registration probe).
  const scale = view.areas[areaId]?.migrantScale;
  if (scale?.scale === 'small')
    throw new RuleViolation(
      'EST-6',
      `a small migrant-population area gets a residents' group attached to an adjacent community, not proxy management`,
      { field: 'responsibility', areaId, threshold: scale.thresholdHouseholds },
    );
}

export function assertNoOwnCommittee(view: DistrictView, areaId: string, ruleId: string): void {
  const own = activeBodiesOf(view, areaId).find((b) => b.kind === 'own-committee');
  if (own)
    throw new RuleViolation(ruleId, `area ${areaId} already has its own committee (${own.communityId})`, {
      areaId,
      communityId: own.communityId,
    });
}

/** Events that end an area's proxy or residents' group, before another body takes over. */
export function endArrangements(view: DistrictView, areaId: string, reason: string): EstablishmentEvent[] {
  return activeBodiesOf(view, areaId).flatMap((b): EstablishmentEvent[] => {
    if (b.kind === 'proxy')
      return [
        ev('ProxyManagementEnded', ['EST-3', 'EST-8'], {
          areaId,
          byCommunityId: b.communityId,
          byCommitteeId: b.committeeId,
          reason,
        }),
      ];
    if (b.kind === 'residents-group')
      return [ev('ResidentsGroupDisbanded', ['EST-3'], { groupId: b.groupId, areaId, reason })];
    // Stryker disable next-line ArrayDeclaration: unreachable, every caller refuses an area with its own committee first.
    return [];
  });
}

/** Turns a requested responsibility into a body, checking EST-3 and EST-6 adjacency. */
export function resolveResponsibility(
  view: DistrictView,
  areaId: string,
  request: ResponsibilityRequest,
  exceptCommunityId?: string,
): ResponsibleBody {
  const check = (id: string): CommunityView => {
    if (id === exceptCommunityId)
      throw new RuleViolation('EST-7', `community ${id} cannot succeed itself for area ${areaId}`);
    return requireActiveCommunity(view, id);
  };
  switch (request.kind) {
    case 'own-committee': {
      const c = check(request.communityId);
      return { kind: 'own-committee', communityId: c.communityId, committeeId: c.committee.committeeId };
    }
    case 'proxy': {
      const c = check(request.communityId);
      // Stryker disable next-line ConditionalExpression: the area is always on the map here (registered, or in the registration probe).
      if (view.areas[areaId]) assertAdjacent(view, c, areaId, 'EST-3');
      assertNoProxyForSmallMigrantArea(view, areaId);
      return { kind: 'proxy', communityId: c.communityId, committeeId: c.committee.committeeId };
    }
    case 'residents-group': {
      const c = check(request.attachedToCommunityId);
      if (view.groups[request.groupId])
        throw new RuleViolation('EST-3', `residents' group ${request.groupId} already exists`);
      const area = view.areas[areaId];
      // Stryker disable next-line ConditionalExpression: the area is always on the map here (registered, or in the registration probe).
      if (area) assertAdjacent(view, c, areaId, attachmentRule(area.kind));
      return { kind: 'residents-group', groupId: request.groupId, attachedToCommunityId: c.communityId };
    }
    default:
      return assertNever(request);
  }
}

/** Events that put a successor body in charge of an existing area. */
export function successorEvents(
  view: DistrictView,
  areaId: string,
  request: ResponsibilityRequest,
  on: string,
  fromCommunityId: string,
): EstablishmentEvent[] {
  const body = resolveResponsibility(view, areaId, request, fromCommunityId);
  switch (body.kind) {
    case 'own-committee':
      return [
        ev('AreaTransferred', ['EST-7', 'EST-8'], {
          areaId,
          fromCommunityId,
          toCommunityId: body.communityId,
          toCommitteeId: body.committeeId,
        }),
        ...closeObligations(view, [areaId], body.communityId, body.committeeId),
      ];
    case 'proxy':
      return [
        ev('ProxyManagementStarted', ['EST-3', 'EST-7', 'EST-8'], {
          areaId,
          byCommunityId: body.communityId,
          byCommitteeId: body.committeeId,
        }),
      ];
    case 'residents-group':
      return [
        ev('ResidentsGroupFormed', ['EST-3', 'EST-6', 'EST-7'], {
          groupId: body.groupId,
          // Stryker disable next-line ConditionalExpression: a residents' group body comes only from a residents' group request; the test narrows the type.
          name: request.kind === 'residents-group' ? request.groupName : body.groupId,
          areaId,
          attachedToCommunityId: body.attachedToCommunityId,
        }),
      ];
    default:
      return assertNever(body);
  }
}

/**
 * EST-2: an open obligation closes when a committee covers the area. The closing date and whether
 * it was late are derived in the fold from the decision's effective date, so they follow a
 * correction (EST-8).
 */
export function closeObligations(
  view: DistrictView,
  areaIds: readonly string[],
  communityId: string,
  committeeId: string,
): EstablishmentEvent[] {
  return areaIds.flatMap((areaId) => {
    // Stryker disable next-line OptionalChaining: the areas whose obligations close are all on the map.
    const o = view.areas[areaId]?.obligation;
    if (!o || o.closedOn !== null) return [];
    return [ev('EstablishmentObligationClosed', ['EST-2'], { areaId, communityId, committeeId })];
  });
}
