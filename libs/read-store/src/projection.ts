import { createHash } from 'node:crypto';
import {
  domainEventOf,
  eventContextOf,
  factHistoryOf,
  startCatchUpSubscription,
  type CatchUpSource,
  type EventStore,
  type RecordedEvent,
  streamStatesOver,
  type StateEvolver,
  type StreamStates,
} from '#libs/event-sourcing';
import type { ReadCollection, ReadDocument, ReadStore } from './read-store';

/**
 * A projection turns events into read-model documents. `handle` must be idempotent per event,
 * which revision-guarded upserts give for free: the runner delivers at least once.
 */
export interface Projection {
  readonly name: string;
  /** The collections it writes: a rebuild clears exactly these. */
  readonly collections: readonly string[];
  handle(event: RecordedEvent, readStore: ReadStore): Promise<void>;
  /** Forgets whatever the projection keeps in memory; called before a rebuild replays. */
  reset?(): void;
  /**
   * A replay of the whole log onto its cleared collections that costs less than `handle` per event
   * (rebuildProjection uses it); undefined when the projection has none.
   */
  replay?(): ProjectionReplay | undefined;
}

/**
 * A projection's replay of the log from 0 onto its cleared collections: the events in log order,
 * a batch at a time, then `finish` writes what it left to the end. Its documents are those `handle`
 * gives (their revision may name another state of their stream); until `finish` has run they are
 * not all written, so the checkpoint is saved after it, not before.
 */
export interface ProjectionReplay {
  handle(events: readonly RecordedEvent[], readStore: ReadStore): Promise<void>;
  finish(readStore: ReadStore): Promise<void>;
}

/** A document to write: its collection, id and content (the revision is added when written). */
export interface DocumentWrite {
  readonly collection: string;
  readonly id: string;
  readonly content: object;
  /**
   * The revision that guards it when not the state's: an event's own entry (its decision) is
   * guarded by the event's revision, so a redelivery finds it stale whatever the state is at.
   */
  readonly revision?: number;
}

/**
 * What a service's projection is made of when it derives its documents from the service's own
 * folded state (StreamStates) rather than a fold of its own: which events it reads, every document
 * of a stream from its state, and the documents one event touches. `B` is what it keeps per stream
 * beside the state: digests, dates, ids; never facts.
 */
export interface StateDerivation<S, B> {
  readonly name: string;
  /** The collections it writes: a rebuild clears exactly these. */
  readonly collections: readonly string[];
  /** Whether the projection reads this event (its stream and its type). */
  accepts(event: RecordedEvent): boolean;
  /** The collections of the documents `whole` derives, each document naming its `streamId`. */
  readonly wholeCollections: readonly string[];
  /**
   * Every document of the stream from its state, and the bookkeeping they leave. `stored`: the
   * digests of what the stream's documents in a whole collection hold now (a fresh map), so that
   * only the documents that differ are written.
   */
  whole(
    state: S,
    streamId: string,
    stored: (collection: string) => WrittenDigests,
    named?: ReadonlySet<string>,
  ): { book: B; writes: DocumentWrite[] };
  /**
   * The ids `whole` collects from the event of every fact of the stream, when it does: a replay
   * notes them from each event as it folds it and hands them to `whole` as `named`, which spares
   * a pass reading every light fact's event back from the store.
   */
  idsNamedBy?(event: RecordedEvent): Iterable<string>;
  /**
   * The documents the event touches, from the state at a revision not below the event's.
   * `reflected`: the stream's documents were all written from a state that holds the event
   * already, so only what is the event's own (its decision entry) is left to write.
   */
  touched(book: B, state: S, event: RecordedEvent, reflected: boolean): DocumentWrite[];
  /**
   * The event's own entries (its decision document, and what a correction changes in the decisions
   * it corrects), from a state that holds it: what `touched` writes when `reflected`. A replay
   * writes them as it folds, and every other document once, from the stream's last state.
   */
  own?(state: S, event: RecordedEvent): DocumentWrite[];
}

