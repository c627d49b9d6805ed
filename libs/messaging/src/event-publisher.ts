import type { RecordedEvent } from '#libs/event-sourcing';

/**
 * The bus port the relay publishes through. `publish` resolves only once the transport has taken
 * responsibility for every event of the batch (Kafka: acknowledged by all in-sync replicas; the
 * in-process bus: handled or dead-lettered by every subscriber). The relay saves its checkpoint only
 * after that, so a crash in between publishes the batch again: delivery is at least once, and every
 * consumer deduplicates by event id (see Inbox).
 *
 * Events of one stream must reach the transport in the order given (the relay hands them over in
 * global-log order, which is stream order).
 */
export interface EventPublisher {
  publish(batch: readonly RecordedEvent[]): Promise<void>;
}
