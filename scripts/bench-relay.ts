import { Command } from 'commander';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { handleCommand, SqliteEventStore, StateCache, type RecordedEvent } from '#libs/event-sourcing';
import type { CommandContext } from '#libs/decider';
import {
  ACKS_ALL,
  ensureTopics,
  fromKafkaRecord,
  KafkaEventPublisher,
  RELAY_PRODUCER_CONFIG,
  startRelay,
  toKafkaRecord,
} from '#libs/messaging';
import { MemoryReadStore, MongooseReadStore, redact, type ReadStore } from '#libs/read-store';
import { EstablishmentProjection } from '../apps/community-establishment/src/application/projections';
import {
  COMMAND_SCHEMAS,
  districtStreamId,
  establishmentDecider,
  type DistrictState,
  type EstablishmentCommand,
} from '../apps/community-establishment/src/domain';
import { percentile, positiveInt, startBroker } from './bench-kit';
import { setting } from '#libs/settings';

/*
 * `npm run build && node dist/scripts/bench-relay.js [--events 20000] [--batch-size 500]
 *    [--latency-commands 2000] [--rate 200]`
 *
 * A benchmark, not a test. Against KAFKA_BROKERS, or a broker it starts with
 * test/servers/kafka.sh (java needed) when that is unset. From one run it prints:
 *   1. Relay throughput, events per second from append to broker acknowledgement:
 *      a) drain: N events already appended, relay started, until the last batch is acknowledged;
 *      b) live: N events appended by handleCommand while the relay runs, from the first append to
 *         the acknowledgement of the last event;
 *      beside a raw kafkajs producer with the same settings (RELAY_PRODUCER_CONFIG: idempotent,
 *      1 in flight, acks all; same batch size, the same records so the same sizes), as a ratio
 *      against the target of at least 50 %.
 *   2. End-to-end latency p50/p99 from command (handleCommand called) to Kafka message (a kafkajs
 *      consumer received it) to projected document (EstablishmentProjection fed from that
 *      consumer wrote it; into MongoDB/FerretDB when MONGODB_URL is set, else in memory).
 *      The relay runs in-process and is notified after each command (as a service that embeds it);
 *      a separate relay process (scripts/relay.ts) adds up to its poll interval (100 ms).
 */

const SERVICE = 'community-establishment';
const DECIDER = establishmentDecider();
const CONTEXT: CommandContext = {
  effectiveAt: '2014-01-01',
  actor: { subject: 'clerk-bench', roles: ['district-clerk'], districtScope: '620102' },
};
const DISTRICTS = Array.from({ length: 8 }, (_, i) => `bench${i}`);
const AREAS = 3;

interface Options {
  events: number;
  batchSize: number;
  latencyCommands: number;
  rate: number;
  partitions: number;
}

const cmd = <T extends keyof typeof COMMAND_SCHEMAS>(type: T, data: unknown): EstablishmentCommand =>
  ({ type, data: COMMAND_SCHEMAS[type].parse(data) }) as EstablishmentCommand;

const request = (command: EstablishmentCommand) => ({
  command,
  context: CONTEXT,
  legalBasis: '城关区政发〔2013〕47号',
  correlationId: randomUUID(),
});

async function seed(store: SqliteEventStore): Promise<void> {
  for (const d of DISTRICTS)
    await handleCommand(
      store,
      DECIDER,
      districtStreamId(d),
      request(
        cmd('EstablishCommittee', {
          communityId: `c-${d}`,
          committeeId: `rc-${d}`,
          name: `${d} 社区居民委员会`,
          newAreas: Array.from({ length: AREAS }, (_, i) => ({
            areaId: `a-${d}-${i}`,
            name: `${d} 小区 ${i}`,
            kind: 'existing-town-area',
            subDistrict: '东岗西路街道',
            households: 600,
          })),
        }),
      ),
    );
}

/** One AreaHouseholdsUpdated command; `i` picks the district, so concurrent commands rarely collide. */
function households(store: SqliteEventStore, cache: StateCache<DistrictState>, i: number) {
  const d = DISTRICTS[i % DISTRICTS.length];
  return handleCommand(
    store,
    DECIDER,
    districtStreamId(d),
    request(
      cmd('UpdateAreaHouseholds', {
        areaId: `a-${d}-${Math.floor(i / DISTRICTS.length) % AREAS}`,
        households: 300 + (i % 1500),
      }),
    ),
    { stateCache: cache, maxRetries: 20 },
  );
}

/**
 * Appends n single-event commands, one worker per district (no revision conflicts between them);
 * the store's group commit writes what the workers append together in one transaction.
 */
async function appendCommands(store: SqliteEventStore, n: number): Promise<void> {
  const cache = new StateCache<DistrictState>();
  const workers = DISTRICTS.length;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let i = w; i < n; i += workers) await households(store, cache, i);
    }),
  );
}

