import { RuleViolation } from '#libs/decider';
import type { CommandOf } from '../commands';
import type { EstablishmentEvent } from '../events';
import { activeBodiesOf, type DistrictView } from '../state';
import {
  assertAdjacent,
  assertNoOwnCommittee,
  assertNoProxyForSmallMigrantArea,
  attachmentRule,
  endArrangements,
  successorEvents,
} from './responsibility';
import { ev, requireArea, requireActiveCommunity } from './shared';

// EST-3: a residents' group or proxy management covers an area that has no committee of its own.

export function formResidentsGroup(
  command: CommandOf<'FormResidentsGroup'>,
  view: DistrictView,
): EstablishmentEvent[] {
  const d = command.data;
  const area = requireArea(view, d.areaId);
  if (view.groups[d.groupId])
    throw new RuleViolation('EST-3', `residents' group ${d.groupId} already exists`);
  assertNoOwnCommittee(view, area.areaId, 'EST-3');
  const community = requireActiveCommunity(view, d.attachedToCommunityId);
  assertAdjacent(view, community, area.areaId, attachmentRule(area.kind));
  return [
    ...endArrangements(view, area.areaId, `residents' group ${d.groupId} formed`),
    ev('ResidentsGroupFormed', ['EST-3', 'EST-6', 'EST-7'], {
      groupId: d.groupId,
      name: d.name,
      areaId: area.areaId,
      attachedToCommunityId: community.communityId,
    }),
  ];
}

export function startProxyManagement(
  command: CommandOf<'StartProxyManagement'>,
  view: DistrictView,
): EstablishmentEvent[] {
  const d = command.data;
  const area = requireArea(view, d.areaId);
  assertNoOwnCommittee(view, area.areaId, 'EST-3');
  const community = requireActiveCommunity(view, d.byCommunityId);
  assertAdjacent(view, community, area.areaId, 'EST-3');
  assertNoProxyForSmallMigrantArea(view, area.areaId);
  if (
    activeBodiesOf(view, area.areaId).some(
      // Stryker disable next-line ConditionalExpression: an own committee was refused above and a residents' group names no communityId.
      (b) => b.kind === 'proxy' && b.communityId === community.communityId,
    )
  )
    throw new RuleViolation(
      'EST-7',
      `area ${area.areaId} is already proxy-managed by ${community.communityId}`,
    );
  return [
    ...endArrangements(view, area.areaId, `proxy management by ${community.communityId} started`),
    ev('ProxyManagementStarted', ['EST-3', 'EST-7', 'EST-8'], {
      areaId: area.areaId,
      byCommunityId: community.communityId,
      byCommitteeId: community.committee.committeeId,
    }),
  ];
}

export function endProxyManagement(
  command: CommandOf<'EndProxyManagement'>,
  view: DistrictView,
  on: string,
): EstablishmentEvent[] {
  const d = command.data;
  const area = requireArea(view, d.areaId);
  const proxy = activeBodiesOf(view, area.areaId).find((b) => b.kind === 'proxy');
  // Stryker disable next-line ConditionalExpression: the second test only narrows the type; find returned a proxy.
  if (!proxy || proxy.kind !== 'proxy')
    throw new RuleViolation('EST-3', `area ${area.areaId} is not under proxy management`);
  return [
    ev('ProxyManagementEnded', ['EST-3', 'EST-8'], {
      areaId: area.areaId,
      byCommunityId: proxy.communityId,
      byCommitteeId: proxy.committeeId,
      reason: 'successor arrangement recorded',
    }),
    ...successorEvents(view, area.areaId, d.successor, on, proxy.communityId),
  ];
}
