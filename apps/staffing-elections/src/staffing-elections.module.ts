import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { registryServiceProviders, RegistryServiceModule } from '#libs/hosting';
import { setting, type Environment } from '#libs/settings';
import { DEFAULT_STAFFING_POLICY, type StaffingPolicy } from './domain';
import { StaffingQueries } from './application/staffing-queries';
import { establishmentReactions } from './application/establishment-reactions';
import { StaffingStates } from './application/staffing-states';
import { StaffingProjection } from './application/projections';
import { STAFFING_READ_INDEXES } from './application/read-indexes';
import { STAFFING_POLICY } from './application/tokens';
import { staffingUpcasters } from './application/upcasters';
import { CityIndicatorsController, StaffingController } from './http/staffing.controller';

export const SERVICE_NAME = 'staffing-elections';

/** Policy parameters from the environment (libs/settings), the others as DEFAULT_STAFFING_POLICY. */
export function staffingPolicyFromEnv(env: Environment = process.env): StaffingPolicy {
  return {
    ...DEFAULT_STAFFING_POLICY,
    minTurnoutExclusive: setting('ELECT5_MIN_TURNOUT', env),
    minVoteShareExclusive: setting('ELECT5_MIN_VOTE_SHARE', env),
    electionDueDays: setting('ELECT4_ELECTION_DUE_DAYS', env),
  };
}

/**
 * Elections of residents' committees and the community workforce (rules ELECT-1..5, STAFF-1..6,
 * ORG-2 seen from the person), wired like the establishment service: the storage of the profile
 * (SQLite under REGISTRY_DATA_DIR, or KurrentDB and MongoDB in production), read models kept by a
 * projection, the outbox relay to `lanzhou.registry.staffing-elections.events.v1` (or the
 * embedded bus), and the reactions to the establishment service's events.
 */
@Module({
  imports: [CqrsModule.forRoot()],
  controllers: [StaffingController, CityIndicatorsController],
  providers: [
    ...registryServiceProviders({
      name: SERVICE_NAME,
      upcasters: staffingUpcasters(),
      projection: (_store, streams) => new StaffingProjection(streams.states),
      streams: StaffingStates,
      readIndexes: STAFFING_READ_INDEXES,
    }),
    { provide: STAFFING_POLICY, useFactory: () => staffingPolicyFromEnv() },
    StaffingQueries,
    establishmentReactions,
  ],
})
export class StaffingElectionsModule extends RegistryServiceModule {}
