import { RuleViolation } from '#libs/decider';
import type { CommandOf } from '../commands';
import type { CommunityPart, EstablishmentEvent } from '../events';
import { activeBodiesOf, type CommunityView, type DistrictView } from '../state';
import { householdRangeCheck } from './households';
import { ev, requireActiveCommunity } from './shared';

// EST-8 mergers and splits: communities that end hand their areas and arrangements over (EST-7).

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

export function mergeCommittees(
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

export function splitCommittee(
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
