import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { registryServiceProviders, RegistryServiceModule } from '#libs/hosting';
import { setting, type Environment } from '#libs/settings';
import { DEFAULT_POLICY, type EstablishmentPolicy } from './domain';
import { DistrictStates } from './application/district-states';
import { EstablishmentQueries } from './application/establishment-queries';
import { ESTABLISHMENT_POLICY } from './application/tokens';
import { EstablishmentProjection } from './application/projections';
import { ESTABLISHMENT_READ_INDEXES } from './application/read-indexes';
import { establishmentUpcasters } from './application/upcasters';
import { EstablishmentController } from './http/establishment.controller';
import { IntegrityController } from './http/integrity.controller';

export const SERVICE_NAME = 'community-establishment';

/** Policy parameters from the environment (libs/settings); the occupancy threshold is fixed by EST-2. */
export function policyFromEnv(env: Environment = process.env): EstablishmentPolicy {
  return {
    occupancyThreshold: DEFAULT_POLICY.occupancyThreshold,
    obligationDueDays: setting('EST2_OBLIGATION_DUE_DAYS', env),
    largeMigrantAreaHouseholds: setting('EST6_LARGE_MIGRANT_AREA_HOUSEHOLDS', env),
  };
}

@Module({
  imports: [CqrsModule.forRoot()],
  controllers: [EstablishmentController, IntegrityController],
  providers: [
    ...registryServiceProviders({
      name: SERVICE_NAME,
      upcasters: establishmentUpcasters(),
      projection: (_store, streams) => new EstablishmentProjection(streams.states),
      streams: DistrictStates,
      readIndexes: ESTABLISHMENT_READ_INDEXES,
    }),
    { provide: ESTABLISHMENT_POLICY, useFactory: () => policyFromEnv() },
    EstablishmentQueries,
  ],
})
export class CommunityEstablishmentModule extends RegistryServiceModule {}
