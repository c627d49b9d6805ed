import type { Provider } from '@nestjs/common';
import {
  dataFileFor,
  KurrentDbEventStore,
  SqliteEventStore,
  SqliteIdempotencyStore,
  UpcasterChain,
  upcastingEventStore,
  type EventStore,
} from '#libs/event-sourcing';
import { IDEMPOTENCY_STORE } from '#libs/http';
import { InMemoryInbox, SqliteInbox, type Inbox } from '#libs/messaging';
import {
  MemoryReadStore,
  MongoIdempotencyStore,
  MongoInbox,
  MongooseReadStore,
  type ReadStore,
} from '#libs/read-store';
import { profileFromEnv } from '#libs/profile';
import { CONSUMER_INBOX, EVENT_STORE, READ_STORE, SERVICE_NAME } from './tokens';

/**
 * The storage of one service, chosen by the profile (REGISTRY_PROFILE):
 * - event store: EventStoreDB/KurrentDB in production, else this service's SQLite file under
 *   REGISTRY_DATA_DIR;
 * - read store: MongoDB when MONGODB_URL is set (production; FerretDB in tests), else in memory;
 * - idempotency keys and the consumers' inbox: beside the events in SQLite, or in MongoDB when
 *   the event store is remote (which the production profile never runs without MongoDB).
 */
export function storageProviders(service: string, upcasters = new UpcasterChain()): Provider[] {
  return [
    { provide: SERVICE_NAME, useValue: service },
    {
      provide: EVENT_STORE,
      useFactory: async (): Promise<EventStore> => {
        const profile = profileFromEnv();
        // Every read of the service upcasts (GUIDE §4.7); the adapter's own reads stay raw.
        return upcastingEventStore(
          profile.kind === 'production'
            ? await KurrentDbEventStore.connect(profile.eventStoreConnectionString)
            : await SqliteEventStore.open({ file: dataFileFor(service) }),
          upcasters,
        );
      },
    },
    {
      provide: READ_STORE,
      useFactory: (): Promise<ReadStore> | ReadStore =>
        process.env.MONGODB_URL
          ? MongooseReadStore.connect(process.env.MONGODB_URL, {
              // One database per service unless told otherwise (tests share one server).
              dbName: process.env.REGISTRY_READ_DATABASE ?? service,
            })
          : new MemoryReadStore(),
    },
    {
      provide: IDEMPOTENCY_STORE,
      useFactory: (store: EventStore, readStore: ReadStore) =>
        store instanceof SqliteEventStore
          ? new SqliteIdempotencyStore(store)
          : new MongoIdempotencyStore((readStore as MongooseReadStore).connection),
      inject: [EVENT_STORE, READ_STORE],
    },
    {
      provide: CONSUMER_INBOX,
      // Durable in both profiles, so a restart does not run a reaction again.
      useFactory: (store: EventStore, readStore: ReadStore): Inbox =>
        store instanceof SqliteEventStore
          ? SqliteInbox.beside(store)
          : readStore instanceof MongooseReadStore
            ? new MongoInbox(readStore.connection)
            : new InMemoryInbox(),
      inject: [EVENT_STORE, READ_STORE],
    },
  ];
}
