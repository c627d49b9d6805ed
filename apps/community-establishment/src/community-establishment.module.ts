import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import {
  dataFileFor,
  KurrentDbEventStore,
  SqliteEventStore,
  SqliteIdempotencyStore,
  type EventStore,
} from '#libs/event-sourcing';
import { IDEMPOTENCY_STORE, IdempotencyInterceptor } from '#libs/http';
import { MemoryReadStore, MongoIdempotencyStore, MongooseReadStore, type ReadStore } from '#libs/read-store';
import { profileFromEnv } from '#libs/profile';
import { DEFAULT_POLICY, type EstablishmentPolicy } from './domain';
import { DecideEstablishmentHandler } from './application/decide-establishment.handler';
import { DistrictStates } from './application/district-states';
import { EstablishmentQueries } from './application/establishment-queries';
import { ESTABLISHMENT_POLICY, EVENT_STORE, READ_STORE } from './application/tokens';
import { ProjectionHost } from './application/projection-host';
import { RelayHost } from './application/relay-host';
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

/**
 * The event store of the profile: EventStoreDB/KurrentDB in production, else the embedded SQLite
 * file of this service under REGISTRY_DATA_DIR.
 */
const eventStore = {
  provide: EVENT_STORE,
  useFactory: async (): Promise<EventStore> => {
    const profile = profileFromEnv();
    return profile.kind === 'production'
      ? KurrentDbEventStore.connect(profile.eventStoreConnectionString)
      : SqliteEventStore.open({ file: dataFileFor(SERVICE_NAME) });
  },
};

@Module({
  imports: [CqrsModule.forRoot()],
  controllers: [EstablishmentController, IntegrityController],
  providers: [
    eventStore,
    {
      // Beside the events in SQLite; in MongoDB when the event store is remote.
      provide: IDEMPOTENCY_STORE,
      useFactory: (store: EventStore, readStore: ReadStore) =>
        store instanceof SqliteEventStore
          ? new SqliteIdempotencyStore(store.db)
          : new MongoIdempotencyStore((readStore as MongooseReadStore).connection),
      inject: [EVENT_STORE, READ_STORE],
    },
    { provide: ESTABLISHMENT_POLICY, useFactory: () => policyFromEnv() },
    {
      // MongoDB when MONGODB_URL is set (production; FerretDB in tests), else in memory (mingo).
      provide: READ_STORE,
      useFactory: () =>
        process.env.MONGODB_URL
          ? MongooseReadStore.connect(process.env.MONGODB_URL, {
              dbName: process.env.REGISTRY_READ_DATABASE ?? SERVICE_NAME,
            })
          : new MemoryReadStore(),
    },
    ProjectionHost,
    { provide: 'SERVICE_NAME', useValue: SERVICE_NAME },
    RelayHost,
    IdempotencyInterceptor,
    DistrictStates,
    DecideEstablishmentHandler,
    EstablishmentQueries,
  ],
})
export class CommunityEstablishmentModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
