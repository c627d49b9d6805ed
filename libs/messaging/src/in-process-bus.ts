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

/** A publish the bus refused because a subscriber of the topic has not handled the event. */
export class SubscriberUnavailable extends Error {
  constructor(
    readonly consumer: string,
    readonly eventId: string,
    why: string,
  ) {
    super(`subscriber ${consumer} has not handled event ${eventId}: ${why}`);
    this.name = 'SubscriberUnavailable';
  }
}

type Member = InProcessSubscription & {
  readonly inbox: Inbox;
  /** Stopped: unsubscribed, or stopping. A known subscriber that is stopped has handled nothing. */
  stopped: boolean;
  readonly inFlight: Set<Promise<unknown>>;
};

/**
 * The bus of the embedded default (`npm start`, no server): the same at-least-once contract as
 * Kafka, in memory. The relay publishes to it through `publisherFor(service)` exactly as it does to
 * Kafka; `publish` resolves only after every subscriber of the topic has handled (or dead-lettered)
 * every event of the batch, so the relay's checkpoint never passes an event a subscriber has not
 * taken. A crash before the checkpoint makes the relay publish again; subscribers drop what their
 * inbox has seen. Records go through the same CloudEvents encoding as on Kafka, so subscribers see
 * exactly what a Kafka consumer sees.
 *
 * Unlike Kafka there is no retention: the log is. The embedded relay follows it with one checkpoint
 * per subscriber (`publisherTo`, `watchSubscribers`), as a consumer group keeps its own offset, so
 * a subscriber not yet subscribed has its events wait in the log. A subscriber stays known after it
 * unsubscribes (a consumer group that is away), and while it is stopping or stopped a publish to it
 * is refused (SubscriberUnavailable): its relay keeps its checkpoint and publishes the batch again
 * later, after a restart if need be. Its handler failing while it stops is the
 * same refusal, never a dead letter.
 */
export class InProcessBus {
  private readonly subscriptions = new Map<string, Member>();
  private readonly offsets = new Map<string, number>();
  private readonly watchers = new Set<{ topic: string; onSubscriber: (consumer: string) => void }>();
  readonly deadLetters: InProcessDeadLetter[] = [];

  /** The EventPublisher of one service to every subscriber of its topic (topicOf(service) unless given). */
  publisherFor(service: string, topic: string = topicOf(service)): EventPublisher {
    return { publish: (batch) => this.publish(service, topic, batch, () => true) };
  }

  /**
   * The EventPublisher of one service to one subscriber only: what a consumer group's own offset is
   * on Kafka, the embedded relay keeps as one checkpoint per subscriber (startServiceRelay), so a
   * subscriber that is away has its events wait in the log, not lost to a shared checkpoint.
   */
  publisherTo(service: string, consumer: string, topic: string = topicOf(service)): EventPublisher {
    return {
      publish: async (batch) => {
        if (!this.subscriptions.has(consumer) && batch.length > 0)
          throw new SubscriberUnavailable(consumer, batch[0]!.eventId, 'it has never subscribed');
        await this.publish(service, topic, batch, (s) => s.name === consumer);
      },
    };
  }

  /**
   * Calls `onSubscriber` with the name of every subscriber of a topic, those known now (stopped ones
   * included) and each new one as it subscribes. Returns the end of the watch.
   */
  watchSubscribers(topic: string, onSubscriber: (consumer: string) => void): () => void {
    const watch = { topic, onSubscriber };
    this.watchers.add(watch);
    for (const s of this.subscriptions.values()) if (s.topics.includes(topic)) onSubscriber(s.name);
    return () => this.watchers.delete(watch);
  }

  /**
   * Subscribes, or subscribes again under the name of a subscriber that stopped. Returns the stop:
   * it takes no new event from then on and resolves once the deliveries in flight have ended.
   */
  subscribe(subscription: InProcessSubscription): () => Promise<void> {
    if (this.subscriptions.get(subscription.name)?.stopped === false) {
      throw new Error(`a subscription named ${subscription.name} already exists`);
    }
    const member: Member = {
      ...subscription,
      inbox: subscription.inbox ?? new InMemoryInbox(),
      stopped: false,
      inFlight: new Set(),
    };
    this.subscriptions.set(subscription.name, member);
    for (const w of this.watchers)
      if (subscription.topics.includes(w.topic)) w.onSubscriber(subscription.name);
    return async () => {
      member.stopped = true;
      await Promise.allSettled([...member.inFlight]);
    };
  }

  /** Dead letters of one dead-letter topic (`<topic>.dlq`). */
  deadLettersOf(dlqTopic: string): InProcessDeadLetter[] {
    return this.deadLetters.filter((d) => d.dlqTopic === dlqTopic);
  }

  private async publish(
    service: string,
    topic: string,
    batch: readonly RecordedEvent[],
    to: (s: Member) => boolean,
  ): Promise<void> {
    for (const event of batch) {
      const record = toKafkaRecord(event, service);
      const offset = this.offsets.get(topic) ?? 0;
      this.offsets.set(topic, offset + 1);
      const targets = [...this.subscriptions.values()].filter((s) => s.topics.includes(topic) && to(s));
      const away = targets.find((s) => s.stopped);
      if (away) throw new SubscriberUnavailable(away.name, event.eventId, 'it is not subscribed');
      // Subscribers are independent consumer groups: one slow or failing group delays, never blocks.
      await Promise.all(targets.map((s) => this.track(s, this.deliverTo(s, topic, offset, record))));
    }
  }

  private track<T>(member: Member, delivery: Promise<T>): Promise<T> {
    member.inFlight.add(delivery);
    return delivery.finally(() => member.inFlight.delete(delivery));
  }

  private async deliverTo(s: Member, topic: string, offset: number, record: EncodedRecord): Promise<void> {
    const decoded = fromKafkaRecord(record);
    const eventId = decoded.event.eventId;
    const outcome = await deliver(
      s.name,
      decoded.event,
      { topic, partition: 0, offset: String(offset), source: decoded.source },
      s.handler,
      s.inbox,
      {
        ...s,
        // A subscriber stopping mid-retry (its store closing, say) has not handled the event.
        beforeRetry: async () => {
          if (s.stopped) throw new SubscriberUnavailable(s.name, eventId, 'it stopped while retrying');
        },
      },
    );
    if (outcome.kind !== 'failed') return;
    if (s.stopped) throw new SubscriberUnavailable(s.name, eventId, `it stopped: ${reasonOf(outcome.error)}`);
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
}