/**
 * How a projection folds its streams itself to replay the log without the service (the rebuild
 * script, the specs): the evolver of each stream it reads (undefined: not one of its streams), and
 * the store a state keeping light facts reads their envelopes back from (as the StateCache does).
 */
export interface ReplayFolds<S> {
  evolverOf(streamId: string): StateEvolver<never, S> | undefined;
  readonly historyFrom?: Pick<EventStore, 'readStreamSync' | 'readRevisionsSync' | 'streamRevisionOfSync'>;
}

/**
 * The states a projection of one kind of stream derives from: the service's own, or, given the
 * event store (the rebuild script, the specs), states folded over it, with how a rebuild folds
 * each of its streams itself.
 */
export function statesAndFoldsOf<S>(
  source: StreamStates<S> | EventStore,
  evolver: StateEvolver<never, S>,
  streamPrefix: string,
): { readonly states: () => StreamStates<S>; readonly folds: ReplayFolds<S> | undefined } {
  if ('readState' in source) return { states: () => source, folds: undefined };
  const states = streamStatesOver(source, evolver);
  return {
    states: () => states,
    folds: {
      evolverOf: (streamId) => (streamId.startsWith(streamPrefix) ? evolver : undefined),
      historyFrom: source,
    },
  };
}

/**
 * The skeleton of the services' projections. Their read models are bitemporal: a backfilled
 * decision or a correction can change any document of its stream, so a document can't be patched
 * from one event alone. The stream's state is the service's own (the command side's StateCache,
 * through StreamStates): the projection keeps no fold, no facts, only small bookkeeping per stream.
 *
 * On an event of revision r it reads the state at some revision R >= r and writes the documents
 * the event touches, derived from that state, each guarded by (stream, R): a document then holds
 * the stream up to R, so the events r+1..R come stale for it, which is right as their effect is in.
 * Those events are still handled, and write the documents they touch that this one did not.
 * The first event of a stream after a start (or a rebuild from 0) derives every document of the
 * stream from the state once and writes those that differ from what the read store holds; the
 * stream's events up to R then only write their own entries.
 * So the live projection, a restart from any checkpoint and a rebuild from 0 write documents of the
 * same content (their revision says which state they were derived from: a rebuild's is the head),
 * and an event delivered twice writes nothing new.
 */
export class StateProjection<S, B> implements Projection {
  readonly name: string;
  readonly collections: readonly string[];
  private readonly books = new Map<string, { book: B; reflectedThrough: number }>();

  /**
   * `folds`: how to fold the streams for a replay (given when the states are folded over a store
   * rather than the service's): rebuildProjection then reads and folds each event once.
   */
  constructor(
    private readonly statesOf: (streamId: string) => StreamStates<S>,
    private readonly derivation: StateDerivation<S, B>,
    private readonly folds?: ReplayFolds<S>,
  ) {
    this.name = derivation.name;
    this.collections = derivation.collections;
  }

  reset(): void {
    this.books.clear();
  }

  replay(): ProjectionReplay | undefined {
    return this.folds ? new StateReplay(this.derivation, this.folds) : undefined;
  }

  async handle(event: RecordedEvent, readStore: ReadStore): Promise<void> {
    if (!this.derivation.accepts(event)) return;
    const streamId = event.streamId;
    const stored = this.books.has(streamId) ? undefined : await this.storedDigests(streamId, readStore);
    const { revision, writes } = await this.statesOf(streamId).readState(
      streamId,
      event.streamRevision,
      (state, revision) => {
        const writes: DocumentWrite[] = [];
        let entry = this.books.get(streamId);
        if (!entry) {
          const whole = this.derivation.whole(state, streamId, (c) => new Map(stored?.get(c)));
          entry = { book: whole.book, reflectedThrough: revision };
          this.books.set(streamId, entry);
          writes.push(...whole.writes);
        }
        const reflected = event.streamRevision <= entry.reflectedThrough;
        writes.push(...this.derivation.touched(entry.book, state, event, reflected));
        // The state moves on with the stream's next decision: write copies, not its objects.
        return { revision, writes: writes.map((w) => ({ ...w, content: structuredClone(w.content) })) };
      },
    );
    try {
      for (const w of writes) {
        const guard = { streamId, revision: w.revision ?? revision };
        await readStore
          .collection(w.collection)
          .upsertGuarded(w.id, { ...w.content, revision: guard.revision }, guard);
      }
    } catch (error) {
      // The bookkeeping moved on but the documents may not have: write the stream whole next time.
      this.books.delete(streamId);
      throw error;
    }
  }

