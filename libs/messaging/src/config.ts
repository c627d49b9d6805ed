import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { topicOf } from '#libs/contracts';
import type { TopicSpec } from './kafka-publisher';

export interface MessagingConfig {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** Partitions of each service topic (KAFKA_TOPIC_PARTITIONS, default 3). */
  readonly numPartitions: number;
  /** Replication factor of each topic (KAFKA_REPLICATION_FACTOR, default 1; 3 in production). */
  readonly replicationFactor: number;
  /** min.insync.replicas of each topic (KAFKA_MIN_INSYNC_REPLICAS), unset by default. */
  readonly minInsyncReplicas?: number;
}

const positiveInt = (name: string, text: string | undefined, fallback: number): number => {
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name} must be a positive integer, got ${text}`);
  return n;
};

/** KAFKA_BROKERS (comma-separated host:port, required), KAFKA_CLIENT_ID, KAFKA_TOPIC_PARTITIONS, ... */
export function messagingConfigFromEnv(env: NodeJS.ProcessEnv = process.env): MessagingConfig {
  const brokers = (env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (brokers.length === 0) throw new Error('KAFKA_BROKERS is not set (comma-separated host:port list)');
  return {
    brokers,
    clientId: env.KAFKA_CLIENT_ID ?? 'lanzhou-registry',
    numPartitions: positiveInt('KAFKA_TOPIC_PARTITIONS', env.KAFKA_TOPIC_PARTITIONS, 3),
    replicationFactor: positiveInt('KAFKA_REPLICATION_FACTOR', env.KAFKA_REPLICATION_FACTOR, 1),
    ...(env.KAFKA_MIN_INSYNC_REPLICAS
      ? { minInsyncReplicas: positiveInt('KAFKA_MIN_INSYNC_REPLICAS', env.KAFKA_MIN_INSYNC_REPLICAS, 1) }
      : {}),
  };
}

/** The topic of each service, with the configured partitions and replication factor. */
export function topicSpecsFor(services: readonly string[], config: MessagingConfig): TopicSpec[] {
  return services.map((service) => ({
    topic: topicOf(service),
    numPartitions: config.numPartitions,
    replicationFactor: config.replicationFactor,
    ...(config.minInsyncReplicas
      ? { configEntries: { 'min.insync.replicas': String(config.minInsyncReplicas) } }
      : {}),
  }));
}

/** A kafkajs client for the config; kafkajs logs only errors unless `logLevel` says otherwise. */
export function createKafka(config: MessagingConfig, extra: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId: config.clientId,
    brokers: [...config.brokers],
    logLevel: logLevel.ERROR,
    ...extra,
  });
}
