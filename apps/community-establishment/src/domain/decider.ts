import type { Decider } from '#libs/decider';
import type { EstablishmentCommand } from './commands';
import { decide } from './decide';
import type { EstablishmentEvent } from './events';
import { DEFAULT_POLICY, type EstablishmentPolicy } from './policy';
import { evolve, initialState, type DistrictState } from './state';

/** One stream per district: the consistency boundary of coverage (EST-7). */
export const districtStreamId = (districtCode: string): string => `district-${districtCode}`;

export const establishmentDecider = (
  policy: EstablishmentPolicy = DEFAULT_POLICY,
): Decider<EstablishmentCommand, EstablishmentEvent, DistrictState> => ({
  initialState,
  evolve,
  decide: (command, state, ctx) => decide(command, state, ctx, policy),
});
