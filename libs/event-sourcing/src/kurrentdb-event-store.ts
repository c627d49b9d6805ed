import { EventEmitter } from 'node:events';
import {
  BACKWARDS,
  END,
  FORWARDS,
  KurrentDBClient,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  type AllStreamResolvedEvent,
  type JSONType,
  type Position,
  type ReadPosition,
  type ReadRevision,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import { startCatchUpSubscription } from './catch-up-subscription';
import type { CheckpointStore } from './checkpoint-store';
import { GENESIS_HASH, type EventMetadata, type NewEvent, type RecordedEvent } from './envelope';
import {
  EventIdConflictError,
  WrongExpectedRevisionError,
  type AppendResult,
  type CatchUpSubscription,
  type EventStore,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type SubscribeOptions,
} from './event-store';
import { createEventHasher, type EventHasher } from './hash-chain';

/**
 * What we keep in an EventStoreDB event's metadata: our envelope beside the data, and the
 * `$correlationId`/`$causationId` keys the server's own by-correlation projections understand.
 */
interface StoredMetadata {
  readonly schemaVersion: number;
  readonly recordedAt: string;
  readonly previousHash: string;
  readonly hash: string;
  readonly metadata: EventMetadata;
  readonly $correlationId: string;
  readonly $causationId?: string;
}

export interface KurrentDbEventStoreOptions {
  /** Default: a `registry-checkpoint-<id>` stream per subscription on the same server. */
  readonly checkpointStore?: CheckpointStore;
  /** Source of recordedAt. Default: the system clock. */
  readonly clock?: () => Date;
  /** Poll interval of subscriptions that do not set one. Default 1000 ms. */
  readonly pollIntervalMs?: number;
}

/** Batches retried with 'any' are recognised when they are among this many latest events. */
const RETRY_WINDOW = 32;
/** How many times an 'any' append re-reads the tip after losing a race, before giving up. */
const ANY_RETRIES = 5;
const PAGE = 1000;

/** The server reports "no position" (old servers, stream reads) as the largest unsigned 64-bit value. */
function toGlobalPosition(position: Position | undefined): number {
  if (!position || position.commit > BigInt(Number.MAX_SAFE_INTEGER)) return -1;
  return Number(position.commit);
}

function isStoredMetadata(value: unknown): value is StoredMetadata {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array)
    return false;
  const m = value as Partial<StoredMetadata>;
  return (
    typeof m.hash === 'string' &&
    typeof m.previousHash === 'string' &&
    typeof m.recordedAt === 'string' &&
    typeof m.schemaVersion === 'number' &&
    typeof m.metadata === 'object' &&
    m.metadata !== null
  );
}

/** Undefined for anything that is not one of our events (system events, checkpoints, other apps). */
function decode(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event || !event.isJson || !isStoredMetadata(event.metadata)) return undefined;
  const stored = event.metadata;
  return {
    eventId: event.id,
    type: event.type,
    schemaVersion: stored.schemaVersion,
    data: event.data,
    metadata: stored.metadata,
    streamId: event.streamId,
    streamRevision: Number(event.revision),
    globalPosition: toGlobalPosition(event.position),
    recordedAt: stored.recordedAt,
    previousHash: stored.previousHash,
    hash: stored.hash,
  };
}

function matches(expected: ExpectedRevision, current: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return current < 0;
  return expected === current;
}

/**
 * The production event store: EventStoreDB 20+ / KurrentDB through `@kurrent/kurrentdb-client`.
 *
 * The hash chain is computed here, not on the server: the adapter reads the stream's tip, hashes the
 * batch and appends with the tip's exact revision, so a concurrent writer makes the server refuse the
 * append instead of forking the chain. recordedAt therefore comes from this process's clock.
 */
export class KurrentDbEventStore implements EventStore {
  private readonly appended = new EventEmitter();
  private readonly subscriptions = new Set<CatchUpSubscription>();
  private readonly checkpoints: CheckpointStore;
  private closed = false;

  private constructor(
    readonly client: KurrentDBClient,
    private readonly hasher: EventHasher,
    private readonly options: KurrentDbEventStoreOptions,
  ) {
    this.appended.setMaxListeners(0);
    this.checkpoints = options.checkpointStore ?? new KurrentDbCheckpointStore(client);
  }

  /** e.g. `esdb://127.0.0.1:2113?tls=false`. The client connects lazily, on the first call. */
  static async connect(
    connectionString: string,
    options: KurrentDbEventStoreOptions = {},
  ): Promise<KurrentDbEventStore> {
    return KurrentDbEventStore.fromClient(KurrentDBClient.connectionString(connectionString), options);
  }

