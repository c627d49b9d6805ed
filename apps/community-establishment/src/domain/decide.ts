import { assertNoPersonalData, NotFound, RuleViolation, type CommandContext } from '#libs/decider';
import type { CommandOf, EstablishmentCommand, NewArea, ResponsibilityRequest } from './commands';
import {
  assertNever,
  entitiesOf,
  type CommunityPart,
  type CoverageFinding,
  type EstablishmentEvent,
  type HouseholdRangeCheck,
  type ResponsibleBody,
} from './events';
import { DEFAULT_POLICY, householdRangeOn, type EstablishmentPolicy } from './policy';
import {
  activeBodiesOf,
  applyToView,
  dateOf,
  decisionOf,
  villageCommitteesOf,
  viewAsOf,
  type CommunityView,
  type DistrictState,
  type DistrictView,
} from './state';
import { coverageFindings } from './queries';

/**
 * decide(command, state) → events: the rules of ORG-1..3 and EST-1..9 (RULES.md). Pure: the
 * effective date and the actor come in the context, nothing reads a clock. A refusal is a
 * RuleViolation naming the rule id, and nothing is appended.
 */
export function decide(
  command: EstablishmentCommand,
  state: DistrictState,
  ctx: CommandContext,
  policy: EstablishmentPolicy = DEFAULT_POLICY,
): EstablishmentEvent[] {
  // PERSONAL-DATA: no national identity number or birth date enters an event, whoever asks.
  assertNoPersonalData(command.data);
  const on = dateOf(ctx.effectiveAt);
  // The map as it stood on the effective date: backfilled decisions are judged by their own date.
  // Stryker disable next-line ConditionalExpression,EqualityOperator: on or after the latest date viewAsOf folds the same map; state.view is only its cached fold.
  const view = on >= state.latestEffectiveAt ? state.view : viewAsOf(state.facts, on);
  const events = decideOn(command, view, state, on, policy);
  // Stryker disable next-line ConditionalExpression,StringLiteral: a correction's event concerns no entity and changes no responsibility, so both checks would pass it anyway.
  if (command.type !== 'CorrectDecision') {
    assertChronological(state, events, on);
    assertCoverage(view, events, on);
  }
  return events;
}

