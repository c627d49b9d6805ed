import { Partitioners, type Admin, type ITopicConfig, type Kafka, type Producer } from 'kafkajs';
import { topicOf } from '#libs/contracts';
import type { RecordedEvent } from '#libs/event-sourcing';
import { toKafkaRecord } from './cloudevents-mapping';
import type { EventPublisher } from './event-publisher';

/**
 * Producer settings of the relay: idempotent (the broker drops a retried duplicate of a batch it
 * already wrote), acks from all in-sync replicas, one request in flight per connection (kafkajs keeps
 * per-partition order under retries only then), retries without limit (kafkajs' default for an
 * idempotent producer; limiting them "may invalidate EoS guarantees"), and the Java client's murmur2
 * partitioner, so a stream id lands on the same partition as with any other Kafka client.
 */
export const RELAY_PRODUCER_CONFIG = {
  idempotent: true,
  maxInFlightRequests: 1,
  allowAutoTopicCreation: false,
  createPartitioner: Partitioners.DefaultPartitioner,
} as const;

/** acks = -1: all in-sync replicas. */
export const ACKS_ALL = -1;

export interface KafkaEventPublisherOptions {
  /** The service whose events this publisher carries: ce_source and, by default, the topic. */
  readonly service: string;
  /** Default: topicOf(service), `lanzhou.registry.<service>.events.v1`. */
  readonly topic?: string;
  /** Broker-side wait for the in-sync replicas, ms. Default 30 000. */
  readonly timeoutMs?: number;
}

/** The EventPublisher on Kafka. One producer, one topic, records in CloudEvents binary mode. */
export class KafkaEventPublisher implements EventPublisher {
  readonly topic: string;
  private connected = false;

  private constructor(
    private readonly producer: Producer,
    private readonly options: KafkaEventPublisherOptions,
  ) {
    this.topic = options.topic ?? topicOf(options.service);
  }

  /** Creates the producer (RELAY_PRODUCER_CONFIG) and connects it. */
  static async connect(kafka: Kafka, options: KafkaEventPublisherOptions): Promise<KafkaEventPublisher> {
    const publisher = new KafkaEventPublisher(kafka.producer({ ...RELAY_PRODUCER_CONFIG }), options);
    await publisher.producer.connect();
    publisher.connected = true;
    return publisher;
  }

  async publish(batch: readonly RecordedEvent[]): Promise<void> {
    if (batch.length === 0) return;
    if (!this.connected) throw new Error('Kafka publisher is disconnected');
    // One send: kafkajs groups the records per partition, each partition's records stay in order.
    await this.producer.send({
      topic: this.topic,
      acks: ACKS_ALL,
      timeout: this.options.timeoutMs ?? 30_000,
      messages: batch.map((event) => toKafkaRecord(event, this.options.service)),
    });
  }

  async disconnect(): Promise<void> {
    if (!this.connected) return;
    this.connected = false;
    await this.producer.disconnect();
  }
}

export interface TopicSpec {
  readonly topic: string;
  readonly numPartitions: number;
  readonly replicationFactor: number;
  /** Topic-level configs, e.g. { 'min.insync.replicas': '2' }. */
  readonly configEntries?: Readonly<Record<string, string>>;
}

export interface EnsureTopicsResult {
  readonly created: string[];
  readonly existing: string[];
  /** Existing topics whose partition count differs from the spec; never changed automatically
   * (more partitions would move stream ids to other partitions and break their order). */
  readonly mismatched: { topic: string; expected: number; actual: number }[];
}

/**
 * Creates the topics that do not exist yet, with their partitions and replication factor, and
 * waits for their leaders. Existing topics are left alone; a differing partition count is reported.
 */
export async function ensureTopics(admin: Admin, specs: readonly TopicSpec[]): Promise<EnsureTopicsResult> {
  const existingNames = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !existingNames.has(s.topic));
  const present = specs.filter((s) => existingNames.has(s.topic));
  if (missing.length > 0) {
    const topics: ITopicConfig[] = missing.map((s) => ({
      topic: s.topic,
      numPartitions: s.numPartitions,
      replicationFactor: s.replicationFactor,
      configEntries: Object.entries(s.configEntries ?? {}).map(([name, value]) => ({ name, value })),
    }));
    try {
      await admin.createTopics({ topics, waitForLeaders: true });
    } catch (error) {
      // Another process may have created one in between: only fail if a topic is still missing.
      const now = new Set(await admin.listTopics());
      if (missing.some((s) => !now.has(s.topic))) throw error;
    }
  }
  const mismatched: EnsureTopicsResult['mismatched'] = [];
  if (present.length > 0) {
    const { topics } = await admin.fetchTopicMetadata({ topics: present.map((s) => s.topic) });
    for (const t of topics) {
      const spec = present.find((s) => s.topic === t.name)!;
      if (t.partitions.length !== spec.numPartitions) {
        mismatched.push({ topic: t.name, expected: spec.numPartitions, actual: t.partitions.length });
      }
    }
  }
  return {
    created: missing.map((s) => s.topic),
    existing: present.map((s) => s.topic),
    mismatched,
  };
}