  /** The digests of the stream's documents as the read store holds them, per whole collection. */
  private async storedDigests(streamId: string, readStore: ReadStore): Promise<Map<string, WrittenDigests>> {
    const digests = new Map<string, WrittenDigests>();
    for (const name of this.derivation.wholeCollections) {
      const written: WrittenDigests = new Map();
      for (const doc of await readStore.collection(name).find({ streamId })) {
        const { _id, revision: _revision, ...content } = doc as ReadDocument & { revision?: number };
        written.set(_id, contentDigest(content));
      }
      digests.set(name, written);
    }
    return digests;
  }
}

/**
 * A replay of the log from 0 (onto cleared collections) that folds each stream itself from the
 * events it is handed, so each event is read and parsed once: no stream is loaded from the store
 * at its first event, and a fact is found by an id the batch names without asking the store. Each
 * event writes its own entries from the state that just folded it (as the live projection does;
 * a later correction writes what it changes in them); every other document is derived once, from
 * the stream's last state, and written by `finish`, guarded by that state's revision (as a rebuild
 * by `handle` writes them). Writes are awaited before the state moves on: no copies.
 */
class StateReplay<S, B> implements ProjectionReplay {
  private readonly streams = new Map<
    string,
    {
      state: S;
      revision: number;
      evolver: StateEvolver<never, S>;
      derived: boolean;
      named: Set<string> | undefined;
    }
  >();
  /** The events of the batch being handled, by id: their facts are found without a query. */
  private readonly batch = new Map<string, RecordedEvent>();
  private readonly historyFrom: ReplayFolds<S>['historyFrom'];

  constructor(
    private readonly derivation: StateDerivation<S, B>,
    private readonly folds: ReplayFolds<S>,
  ) {
    const store = folds.historyFrom;
    const revisionOf = store?.streamRevisionOfSync;
    this.historyFrom =
      store && revisionOf
        ? {
            readStreamSync: store.readStreamSync?.bind(store),
            readRevisionsSync: store.readRevisionsSync?.bind(store),
            streamRevisionOfSync: (streamId, eventId) => {
              const event = this.batch.get(eventId);
              return event?.streamId === streamId
                ? event.streamRevision
                : revisionOf.call(store, streamId, eventId);
            },
          }
        : store;
  }

  async handle(events: readonly RecordedEvent[], readStore: ReadStore): Promise<void> {
    this.batch.clear();
    for (const event of events) this.batch.set(event.eventId, event);
    for (const event of events) {
      const stream = this.streamOf(event.streamId);
      if (!stream) {
        // Not one of its streams; an event it reads there would lose its documents.
        if (this.derivation.accepts(event))
          throw new Error(`${this.derivation.name} reads ${event.streamId}, which its replay does not fold`);
        continue;
      }
      // Never in a replay from 0: an event folded already.
      if (event.streamRevision <= stream.revision) continue;
      stream.state = stream.evolver.evolve(stream.state, domainEventOf<never>(event), eventContextOf(event));
      stream.revision = event.streamRevision;
      if (stream.named) for (const id of this.derivation.idsNamedBy!(event)) stream.named.add(id);
      if (!this.derivation.accepts(event)) continue;
      stream.derived = true;
      const own = this.derivation.own?.(stream.state, event);
      if (own?.length) await writeAll(readStore, event.streamId, own, event.streamRevision);
    }
  }