function decideOn(
  command: EstablishmentCommand,
  view: DistrictView,
  state: DistrictState,
  on: string,
  policy: EstablishmentPolicy,
): EstablishmentEvent[] {
  switch (command.type) {
    case 'RegisterArea':
      return registerArea(command, view, on, policy);
    case 'ConvertVillageToResidence':
      return convertVillage(command, view, on, policy);
    case 'UpdateAreaHouseholds': {
      const area = requireArea(view, command.data.areaId);
      return [
        ev('AreaHouseholdsUpdated', ['EST-9'], {
          areaId: area.areaId,
          households: command.data.households,
          previous: area.households,
        }),
      ];
    }
    case 'RecordAdjacency': {
      const area = requireArea(view, command.data.areaId);
      for (const other of command.data.adjacentAreaIds) {
        requireArea(view, other);
        if (other === area.areaId)
          throw new RuleViolation('EST-3', 'an area is not adjacent to itself', { other });
      }
      return [
        ev('AdjacencyRecorded', ['EST-3'], {
          areaId: area.areaId,
          adjacentAreaIds: command.data.adjacentAreaIds,
        }),
      ];
    }
    case 'ReportOccupancy':
      return reportOccupancy(command, view, on, policy);
    case 'FormResidentsGroup': {
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
    case 'StartProxyManagement': {
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
    case 'EndProxyManagement': {
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
    case 'EstablishCommittee':
      return establishCommittee(command, view, on, policy);
    case 'MergeCommittees':
      return mergeCommittees(command, view, on);
    case 'SplitCommittee':
      return splitCommittee(command, view, on);
    case 'RenameCommittee': {
      const c = requireActiveCommunity(view, command.data.communityId);
      if (c.name === command.data.name)
        throw new RuleViolation('EST-8', `committee of ${c.communityId} is already named ${c.name}`);
      return [
        ev('CommitteeRenamed', ['EST-8'], {
          communityId: c.communityId,
          committeeId: c.committee.committeeId,
          previousName: c.name,
          name: command.data.name,
        }),
      ];
    }
    case 'DissolveCommittee':
      return dissolveCommittee(command, view, on);
    case 'SetUpPartyOrganization': {
      const c = requireActiveCommunity(view, command.data.communityId);
      if (c.partyOrganization?.status === 'active')
        throw new RuleViolation('ORG-1', `community ${c.communityId} already has a Party organization`);
      return [
        ev('PartyOrganizationSetUp', ['ORG-1'], { communityId: c.communityId, name: command.data.name }),
      ];
    }
    case 'SetUpServiceStation': {
      const c = requireActiveCommunity(view, command.data.communityId);
      if (c.serviceStation?.status === 'active')
        throw new RuleViolation('ORG-1', `community ${c.communityId} already has a service station`);
      return [ev('ServiceStationSetUp', ['ORG-1'], { communityId: c.communityId, name: command.data.name })];
    }
    case 'AssignPost': {
      const d = command.data;
      const c = requireActiveCommunity(view, d.communityId);
      assertBodyExists(c, d.body);
      // A post in a community that has ended (merged, split, dissolved) is no longer held concurrently.
      const held = view.posts.filter(
        // Stryker disable next-line OptionalChaining: a post is only ever assigned in a community on the map.
        (p) => p.personId === d.personId && view.communities[p.communityId]?.status === 'active',
      );
      if (held.some((p) => p.communityId === d.communityId && p.body === d.body && p.post === d.post))
        throw new RuleViolation('ORG-2', `person ${d.personId} already holds ${d.post} in the ${d.body}`);
      // ORG-2: holding posts in all three bodies at once is allowed (交叉任职).
      return [ev('PostAssigned', ['ORG-2'], { ...d, concurrentPosts: held.length + 1 })];
    }
    case 'EndPost': {
      const d = command.data;
      if (
        !view.posts.some(
          (p) =>
            p.personId === d.personId &&
            p.communityId === d.communityId &&
            p.body === d.body &&
            p.post === d.post,
        )
      )
        throw new NotFound('post', `${d.personId}/${d.communityId}/${d.body}/${d.post}`);
      return [ev('PostEnded', ['ORG-2'], d)];
    }
    case 'DelegateTask':
      return delegateTask(command, view);
    case 'CorrectDecision':
      return correctDecision(command, state);
    default:
      return assertNever(command);
  }
}

const ev = <T extends EstablishmentEvent['type']>(
  type: T,
  ruleIds: string[],
  data: Extract<EstablishmentEvent, { type: T }>['data'],
): EstablishmentEvent => ({ type, ruleIds, data }) as EstablishmentEvent;

function requireArea(view: DistrictView, areaId: string) {
  const area = view.areas[areaId];
  if (!area) throw new NotFound('area', areaId);
  return area;
}

function requireActiveCommunity(view: DistrictView, communityId: string): CommunityView {
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

/** Attachment to an adjacent community: EST-6 for a migrant-population area, EST-3 otherwise. */
const attachmentRule = (kind: string): string =>
  kind === 'migrant-population-concentration' ? 'EST-6' : 'EST-3';

/** Adjacency (相邻): one of the community's own areas borders the area. */
function isAdjacent(view: DistrictView, c: CommunityView, areaId: string): boolean {
  // Stryker disable next-line ConditionalExpression,BooleanLiteral,OptionalChaining: no area is ever adjacent to itself (EST-3) and a community's areas are all registered.
  return c.areaIds.some((a) => a !== areaId && (view.areas[a]?.adjacentAreaIds.includes(areaId) ?? false));
}

function assertAdjacent(view: DistrictView, c: CommunityView, areaId: string, ruleId: string): void {
  if (!isAdjacent(view, c, areaId))
    throw new RuleViolation(ruleId, `community ${c.communityId} is not adjacent to area ${areaId}`, {
      communityId: c.communityId,
      areaId,
    });
}

/** EST-6: a small migrant-population area keeps a residents' group; no later proxy replaces it. */
function assertNoProxyForSmallMigrantArea(view: DistrictView, areaId: string): void {
  // Stryker disable next-line OptionalChaining: callers pass a registered area (or one in the registration probe).
  const scale = view.areas[areaId]?.migrantScale;
  if (scale?.scale === 'small')
    throw new RuleViolation(
      'EST-6',
      `a small migrant-population area gets a residents' group attached to an adjacent community, not proxy management`,
      { field: 'responsibility', areaId, threshold: scale.thresholdHouseholds },
    );
}

function assertNoOwnCommittee(view: DistrictView, areaId: string, ruleId: string): void {
  const own = activeBodiesOf(view, areaId).find((b) => b.kind === 'own-committee');
  if (own)
    throw new RuleViolation(ruleId, `area ${areaId} already has its own committee (${own.communityId})`, {
      areaId,
      communityId: own.communityId,
    });
}

function assertBodyExists(c: CommunityView, body: string): void {
  if (body === 'party-organization' && c.partyOrganization?.status !== 'active')
    throw new RuleViolation('ORG-1', `community ${c.communityId} has no Party organization yet`);
  if (body === 'service-station' && c.serviceStation?.status !== 'active')
    throw new RuleViolation('ORG-1', `community ${c.communityId} has no service station yet`);
}

export function householdRangeCheck(
  view: DistrictView,
  areaIds: readonly string[],
  on: string,
): HouseholdRangeCheck {
  // Stryker disable next-line OptionalChaining: a committee's areas are all on the map (checked by each caller).
  const households = areaIds.reduce((sum, a) => sum + (view.areas[a]?.households ?? 0), 0);
  return householdRangeOn(households, on);
}

/** Events that end an area's proxy or residents' group, before another body takes over. */
function endArrangements(view: DistrictView, areaId: string, reason: string): EstablishmentEvent[] {
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
function resolveResponsibility(
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
function successorEvents(
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
function closeObligations(
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

/** EST-2, EST-5, EST-6: the opening and due dates are derived in the fold (they follow EST-8 corrections). */
function obligationOpened(
  areaId: string,
  reason: 'occupancy-threshold' | 'village-to-residence-conversion' | 'large-migrant-area',
  ruleId: string,
  policy: EstablishmentPolicy,
): EstablishmentEvent {
  return ev('EstablishmentObligationOpened', [ruleId], {
    areaId,
    reason,
    dueDays: policy.obligationDueDays,
    occupancyThreshold: reason === 'occupancy-threshold' ? policy.occupancyThreshold : null,
  });
}

/** EST-1, EST-4, EST-5, EST-6 checks of a new area; returns its migrant scale (EST-6). */
function checkNewArea(
  d: NewArea,
  view: DistrictView,
  body: ResponsibleBody['kind'],
  policy: EstablishmentPolicy,
): { scale: 'large' | 'small'; thresholdHouseholds: number } | null {
  if (view.areas[d.areaId]) throw new RuleViolation('EST-1', `area ${d.areaId} is already registered`);
  for (const other of d.adjacentAreaIds) requireArea(view, other);
  // EST-4: only an urban-rural fringe area coexists with a village committee, and it must say which.
  if (d.kind === 'urban-rural-fringe' && !d.villageCommittee)
    throw new RuleViolation(
      'EST-4',
      'an urban-rural fringe area records the village committee it coexists with',
      {
        field: 'villageCommittee',
      },
    );
  if (d.kind !== 'urban-rural-fringe' && d.villageCommittee)
    throw new RuleViolation('EST-4', 'only an urban-rural fringe area coexists with a village committee', {
      field: 'villageCommittee',
      kind: d.kind,
    });
  if (d.kind === 'village-to-residence-conversion')
    throw new RuleViolation(
      'EST-5',
      'a village-to-residence conversion is recorded with ConvertVillageToResidence',
    );
  if (d.kind !== 'migrant-population-concentration') return null;
  const scale = d.households >= policy.largeMigrantAreaHouseholds ? 'large' : 'small';
  if (scale === 'small' && body !== 'residents-group')
    throw new RuleViolation(
      'EST-6',
      `a small migrant-population area (${d.households} < ${policy.largeMigrantAreaHouseholds} households) gets a residents' group attached to an adjacent community`,
      { field: 'responsibility', households: d.households, threshold: policy.largeMigrantAreaHouseholds },
    );
  return { scale, thresholdHouseholds: policy.largeMigrantAreaHouseholds };
}

function registerArea(
  command: CommandOf<'RegisterArea'>,
  view: DistrictView,
  on: string,
  policy: EstablishmentPolicy,
): EstablishmentEvent[] {
  const d = command.data;
  if (view.areas[d.areaId]) throw new RuleViolation('EST-1', `area ${d.areaId} is already registered`);
  for (const other of d.adjacentAreaIds) requireArea(view, other);
  // Adjacency is known before the responsibility is checked (proxy and attachment need it).
  const probe = structuredClone(view);
  applyToView(
    probe,
    registered(d, { kind: 'residents-group', groupId: '-', attachedToCommunityId: '-' }, null),
    on,
  );
  const body = resolveResponsibility(probe, d.areaId, d.responsibility);
  const migrantScale = checkNewArea(d, view, body.kind, policy);
  const groupName = d.responsibility.kind === 'residents-group' ? d.responsibility.groupName : null;
  const events: EstablishmentEvent[] = [registered(d, body, migrantScale, groupName)];
  if (migrantScale?.scale === 'large' && body.kind !== 'own-committee')
    events.push(obligationOpened(d.areaId, 'large-migrant-area', 'EST-6', policy));
  return events;
}

function registered(
  d: NewArea,
  body: ResponsibleBody,
  migrantScale: { scale: 'large' | 'small'; thresholdHouseholds: number } | null,
  residentsGroupName: string | null = null,
): EstablishmentEvent {
  const ruleIds = ['EST-1', 'EST-7'];
  if (body.kind !== 'own-committee') ruleIds.push('EST-3');
  if (d.kind === 'urban-rural-fringe') ruleIds.push('EST-4');
  if (migrantScale) ruleIds.push('EST-6');
  return ev('AreaRegistered', ruleIds, {
    areaId: d.areaId,
    name: d.name,
    kind: d.kind,
    subDistrict: d.subDistrict,
    households: d.households,
    adjacentAreaIds: d.adjacentAreaIds,
    villageCommittee: d.villageCommittee ?? null,
    migrantScale,
    responsibility: body,
    residentsGroupName,
  });
}

function convertVillage(
  command: CommandOf<'ConvertVillageToResidence'>,
  view: DistrictView,
  on: string,
  policy: EstablishmentPolicy,
): EstablishmentEvent[] {
  const d = command.data;
  const asArea = { ...d, kind: 'village-to-residence-conversion' as const, villageCommittee: undefined };
  if (view.areas[d.areaId]) throw new RuleViolation('EST-1', `area ${d.areaId} is already registered`);
  for (const other of d.adjacentAreaIds) requireArea(view, other);
  const probe = structuredClone(view);
  applyToView(
    probe,
    registered(asArea, { kind: 'residents-group', groupId: '-', attachedToCommunityId: '-' }, null),
    on,
  );
  const body = resolveResponsibility(probe, d.areaId, d.responsibility);
  const groupName = d.responsibility.kind === 'residents-group' ? d.responsibility.groupName : null;
  const events = [
    registered(asArea, body, null, groupName),
    ev('VillageConvertedToResidence', ['EST-5'], {
      areaId: d.areaId,
      formerVillageCommittee: d.formerVillageCommittee,
    }),
  ];
  // EST-5: a converted village sets up its own committee promptly.
  if (body.kind !== 'own-committee')
    events.push(obligationOpened(d.areaId, 'village-to-residence-conversion', 'EST-5', policy));
  return events;
}

function reportOccupancy(
  command: CommandOf<'ReportOccupancy'>,
  view: DistrictView,
  on: string,
  policy: EstablishmentPolicy,
): EstablishmentEvent[] {
  const area = requireArea(view, command.data.areaId);
  const occupied = command.data.occupiedHouseholds;
  if (occupied > area.households)
    throw new RuleViolation(
      'EST-2',
      `occupied households ${occupied} exceed the area's ${area.households} households`,
      {
        field: 'occupiedHouseholds',
        households: area.households,
      },
    );
  const occupancyRate = area.households === 0 ? 0 : occupied / area.households;
  const events: EstablishmentEvent[] = [
    ev('OccupancyReported', ['EST-2'], {
      areaId: area.areaId,
      occupiedHouseholds: occupied,
      households: area.households,
      occupancyRate,
    }),
  ];
  const hasOwnCommittee = activeBodiesOf(view, area.areaId).some((b) => b.kind === 'own-committee');
  if (
    area.kind === 'new-residential-estate' &&
    occupancyRate >= policy.occupancyThreshold &&
    !hasOwnCommittee &&
    area.obligation === null
  )
    events.push(obligationOpened(area.areaId, 'occupancy-threshold', 'EST-2', policy));
  return events;
}

function establishCommittee(
  command: CommandOf<'EstablishCommittee'>,
  view: DistrictView,
  on: string,
  policy: EstablishmentPolicy,
): EstablishmentEvent[] {
  const d = command.data;
  if (view.communities[d.communityId])
    throw new RuleViolation('EST-8', `community ${d.communityId} already exists`);
  if (view.committees[d.committeeId])
    throw new RuleViolation('EST-8', `committee ${d.committeeId} already exists`);
  const allIds = [...d.areaIds, ...d.newAreas.map((a) => a.areaId)];
  if (allIds.length === 0)
    throw new RuleViolation('EST-7', 'a committee covers at least one area', { field: 'areaIds' });
  if (new Set(allIds).size !== allIds.length)
    throw new RuleViolation('EST-7', 'an area is listed twice', { field: 'areaIds' });
  // Areas founded with the committee are judged on a map that already holds them.
  const probe = structuredClone(view);
  const body: ResponsibleBody = {
    kind: 'own-committee',
    communityId: d.communityId,
    committeeId: d.committeeId,
  };
  const founded: EstablishmentEvent[] = [];
  for (const a of d.newAreas) {
    // Stryker disable next-line StringLiteral: checkNewArea only asks whether the body is a residents' group; any other kind judges alike.
    const e = registered(a, body, checkNewArea(a, probe, 'own-committee', policy));
    applyToView(probe, e, on); // later new areas may border earlier ones
    founded.push(e);
  }
  const events: EstablishmentEvent[] = [];
  for (const areaId of d.areaIds) {
    requireArea(view, areaId);
    assertNoOwnCommittee(view, areaId, 'EST-7');
    events.push(...endArrangements(view, areaId, `own committee ${d.committeeId} established`));
  }
  const ruleIds = ['EST-8', 'EST-7', 'EST-9', 'ORG-1'];
  // Stryker disable next-line OptionalChaining: every listed area is on the probe map by now (founded, or required above).
  const kinds = new Set(allIds.map((a) => probe.areas[a]?.kind));
  if (kinds.has('new-residential-estate')) ruleIds.push('EST-2');
  if (kinds.has('urban-rural-fringe')) ruleIds.push('EST-4');
  if (kinds.has('village-to-residence-conversion')) ruleIds.push('EST-5');
  if (kinds.has('migrant-population-concentration')) ruleIds.push('EST-6');
  events.push(
    ev('CommitteeEstablished', ruleIds, {
      communityId: d.communityId,
      committeeId: d.committeeId,
      name: d.name,
      areaIds: allIds,
      coexistingVillageCommittees: villageCommitteesOf(probe, allIds),
      householdRange: householdRangeCheck(probe, allIds, on),
    }),
    // After the committee exists, so each founded area lands in its community.
    ...founded,
    ...closeObligations(view, d.areaIds, d.communityId, d.committeeId),
  );
  return events;
}

/** Proxies and residents' groups held by communities that end move to their successor. */
function handOverArrangements(
  view: DistrictView,
  endingIds: readonly string[],
  successorFor: (areaId: string) => CommunityView | undefined,
  successorCommitteeFor: (areaId: string) => string,
  reason: string,
): EstablishmentEvent[] {
  const events: EstablishmentEvent[] = [];
  for (const area of Object.values(view.areas)) {
    for (const b of activeBodiesOf(view, area.areaId)) {
      // Stryker disable next-line ConditionalExpression: an own committee has no holder among the ending ids either; skipping it early says so.
      if (b.kind === 'own-committee') continue;
      const holder = b.kind === 'proxy' ? b.communityId : b.attachedToCommunityId;
      if (!endingIds.includes(holder)) continue;
      const successor = successorFor(area.areaId);
      if (!successor)
        throw new RuleViolation(
          'EST-3',
          `no adjacent successor can take over area ${area.areaId} from ${holder}`,
          {
            areaId: area.areaId,
          },
        );
      const successorCommitteeId = successorCommitteeFor(area.areaId);
      if (b.kind === 'proxy') {
        events.push(
          ev('ProxyManagementEnded', ['EST-3', 'EST-8'], {
            areaId: area.areaId,
            byCommunityId: holder,
            byCommitteeId: b.committeeId,
            reason,
          }),
          ev('ProxyManagementStarted', ['EST-3', 'EST-7', 'EST-8'], {
            areaId: area.areaId,
            byCommunityId: successor.communityId,
            byCommitteeId: successorCommitteeId,
          }),
        );
      } else {
        const group = view.groups[b.groupId];
        events.push(
          ev('ResidentsGroupDisbanded', ['EST-3'], { groupId: b.groupId, areaId: area.areaId, reason }),
          ev('ResidentsGroupFormed', ['EST-3', 'EST-6', 'EST-7'], {
            groupId: `${b.groupId}-${successor.communityId}`.slice(0, 64),
            // Stryker disable next-line OptionalChaining: an active residents' group body always has its group on the map.
            name: group?.name ?? b.groupId,
            areaId: area.areaId,
            attachedToCommunityId: successor.communityId,
          }),
        );
      }
    }
  }
  return events;
}

function mergeCommittees(
  command: CommandOf<'MergeCommittees'>,
  view: DistrictView,
  on: string,
): EstablishmentEvent[] {
  const d = command.data;
  if (new Set(d.sourceCommunityIds).size !== d.sourceCommunityIds.length)
    throw new RuleViolation('EST-8', 'a community is listed twice', { field: 'sourceCommunityIds' });
  const sources = d.sourceCommunityIds.map((id) => requireActiveCommunity(view, id));
  const absorbed = d.sourceCommunityIds.includes(d.communityId);
  if (!absorbed && view.communities[d.communityId])
    throw new RuleViolation('EST-8', `community ${d.communityId} already exists and is not merged here`);
  const absorber = absorbed ? view.communities[d.communityId] : undefined;
  const committeeId = absorber ? absorber.committee.committeeId : d.committeeId;
  if (!absorbed && view.committees[committeeId])
    throw new RuleViolation('EST-8', `committee ${committeeId} already exists`);
  const areaIds = sources.flatMap((s) => s.areaIds);
  const result: CommunityPart = {
    communityId: d.communityId,
    committeeId,
    name: d.name,
    areaIds,
    householdRange: householdRangeCheck(view, areaIds, on),
  };
  // The merged community is adjacent to whatever any source was adjacent to.
  const successor = { ...sources[0], communityId: d.communityId, areaIds } as CommunityView;
  return [
    ...handOverArrangements(
      view,
      d.sourceCommunityIds.filter((s) => s !== d.communityId),
      () => successor,
      () => committeeId,
      `merger into ${d.communityId}`,
    ),
    ev('CommitteesMerged', ['EST-8', 'EST-7', 'EST-9'], {
      sourceCommunityIds: d.sourceCommunityIds,
      sourceCommitteeIds: sources.map((s) => s.committee.committeeId),
      result,
      absorbed,
    }),
  ];
}

function splitCommittee(
  command: CommandOf<'SplitCommittee'>,
  view: DistrictView,
  on: string,
): EstablishmentEvent[] {
  const d = command.data;
  const source = requireActiveCommunity(view, d.sourceCommunityId);
  const listed = d.parts.flatMap((p) => p.areaIds);
  const twice = listed.filter((a, i) => listed.indexOf(a) !== i);
  if (twice.length > 0)
    throw new RuleViolation('EST-7', `areas ${twice.join(', ')} would be covered by two parts (overlap)`, {
      areaIds: twice,
    });
  const foreign = listed.filter((a) => !source.areaIds.includes(a));
  if (foreign.length > 0)
    throw new RuleViolation('EST-8', `areas ${foreign.join(', ')} are not areas of ${source.communityId}`, {
      areaIds: foreign,
    });
  const missing = source.areaIds.filter((a) => !listed.includes(a));
  if (missing.length > 0)
    throw new RuleViolation(
      'EST-7',
      `areas ${missing.join(', ')} would be left without a responsible body (gap)`,
      {
        areaIds: missing,
      },
    );
  for (const p of d.parts) {
    if (p.communityId === source.communityId) continue;
    if (view.communities[p.communityId])
      throw new RuleViolation('EST-8', `community ${p.communityId} already exists`);
    if (view.committees[p.committeeId])
      throw new RuleViolation('EST-8', `committee ${p.committeeId} already exists`);
  }
  const parts: CommunityPart[] = d.parts.map((p) => ({
    communityId: p.communityId,
    committeeId: p.communityId === source.communityId ? source.committee.committeeId : p.committeeId,
    name: p.name,
    areaIds: p.areaIds,
    householdRange: householdRangeCheck(view, p.areaIds, on),
  }));
  const partFor = (areaId: string): CommunityPart | undefined =>
    // Stryker disable next-line OptionalChaining: the parts' areas are the source's, all on the map.
    parts.find((p) => p.areaIds.some((a) => view.areas[a]?.adjacentAreaIds.includes(areaId)));
  const continues = parts.some((p) => p.communityId === source.communityId);
  return [
    ...(continues
      ? []
      : handOverArrangements(
          view,
          [source.communityId],
          (areaId) => {
            const p = partFor(areaId);
            return p
              ? ({ ...source, communityId: p.communityId, areaIds: p.areaIds } as CommunityView)
              : undefined;
          },
          // Stryker disable next-line StringLiteral: only asked after partFor found the bordering part (the successor above).
          (areaId) => partFor(areaId)?.committeeId ?? '',
          `split of ${source.communityId}`,
        )),
    ev('CommitteeSplit', ['EST-8', 'EST-7', 'EST-9'], {
      sourceCommunityId: source.communityId,
      sourceCommitteeId: source.committee.committeeId,
      parts,
    }),
  ];
}

function dissolveCommittee(
  command: CommandOf<'DissolveCommittee'>,
  view: DistrictView,
  on: string,
): EstablishmentEvent[] {
  const d = command.data;
  const c = requireActiveCommunity(view, d.communityId);
  const events: EstablishmentEvent[] = [];
  // Areas this community carries as proxy or through an attached group need a successor too.
  const carried = Object.values(view.areas)
    .filter((a) =>
      activeBodiesOf(view, a.areaId).some(
        (b) =>
          (b.kind === 'proxy' && b.communityId === c.communityId) ||
          (b.kind === 'residents-group' && b.attachedToCommunityId === c.communityId),
      ),
    )
    .map((a) => a.areaId);
  for (const areaId of carried)
    events.push(...endArrangements(view, areaId, `dissolution of ${c.communityId}`));
  events.push(
    ev('CommitteeDissolved', ['EST-8', 'EST-7'], {
      communityId: c.communityId,
      committeeId: c.committee.committeeId,
      reason: d.reason,
      areaIds: c.areaIds,
    }),
  );
  for (const s of d.areaSuccessors) {
    if (!c.areaIds.includes(s.areaId) && !carried.includes(s.areaId))
      throw new RuleViolation('EST-8', `area ${s.areaId} is not carried by ${c.communityId}`, {
        areaId: s.areaId,
      });
    events.push(...successorEvents(view, s.areaId, s.successor, on, c.communityId));
  }
  return events;
}

function delegateTask(command: CommandOf<'DelegateTask'>, view: DistrictView): EstablishmentEvent[] {
  const d = command.data;
  const c = requireActiveCommunity(view, d.communityId);
  if (d.toBody !== 'service-station')
    throw new RuleViolation(
      'ORG-3',
      `administrative work is taken in by the service station, not the ${d.toBody} (议行分设)`,
      { field: 'toBody' },
    );
  if (c.serviceStation?.status !== 'active')
    throw new RuleViolation('ORG-3', `community ${c.communityId} has no service station to take in the task`);
  if (c.tasks.some((t) => t.taskId === d.taskId))
    throw new RuleViolation('ORG-3', `task ${d.taskId} already delegated`);
  const missing = [
    ...(d.fundingYuanPerYear > 0 ? [] : ['fundingYuanPerYear']),
    ...(d.fundingSource.trim() ? [] : ['fundingSource']),
    ...(d.workingConditions.trim() ? [] : ['workingConditions']),
  ];
  if (missing.length > 0)
    throw new RuleViolation(
      'ORG-3',
      'a delegated task comes with working conditions and funding (费随事转)',
      {
        missing,
      },
    );
  return [
    ev('TaskDelegated', ['ORG-3'], {
      taskId: d.taskId,
      communityId: c.communityId,
      department: d.department,
      description: d.description,
      fundingYuanPerYear: d.fundingYuanPerYear,
      fundingSource: d.fundingSource,
      workingConditions: d.workingConditions,
    }),
  ];
}

/**
 * A correction is a new event pointing at the decision it corrects; nothing is rewritten. It may
 * move the effective date only within the neighbouring decisions on the same entities, and annul
 * only a decision that nothing later builds on, so the map stays a consistent fold.
 */
function correctDecision(command: CommandOf<'CorrectDecision'>, state: DistrictState): EstablishmentEvent[] {
  const d = command.data;
  const target = state.factsById.get(d.correctsEventId);
  if (!target) throw new NotFound('event', d.correctsEventId);
  if (target.event.type === 'DecisionCorrected')
    throw new RuleViolation('EST-8', 'a correction is corrected by correcting the original decision');
  const decision = decisionOf(state, target.eventId);
  const entities = new Set(decision.flatMap((f) => entitiesOf(f.event)));
  const others = state.facts.filter(
    (f) =>
      !f.annulled &&
      // Stryker disable next-line ConditionalExpression,StringLiteral: a correction concerns no entity (entitiesOf), so the entity test below drops it too.
      f.event.type !== 'DecisionCorrected' &&
      !decision.includes(f) &&
      entitiesOf(f.event).some((e) => entities.has(e)),
  );
  const later = others.filter(
    (f) =>
      f.effectiveAt > target.effectiveAt ||
      (f.effectiveAt === target.effectiveAt &&
        // Stryker disable next-line EqualityOperator: no other fact shares the target's seq, so > and >= agree.
        f.seq > target.seq),
  );
  if (d.annul && later.length > 0)
    throw new RuleViolation('EST-8', 'later decisions build on this one; correct or annul them first', {
      laterEventIds: later.map((f) => f.eventId),
    });
  const newDate = d.correctedEffectiveAt;
  // Stryker disable next-line ConditionalExpression: without a new date both comparisons below are false anyway.
  if (newDate) {
    const before = others.filter((f) => !later.includes(f)).map((f) => f.effectiveAt);
    // Stryker disable next-line EqualityOperator: the latest date is the same whether ties keep the first or the second.
    const lowest = before.length ? before.reduce((a, b) => (a > b ? a : b)) : '';
    const highest = later.length
      ? // Stryker disable next-line EqualityOperator: the earliest date is the same whichever of two equal dates is kept.
        later.map((f) => f.effectiveAt).reduce((a, b) => (a < b ? a : b))
      : '9999-12-31';
    if (newDate < lowest || newDate > highest)
      throw new RuleViolation(
        'EST-8',
        `the corrected date must lie between ${lowest || 'the start'} and ${highest}`,
        {
          field: 'correctedEffectiveAt',
        },
      );
  }
  // Findings after the correction: the archive's truth is recorded even when it shows a gap.
  const probe = state.facts.map((f) =>
    decision.includes(f)
      ? { ...f, effectiveAt: newDate ?? f.effectiveAt, annulled: f.annulled || d.annul === true }
      : f,
  );
  // Stryker disable next-line MethodExpression,StringLiteral: other entities slice to names with a colon, which no area id has.
  const areaIds = [...entities].filter((e) => e.startsWith('area:')).map((e) => e.slice(5));
  const findings: CoverageFinding[] = coverageFindings(probe).filter((f) => areaIds.includes(f.areaId));
  return [
    ev('DecisionCorrected', ['EST-8', ...(findings.length ? ['EST-7'] : [])], {
      correctsEventId: target.eventId,
      correctsType: target.event.type,
      reason: d.reason,
      correctedEffectiveAt: newDate ?? null,
      correctedLegalBasis: d.correctedLegalBasis ?? null,
      annulled: d.annul === true,
      coverageFindings: findings,
    }),
  ];
}

/** EST-8: each entity's history is recorded in the order its decisions took effect. */
function assertChronological(state: DistrictState, events: readonly EstablishmentEvent[], on: string): void {
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
function assertCoverage(view: DistrictView, events: readonly EstablishmentEvent[], on: string): void {
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
