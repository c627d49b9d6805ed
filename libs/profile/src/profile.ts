import { Kafka, logLevel } from 'kafkajs';
import mongoose from 'mongoose';
import { KurrentDbEventStore } from '#libs/event-sourcing';
import { setting, SettingError, type Environment } from '#libs/settings';

/**
 * One setting, REGISTRY_PROFILE, switches between the two profiles of one code path:
 * - embedded (default): SQLite file per service, in-process bus, in-memory read models;
 * - production: EventStoreDB/KurrentDB, Kafka, MongoDB, each service its own process.
 * Production refuses to start, naming what is missing or unreachable, rather than run half-wired.
 */
export type Profile =
  | { readonly kind: 'embedded'; readonly dataDir: string }
  | {
      readonly kind: 'production';
      readonly eventStoreConnectionString: string;
      readonly kafkaBrokers: readonly string[];
      readonly mongodbUrl: string;
    };

export class ProfileError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`the production profile cannot start:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ProfileError';
  }
}

export function profileFromEnv(env: Environment = process.env): Profile {
  let kind: 'embedded' | 'production';
  try {
    kind = setting('REGISTRY_PROFILE', env);
  } catch (error) {
    throw error instanceof SettingError ? new ProfileError([error.message]) : error;
  }
  if (kind === 'embedded') return { kind, dataDir: setting('REGISTRY_DATA_DIR', env) };
  const eventStoreConnectionString = setting('EVENTSTORE_CONNECTION_STRING', env);
  const kafkaBrokers = setting('KAFKA_BROKERS', env) ?? [];
  const mongodbUrl = setting('MONGODB_URL', env);
  const missing = [
    ...(eventStoreConnectionString
      ? []
      : ['EVENTSTORE_CONNECTION_STRING is not set (esdb://host:2113?tls=...)']),
    ...(kafkaBrokers.length > 0 ? [] : ['KAFKA_BROKERS is not set (host:port[,host:port])']),
    ...(mongodbUrl ? [] : ['MONGODB_URL is not set (mongodb://host:27017/registry)']),
    ...(setting('REGISTRY_JWT_SECRET', env)
      ? []
      : ['REGISTRY_JWT_SECRET is not set (the development secret is refused)']),
  ];
  if (!eventStoreConnectionString || !mongodbUrl || missing.length > 0) throw new ProfileError(missing);
  return { kind, eventStoreConnectionString, kafkaBrokers, mongodbUrl };
}

const withTimeout = <T>(what: string, ms: number, work: Promise<T>): Promise<T> =>
  Promise.race([
    work,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms).unref(),
    ),
  ]);

/** Checks every server of the production profile once; throws a ProfileError naming the unreachable ones. */
export async function assertReachable(profile: Profile, timeoutMs = 5_000): Promise<void> {
  if (profile.kind === 'embedded') return;
  const checks: Array<[string, () => Promise<unknown>]> = [
    [
      `EventStoreDB at ${profile.eventStoreConnectionString}`,
      async () => {
        const store = await KurrentDbEventStore.connect(profile.eventStoreConnectionString);
        try {
          await store.readAll({ maxCount: 1 });
        } finally {
          await store.close();
        }
      },
    ],
    [
      `Kafka at ${profile.kafkaBrokers.join(',')}`,
      async () => {
        const admin = new Kafka({
          clientId: 'registry-startup',
          brokers: [...profile.kafkaBrokers],
          logLevel: logLevel.NOTHING,
          retry: { retries: 1 },
        }).admin();
        try {
          await admin.connect();
          await admin.describeCluster();
        } finally {
          await admin.disconnect();
        }
      },
    ],
    [
      `MongoDB at ${profile.mongodbUrl}`,
      async () => {
        const conn = mongoose.createConnection(profile.mongodbUrl, { serverSelectionTimeoutMS: timeoutMs });
        try {
          await conn.asPromise();
          await conn.db!.admin().ping();
        } finally {
          await conn.close(true);
        }
      },
    ],
  ];
  const results = await Promise.allSettled(
    checks.map(([what, check]) => withTimeout(what, timeoutMs, check())),
  );
  const problems = results.flatMap((r, i) =>
    r.status === 'rejected'
      ? [`${checks[i][0]} is unreachable: ${(r.reason as Error).message ?? String(r.reason)}`]
      : [],
  );
  if (problems.length > 0) throw new ProfileError(problems);
}