  /** Over a client built elsewhere (custom credentials, or a test double). close() disposes it. */
  static async fromClient(
    client: KurrentDBClient,
    options: KurrentDbEventStoreOptions = {},
  ): Promise<KurrentDbEventStore> {
    return new KurrentDbEventStore(client, await createEventHasher(), options);
  }

  async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options: { readonly expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    const expected = options.expectedRevision;
    if (new Set(events.map((e) => e.eventId)).size !== events.length) {
      throw new RangeError('a batch must not repeat an event id');
    }
    for (let attempt = 0; ; attempt++) {
      const recent = await this.readResolved(streamId, {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: events.length + RETRY_WINDOW,
      });
      const current = recent[0]?.event ? Number(recent[0].event.revision) : -1;

      const retried =
        events.length > 0 ? await this.originalResultOfRetry(streamId, events, expected, recent) : undefined;
      if (retried) return retried;
      if (!matches(expected, current)) {
        throw new WrongExpectedRevisionError(streamId, expected, current < 0 ? 'no_stream' : current);
      }
      if (events.length === 0) {
        return {
          nextExpectedRevision: current,
          lastGlobalPosition: toGlobalPosition(recent[0]?.event?.position),
        };
      }

      const tip = recent[0] ? decode(recent[0]) : undefined;
      let previousHash = tip?.hash ?? GENESIS_HASH;
      const recordedAt = (this.options.clock?.() ?? new Date()).toISOString();
      const eventData = events.map((event, i) => {
        const streamRevision = current + 1 + i;
        const hash = this.hasher({
          eventId: event.eventId,
          type: event.type,
          schemaVersion: event.schemaVersion,
          streamId,
          streamRevision,
          recordedAt,
          data: event.data,
          metadata: event.metadata,
          previousHash,
        });
        const metadata: StoredMetadata = {
          schemaVersion: event.schemaVersion,
          recordedAt,
          previousHash,
          hash,
          metadata: event.metadata,
          $correlationId: event.metadata.correlationId,
          ...(event.metadata.causationId ? { $causationId: event.metadata.causationId } : {}),
        };
        previousHash = hash;
        return jsonEvent({
          id: event.eventId,
          type: event.type,
          data: event.data as JSONType,
          metadata: metadata as unknown as JSONType,
        });
      });

      try {
        const result = await this.client.appendToStream(streamId, eventData, {
          // Always the exact tip we hashed against, whatever the caller expected: see class comment.
          streamState: current < 0 ? NO_STREAM : BigInt(current),
        });
        this.appended.emit('appended');
        return {
          nextExpectedRevision: Number(result.nextExpectedRevision),
          lastGlobalPosition: toGlobalPosition(result.position),
        };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        // 'any' promises no check, so losing the race only means hashing again on the new tip.
        if (expected === 'any' && attempt < ANY_RETRIES) continue;
        const actual = error.actualState;
        throw new WrongExpectedRevisionError(
          streamId,
          expected,
          typeof actual === 'bigint' && actual >= 0n ? Number(actual) : 'no_stream',
        );
      }
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    if (options.maxCount === 0) return [];
    const backwards = options.direction === 'backwards';
    const resolved = await this.readResolved(streamId, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision:
        options.fromRevision !== undefined ? BigInt(options.fromRevision) : backwards ? END : START,
      maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
    });
    return resolved.map(decode).filter((e): e is RecordedEvent => e !== undefined);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const wanted = options.maxCount ?? Number.POSITIVE_INFINITY;
    const out: RecordedEvent[] = [];
    if (wanted <= 0) return out;
    // A read from a position includes the event at it; `after` is exclusive, so skip up to it.
    const after = options.after !== undefined && options.after >= 0 ? options.after : undefined;
    let lastSeen = after ?? -1;
    let from: ReadPosition = after === undefined ? START : { commit: BigInt(after), prepare: BigInt(after) };
    for (;;) {
      const page = Math.max(2, Math.min(PAGE, wanted - out.length + 1));
      let read = 0;
      let lastPosition: Position | undefined;
      for await (const resolved of this.client.readAll({
        fromPosition: from,
        maxCount: page,
        direction: FORWARDS,
        filter: excludeSystemEvents(),
      })) {
        read++;
        const position = resolved.event?.position;
        if (!position) continue;
        lastPosition = position;
        const globalPosition = toGlobalPosition(position);
        if (globalPosition <= lastSeen) continue;
        lastSeen = globalPosition;
        const event = decode(resolved);
        if (event) out.push(event);
        if (out.length >= wanted) return out;
      }
      if (read < page || !lastPosition) return out;
      from = lastPosition;
    }
  }

