import type { CheckpointStore, EventStore, RecordedEvent } from '#libs/event-sourcing';
import { InProcessBus } from './in-process-bus';
import { ensureTopics, KafkaEventPublisher } from './kafka-publisher';
import { createKafka, messagingConfigFromEnv, topicSpecsFor } from './config';
import { startRelay, type Relay } from './relay';
import { topicOf } from '#libs/contracts';
import { setting, type Environment } from '#libs/settings';

/**
 * The bus of the embedded default: every service of the `npm start` process publishes here and
 * in-process subscribers (the other services' reactions) consume with the same at-least-once
 * contract as on Kafka.
 */
export const embeddedBus = new InProcessBus();

let openBus!: () => void;
const busOpened = new Promise<void>((resolve) => (openBus = resolve));
/**
 * The in-process bus keeps nothing, so the relays of the embedded default start only once every
 * service of the process has subscribed: the launcher (and a service run alone) opens it after
 * start-up. Until then appends wait in the log, which is the outbox.
 */
export const openEmbeddedBus = (): void => openBus();

export interface ServiceRelay {
  readonly transport: 'kafka' | 'in-process';
  /** Global position of the last event the transport acknowledged (its checkpoint); undefined before any. */
  position(): number | undefined;
  /** Events acknowledged since start. */
  published(): number;
  /** Look for new events now (after an append). */
  notify(): void;
  close(): Promise<void>;
}

/**
 * Starts the relay of one service's store: to Kafka when KAFKA_BROKERS is set (its topic
 * provisioned first), otherwise to the embedded in-process bus. REGISTRY_RELAY=off leaves
 * relaying to a separate process (scripts/relay.ts).
 */
export async function startServiceRelay(options: {
  readonly store: EventStore;
  readonly service: string;
  readonly checkpoints?: CheckpointStore;
  readonly env?: Environment;
  readonly onError?: (error: unknown) => void;
  readonly onPublished?: (batch: readonly RecordedEvent[]) => void;
  readonly onRecovered?: () => void;
}): Promise<ServiceRelay | undefined> {
  const env = options.env ?? process.env;
  if (setting('REGISTRY_RELAY', env) === 'off') return undefined;
  const common = {
    store: options.store,
    service: options.service,
    checkpoints: options.checkpoints,
    pollIntervalMs: 20,
    onError: options.onError,
    onPublished: options.onPublished,
    onRecovered: options.onRecovered,
  };
  if (!setting('KAFKA_BROKERS', env)?.length) {
    // One relay, and one durable checkpoint, per subscriber of the topic (as a consumer group has
    // its own offset on Kafka): a subscriber that is away, stopping or not yet subscribed keeps its
    // events waiting in the log, whatever the others took. A publisher with no
    // subscriber (a service run alone) moves no checkpoint at all.
    const relays = new Map<string, Relay>();
    let closed = false;
    let stopWatching: (() => void) | undefined;
    void busOpened.then(() => {
      if (closed) return;
      stopWatching = embeddedBus.watchSubscribers(topicOf(options.service), (consumer) => {
        if (closed || relays.has(consumer)) return;
        relays.set(
          consumer,
          startRelay({
            ...common,
            subscriptionId: `relay:${options.service}:${consumer}`,
            publisher: embeddedBus.publisherTo(options.service, consumer),
            // A publish here lasts until the subscriber has handled the batch, and a clean stop
            // waits for the batch in flight: small batches keep the stop short.
            batchSize: 50,
          }),
        );
      });
    });
    const all = () => [...relays.values()];
    return {
      transport: 'in-process',
      // What every subscriber has taken: the slowest one's position.
      position: () => {
        const positions = all().map((r) => r.position());
        if (positions.length === 0 || positions.some((p) => p === undefined)) return undefined;
        return Math.min(...(positions as number[]));
      },
      published: () => (relays.size === 0 ? 0 : Math.min(...all().map((r) => r.published()))),
      notify: () => all().forEach((r) => r.notify()),
      close: async () => {
        closed = true;
        stopWatching?.();
        await Promise.all(all().map((r) => r.stop()));
      },
    };
  }
  const config = messagingConfigFromEnv(env);
  const kafka = createKafka(config);
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(admin, topicSpecsFor([options.service], config));
  } finally {
    await admin.disconnect();
  }
  const publisher = await KafkaEventPublisher.connect(kafka, { service: options.service });
  const relay = startRelay({ ...common, publisher });
  return {
    transport: 'kafka',
    position: () => relay.position(),
    published: () => relay.published(),
    notify: () => relay.notify(),
    close: async () => {
      await relay.stop();
      await publisher.disconnect();
    },
  };
}