  async finish(readStore: ReadStore): Promise<void> {
    // Nothing stored yet, and the book `whole` leaves is dropped: no digest is worth taking.
    const nothingStored = () => new UnkeptDigests();
    for (const [streamId, stream] of this.streams) {
      if (!stream.derived) continue;
      const { writes } = this.derivation.whole(stream.state, streamId, nothingStored, stream.named);
      await writeAll(readStore, streamId, writes, stream.revision);
    }
    this.streams.clear();
    this.batch.clear();
  }

  private streamOf(streamId: string) {
    const known = this.streams.get(streamId);
    if (known) return known;
    const evolver = this.folds.evolverOf(streamId);
    if (!evolver) return undefined;
    const history = this.historyFrom ? factHistoryOf<never>(this.historyFrom, streamId) : undefined;
    const stream = {
      state: history ? evolver.initialState(history) : evolver.initialState(),
      revision: -1,
      evolver,
      derived: false,
      named: this.derivation.idsNamedBy ? new Set<string>() : undefined,
    };
    this.streams.set(streamId, stream);
    return stream;
  }
}

/** Writes documents of a stream, each guarded by its own revision or else by `revision`. */
async function writeAll(
  readStore: ReadStore,
  streamId: string,
  writes: readonly DocumentWrite[],
  revision: number,
): Promise<void> {
  for (const w of writes) {
    const guard = { streamId, revision: w.revision ?? revision };
    await readStore
      .collection(w.collection)
      .upsertGuarded(w.id, { ...w.content, revision: guard.revision }, guard);
  }
}

/**
 * The documents among `contents` whose content changed since `written` (the digests of their
 * contents as last written, by id), to write to `collection`; `written` is updated to them.
 */
export function changedDocuments(
  collection: string,
  written: WrittenDigests,
  contents: Iterable<readonly [string, object]>,
): DocumentWrite[] {
  const writes: DocumentWrite[] = [];
  if (written instanceof UnkeptDigests) {
    for (const [id, content] of contents) writes.push({ collection, id, content });
    return writes;
  }
  for (const [id, content] of contents) {
    const now = contentDigest(content);
    if (written.get(id) === now) continue;
    written.set(id, now);
    writes.push({ collection, id, content });
  }
  return writes;
}

/** A document's content: what the projection derives, before the id and revision are added. */
export type DocumentContent<T> = Omit<T, '_id' | 'revision'>;

/**
 * What a projection remembers of each document it wrote, by id: a digest of its content, enough to
 * tell whether it changed. Keeping the JSON itself held every read model a second time in memory.
 */
export type WrittenDigests = Map<string, string>;

/**
 * The digests of a book that is dropped once written (a replay's): none is kept, so none is
 * taken, and every document is written.
 */
class UnkeptDigests extends Map<string, string> {
  override set(): this {
    return this;
  }
}

/** The digest of a document's content (SHA-1 of its JSON: 27 characters, whatever its size). */
export function contentDigest(content: unknown): string {
  return createHash('sha1').update(JSON.stringify(content)).digest('base64url');
}

/** The digests of documents as they stand (e.g. after catching up with a stream's earlier events). */
export function digestsOf(contents: Iterable<readonly [string, unknown]>): WrittenDigests {
  const digests: WrittenDigests = new Map();
  for (const [id, content] of contents) digests.set(id, contentDigest(content));
  return digests;
}

/**
 * Upserts the documents whose content changed since `written` (the digests of their contents as
 * last written, by id), guarded by (stream, revision); `written` is updated to the new contents.
 */
export async function writeChanged<T extends ReadDocument & { revision: number }>(
  collection: ReadCollection<T>,
  written: WrittenDigests,
  contents: Iterable<readonly [string, DocumentContent<T>]>,
  guard: { readonly streamId: string; readonly revision: number },
): Promise<void> {
  for (const [id, content] of contents) {
    const now = contentDigest(content);
    if (written.get(id) === now) continue;
    written.set(id, now);
    await collection.upsertGuarded(id, { ...content, revision: guard.revision } as Omit<T, '_id'>, guard);
  }
}

/** What the runner needs from an event store: the global log, and wake-ups when it has them. */
export type ProjectionSource = Pick<EventStore, 'readAll'> & Partial<Pick<CatchUpSource, 'onAppended'>>;

