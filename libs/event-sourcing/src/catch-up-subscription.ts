import type { CheckpointStore } from './checkpoint-store';
import type { CatchUpSubscription, ReadAllOptions, SubscribeOptions } from './event-store';
import type { RecordedEvent } from './envelope';

/** What a catch-up subscription needs from an adapter. */
export interface CatchUpSource {
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Registers a "new events may exist" listener; returns a function that removes it. */
  onAppended?(listener: () => void): () => void;
}

export interface CatchUpSettings {
  readonly checkpoints: CheckpointStore;
  /** Events read per batch. Default 500. */
  readonly batchSize?: number;
  /** Used when the subscriber gives no pollIntervalMs. */
  readonly defaultPollIntervalMs: number;
}

/**
 * One catch-up loop for every adapter, so that both keep the same promises: events are handled one
 * at a time in global order, each handler call is awaited, and the checkpoint moves only past handled
 * events (at least once). A failing handler stops the loop; it never skips the event.
 *
 * Reading always goes through `readAll` from the last handled position, so a missed wake-up only
 * costs latency (the poll catches it), never an event.
 */
export function startCatchUpSubscription(
  source: CatchUpSource,
  settings: CatchUpSettings,
  options: SubscribeOptions,
): CatchUpSubscription & { readonly done: Promise<void> } {
  const { subscriptionId, handler } = options;
  const checkpointEvery = Math.max(1, options.checkpointEvery ?? 1);
  const pollIntervalMs = options.pollIntervalMs ?? settings.defaultPollIntervalMs;
  const batchSize = settings.batchSize ?? 500;

  let stopped = false;
  // Set by every wake-up; cleared before each read so an append racing with a read is not lost.
  let pending = false;
  let wake: (() => void) | undefined;
  let resolveCaughtUp!: () => void;
  let rejectCaughtUp!: (error: unknown) => void;
  let caughtUpSettled = false;
  const caughtUp = new Promise<void>((resolve, reject) => {
    resolveCaughtUp = () => {
      caughtUpSettled = true;
      resolve();
    };
    rejectCaughtUp = (error) => {
      caughtUpSettled = true;
      reject(error instanceof Error ? error : new Error(String(error)));
    };
  });
  // Nobody has to await caughtUp; without this a failure before catching up would be an unhandled
  // rejection that kills the process. Awaiters still see the rejection.
  caughtUp.catch(() => undefined);

  const signal = () => {
    pending = true;
    wake?.();
  };
  const removeListener = source.onAppended?.(signal);

  const idle = () =>
    new Promise<void>((resolve) => {
      if (pending || stopped) return resolve();
      const timer = setTimeout(finish, pollIntervalMs);
      function finish() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = finish;
    });

  const run = async () => {
    let position: number | undefined;
    let handledSinceSave = 0;
    const saveIfNeeded = async () => {
      if (handledSinceSave > 0 && position !== undefined) {
        await settings.checkpoints.save(subscriptionId, position);
        handledSinceSave = 0;
      }
    };
    try {
      position = (await settings.checkpoints.load(subscriptionId)) ?? options.startAfter;
      while (!stopped) {
        pending = false;
        const batch = await source.readAll({ after: position, maxCount: batchSize });
        for (const event of batch) {
          if (stopped) break;
          await handler(event);
          position = event.globalPosition;
          handledSinceSave++;
          if (handledSinceSave >= checkpointEvery) await saveIfNeeded();
        }
        if (stopped) break;
        if (batch.length < batchSize) {
          await saveIfNeeded();
          if (!caughtUpSettled) resolveCaughtUp();
          await idle();
        }
      }
      await saveIfNeeded();
      if (!caughtUpSettled)
        rejectCaughtUp(new Error(`subscription ${subscriptionId} stopped before catching up`));
    } catch (error) {
      // Keep the progress of the events that were handled; the failing one will be delivered again.
      try {
        await saveIfNeeded();
      } catch (saveError) {
        console.error(`subscription ${subscriptionId}: could not save checkpoint`, saveError);
      }
      console.error(`subscription ${subscriptionId} stopped after position ${String(position)}`, error);
      if (!caughtUpSettled) rejectCaughtUp(error);
      try {
        options.onError?.(error);
      } catch (callbackError) {
        console.error(`subscription ${subscriptionId}: onError threw`, callbackError);
      }
    } finally {
      removeListener?.();
    }
  };

  const done = run();
  return {
    caughtUp,
    done,
    async stop() {
      stopped = true;
      wake?.();
      await done;
    },
  };
}
