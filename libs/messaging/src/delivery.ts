import type { RecordedEvent } from '#libs/event-sourcing';
import type { Inbox } from './inbox';

/** Where a delivered event came from. */
export interface DeliveryContext {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** ce_source of the event: the publishing service. */
  readonly source: string;
  /** 1 for the first try, 2 for the first retry, ... */
  readonly attempt: number;
}

export type MessageHandler = (event: RecordedEvent, context: DeliveryContext) => Promise<void>;

export interface RetryPolicy {
  /** Retries after the first failed attempt. Default 3 (4 attempts in all). */
  readonly retries?: number;
  /** Wait before the first retry, doubling each time up to maxBackoffMs. Default 100 / 5 000. */
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

export type DeliveryOutcome =
  | { readonly kind: 'handled'; readonly attempts: number }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'failed'; readonly attempts: number; readonly error: unknown };

/** Told the outcome of every delivery (metrics); it must not throw, and an exception is ignored. */
export interface DeliveryObserver {
  readonly onDelivered?: (outcome: DeliveryOutcome, event: RecordedEvent) => void;
}

/** Exponential backoff before retry number `retry` (1-based), bounded by maxBackoffMs. */
export function backoffMs(policy: RetryPolicy, retry: number): number {
  const initial = policy.initialBackoffMs ?? 100;
  const max = policy.maxBackoffMs ?? 5_000;
  return Math.min(max, initial * 2 ** Math.min(retry - 1, 30));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One event to one consumer, with the promises both transports keep: an event id the consumer's
 * inbox has seen is dropped; otherwise the handler runs, and is retried with exponential backoff up
 * to `retries` times; only a success is recorded in the inbox. A 'failed' outcome is for the caller
 * to dead-letter, so that the partition moves on.
 */
export async function deliver(
  consumer: string,
  event: RecordedEvent,
  context: Omit<DeliveryContext, 'attempt'>,
  handler: MessageHandler,
  inbox: Inbox,
  policy: RetryPolicy & DeliveryObserver & { readonly beforeRetry?: () => Promise<void> } = {},
): Promise<DeliveryOutcome> {
  const outcome = await attemptDelivery(consumer, event, context, handler, inbox, policy);
  try {
    policy.onDelivered?.(outcome, event);
  } catch {
    // an observer must not change what happens to the message
  }
  return outcome;
}

async function attemptDelivery(
  consumer: string,
  event: RecordedEvent,
  context: Omit<DeliveryContext, 'attempt'>,
  handler: MessageHandler,
  inbox: Inbox,
  policy: RetryPolicy & { readonly beforeRetry?: () => Promise<void> },
): Promise<DeliveryOutcome> {
  if (await inbox.seen(consumer, event.eventId)) return { kind: 'duplicate' };
  const retries = Math.max(0, policy.retries ?? 3);
  let lastError: unknown;
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    if (attempt > 1) {
      await sleep(backoffMs(policy, attempt - 1));
      await policy.beforeRetry?.();
    }
    try {
      await handler(event, { ...context, attempt });
    } catch (error) {
      lastError = error;
      continue;
    }
    await inbox.record(consumer, event.eventId);
    return { kind: 'handled', attempts: attempt };
  }
  return { kind: 'failed', attempts: retries + 1, error: lastError };
}

/** A short, single-line reason for a dead letter. */
export function reasonOf(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.replace(/\s+/g, ' ').slice(0, 1000);
}
