import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { EventStore } from '#libs/event-sourcing';
import {
  decisionProviders,
  EVENT_STORE,
  PROJECTION_FACTORY,
  ProjectionHost,
  registryClockProvider,
  RelayHost,
  storageFromEnv,
  storageProviders,
} from '#libs/hosting';
import { setting, type Environment } from '#libs/settings';
import { DEFAULT_POLICY, type EstablishmentPolicy } from './domain';
import { DistrictStates } from './application/district-states';
import { EstablishmentQueries } from './application/establishment-queries';
import { ESTABLISHMENT_POLICY } from './application/tokens';
import { EstablishmentProjection } from './application/projections';
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
    ...storageProviders(SERVICE_NAME, storageFromEnv, establishmentUpcasters()),
    { provide: PROJECTION_FACTORY, useValue: (store: EventStore) => new EstablishmentProjection(store) },
    { provide: ESTABLISHMENT_POLICY, useFactory: () => policyFromEnv() },
    registryClockProvider(),
    ProjectionHost,
    RelayHost,
    ...decisionProviders(DistrictStates),
    EstablishmentQueries,
  ],
})
export class CommunityEstablishmentModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
