import { topicOf } from '#libs/contracts';
import { createKafka, messagingConfigFromEnv } from './config';
import { ConsumerStats, trackConsumer } from './consumer-stats';
import type { MessageHandler } from './delivery';
import type { Inbox } from './inbox';
import { startConsumer } from './kafka-consumer';
import { embeddedBus } from './service-relay';
import { setting, type Environment } from '#libs/settings';

export interface ServiceConsumer {
  readonly transport: 'kafka' | 'in-process';
  /** Processed, duplicate, retried and dead-lettered counts (the service's /metrics reads them). */
  readonly stats: ConsumerStats;
  stop(): Promise<void>;
}

/**
 * How one service reacts to another's events: a Kafka consumer group when KAFKA_BROKERS is set,
 * else a subscription on the embedded bus; either way with an inbox that drops an event id already
 * handled, retries with backoff and a dead-letter topic (`<topic>.dlq`).
 */
export async function startServiceConsumer(options: {
  /**
   * The consumer group, e.g. 'facility-construction.reactions'. It starts with the consuming
   * service's name: that service's /metrics reports the consumer (runningConsumers()).
   */
  readonly name: string;
  readonly fromServices: readonly string[];
  readonly handler: MessageHandler;
  readonly inbox: Inbox;
  readonly env?: Environment;
}): Promise<ServiceConsumer> {
  const env = options.env ?? process.env;
  const topics = options.fromServices.map((s) => topicOf(s));
  if (!setting('KAFKA_BROKERS', env)?.length) {
    // A second instance of a service in one process (tests start several) subscribes under a
    // suffixed name: the bus allows one subscription per name.
    for (let n = 1; ; n++) {
      const name = n === 1 ? options.name : `${options.name}#${n}`;
      try {
        const stats = new ConsumerStats(name, options.inbox);
        const unsubscribe = embeddedBus.subscribe({
          name,
          topics,
          handler: options.handler,
          inbox: options.inbox,
          onDelivered: (outcome) => stats.delivered(outcome),
          onDeadLetter: () => stats.deadLettered++,
        });
        const untrack = trackConsumer(stats);
        return {
          transport: 'in-process',
          stats,
          // Takes nothing new, waits for the deliveries in flight; from then on the bus refuses
          // to publish what this subscriber would have to handle (it stays a known subscriber).
          stop: async () => {
            untrack();
            await unsubscribe();
          },
        };
      } catch (error) {
        if (!String(error).includes('already exists') || n > 100) throw error;
      }
    }
  }
  const stats = new ConsumerStats(options.name, options.inbox);
  const running = await startConsumer({
    kafka: createKafka(messagingConfigFromEnv(env)),
    groupId: options.name,
    topics,
    handler: options.handler,
    inbox: options.inbox,
    // A new group reads the topic from its start: no decision before it joined is missed.
    fromBeginning: true,
    onDelivered: (outcome) => stats.delivered(outcome),
    // Counted once the dead-letter topic acknowledged the copy (undecodable records too).
    onDeadLetter: () => stats.deadLettered++,
  });
  const untrack = trackConsumer(stats);
  return {
    transport: 'kafka',
    stats,
    stop: () => {
      untrack();
      return running.stop();
    },
  };
}
