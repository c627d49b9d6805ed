import type { RecordedEvent } from '#libs/event-sourcing';
import { followedCorrection, reactionProvider } from '#libs/hosting';
import type { StaffingCommand } from '../domain';

type Part = { communityId: string; committeeId: string };

/**
 * ELECT-4 reactions to the establishment service: a newly established committee gets its first
 * election; a merger ends the terms of the merged committees' members and calls an election for
 * the resulting committee (superseding their elections still open); a split calls an election for
 * each new part; a dissolution ends the terms of the dissolved committee's members (and cancels
 * its open election). EST-8: a correction of any of these decisions moves (or annuls) what was
 * derived from it here, and with it every date derived from it. Every command derives from the establishment event alone (the election id
 * from its event id), so a replayed message decides nothing new: the domain refuses the repeat.
 */
export function commandsFor(event: RecordedEvent): StaffingCommand[] {
  const d = event.data as Record<string, unknown>;
  const call = (i: number, committeeId: string, communityId: string, reason: string, ends: string[] = []) =>
    ({
      type: 'CallElection',
      data: {
        electionId: `el-${event.eventId}-${i}`,
        committeeId,
        communityId,
        reason,
        endsTermsOfCommitteeIds: ends,
      },
    }) as StaffingCommand;
  switch (event.type) {
    case 'CommitteeEstablished':
      return [call(0, d.committeeId as string, d.communityId as string, 'new-committee')];
    case 'CommitteesMerged': {
      const result = d.result as Part;
      // Every merged committee's term ends, the absorbing one's too: the result is elected anew.
      return [call(0, result.committeeId, result.communityId, 'merger', d.sourceCommitteeIds as string[])];
    }
    case 'CommitteeSplit': {
      // When the source committee does not carry on as a part, its members' terms end with the split.
      const source = d.sourceCommitteeId as string;
      const parts = d.parts as Part[];
      const continues = parts.some((p) => p.committeeId === source);
      return parts.map((p, i) =>
        call(i, p.committeeId, p.communityId, 'split', i === 0 && !continues ? [source] : []),
      );
    }
    case 'CommitteeDissolved':
      return [{ type: 'EndTerms', data: { committeeId: d.committeeId as string, reason: 'dissolution' } }];
    case 'DecisionCorrected':
      // EST-8: what was derived here from the corrected decision follows it (found by causation).
      return [{ type: 'FollowEstablishmentCorrection', data: followedCorrection(event) }];
    default:
      return [];
  }
}

/**
 * The reactions as this service runs them: a consumer of the establishment service's events whose
 * commands are decided here, each event's effect once (the service's inbox).
 */
export const establishmentReactions = reactionProvider<StaffingCommand>({
  name: 'establishment-reactions',
  from: 'community-establishment',
  reaction: commandsFor,
});
