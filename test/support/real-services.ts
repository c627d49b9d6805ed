import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import mongoose from 'mongoose';
import { createServiceApp, type RunningService, type ServiceDescriptor } from '#libs/http';
import { CHECKPOINTS_COLLECTION } from '#libs/read-store';
import { demoTokens } from '../../scripts/demo';
import { RegistryClient, type DemoTokens } from '../../scripts/demo-story';
import { kafkaClient, ROOT } from '../crash/support';

/*
 * The services as the messaging integration tests run them: in this process, on the real Kafka
 * and FerretDB of the integration run (KAFKA_BROKERS, MONGODB_URL), each with a read database of
 * its own as in production, and the event stores in a temporary data directory.
 */

const realServers = (): boolean => Boolean(process.env.KAFKA_BROKERS && process.env.MONGODB_URL);

/** describe() on the real servers; without them the suite (`file`) is skipped, and says so. */
export function describeOnRealServers(file: string, name: string, body: () => void): void {
  const real = realServers();
  if (!real) process.stdout.write(`${relative(ROOT, file)} skipped: no real Kafka/MongoDB\n`);
  (real ? describe : describe.skip)(name, body);
}

export type KafkaRecord = Pick<KafkaMessage, 'key' | 'value' | 'headers'>;

export interface ServicesOnRealServers {
  /** Where the services keep their event stores (SQLite files named after them). */
  readonly dataDir: string;
  readonly tokens: DemoTokens;
  client(service: string): RegistryClient;
  /** Runs `work` on the read models of a service in FerretDB; closes the connection after. */
  withReadModels<T>(service: string, work: (db: mongoose.mongo.Db) => Promise<T>): Promise<T>;
  /**
   * Waits until the service's projection checkpoint in FerretDB stands at `globalPosition` or
   * past it: the projection writes an event's documents before its checkpoint moves past the
   * event, so read models queried afterwards hold every event up to there.
   */
  projectedThrough(service: string, globalPosition: number): Promise<void>;
  /**
   * Polls `probe` until it answers something, and fails naming `what` after the suite's bound:
   * the services react and project in the background.
   */
  within<T>(what: string, probe: () => Promise<T | undefined>): Promise<T>;
  /**
   * A record of `topic` that `matches` (the latest seen when the wait ends), read from the
   * beginning by a consumer group of its own.
   */
  findRecord(topic: string, matches: (message: KafkaMessage) => boolean, what: string): Promise<KafkaRecord>;
  /** Sends records to the topic again, as they were: a replay (and, listed twice, a duplicate). */
  sendAgain(topic: string, records: readonly KafkaRecord[]): Promise<void>;
}

/**
 * Starts the services before the suite's tests (in the order given) and closes them after; with
 * `consume`, a consumer group of its own hands every record of those topics, from the beginning,
 * to `eachMessage` while the suite runs.
 */
export function useServicesOnRealServers(options: {
  /** Names the data directory, the read databases, the Kafka client and the consumer groups. */
  readonly prefix: string;
  readonly services: () => readonly ServiceDescriptor[];
  /** How long `within` waits, and how often it looks. */
  readonly boundMs: number;
  readonly pollMs?: number;
  /** Runs on the data directory before the services start (a store an older release wrote). */
  readonly beforeStart?: (dataDir: string) => Promise<void>;
  readonly consume?: {
    readonly topics: readonly string[];
    readonly eachMessage: (topic: string, message: KafkaMessage) => void;
  };
}): ServicesOnRealServers {
  const { prefix, boundMs, pollMs = 200 } = options;
  const run = randomUUID().slice(0, 8);
  const readDatabase = (service: string) => `${prefix}-${run}-${service}`;
  const started: RunningService[] = [];
  let consumer: Consumer | undefined;
  let state: { dataDir: string; tokens: DemoTokens; kafka: Kafka } | undefined;
  const ready = () => {
    if (!state) throw new Error('the services are not started (use them in tests, not at describe time)');
    return state;
  };

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), `registry-${prefix}-`));
    process.env.REGISTRY_DATA_DIR = dataDir;
    await options.beforeStart?.(dataDir);
    for (const { module, ...service } of options.services()) {
      process.env.REGISTRY_READ_DATABASE = readDatabase(service.name);
      started.push(await createServiceApp(module, { ...service, port: 0, logLevels: false }));
    }
    const kafka = kafkaClient(process.env.KAFKA_BROKERS!, prefix);
    state = { dataDir, tokens: await demoTokens(), kafka };
    if (options.consume) {
      const { topics, eachMessage } = options.consume;
      consumer = kafka.consumer({ groupId: `${prefix}-${randomUUID()}` });
      await consumer.connect();
      await consumer.subscribe({ topics: [...topics], fromBeginning: true });
      await consumer.run({ eachMessage: async ({ topic, message }) => eachMessage(topic, message) });
    }
  }, 120_000);

  afterAll(async () => {
    await consumer?.disconnect();
    for (const service of [...started].reverse()) await service.close();
    delete process.env.REGISTRY_READ_DATABASE;
    if (state) rmSync(state.dataDir, { recursive: true, force: true });
  }, 60_000);

  const within = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
    const deadline = Date.now() + boundMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`${what} not seen within ${boundMs} ms`);
      await new Promise((r) => setTimeout(r, pollMs));
    }
  };

  const withReadModels = async <T>(
    service: string,
    work: (db: mongoose.mongo.Db) => Promise<T>,
  ): Promise<T> => {
    const conn = await mongoose
      .createConnection(process.env.MONGODB_URL!, { dbName: readDatabase(service) })
      .asPromise();
    try {
      return await work(conn.db!);
    } finally {
      await conn.close();
    }
  };

  return {
    get dataDir() {
      return ready().dataDir;
    },
    get tokens() {
      return ready().tokens;
    },
    client(service) {
      const found = started.find((s) => s.name === service);
      if (!found) throw new Error(`${service} is not one of the services started`);
      return new RegistryClient(found.url);
    },
    withReadModels,
    within,
    async projectedThrough(service, globalPosition) {
      // Each service's projection is named after the service (runProjection's subscriptionIdOf).
      const subscriptionId = `projection:${service}`;
      await withReadModels(service, (db) =>
        within(`the ${service} projection at position ${globalPosition}`, async () => {
          const checkpoint = await db
            .collection<{ _id: string; position: number }>(CHECKPOINTS_COLLECTION)
            .findOne({ _id: subscriptionId });
          return (checkpoint?.position ?? -1) >= globalPosition ? true : undefined;
        }),
      );
    },
    async findRecord(topic, matches, what) {
      const reader = ready().kafka.consumer({ groupId: `${prefix}-replay-${randomUUID()}` });
      let record: KafkaRecord | undefined;
      await reader.connect();
      try {
        await reader.subscribe({ topic, fromBeginning: true });
        await reader.run({
          eachMessage: async ({ message }) => {
            if (matches(message)) record = message;
          },
        });
        return await within(what, async () => record);
      } finally {
        await reader.disconnect();
      }
    },
    async sendAgain(topic, records) {
      const producer = ready().kafka.producer();
      await producer.connect();
      try {
        await producer.send({
          topic,
          messages: records.map(({ key, value, headers }) => ({ key, value, headers })),
        });
      } finally {
        await producer.disconnect();
      }
    },
  };
}
