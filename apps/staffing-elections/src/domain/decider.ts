import type { Decider } from '#libs/decider';
import type { StaffingCommand } from './commands';
import { decide } from './decide';
import type { StaffingEvent } from './events';
import { DEFAULT_STAFFING_POLICY, type StaffingPolicy } from './policy';
import { evolve, initialState, type StaffingState } from './state';

/**
 * One stream per district (`district-<code>` in this service's own store file), not per community:
 * STAFF-1 makes a worker employed in one service station at a time across the district's
 * communities and a transfer moves them between two communities in one decision; ELECT-4 ends the
 * terms of several committees (merger) in the decision that calls the election; ORG-2 shows all
 * posts of a person across communities. The district is the boundary the establishment service
 * uses too, so its reactions (merger, split) stay within one stream. STAFF-4 ratios and the other
 * indicators are queries over the streams, not invariants.
 */
export const districtStreamId = (districtCode: string): string => `district-${districtCode}`;

export const staffingDecider = (
  policy: StaffingPolicy = DEFAULT_STAFFING_POLICY,
): Decider<StaffingCommand, StaffingEvent, StaffingState> => ({
  initialState,
  evolve,
  decide: (command, state, ctx) => decide(command, state, ctx, policy),
});
