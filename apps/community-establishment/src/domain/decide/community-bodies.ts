import { NotFound, RuleViolation } from '#libs/decider';
import type { CommandOf } from '../commands';
import type { EstablishmentEvent } from '../events';
import type { CommunityView, DistrictView } from '../state';
import { ev, requireActiveCommunity } from './shared';

// ORG-1..3: the Party organization, the service station, posts held across bodies, delegated tasks.

function assertBodyExists(c: CommunityView, body: string): void {
  if (body === 'party-organization' && c.partyOrganization?.status !== 'active')
    throw new RuleViolation('ORG-1', `community ${c.communityId} has no Party organization yet`);
  if (body === 'service-station' && c.serviceStation?.status !== 'active')
    throw new RuleViolation('ORG-1', `community ${c.communityId} has no service station yet`);
}

export function setUpPartyOrganization(
  command: CommandOf<'SetUpPartyOrganization'>,
  view: DistrictView,
): EstablishmentEvent[] {
  const c = requireActiveCommunity(view, command.data.communityId);
  if (c.partyOrganization?.status === 'active')
    throw new RuleViolation('ORG-1', `community ${c.communityId} already has a Party organization`);
  return [ev('PartyOrganizationSetUp', ['ORG-1'], { communityId: c.communityId, name: command.data.name })];
}

export function setUpServiceStation(
  command: CommandOf<'SetUpServiceStation'>,
  view: DistrictView,
): EstablishmentEvent[] {
  const c = requireActiveCommunity(view, command.data.communityId);
  if (c.serviceStation?.status === 'active')
    throw new RuleViolation('ORG-1', `community ${c.communityId} already has a service station`);
  return [ev('ServiceStationSetUp', ['ORG-1'], { communityId: c.communityId, name: command.data.name })];
}

export function assignPost(command: CommandOf<'AssignPost'>, view: DistrictView): EstablishmentEvent[] {
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

export function endPost(command: CommandOf<'EndPost'>, view: DistrictView): EstablishmentEvent[] {
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

export function delegateTask(command: CommandOf<'DelegateTask'>, view: DistrictView): EstablishmentEvent[] {
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
