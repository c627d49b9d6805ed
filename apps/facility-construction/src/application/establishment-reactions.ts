import type { RecordedEvent } from '#libs/event-sourcing';
import { followedCorrection, reactionProvider } from '#libs/hosting';
import type { FacilityCommand } from '../domain';

type HouseholdRange = { households: number };
type Part = { communityId: string; areaIds: string[]; householdRange: HouseholdRange };

/**
 * FAC-1 reactions: a new community, a merger, a split or a change of an area's
 * households in the establishment service recomputes the space requirement of each community
 * concerned here, and the resulting event says whether its existing space still meets it. Pure
 * mapping from an establishment event to facility commands, exported for tests.
 *
 * A split does not divide the space by guesswork: it stays with the part that keeps the split
 * community's id or, when no part does, passes whole to the first part; every other part starts
 * with no space of its own and is reported short until the district remedies it (FAC-4).
 *
 * EST-8: a correction of any of these decisions moves (or annuls) the recomputations derived from
 * it, with their figures derived again on the corrected date.
 */
export function commandsFor(event: RecordedEvent): FacilityCommand[] {
  const d = event.data as Record<string, unknown>;
  const sourceEventId = event.eventId;
  const recompute = (
    part: Part,
    reason: 'community-established' | 'merger' | 'split',
    mergedCommunityIds: string[],
  ): FacilityCommand => ({
    type: 'RecomputeRequirement',
    data: {
      communityId: part.communityId,
      households: part.householdRange.households,
      reason,
      sourceEventId,
      mergedCommunityIds,
      areaIds: part.areaIds,
    },
  });
  switch (event.type) {
    case 'CommitteeEstablished':
      return [recompute(d as unknown as Part, 'community-established', [])];
    case 'CommitteesMerged': {
      const result = d.result as Part;
      const merged = (d.sourceCommunityIds as string[]).filter((id) => id !== result.communityId);
      return [recompute(result, 'merger', merged)];
    }
    case 'CommitteeSplit': {
      const source = d.sourceCommunityId as string;
      const parts = d.parts as Part[];
      const continues = parts.some((p) => p.communityId === source);
      // FAC-1/FAC-4: the first part takes over the space of a split community that ends.
      return parts.map((p, i) => recompute(p, 'split', !continues && i === 0 ? [source] : []));
    }
    case 'AreaHouseholdsUpdated':
      return [
        {
          type: 'RecountCommunityHouseholds',
          data: {
            areaId: d.areaId as string,
            households: d.households as number,
            previous: d.previous as number,
            sourceEventId,
          },
        },
      ];
    case 'DecisionCorrected':
      // EST-8: the recomputations derived from the corrected decision follow it (by sourceEventId).
      return [{ type: 'FollowEstablishmentCorrection', data: followedCorrection(event) }];
    default:
      return [];
  }
}

/**
 * The reactions as this service runs them: a consumer of the establishment service's events whose
 * commands are decided here, each event's effect once (the service's inbox).
 */
export const establishmentReactions = reactionProvider<FacilityCommand>({
  name: 'establishment-reactions',
  from: 'community-establishment',
  reaction: commandsFor,
});