  /**
   * Ordering and checkpoints come from the shared catch-up loop over readAll (the same code the
   * SQLite adapter runs and the contract suite tests); the server's live subscription is used only
   * to wake the loop early, so a dropped live subscription costs latency, never an event.
   */
  subscribeToAll(options: SubscribeOptions): CatchUpSubscription {
    if (this.closed) throw new Error('event store is closed');
    const subscription = startCatchUpSubscription(
      {
        readAll: (o) => this.readAll(o),
        onAppended: (listener) => {
          this.appended.on('appended', listener);
          const live = this.client.subscribeToAll({ fromPosition: END, filter: excludeSystemEvents() });
          live.on('data', listener);
          live.on('error', (error: Error) =>
            console.warn(`subscription ${options.subscriptionId}: live wake-up failed, polling only`, error),
          );
          return () => {
            this.appended.off('appended', listener);
            live.unsubscribe().catch(() => undefined);
          };
        },
      },
      { checkpoints: this.checkpoints, defaultPollIntervalMs: this.options.pollIntervalMs ?? 1000 },
      options,
    );
    const handle: CatchUpSubscription = { caughtUp: subscription.caughtUp, stop: () => subscription.stop() };
    this.subscriptions.add(handle);
    void subscription.done.then(() => this.subscriptions.delete(handle));
    return handle;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.client.dispose();
  }

  private async readResolved(
    streamId: string,
    options: { direction: typeof FORWARDS | typeof BACKWARDS; fromRevision: ReadRevision; maxCount: number },
  ): Promise<ResolvedEvent[]> {
    const out: ResolvedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, options)) out.push(resolved);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return out;
  }

  /**
   * The server deduplicates a retried batch only when it is sent with the same expected revision as
   * the first time; since we always send the current tip, we recognise the retry ourselves, with the
   * SQLite adapter's rule: the batch's first id is already in this stream and the rest follow at
   * consecutive revisions. We look among the latest events, and where the caller's expected revision
   * put the batch. (The server does not index event ids, so an id reused in another stream, which
   * the SQLite adapter refuses, goes unnoticed here.)
   */
  private async originalResultOfRetry(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
    recentNewestFirst: readonly ResolvedEvent[],
  ): Promise<AppendResult | undefined> {
    if (recentNewestFirst.length === 0) return undefined;
    const byRevision = new Map<number, { id: string; position: number }>();
    const remember = (resolved: readonly ResolvedEvent[]) => {
      for (const r of resolved) {
        if (r.event)
          byRevision.set(Number(r.event.revision), {
            id: r.event.id,
            position: toGlobalPosition(r.event.position),
          });
      }
    };
    remember(recentNewestFirst);
    const current = Number(recentNewestFirst[0].event?.revision ?? -1);

    let first: number | undefined;
    for (const [revision, e] of byRevision) if (e.id === events[0].eventId) first = revision;
    if (first === undefined && expected !== 'any') {
      const where = expected === 'no_stream' ? 0 : expected + 1;
      if (where <= current && !byRevision.has(where)) {
        remember(
          await this.readResolved(streamId, {
            direction: FORWARDS,
            fromRevision: BigInt(where),
            maxCount: events.length,
          }),
        );
        if (byRevision.get(where)?.id === events[0].eventId) first = where;
      }
    }
    if (first === undefined) return undefined;

    const start = first;
    const sameWrite = events.every((e, i) => byRevision.get(start + i)?.id === e.eventId);
    if (!sameWrite) throw new EventIdConflictError(events[0].eventId, streamId);
    const last = start + events.length - 1;
    return { nextExpectedRevision: last, lastGlobalPosition: byRevision.get(last)?.position ?? -1 };
  }
}

/**
 * Checkpoints as events in a regular stream per subscription, `registry-checkpoint-<id>`, whose
 * $maxCount of 1 lets the server scavenge the old ones. (A `$`-prefixed stream would need admin
 * rights and collide with system naming.) The adapter's readAll skips these events.
 */
export class KurrentDbCheckpointStore implements CheckpointStore {
  private readonly limited = new Set<string>();

  constructor(
    private readonly client: KurrentDBClient,
    private readonly streamPrefix = 'registry-checkpoint-',
  ) {}

  async load(subscriptionId: string): Promise<number | undefined> {
    try {
      for await (const resolved of this.client.readStream(this.streamOf(subscriptionId), {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: 1,
      })) {
        const data = resolved.event?.data as { position?: unknown } | undefined;
        if (typeof data?.position === 'number') return data.position;
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return undefined;
      throw error;
    }
    return undefined;
  }

  async save(subscriptionId: string, position: number): Promise<void> {
    const stream = this.streamOf(subscriptionId);
    if (!this.limited.has(stream)) {
      await this.client.setStreamMetadata(stream, { maxCount: 1 });
      this.limited.add(stream);
    }
    await this.client.appendToStream(stream, jsonEvent({ type: 'registry-checkpoint', data: { position } }));
  }

  private streamOf(subscriptionId: string): string {
    return `${this.streamPrefix}${subscriptionId}`;
  }
}
