import type { Provider } from '@nestjs/common';
import {
  dataFileFor,
  KurrentDbEventStore,
  SqliteCheckpointStore,
  SqliteEventStore,
  SqliteIdempotencyStore,
  UpcasterChain,
  upcastingEventStore,
  type CheckpointStore,
  type EventStore,
  type IdempotencyStore,
} from '#libs/event-sourcing';
import { IDEMPOTENCY_STORE } from '#libs/http';
import { InMemoryInbox, SqliteInbox, type Inbox } from '#libs/messaging';
import {
  MemoryReadStore,
  MongoIdempotencyStore,
  MongoInbox,
  MongooseReadStore,
  SqliteReadStore,
  type ReadIndexes,
  type ReadStore,
} from '#libs/read-store';
import { profileFromEnv, type Profile } from '#libs/profile';
import { CONSUMER_INBOX, EVENT_STORE, READ_STORE, SERVICE_NAME, STORAGE } from './tokens';
import { setting } from '#libs/settings';

/**
 * The storage of one service, every part from one adapter family, so that nothing outside the
 * adapters asks which store it was given.
 */
interface StorageParts {
  readonly eventStore: EventStore;
  /** Where the projections keep their documents and checkpoints; its `ping` is the readiness probe. */
  readonly readStore: ReadStore;
  /** Where the outbox relay keeps its positions. */
  readonly relayCheckpoints: CheckpointStore;
  /** The consumers' inbox: durable wherever the events are, so a restart runs no reaction again. */
  readonly inbox: Inbox;
  /** The stored answers of requests made with an Idempotency-Key. */
  readonly idempotency: IdempotencyStore;
}

export type StorageProfile =
  /** SQLite file per service; checkpoints, inbox and idempotency records in the same file. */
  | (StorageParts & { readonly kind: 'embedded'; readonly sqlite: SqliteEventStore })
  /** KurrentDB for the events; the rest beside the read models in MongoDB. */
  | (StorageParts & { readonly kind: 'production' })
  /** Nothing on disk: an in-memory SQLite log and read store, for tests. */
  | (StorageParts & { readonly kind: 'memory'; readonly sqlite: SqliteEventStore });

/**
 * The read store of a service that is not in production: MongoDB when MONGODB_URL is set, else
 * REGISTRY_READ_STORE: a SQLite file of its own beside the service's log (default), or memory.
 *
 * A file of its own rather than tables in the log's file: the log's commits run on its writer
 * thread's connection, and a read-model write on the service's connection to the same file would
 * wait for that thread's lock while blocking the event loop, and pay the log's `synchronous=FULL`
 * fsync; the read models need neither (the log rebuilds them), and a file of their own can be
 * deleted to force a rebuild.
 */
function readStoreFromEnv(
  service: string,
  env: NodeJS.ProcessEnv,
  indexes: ReadIndexes | undefined,
): Promise<ReadStore> | ReadStore {
  const url = setting('MONGODB_URL', env);
  if (url) return mongoReadStore(service, url, env);
  if (setting('REGISTRY_READ_STORE', env) === 'memory') return new MemoryReadStore();
  return SqliteReadStore.open({ file: readModelFileFor(service), indexes });
}

/** The read models' file of a service in the data directory: `<data dir>/<service>.read.sqlite`. */
export function readModelFileFor(service: string): string {
  return dataFileFor(service).replace(/\.sqlite$/, '.read.sqlite');
}

function mongoReadStore(service: string, url: string, env: NodeJS.ProcessEnv): Promise<MongooseReadStore> {
  // One database per service unless told otherwise (tests share one server).
  return MongooseReadStore.connect(url, { dbName: setting('REGISTRY_READ_DATABASE', env) ?? service });
}

/** The embedded family: the events' SQLite file holds the relay's checkpoints, the inbox and the keys too. */
export async function embeddedStorage(
  service: string,
  env: NodeJS.ProcessEnv = process.env,
  readIndexes?: ReadIndexes,
): Promise<StorageProfile> {
  const sqlite = await SqliteEventStore.open({ file: dataFileFor(service) });
  return {
    kind: 'embedded',
    sqlite,
    ...besideSqlite(sqlite),
    readStore: await readStoreFromEnv(service, env, readIndexes),
  };
}

/**
 * The production family: KurrentDB for the events; the relay's checkpoints, the inbox and the
 * keys beside the read models in MongoDB (the production profile never runs without it).
 */
export async function productionStorage(
  service: string,
  profile: Extract<Profile, { kind: 'production' }>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<StorageProfile> {
  const readStore = await mongoReadStore(service, profile.mongodbUrl, env);
  return {
    kind: 'production',
    eventStore: await KurrentDbEventStore.connect(profile.eventStoreConnectionString),
    readStore,
    relayCheckpoints: readStore.checkpoints,
    inbox: new MongoInbox(readStore.connection),
    idempotency: new MongoIdempotencyStore(readStore.connection),
  };
}

/** The memory family, for tests: a fresh in-memory log and read store, an inbox that forgets. */
export async function memoryStorage(): Promise<StorageProfile> {
  const sqlite = await SqliteEventStore.open({ file: ':memory:' });
  return {
    kind: 'memory',
    sqlite,
    ...besideSqlite(sqlite),
    readStore: new MemoryReadStore(),
    inbox: new InMemoryInbox(),
  };
}

function besideSqlite(sqlite: SqliteEventStore) {
  return {
    eventStore: sqlite,
    relayCheckpoints: SqliteCheckpointStore.beside(sqlite),
    inbox: SqliteInbox.beside(sqlite),
    idempotency: SqliteIdempotencyStore.beside(sqlite),
  };
}

/**
 * The family the profile (REGISTRY_PROFILE) chooses: production, else embedded. `readIndexes`:
 * the fields the service's queries filter and sort its collections by (the SQLite read store
 * indexes them; MongoDB and memory need no declaration).
 */
export function storageFromEnv(
  service: string,
  env: NodeJS.ProcessEnv = process.env,
  readIndexes?: ReadIndexes,
): Promise<StorageProfile> {
  const profile = profileFromEnv(env);
  return profile.kind === 'production'
    ? productionStorage(service, profile, env)
    : embeddedStorage(service, env, readIndexes);
}

/**
 * The storage of one service, opened once (STORAGE) and handed out by part: the event store, the
 * read store, the idempotency store and the consumers' inbox. `open` replaces the profile's
 * choice (tests: `memoryStorage`); `upcasters` is the service's chain, applied to every read.
 */
export function storageProviders(
  service: string,
  open: (service: string) => Promise<StorageProfile> = storageFromEnv,
  upcasters: UpcasterChain = new UpcasterChain(),
): Provider[] {
  return [
    { provide: SERVICE_NAME, useValue: service },
    { provide: STORAGE, useFactory: () => open(service) },
    // Every read of the service upcasts (GUIDE §4.7); the profile's adapters keep their raw reads.
    {
      provide: EVENT_STORE,
      useFactory: (s: StorageProfile) => upcastingEventStore(s.eventStore, upcasters),
      inject: [STORAGE],
    },
    { provide: READ_STORE, useFactory: (s: StorageProfile) => s.readStore, inject: [STORAGE] },
    { provide: IDEMPOTENCY_STORE, useFactory: (s: StorageProfile) => s.idempotency, inject: [STORAGE] },
    { provide: CONSUMER_INBOX, useFactory: (s: StorageProfile) => s.inbox, inject: [STORAGE] },
  ];
}
