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
  storageProviders,
} from '#libs/hosting';
import { DEFAULT_POLICY, type EstablishmentPolicy } from './domain';
import { DistrictStates } from './application/district-states';
import { EstablishmentQueries } from './application/establishment-queries';
import { ESTABLISHMENT_POLICY } from './application/tokens';
import { EstablishmentProjection } from './application/projections';
import { EstablishmentController } from './http/establishment.controller';
import { IntegrityController } from './http/integrity.controller';

export const SERVICE_NAME = 'community-establishment';

/** Policy parameters from the environment, each defaulting to DEFAULT_POLICY (documented there). */
export function policyFromEnv(env: NodeJS.ProcessEnv = process.env): EstablishmentPolicy {
  const num = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${name}=${raw} is not a positive number`);
    return value;
  };
  return {
    occupancyThreshold: DEFAULT_POLICY.occupancyThreshold,
    obligationDueDays: num('EST2_OBLIGATION_DUE_DAYS', DEFAULT_POLICY.obligationDueDays),
    largeMigrantAreaHouseholds: num(
      'EST6_LARGE_MIGRANT_AREA_HOUSEHOLDS',
      DEFAULT_POLICY.largeMigrantAreaHouseholds,
    ),
  };
}

@Module({
  imports: [CqrsModule.forRoot()],
  controllers: [EstablishmentController, IntegrityController],
  providers: [
    ...storageProviders(SERVICE_NAME),
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
