import { RuleViolation } from '#libs/decider';
import type { CommandOf } from '../commands';
import type { EstablishmentEvent, ResponsibleBody } from '../events';
import type { EstablishmentPolicy } from '../policy';
import { activeBodiesOf, trialOf, villageCommitteesOf, type DistrictView } from '../state';
import { checkNewArea, registered } from './areas';
import { householdRangeCheck } from './households';
import { assertNoOwnCommittee, closeObligations, endArrangements, successorEvents } from './responsibility';
import { ev, requireArea, requireActiveCommunity } from './shared';

// A committee's own life (EST-8): established, renamed, dissolved, its areas handed to successors.

export function establishCommittee(
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
  const trial = trialOf(view);
  try {
    return establishOnTrial(d, view, trial, on, policy, allIds);
  } finally {
    trial.undo();
  }
}

/** establishCommittee once the founded areas may be tried on the map (the trial is undone after). */
function establishOnTrial(
  d: CommandOf<'EstablishCommittee'>['data'],
  view: DistrictView,
  trial: ReturnType<typeof trialOf>,
  on: string,
  policy: EstablishmentPolicy,
  allIds: string[],
): EstablishmentEvent[] {
  const probe = view;
  const body: ResponsibleBody = {
    kind: 'own-committee',
    communityId: d.communityId,
    committeeId: d.committeeId,
  };
  const founded: EstablishmentEvent[] = [];
  for (const a of d.newAreas) {
    // Stryker disable next-line StringLiteral: checkNewArea only asks whether the body is a residents' group; any other kind judges alike.
    const e = registered(a, body, checkNewArea(a, probe, 'own-committee', policy));
    trial.apply(e, on); // later new areas may border earlier ones
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

export function renameCommittee(
  command: CommandOf<'RenameCommittee'>,
  view: DistrictView,
): EstablishmentEvent[] {
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

export function dissolveCommittee(
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
