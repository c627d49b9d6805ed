import type { DeliveryOutcome } from './delivery';
import type { Inbox } from './inbox';

/**
 * What one running consumer has done since it started: plain numbers bumped in the delivery path
 * (no metrics library here), read by the service's /metrics on scrape (libs/hosting).
 */
export class ConsumerStats {
  /** Messages handled successfully (and recorded in the inbox). */
  processed = 0;
  /** Messages dropped because the inbox had already seen their event id. */
  duplicates = 0;
  /** Handler attempts after the first one, over all messages. */
  retries = 0;
  /** Messages sent to the dead-letter topic (handler failed every try, or undecodable). */
  deadLettered = 0;

  constructor(
    /** The consumer (group) name, `<service>.<purpose>`. */
    readonly name: string,
    private readonly inbox?: Inbox,
    private readonly inboxKey: string = name,
  ) {}

  /** A delivery outcome; a failed one is counted when it is dead-lettered, not here. */
  delivered(outcome: DeliveryOutcome): void {
    if (outcome.kind === 'duplicate') {
      this.duplicates++;
      return;
    }
    this.retries += outcome.attempts - 1;
    if (outcome.kind === 'handled') this.processed++;
  }

  /** Event ids in the consumer's inbox, when its inbox can count them. */
  async inboxSize(): Promise<number | undefined> {
    return this.inbox?.size?.(this.inboxKey);
  }
}

const running = new Set<ConsumerStats>();

/** Consumers of this process started through startServiceConsumer and not yet stopped. */
export function runningConsumers(): readonly ConsumerStats[] {
  return [...running];
}

/** Registers the stats of a started consumer; returns a function that unregisters them. */
export function trackConsumer(stats: ConsumerStats): () => void {
  running.add(stats);
  return () => void running.delete(stats);
}