export interface RunProjectionOptions {
  readonly store: ProjectionSource;
  readonly readStore: ReadStore;
  readonly projection: Projection;
  /** Name of the checkpoint in the read store. Default `projection:<projection.name>`. */
  readonly subscriptionId?: string;
  /** Save the checkpoint after this many events (and whenever idle). Default 100. */
  readonly checkpointEvery?: number;
  /** How often to look for new events; the only wake-up unless the store offers onAppended. Default 100 ms. */
  readonly pollIntervalMs?: number;
  /** Events read per batch. Default 500. */
  readonly batchSize?: number;
  /** After a failure (read store down), restart from the checkpoint after this delay. Default 1000 ms; 0 = stay stopped. */
  readonly restartDelayMs?: number;
  readonly onError?: (error: unknown) => void;
}

export interface RebuildReport {
  readonly projection: string;
  readonly events: number;
  readonly lastPosition: number | undefined;
  readonly durationMs: number;
  /** Documents per collection after the rebuild. */
  readonly counts: Readonly<Record<string, number>>;
}

export interface ProjectionRun {
  /** Resolves when the current subscription has handled everything up to the head once. */
  readonly caughtUp: Promise<void>;
  /** Events handled since this run (or its last rebuild) started. */
  readonly handled: number;
  /** Global position of the last event whose documents are written. */
  readonly position: number | undefined;
  /**
   * Resolves once the documents of every event up to `globalPosition` are written: queries that
   * follow a command in the same process read their own writes. Rejects after `timeoutMs`.
   */
  waitFor(globalPosition: number, timeoutMs?: number): Promise<void>;
  /** Clears the projection's documents and checkpoint, replays the log from 0, goes on live. */
  rebuild(): Promise<RebuildReport>;
  stop(): Promise<void>;
}

export const subscriptionIdOf = (options: Pick<RunProjectionOptions, 'projection' | 'subscriptionId'>) =>
  options.subscriptionId ?? `projection:${options.projection.name}`;

/** Document counts of a projection's collections. */
export async function countDocuments(
  readStore: ReadStore,
  projection: Pick<Projection, 'collections'>,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const name of projection.collections) counts[name] = await readStore.collection(name).countDocuments();
  return counts;
}

/**
 * Clears what a projection wrote. The checkpoint goes first: a crash halfway leaves documents
 * without a checkpoint, which a replay from 0 only confirms (its writes are stale against them).
 */
export async function clearProjection(
  readStore: ReadStore,
  projection: Projection,
  subscriptionId: string,
): Promise<void> {
  await readStore.checkpoints.delete(subscriptionId);
  for (const name of projection.collections) await readStore.collection(name).deleteMany({});
  projection.reset?.();
}

/**
 * Runs a projection live: a catch-up subscription on the store's global log from the checkpoint
 * kept in the read store. Each event is handled (its documents written) before the checkpoint
 * moves past it, so the checkpoint never vouches for documents that were not written.
 */
