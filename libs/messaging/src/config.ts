import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { topicOf } from '#libs/contracts';
import type { TopicSpec } from './kafka-publisher';
import { setting, type Environment } from '#libs/settings';

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

/** KAFKA_BROKERS (comma-separated host:port, required), KAFKA_CLIENT_ID, KAFKA_TOPIC_PARTITIONS, ... */
export function messagingConfigFromEnv(env: Environment = process.env): MessagingConfig {
  const brokers = setting('KAFKA_BROKERS', env) ?? [];
  if (brokers.length === 0) throw new Error('KAFKA_BROKERS is not set (comma-separated host:port list)');
  const minInsyncReplicas = setting('KAFKA_MIN_INSYNC_REPLICAS', env);
  return {
    brokers,
    clientId: setting('KAFKA_CLIENT_ID', env),
    numPartitions: setting('KAFKA_TOPIC_PARTITIONS', env),
    replicationFactor: setting('KAFKA_REPLICATION_FACTOR', env),
    ...(minInsyncReplicas ? { minInsyncReplicas } : {}),
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
