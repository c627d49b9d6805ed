import type { Decider } from '#libs/decider';
import type { FacilityCommand, FundingCommand } from './commands';
import { decide, decideFunding } from './decide';
import type { FacilityEvent, FundingEvent } from './events';
import { DEFAULT_FACILITY_POLICY, type FacilityPolicy } from './policy';
import {
  evolve,
  evolveFunding,
  initialFundingState,
  initialState,
  type FacilityState,
  type FundingState,
} from './state';

/** One stream per district for projects and community facilities (see state.ts for why). */
export const facilitiesStreamId = (districtCode: string): string => `facilities-${districtCode}`;

/** One funding ledger for the city (FUND-1 compares the city budget with all districts). */
export const FUNDING_STREAM_ID = 'funding-lanzhou';

export const facilityDecider = (
  policy: FacilityPolicy = DEFAULT_FACILITY_POLICY,
): Decider<FacilityCommand, FacilityEvent, FacilityState> => ({
  initialState,
  evolve,
  decide: (command, state, ctx) => decide(command, state, ctx, policy),
});

export const fundingDecider = (): Decider<FundingCommand, FundingEvent, FundingState> => ({
  initialState: initialFundingState,
  evolve: evolveFunding,
  decide: decideFunding,
});
