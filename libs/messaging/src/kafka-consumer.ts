import type { Consumer, EachMessagePayload, IHeaders, Kafka, Producer } from 'kafkajs';
import { fromKafkaRecord, type DecodedEvent } from './cloudevents-mapping';
import { deliver, reasonOf, type DeliveryObserver, type MessageHandler, type RetryPolicy } from './delivery';
import type { Inbox } from './inbox';
import { ACKS_ALL, ensureTopics } from './kafka-publisher';

/** Headers added to a dead-lettered record, beside all of its original headers. */
export const DLQ_HEADERS = {
  reason: 'dlq_reason',
  consumer: 'dlq_consumer',
  failedAt: 'dlq_failed_at',
  topic: 'dlq_topic',
  partition: 'dlq_partition',
  offset: 'dlq_offset',
  attempts: 'dlq_attempts',
} as const;

/** `<topic>.dlq`. */
export const dlqTopicOf = (topic: string): string => `${topic}.dlq`;

export interface DeadLetterInfo {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly dlqTopic: string;
  readonly reason: string;
  readonly eventId?: string;
}

export interface ConsumerOptions extends RetryPolicy, DeliveryObserver {
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly handler: MessageHandler;
  readonly inbox: Inbox;
  /** Name in the inbox and in `dlq_consumer`. Default: groupId. */
  readonly consumerName?: string;
  /** Dead-letter topic of a source topic. Default `<topic>.dlq` (dlqTopicOf). */
  readonly dlqTopic?: string | ((topic: string) => string);
  /**
   * Create missing dead-letter topics at start, with the partition count and replication factor
   * of their source topic. Default true (the brokers here refuse auto-creation).
   */
  readonly createDlqTopics?: boolean;
  /** A new group starts at the beginning of the topics. Default true. */
  readonly fromBeginning?: boolean;
  readonly sessionTimeoutMs?: number;
  readonly partitionsConsumedConcurrently?: number;
  readonly onDeadLetter?: (info: DeadLetterInfo) => void;
  readonly onDuplicate?: (eventId: string) => void;
}

export interface RunningConsumer {
  readonly consumer: Consumer;
  /** Resolves when the consumer has joined its group (partitions assigned). */
  readonly joined: Promise<void>;
  stop(): Promise<void>;
}

/**
 * A consumer in a consumer group. For each record, in partition order: decode the CloudEvent; drop
 * an event id the inbox has already seen; run the handler, retrying with exponential backoff
 * (bounded, heartbeating between tries); after the last retry, or at once for a record that is
 * not a decodable CloudEvent, copy the record to the dead-letter topic with its original key, value
 * and headers plus dlq_* headers, and move on. The offset is committed only after the record was
 * handled, dropped or dead-lettered (a failed dead-letter write fails the record, which kafkajs then
 * delivers again), so nothing is lost and nothing blocks a partition for longer than the retries.
 */
export async function startConsumer(options: ConsumerOptions): Promise<RunningConsumer> {
  const consumerName = options.consumerName ?? options.groupId;
  const dlqOf = (topic: string) =>
    typeof options.dlqTopic === 'function'
      ? options.dlqTopic(topic)
      : (options.dlqTopic ?? dlqTopicOf(topic));

  if (options.createDlqTopics ?? true) await createDlqTopics(options.kafka, options.topics, dlqOf);

  const producer: Producer = options.kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  const consumer = options.kafka.consumer({
    groupId: options.groupId,
    sessionTimeout: options.sessionTimeoutMs ?? 30_000,
    allowAutoTopicCreation: false,
  });
  let resolveJoined!: () => void;
  const joined = new Promise<void>((resolve) => (resolveJoined = resolve));
  consumer.on(consumer.events.GROUP_JOIN, () => resolveJoined());

  const deadLetter = async (
    payload: EachMessagePayload,
    reason: string,
    attempts: number,
    eventId?: string,
  ) => {
    const { topic, partition, message } = payload;
    const dlqTopic = dlqOf(topic);
    const headers: IHeaders = {
      ...(message.headers ?? {}),
      [DLQ_HEADERS.reason]: reason,
      [DLQ_HEADERS.consumer]: consumerName,
      [DLQ_HEADERS.failedAt]: new Date().toISOString(),
      [DLQ_HEADERS.topic]: topic,
      [DLQ_HEADERS.partition]: String(partition),
      [DLQ_HEADERS.offset]: message.offset,
      [DLQ_HEADERS.attempts]: String(attempts),
    };
    await producer.send({
      topic: dlqTopic,
      acks: ACKS_ALL,
      messages: [{ key: message.key, value: message.value, headers, timestamp: message.timestamp }],
    });
    options.onDeadLetter?.({ topic, partition, offset: message.offset, dlqTopic, reason, eventId });
  };

  const eachMessage = async (payload: EachMessagePayload) => {
    const { topic, partition, message, heartbeat } = payload;
    let decoded: DecodedEvent;
    try {
      decoded = fromKafkaRecord(message);
    } catch (error) {
      await deadLetter(payload, `undecodable: ${reasonOf(error)}`, 0);
      return;
    }
    const outcome = await deliver(
      consumerName,
      decoded.event,
      { topic, partition, offset: message.offset, source: decoded.source },
      options.handler,
      options.inbox,
      { ...options, beforeRetry: heartbeat },
    );
    if (outcome.kind === 'duplicate') options.onDuplicate?.(decoded.event.eventId);
    if (outcome.kind === 'failed') {
      await deadLetter(payload, reasonOf(outcome.error), outcome.attempts, decoded.event.eventId);
    }
  };

  await producer.connect();
  try {
    await consumer.connect();
    for (const topic of options.topics) {
      await consumer.subscribe({ topic, fromBeginning: options.fromBeginning ?? true });
    }
    await consumer.run({
      eachMessage,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
    });
  } catch (error) {
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    throw error;
  }

  let stopping: Promise<void> | undefined;
  return {
    consumer,
    joined,
    stop() {
      stopping ??= (async () => {
        try {
          await consumer.disconnect();
        } finally {
          await producer.disconnect();
        }
      })();
      return stopping;
    },
  };
}

async function createDlqTopics(
  kafka: Kafka,
  topics: readonly string[],
  dlqOf: (topic: string) => string,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { topics: meta } = await admin.fetchTopicMetadata({ topics: [...topics] });
    await ensureTopics(
      admin,
      meta.map((t) => ({
        topic: dlqOf(t.name),
        numPartitions: t.partitions.length,
        replicationFactor: Math.max(1, t.partitions[0]?.replicas.length ?? 1),
      })),
    );
  } finally {
    await admin.disconnect();
  }
}
