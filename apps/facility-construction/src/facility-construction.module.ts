import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { registryServiceProviders, RegistryServiceModule } from '#libs/hosting';
import { setting, type Environment } from '#libs/settings';
import { DEFAULT_FACILITY_POLICY, type FacilityPolicy } from './domain';
import { FacilityQueries } from './application/facility-queries';
import { establishmentReactions } from './application/establishment-reactions';
import { FacilityStreams } from './application/facility-streams';
import { FacilityProjection } from './application/projections';
import { FACILITY_READ_INDEXES } from './application/read-indexes';
import { FACILITY_POLICY } from './application/tokens';
import { facilityUpcasters } from './application/upcasters';
import { CityFundingController, FacilityController } from './http/facility.controller';

export const SERVICE_NAME = 'facility-construction';

/**
 * Policy parameters from the environment (libs/settings). The 0.2 m² and 350 m² of FAC-1 are fixed
 * by the text; the large-community standard is not.
 */
export function facilityPolicyFromEnv(env: Environment = process.env): FacilityPolicy {
  return {
    ...DEFAULT_FACILITY_POLICY,
    largeCommunityHouseholds: setting('FAC1_LARGE_COMMUNITY_HOUSEHOLDS', env),
    largeCommunityPerHouseholdM2: setting('FAC1_LARGE_COMMUNITY_M2_PER_HOUSEHOLD', env),
  };
}

/**
 * Community service facilities, their construction and funding (FAC-1..8, FUND-1..2). Storage by
 * profile (libs/hosting): this service's SQLite file or KurrentDB for the events, in memory or
 * MongoDB for the read models; the relay publishes to `lanzhou.registry.facility-construction.events.v1`
 * (or the embedded bus).
 */
@Module({
  imports: [CqrsModule.forRoot()],
  controllers: [FacilityController, CityFundingController],
  providers: [
    ...registryServiceProviders({
      name: SERVICE_NAME,
      upcasters: facilityUpcasters(),
      projection: (_store, streams) =>
        new FacilityProjection({ facilities: streams.facilities.states, funding: streams.funding.states }),
      streams: FacilityStreams,
      readIndexes: FACILITY_READ_INDEXES,
    }),
    { provide: FACILITY_POLICY, useFactory: () => facilityPolicyFromEnv() },
    FacilityQueries,
    establishmentReactions,
  ],
})
export class FacilityConstructionModule extends RegistryServiceModule {}
