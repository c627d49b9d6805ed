import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { startServers, type RunningServers } from '../../../../test/servers/servers';

/**
 * Integration tests need a real broker: the one KAFKA_BROKERS names, or one started by
 * test/servers (startServers) when REGISTRY_REAL_SERVERS=1. Otherwise they are skipped, loudly.
 */
export const kafkaWanted = process.env.REGISTRY_REAL_SERVERS === '1' || !!process.env.KAFKA_BROKERS;

export function describeWithKafka(name: string, body: () => void): void {
  if (kafkaWanted) {
    describe(name, body);
  } else {
    console.warn(
      `SKIPPED "${name}": needs a real Kafka broker. Set REGISTRY_REAL_SERVERS=1 (starts one through ` +
        'test/servers) or KAFKA_BROKERS=host:port.',
    );
    describe.skip(name, body);
  }
}

/** Starts (or takes from KAFKA_BROKERS) the broker once per test file. */
export function useKafka(): { kafka: () => Kafka; brokers: () => string[] } {
  let servers: RunningServers | undefined;
  let kafka: Kafka | undefined;
  beforeAll(async () => {
    servers = await startServers({ kafka: true, mongodb: false });
    kafka = new Kafka({
      clientId: 'messaging-int-spec',
      brokers: servers.kafkaBrokers.split(','),
      logLevel: logLevel.NOTHING,
    });
  }, 240_000);
  afterAll(async () => {
    await servers?.stop();
  }, 60_000);
  return {
    kafka: () => kafka!,
    brokers: () => servers!.kafkaBrokers.split(','),
  };
}

export const uniqueTopic = (what: string): string => `test.${what}.${randomUUID().slice(0, 8)}`;

export interface ReadRecord {
  readonly partition: number;
  readonly message: KafkaMessage;
}

/** Reads a topic from the beginning with a plain kafkajs consumer until `count` records arrived. */
export async function readTopic(
  kafka: Kafka,
  topic: string,
  count: number,
  timeoutMs = 60_000,
): Promise<ReadRecord[]> {
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}` });
  const records: ReadRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let done!: () => void;
    const enough = new Promise<void>((resolve) => (done = resolve));
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        records.push({ partition, message });
        if (records.length >= count) done();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      enough,
      new Promise<void>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(new Error(`read ${records.length} of ${count} records of ${topic} in ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    return records;
  } finally {
    await consumer.disconnect();
  }
}