export function runProjection(options: RunProjectionOptions): ProjectionRun {
  const { store, readStore, projection } = options;
  const subscriptionId = subscriptionIdOf(options);
  const restartDelayMs = options.restartDelayMs ?? 1000;
  let handled = 0;
  let lastPosition: number | undefined;
  const waiters = new Set<{ position: number; resolve: () => void }>();
  const wake = (): void => {
    for (const w of waiters)
      if (lastPosition !== undefined && lastPosition >= w.position) {
        waiters.delete(w);
        w.resolve();
      }
  };
  let stopped = false;
  let restartTimer: NodeJS.Timeout | undefined;
  let current: ReturnType<typeof startCatchUpSubscription>;

  const source: CatchUpSource = {
    readAll: (o) => store.readAll(o),
    onAppended: store.onAppended?.bind(store),
  };

  const start = () => {
    current = startCatchUpSubscription(
      source,
      {
        checkpoints: readStore.checkpoints,
        batchSize: options.batchSize,
        defaultPollIntervalMs: options.pollIntervalMs ?? 100,
      },
      {
        subscriptionId,
        checkpointEvery: options.checkpointEvery ?? 100,
        handler: async (event) => {
          await projection.handle(event, readStore);
          handled++;
          lastPosition = event.globalPosition;
          wake();
        },
        onError: (error) => {
          options.onError?.(error);
          if (stopped || restartDelayMs <= 0) return;
          restartTimer = setTimeout(() => {
            restartTimer = undefined;
            if (!stopped) start();
          }, restartDelayMs);
        },
      },
    );
  };

  const halt = async () => {
    if (restartTimer) clearTimeout(restartTimer);
    restartTimer = undefined;
    await current.stop();
  };

  start();
  return {
    get caughtUp() {
      return current.caughtUp;
    },
    get handled() {
      return handled;
    },
    get position() {
      return lastPosition;
    },
    waitFor(globalPosition: number, timeoutMs = 5_000) {
      if (lastPosition !== undefined && lastPosition >= globalPosition) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const waiter = {
          position: globalPosition,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(
            new Error(
              `projection ${projection.name} did not reach position ${globalPosition} in ${timeoutMs} ms`,
            ),
          );
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    async rebuild() {
      const started = performance.now();
      await halt();
      await clearProjection(readStore, projection, subscriptionId);
      handled = 0;
      lastPosition = undefined;
      start();
      await current.caughtUp;
      return {
        projection: projection.name,
        events: handled,
        lastPosition,
        durationMs: Math.round(performance.now() - started),
        counts: await countDocuments(readStore, projection),
      };
    },
    async stop() {
      stopped = true;
      await halt();
    },
  };
}

/**
 * One-shot rebuild (the rebuild script): clear, replay the whole log, stop. A projection that has a
 * replay of its own (ProjectionReplay) is handed the log a batch at a time and its checkpoint is
 * saved once it has finished; any other runs as it does live, from 0.
 */
export async function rebuildProjection(
  options: Omit<RunProjectionOptions, 'restartDelayMs'>,
): Promise<RebuildReport> {
  const started = performance.now();
  const subscriptionId = subscriptionIdOf(options);
  await clearProjection(options.readStore, options.projection, subscriptionId);
  const replay = options.projection.replay?.();
  const events = replay ? await replayed(options, replay, subscriptionId) : await caughtUpLive(options);
  return {
    projection: options.projection.name,
    events,
    lastPosition: await options.readStore.checkpoints.load(subscriptionId),
    durationMs: Math.round(performance.now() - started),
    counts: await countDocuments(options.readStore, options.projection),
  };
}

/** Hands the whole log to the replay, then saves the checkpoint; answers how many events it read. */
async function replayed(
  options: Omit<RunProjectionOptions, 'restartDelayMs'>,
  replay: ProjectionReplay,
  subscriptionId: string,
): Promise<number> {
  const batchSize = options.batchSize ?? 500;
  let events = 0;
  let position = 0;
  try {
    for (;;) {
      const batch = await options.store.readAll({ after: position, maxCount: batchSize });
      if (batch.length > 0) {
        await replay.handle(batch, options.readStore);
        events += batch.length;
        position = batch[batch.length - 1].globalPosition;
      }
      if (batch.length < batchSize) break;
    }
    await replay.finish(options.readStore);
    if (events > 0) await options.readStore.checkpoints.save(subscriptionId, position);
  } catch (error) {
    options.onError?.(error);
    throw error;
  }
  return events;
}

/** Runs the projection from 0 as it runs live until it has caught up; answers how many events it handled. */
async function caughtUpLive(options: Omit<RunProjectionOptions, 'restartDelayMs'>): Promise<number> {
  let failure: unknown;
  const run = runProjection({
    checkpointEvery: 1000,
    ...options,
    restartDelayMs: 0,
    onError: (error) => {
      failure = error;
      options.onError?.(error);
    },
  });
  try {
    await run.caughtUp;
  } finally {
    await run.stop();
  }
  if (failure !== undefined) throw failure;
  return run.handled;
}
