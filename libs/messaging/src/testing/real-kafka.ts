import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';

/**
 * Integration tests need a real broker: the one KAFKA_BROKERS names. The integration tier's jest
 * global setup starts Kafka and sets it (test/servers); a lib takes the address and never starts a
 * server itself. Without it the tests are skipped, loudly.
 */
export const kafkaWanted = Boolean(process.env.KAFKA_BROKERS);

export function describeWithKafka(name: string, body: () => void): void {
  if (kafkaWanted) {
    describe(name, body);
  } else {
    console.warn(
      `SKIPPED "${name}": needs a real Kafka broker. No KAFKA_BROKERS: the integration tier's global ` +
        'setup sets it when Kafka starts; or set KAFKA_BROKERS=host:port.',
    );
    describe.skip(name, body);
  }
}

/** A client of the broker of KAFKA_BROKERS for the test file. */
export function useKafka(): { kafka: () => Kafka; brokers: () => string[] } {
  const brokers = (): string[] => {
    if (!process.env.KAFKA_BROKERS) throw new Error('KAFKA_BROKERS is not set');
    return process.env.KAFKA_BROKERS.split(',');
  };
  let kafka: Kafka | undefined;
  beforeAll(() => {
    kafka = new Kafka({ clientId: 'messaging-int-spec', brokers: brokers(), logLevel: logLevel.NOTHING });
  });
  return { kafka: () => kafka!, brokers };
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
