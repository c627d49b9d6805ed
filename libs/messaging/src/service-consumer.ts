import { topicOf } from '#libs/contracts';
import { createKafka, messagingConfigFromEnv } from './config';
import type { MessageHandler } from './delivery';
import type { Inbox } from './inbox';
import { startConsumer } from './kafka-consumer';
import { embeddedBus } from './service-relay';

export interface ServiceConsumer {
  readonly transport: 'kafka' | 'in-process';
  stop(): Promise<void>;
}

/**
 * How one service reacts to another's events: a Kafka consumer group when KAFKA_BROKERS is set,
 * else a subscription on the embedded bus; either way with an inbox that drops an event id already
 * handled, retries with backoff and a dead-letter topic (`<topic>.dlq`).
 */
export async function startServiceConsumer(options: {
  /** The consumer group, e.g. 'facility-construction.reactions'. */
  readonly name: string;
  readonly fromServices: readonly string[];
  readonly handler: MessageHandler;
  readonly inbox: Inbox;
  readonly env?: NodeJS.ProcessEnv;
}): Promise<ServiceConsumer> {
  const env = options.env ?? process.env;
  const topics = options.fromServices.map((s) => topicOf(s));
  if (!env.KAFKA_BROKERS) {
    // A second instance of a service in one process (tests start several) subscribes under a
    // suffixed name: the bus allows one subscription per name.
    for (let n = 1; ; n++) {
      const name = n === 1 ? options.name : `${options.name}#${n}`;
      try {
        const unsubscribe = embeddedBus.subscribe({
          name,
          topics,
          handler: options.handler,
          inbox: options.inbox,
        });
        return { transport: 'in-process', stop: async () => unsubscribe() };
      } catch (error) {
        if (!String(error).includes('already exists') || n > 100) throw error;
      }
    }
  }
  const running = await startConsumer({
    kafka: createKafka(messagingConfigFromEnv(env)),
    groupId: options.name,
    topics,
    handler: options.handler,
    inbox: options.inbox,
    // A new group reads the topic from its start: no decision before it joined is missed.
    fromBeginning: true,
  });
  return { transport: 'kafka', stop: () => running.stop() };
}
