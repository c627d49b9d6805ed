import type { CheckpointStore, EventStore, RecordedEvent } from '#libs/event-sourcing';
import type { EventPublisher } from './event-publisher';

export interface RelayOptions {
  /**
   * The service's event store; the relay follows its global log (readAll). A store that keeps
   * checkpoints beside its events (SQLite: table `checkpoints`) offers them as `checkpoints`.
   */
  readonly store: Pick<EventStore, 'readAll'> & { readonly checkpoints?: CheckpointStore };
  /** The publishing service (for logs; the publisher knows its topic and ce_source). */
  readonly service: string;
  readonly publisher: EventPublisher;
  /**
   * Where the relay keeps its position. Default: the store's own checkpoints (SQLite: its table
   * `checkpoints`, saved through the store's writer); a store without them must be given one.
   */
  readonly checkpoints?: CheckpointStore;
  /** Name of the durable checkpoint. Default `relay:<service>`. */
  readonly subscriptionId?: string;
  /** Events read and published per batch (bounded). Default 500. */
  readonly batchSize?: number;
  /**
   * Save the checkpoint once at least this many published events are not yet checkpointed, and
   * always when caught up. Default 1: after every acknowledged batch. The duplicates a crash can
   * cause are bounded by max(checkpointEvery, batchSize) + batchSize.
   */
  readonly checkpointEvery?: number;
  /** How often to look for new events when idle, ms. Default 100. `notify()` wakes it sooner. */
  readonly pollIntervalMs?: number;
  /** Backoff after a failed publish: starts here and doubles up to maxBackoffMs. Default 200 / 10 000. */
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Called on every failed publish or read; the relay keeps retrying the same batch. */
  readonly onError?: (error: unknown, attempt: number) => void;
  /** Called after each acknowledged batch (metrics, tests). */
  readonly onPublished?: (batch: readonly RecordedEvent[]) => void;
  /** Called when a read and publish succeed again after failures (readiness). */
  readonly onRecovered?: () => void;
}

export interface Relay {
  /** Resolves the first time the relay has published everything up to the head of the log. */
  readonly caughtUp: Promise<void>;
  /** Global position of the last event the transport acknowledged. */
  readonly position: () => number | undefined;
  /** Events acknowledged by the transport since start. */
  readonly published: () => number;
  /** Look for new events now (call after an append to skip the poll delay). */
  notify(): void;
  /** Stops after the batch in flight, saving the checkpoint of what was acknowledged. */
  stop(): Promise<void>;
}

/**
 * The relay: the event log is the outbox. It reads the store's global log after its durable
 * checkpoint in bounded batches, hands each batch to the publisher, and saves the checkpoint only
 * after the transport acknowledged the batch. A failed publish is retried (the same batch, from the
 * same position) with exponential backoff until it succeeds or the relay is stopped; nothing is
 * skipped. After a crash or restart it resumes after its checkpoint: at least once, never a loss.
 */
export function startRelay(options: RelayOptions): Relay {
  const subscriptionId = options.subscriptionId ?? `relay:${options.service}`;
  const batchSize = Math.max(1, options.batchSize ?? 500);
  const checkpointEvery = Math.max(1, options.checkpointEvery ?? 1);
  const pollIntervalMs = options.pollIntervalMs ?? 100;
  const initialBackoffMs = options.initialBackoffMs ?? 200;
  const maxBackoffMs = options.maxBackoffMs ?? 10_000;

  let stopped = false;
  let pending = false;
  let wake: (() => void) | undefined;
  let stopWait: (() => void) | undefined;
  let position: number | undefined;
  let published = 0;

  let resolveCaughtUp!: () => void;
  let rejectCaughtUp!: (e: unknown) => void;
  let caughtUpSettled = false;
  const caughtUp = new Promise<void>((resolve, reject) => {
    resolveCaughtUp = () => {
      caughtUpSettled = true;
      resolve();
    };
    rejectCaughtUp = (e) => {
      caughtUpSettled = true;
      reject(e instanceof Error ? e : new Error(String(e)));
    };
  });
  caughtUp.catch(() => undefined);

  const checkpoints = options.checkpoints ?? defaultCheckpoints(options.store);

  /** Waits ms; stop() always ends the wait, notify() only when `idle` (not during a backoff). */
  const sleep = (ms: number, idle: boolean) =>
    new Promise<void>((resolve) => {
      if (stopped || (idle && pending)) return resolve();
      const timer = setTimeout(finish, ms);
      function finish() {
        clearTimeout(timer);
        wake = undefined;
        stopWait = undefined;
        resolve();
      }
      wake = idle ? finish : undefined;
      if (!idle) stopWait = finish;
    });

  const run = async () => {
    let unsaved = 0;
    let failures = 0;
    // Unlike `failures` (the backoff), cleared by any successful pass, even one with nothing to publish.
    let failing = false;
    const save = async () => {
      if (unsaved > 0 && position !== undefined) {
        await checkpoints.save(subscriptionId, position);
        unsaved = 0;
      }
    };
    const failed = async (error: unknown) => {
      failures++;
      failing = true;
      try {
        options.onError?.(error, failures);
      } catch {
        // an observer must not stop the relay
      }
      await sleep(Math.min(maxBackoffMs, initialBackoffMs * 2 ** Math.min(failures - 1, 30)), false);
    };

    while (!stopped) {
      try {
        position = await checkpoints.load(subscriptionId);
        break;
      } catch (error) {
        await failed(error);
      }
    }
    while (!stopped) {
      try {
        pending = false;
        const batch = await options.store.readAll({ after: position, maxCount: batchSize });
        if (batch.length > 0) {
          await options.publisher.publish(batch);
          // Acknowledged: only now may the position move.
          position = batch[batch.length - 1].globalPosition;
          published += batch.length;
          unsaved += batch.length;
          failures = 0;
          options.onPublished?.(batch);
          if (unsaved >= checkpointEvery) await save();
        }
        if (failing) {
          failing = false;
          options.onRecovered?.();
        }
        if (batch.length < batchSize) {
          await save();
          if (!caughtUpSettled) resolveCaughtUp();
          await sleep(pollIntervalMs, true);
        }
      } catch (error) {
        await failed(error);
      }
    }
    try {
      await save();
    } catch (error) {
      console.error(`relay ${subscriptionId}: could not save the checkpoint at stop`, error);
    }
    if (!caughtUpSettled) rejectCaughtUp(new Error(`relay ${subscriptionId} stopped before catching up`));
  };

  const done = run();
  return {
    caughtUp,
    position: () => position,
    published: () => published,
    notify() {
      pending = true;
      wake?.();
    },
    async stop() {
      stopped = true;
      wake?.();
      stopWait?.();
      await done;
    },
  };
}

function defaultCheckpoints(store: RelayOptions['store']): CheckpointStore {
  if (store.checkpoints) return store.checkpoints;
  throw new Error('startRelay: give `checkpoints` (a CheckpointStore) for this event store');
}
