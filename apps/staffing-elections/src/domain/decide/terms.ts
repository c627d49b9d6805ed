import { NotFound, RuleViolation } from '#libs/decider';
import type { CommandOf } from '../commands';
import type { StaffingEvent } from '../events';
import { openElectionOf, termInOffice, type StaffingView } from '../state';
import { ev } from './shared';

/**
 * ELECT-4: a dissolution ends the committee's term in office and cancels its open election, with
 * no election in their place. Deterministic: once done, the same command finds nothing to end and
 * is refused, so a replayed message changes nothing.
 */
export function endTerms(command: CommandOf<'EndTerms'>, view: StaffingView, on: string): StaffingEvent[] {
  const d = command.data;
  if (!view.committees[d.committeeId]) throw new NotFound('committee', d.committeeId);
  const open = openElectionOf(view, d.committeeId);
  const term = termInOffice(view, d.committeeId, on);
  if (!open && !term)
    throw new RuleViolation(
      'ELECT-4',
      `committee ${d.committeeId} has no term in office and no open election to end on ${on}`,
    );
  const events: StaffingEvent[] = [];
  if (open)
    events.push(
      ev('ElectionCancelled', ['ELECT-4'], {
        electionId: open.electionId,
        committeeId: d.committeeId,
        cancelledOn: on,
        reason: d.reason,
        supersededByElectionId: null,
      }),
    );
  if (term)
    events.push(
      ev('TermEnded', ['ELECT-4'], {
        termId: term.termId,
        committeeId: d.committeeId,
        endedOn: on,
        reason: d.reason,
        byElectionId: null,
      }),
    );
  return events;
}
