import { topicOf } from '#libs/contracts';
import type { RecordedEvent } from '#libs/event-sourcing';
import { fromKafkaRecord, toKafkaRecord, type EncodedRecord } from './cloudevents-mapping';
import { deliver, reasonOf, type DeliveryObserver, type MessageHandler, type RetryPolicy } from './delivery';
import type { EventPublisher } from './event-publisher';
import { InMemoryInbox, type Inbox } from './inbox';
import { dlqTopicOf } from './kafka-consumer';

export interface InProcessSubscription extends RetryPolicy, DeliveryObserver {
  /** The consumer (group) name: its inbox key and `dlq_consumer`. One subscription per name. */
  readonly name: string;
  readonly topics: readonly string[];
  readonly handler: MessageHandler;
  /** Default: an InMemoryInbox of its own. */
  readonly inbox?: Inbox;
  /** Called after a record was dead-lettered (metrics, tests). */
  readonly onDeadLetter?: (deadLetter: InProcessDeadLetter) => void;
}

/** A record that a subscriber could not handle, kept with the reason (the in-process `<topic>.dlq`). */
export interface InProcessDeadLetter {
  readonly dlqTopic: string;
  readonly record: EncodedRecord;
  readonly reason: string;
  readonly consumer: string;
  readonly failedAt: string;
  readonly attempts: number;
}

/**
 * The bus of the embedded default (`npm start`, no server): the same at-least-once contract as
 * Kafka, in memory. The relay publishes to it through `publisherFor(service)` exactly as it does to
 * Kafka; `publish` resolves only after every subscriber of the topic has handled (or dead-lettered)
 * every event of the batch, so the relay's checkpoint never passes an event a subscriber has not
 * taken. A crash before the checkpoint makes the relay publish again; subscribers drop what their
 * inbox has seen. Records go through the same CloudEvents encoding as on Kafka, so subscribers see
 * exactly what a Kafka consumer sees.
 *
 * Unlike Kafka there is no retention: a subscriber gets what is published after it subscribed, so
 * subscribe before starting the relay.
 */
export class InProcessBus {
  private readonly subscriptions = new Map<string, InProcessSubscription & { inbox: Inbox }>();
  private readonly offsets = new Map<string, number>();
  readonly deadLetters: InProcessDeadLetter[] = [];

  /** The EventPublisher of one service (topic: topicOf(service) unless given). */
  publisherFor(service: string, topic: string = topicOf(service)): EventPublisher {
    return { publish: (batch) => this.publish(service, topic, batch) };
  }

  /** Returns a function that unsubscribes. */
  subscribe(subscription: InProcessSubscription): () => void {
    if (this.subscriptions.has(subscription.name)) {
      throw new Error(`a subscription named ${subscription.name} already exists`);
    }
    this.subscriptions.set(subscription.name, {
      ...subscription,
      inbox: subscription.inbox ?? new InMemoryInbox(),
    });
    return () => void this.subscriptions.delete(subscription.name);
  }

  /** Dead letters of one dead-letter topic (`<topic>.dlq`). */
  deadLettersOf(dlqTopic: string): InProcessDeadLetter[] {
    return this.deadLetters.filter((d) => d.dlqTopic === dlqTopic);
  }

  private async publish(service: string, topic: string, batch: readonly RecordedEvent[]): Promise<void> {
    for (const event of batch) {
      const record = toKafkaRecord(event, service);
      const offset = this.offsets.get(topic) ?? 0;
      this.offsets.set(topic, offset + 1);
      const targets = [...this.subscriptions.values()].filter((s) => s.topics.includes(topic));
      // Subscribers are independent consumer groups: one slow or failing group delays, never blocks.
      await Promise.all(
        targets.map(async (s) => {
          const decoded = fromKafkaRecord(record);
          const outcome = await deliver(
            s.name,
            decoded.event,
            { topic, partition: 0, offset: String(offset), source: decoded.source },
            s.handler,
            s.inbox,
            s,
          );
          if (outcome.kind === 'failed') {
            const deadLetter: InProcessDeadLetter = {
              dlqTopic: dlqTopicOf(topic),
              record,
              reason: reasonOf(outcome.error),
              consumer: s.name,
              failedAt: new Date().toISOString(),
              attempts: outcome.attempts,
            };
            this.deadLetters.push(deadLetter);
            try {
              s.onDeadLetter?.(deadLetter);
            } catch {
              // an observer must not fail the publish
            }
          }
        }),
      );
    }
  }
}
