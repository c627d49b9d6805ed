import { Command, InvalidArgumentError } from 'commander';
import { SqliteEventStore, upcastingEventStore, type RecordedEvent } from '#libs/event-sourcing';
import {
  createKafka,
  ensureTopics,
  KafkaEventPublisher,
  messagingConfigFromEnv,
  startRelay,
  topicSpecsFor,
  type Relay,
} from '#libs/messaging';
import { topicOf } from '#libs/contracts';
import { upcastersOf } from './upcasters';

/*
 * The relay process of one service: it follows the service's SQLite event log (the outbox) and
 * publishes every event to the service's Kafka topic, saving its checkpoint only after the broker
 * acknowledged (libs/messaging startRelay + KafkaEventPublisher: idempotent producer, acks=all).
 *
 * This is what production runs beside each service process (one relay per service store file):
 *   node dist/scripts/relay.js --file data/community-establishment.sqlite \
 *     --service community-establishment --brokers kafka-1:9092,kafka-2:9092
 * It runs until SIGTERM/SIGINT, then stops after the batch in flight and saves its checkpoint.
 * A kill -9 at any moment is safe: the next start resumes after the last saved checkpoint, so
 * at most checkpointEvery + batchSize - 1 events go out a second time (at least once, never lost);
 * test/crash/relay-crash.int-spec.ts proves it against a real broker.
 *
 * Progress goes to stdout, one line each (`relay <service>: ...`), errors to stderr.
 * Topic settings come from the environment (KAFKA_TOPIC_PARTITIONS, KAFKA_REPLICATION_FACTOR,
 * KAFKA_MIN_INSYNC_REPLICAS; see libs/messaging/src/config.ts); a missing topic is created.
 * Exit code 0 after a clean stop, 2 on bad arguments.
 */

const positiveInt = (text: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a positive integer');
  return n;
};

interface Options {
  file: string;
  service: string;
  brokers?: string;
  topic?: string;
  batchSize: number;
  checkpointEvery: number;
  pollInterval: number;
  progressEvery: number;
}

const program = new Command()
  .name('node dist/scripts/relay.js')
  .description("Relay one service's SQLite event log to its Kafka topic (at least once).")
  .requiredOption('--file <sqlite>', "the service's SQLite event store file")
  .requiredOption('--service <name>', 'the publishing service (ce_source, default topic)')
  .option('--brokers <list>', 'comma-separated host:port; default KAFKA_BROKERS')
  .option('--topic <name>', 'default lanzhou.registry.<service>.events.v1')
  .option('--batch-size <n>', 'events read and published per batch', positiveInt, 500)
  .option('--checkpoint-every <n>', 'save the checkpoint after this many acknowledged events', positiveInt, 1)
  .option('--poll-interval <ms>', 'how often to look for new events when idle', positiveInt, 100)
  .option('--progress-every <ms>', 'at most one progress line this often', positiveInt, 1000)
  .action(run);

const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function run(options: Options): Promise<void> {
  // --brokers stands for KAFKA_BROKERS; every other setting as the environment says.
  const config = messagingConfigFromEnv(
    options.brokers === undefined ? process.env : { ...process.env, KAFKA_BROKERS: options.brokers },
  );
  const topic = options.topic ?? topicOf(options.service);
  const name = `relay ${options.service}`;
  // Published as the service reads them: ce_type and data at the current version of each type.
  const store = upcastingEventStore(
    await SqliteEventStore.open({ file: options.file }),
    upcastersOf(options.service),
  );
  const kafka = createKafka(config, { clientId: `${config.clientId}-relay-${options.service}` });

  let stopping = false;
  let relay: Relay | undefined = undefined;
  let publisher: KafkaEventPublisher | undefined;
  let stopped: Promise<void> | undefined;
  const shutdown = (signal: string) => {
    if (stopped) return;
    stopping = true;
    log(`${name}: ${signal}, stopping after the batch in flight`);
    stopped = (async () => {
      await relay?.stop();
      await publisher?.disconnect().catch(() => undefined);
      const position = relay?.position();
      await store.close();
      log(`${name}: stopped at position ${position ?? '-'} (${relay?.published() ?? 0} events published)`);
    })();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  // Connect and provision the topic; a broker that is down is waited for, not fatal.
  log(`${name}: ${options.file} -> ${topic} on ${config.brokers.join(',')}`);
  for (let attempt = 1; !stopping; attempt++) {
    try {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const [spec] = topicSpecsFor([options.service], config);
        const result = await ensureTopics(admin, [{ ...spec, topic }]);
        if (result.created.length > 0) log(`${name}: created topic ${topic}`);
        for (const m of result.mismatched)
          log(`${name}: WARNING topic ${m.topic} has ${m.actual} partitions, configured ${m.expected}`);
      } finally {
        await admin.disconnect();
      }
      publisher = await KafkaEventPublisher.connect(kafka, { service: options.service, topic });
      break;
    } catch (error) {
      const wait = Math.min(5000, 200 * 2 ** Math.min(attempt - 1, 5));
      process.stderr.write(
        `${name}: broker not reachable (${(error as Error).message}), retry in ${wait} ms\n`,
      );
      await sleep(wait);
    }
  }
  if (stopping || !publisher) {
    await stopped;
    return;
  }

  let lastLine = 0;
  let lastCount = 0;
  const started = Date.now();
  const progress = (force: boolean) => {
    const now = Date.now();
    if (!relay || (!force && now - lastLine < options.progressEvery)) return;
    const count = relay.published();
    if (!force && count === lastCount) return;
    const rate = ((count - lastCount) * 1000) / Math.max(1, now - (lastLine || started));
    log(`${name}: published=${count} position=${relay.position() ?? '-'} rate=${Math.round(rate)}/s`);
    lastLine = now;
    lastCount = count;
  };
  relay = startRelay({
    store,
    service: options.service,
    publisher,
    batchSize: options.batchSize,
    checkpointEvery: options.checkpointEvery,
    pollIntervalMs: options.pollInterval,
    onError: (error, attempt) =>
      process.stderr.write(`${name}: publish failed (attempt ${attempt}): ${(error as Error).message}\n`),
    onPublished: (_batch: readonly RecordedEvent[]) => progress(false),
  });
  log(`${name}: started (batch ${options.batchSize}, checkpoint every ${options.checkpointEvery})`);
  relay.caughtUp.then(
    () => log(`${name}: caught up at position ${relay?.position() ?? '-'}`),
    () => undefined,
  );
  const timer = setInterval(() => progress(false), options.progressEvery);
  timer.unref();
  await new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if (stopped) {
        clearInterval(check);
        resolve();
      }
    }, 50);
  });
  clearInterval(timer);
  await stopped;
}

program.parseAsync().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