const pct = (sorted: number[], p: number) => percentile(sorted, p / 100);
const ms = (n: number) => `${n.toFixed(1)} ms`;
const rate = (n: number, elapsedMs: number) => Math.round((n * 1000) / elapsedMs);

async function withTempStore<T>(fn: (store: SqliteEventStore) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-relay-'));
  const store = await SqliteEventStore.open({ file: join(dir, `${SERVICE}.sqlite`) });
  try {
    return await fn(store);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function createTopic(kafka: Kafka, what: string, partitions: number): Promise<string> {
  const topic = `bench.${what}.${randomUUID().slice(0, 8)}`;
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(admin, [{ topic, numPartitions: partitions, replicationFactor: 1 }]);
  } finally {
    await admin.disconnect();
  }
  return topic;
}

async function relayDrain(kafka: Kafka, o: Options) {
  return withTempStore(async (store) => {
    await seed(store);
    await appendCommands(store, o.events - DISTRICTS.length * (AREAS + 1));
    const events = await store.readAll();
    const topic = await createTopic(kafka, 'relay-drain', o.partitions);
    const publisher = await KafkaEventPublisher.connect(kafka, { service: SERVICE, topic });
    try {
      const started = performance.now();
      const relay = startRelay({ store, service: SERVICE, publisher, batchSize: o.batchSize });
      await relay.caughtUp;
      const elapsed = performance.now() - started;
      await relay.stop();
      return { events, elapsed, published: relay.published() };
    } finally {
      await publisher.disconnect();
    }
  });
}

async function relayLive(kafka: Kafka, o: Options) {
  return withTempStore(async (store) => {
    await seed(store);
    const topic = await createTopic(kafka, 'relay-live', o.partitions);
    const publisher = await KafkaEventPublisher.connect(kafka, { service: SERVICE, topic });
    try {
      const relay = startRelay({
        store,
        service: SERVICE,
        publisher,
        batchSize: o.batchSize,
        pollIntervalMs: 20,
      });
      await relay.caughtUp;
      const base = relay.published();
      const n = o.events;
      let lastAck = 0;
      const acked = new Promise<void>((resolveAcked) => {
        const timer = setInterval(() => {
          if (relay.published() - base >= n) {
            lastAck = performance.now();
            clearInterval(timer);
            resolveAcked();
          }
        }, 2);
      });
      const started = performance.now();
      await appendCommands(store, n);
      const appendedAt = performance.now();
      relay.notify();
      await acked;
      await relay.stop();
      return { n, elapsed: lastAck - started, appendElapsed: appendedAt - started };
    } finally {
      await publisher.disconnect();
    }
  });
}

async function rawProducer(kafka: Kafka, events: readonly RecordedEvent[], o: Options) {
  const topic = await createTopic(kafka, 'raw', o.partitions);
  const producer = kafka.producer({ ...RELAY_PRODUCER_CONFIG });
  await producer.connect();
  try {
    const records = events.map((e) => toKafkaRecord(e, SERVICE));
    const started = performance.now();
    for (let i = 0; i < records.length; i += o.batchSize)
      await producer.send({
        topic,
        acks: ACKS_ALL,
        timeout: 30_000,
        messages: records.slice(i, i + o.batchSize),
      });
    return {
      elapsed: performance.now() - started,
      bytes: records.reduce((n, r) => n + r.value.length + JSON.stringify(r.headers).length, 0),
    };
  } finally {
    await producer.disconnect();
  }
}

async function endToEnd(kafka: Kafka, o: Options) {
  const mongoUrl = setting('MONGODB_URL');
  const readStore: ReadStore = mongoUrl
    ? await MongooseReadStore.connect(mongoUrl, { dbName: `bench_relay_${randomUUID().slice(0, 8)}` })
    : new MemoryReadStore();
  return withTempStore(async (store) => {
    await seed(store);
    const topic = await createTopic(kafka, 'e2e', o.partitions);
    const publisher = await KafkaEventPublisher.connect(kafka, { service: SERVICE, topic });
    const projection = new EstablishmentProjection(store);
    const commandAt = new Map<string, number>();
    const receivedAt = new Map<string, number>();
    const projectedAt = new Map<string, number>();
    const consumer = kafka.consumer({ groupId: `bench-e2e-${randomUUID()}`, maxWaitTimeInMs: 100 });
    const relay = startRelay({ store, service: SERVICE, publisher, batchSize: o.batchSize });
    try {
      await relay.caughtUp;
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      let joined!: () => void;
      const ready = new Promise<void>((r) => (joined = r));
      consumer.on(consumer.events.GROUP_JOIN, () => joined());
      await consumer.run({
        eachMessage: async ({ message }) => {
          const received = performance.now();
          const { event } = fromKafkaRecord(message);
          if (!receivedAt.has(event.eventId)) receivedAt.set(event.eventId, received);
          await projection.handle(event, readStore);
          if (!projectedAt.has(event.eventId)) projectedAt.set(event.eventId, performance.now());
        },
      });
      await ready;
      const seeded = (await store.readAll()).length;
      // wait for the seed events to be through, so the measured ones start on a warm pipeline
      while (projectedAt.size < seeded) await new Promise((r) => setTimeout(r, 20));

      const cache = new StateCache<DistrictState>();
      const interval = 1000 / o.rate;
      const started = performance.now();
      const inFlight: Promise<void>[] = [];
      for (let i = 0; i < o.latencyCommands; i++) {
        const due = started + i * interval;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        const at = performance.now();
        inFlight.push(
          households(store, cache, i).then((result) => {
            for (const e of result.events) commandAt.set(e.eventId, at);
            relay.notify();
          }),
        );
      }
      await Promise.all(inFlight);
      const deadline = Date.now() + 120_000;
      while ([...commandAt.keys()].some((id) => !projectedAt.has(id))) {
        if (Date.now() > deadline) throw new Error('end-to-end: not every event was projected within 120 s');
        await new Promise((r) => setTimeout(r, 20));
      }
      const toKafka: number[] = [];
      const toDocument: number[] = [];
      for (const [id, at] of commandAt) {
        toKafka.push(receivedAt.get(id)! - at);
        toDocument.push(projectedAt.get(id)! - at);
      }
      toKafka.sort((a, b) => a - b);
      toDocument.sort((a, b) => a - b);
      return {
        commands: commandAt.size,
        toKafka,
        toDocument,
        readStore: mongoUrl ? redact(mongoUrl) : 'memory (mingo)',
      };
    } finally {
      await consumer.disconnect();
      await relay.stop();
      await publisher.disconnect();
      await readStore.close();
    }
  });
}

async function main(o: Options): Promise<void> {
  const given = setting('KAFKA_BROKERS');
  const broker = given ? { brokers: given.join(','), stop: () => undefined } : startBroker();
  const kafka = new Kafka({
    clientId: 'bench-relay',
    brokers: broker.brokers.split(','),
    logLevel: logLevel.ERROR,
  });
  console.log(
    `bench-relay: broker ${broker.brokers}, ${o.events} events, batch ${o.batchSize}, ${o.partitions} partitions, ` +
      `node ${process.version}, ${cpus().length} CPUs`,
  );
  try {
    const drain = await relayDrain(kafka, o);
    const raw = await rawProducer(kafka, drain.events, o);
    const live = await relayLive(kafka, o);
    const n = drain.events.length;
    const rawRate = rate(n, raw.elapsed);
    const drainRate = rate(drain.published, drain.elapsed);
    const liveRate = rate(live.n, live.elapsed);
    console.log(
      '\n1. Relay throughput (append -> broker acknowledgement), idempotent, acks=all, 1 in flight',
    );
    console.log(
      `   raw kafkajs producer, same records, batches of ${o.batchSize}: ${rawRate} events/s (${n} in ${Math.round(raw.elapsed)} ms, ~${Math.round(raw.bytes / n)} B/record)`,
    );
    console.log(
      `   relay, drain of ${drain.published} appended events:            ${drainRate} events/s  = ${((100 * drainRate) / rawRate).toFixed(0)} % of raw (target >= 50 %) ${drainRate >= rawRate / 2 ? 'OK' : 'BELOW TARGET'}`,
    );
    console.log(
      `   relay, live while appending ${live.n} commands:              ${liveRate} events/s  = ${((100 * liveRate) / rawRate).toFixed(0)} % of raw (appends alone took ${Math.round(live.appendElapsed)} ms = ${rate(live.n, live.appendElapsed)} commands/s)`,
    );

    const e2e = await endToEnd(kafka, o);
    console.log(
      `\n2. End-to-end latency, ${e2e.commands} commands at ${o.rate}/s (read store: ${e2e.readStore})`,
    );
    console.log(
      `   command -> Kafka message:      p50 ${ms(pct(e2e.toKafka, 50))}  p99 ${ms(pct(e2e.toKafka, 99))}  max ${ms(e2e.toKafka[e2e.toKafka.length - 1])}`,
    );
    console.log(
      `   command -> projected document: p50 ${ms(pct(e2e.toDocument, 50))}  p99 ${ms(pct(e2e.toDocument, 99))}  max ${ms(e2e.toDocument[e2e.toDocument.length - 1])}`,
    );
  } finally {
    broker.stop();
  }
}

new Command()
  .name('node dist/scripts/bench-relay.js')
  .description('Relay throughput beside a raw kafkajs producer, and end-to-end latency to the read model.')
  .option('--events <n>', 'events for the throughput runs', positiveInt, 20_000)
  .option('--batch-size <n>', 'relay batch = raw producer batch', positiveInt, 500)
  .option('--latency-commands <n>', 'commands for the latency run', positiveInt, 2000)
  .option('--rate <n>', 'commands per second in the latency run', positiveInt, 200)
  .option('--partitions <n>', 'partitions of each topic', positiveInt, 3)
  .action(main)
  .parseAsync()
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
