import { SqliteEventStore, type Actor, type EventStore, type NewEvent } from '#libs/event-sourcing';
import { MemoryReadStore } from '../memory-read-store';
import {
  clearProjection,
  rebuildProjection,
  runProjection,
  subscriptionIdOf,
  type Projection,
  type ProjectionSource,
  type RebuildReport,
} from '../projection';
import type { ReadCollection, ReadDocument, ReadStore } from '../read-store';
import { describeOnRealMongo } from './real-mongo';

/*
 * What the projection specs of every service check (GUIDE §4.8): the same projection code gives
 * the same documents live with a restart, with every event twice, rebuilt from 0, in memory and on
 * MongoDB (FerretDB in the integration run).
 */

/** One event of a domain's given/when History, as the projection stories tell them. */
export interface StoryEvent {
  readonly eventId: string;
  readonly event: { readonly type: string; readonly data: unknown; readonly ruleIds: readonly string[] };
  readonly effectiveAt: string;
  readonly legalBasis: string;
  readonly correlationId: string;
  /** The event of another service a reaction derived it from (EST-8 corrections follow it). */
  readonly causationId?: string | null;
}

/** Appends the events of one decision of a story as one append, with the History's event ids. */
export async function appendDecision(
  store: EventStore,
  streamId: string,
  events: readonly StoryEvent[],
  actor: Actor,
): Promise<void> {
  const recorded: NewEvent[] = events.map((e) => ({
    eventId: e.eventId,
    type: e.event.type,
    schemaVersion: 1,
    data: e.event.data,
    metadata: {
      effectiveAt: e.effectiveAt,
      actor,
      legalBasis: e.legalBasis,
      ruleIds: e.event.ruleIds,
      correlationId: e.correlationId,
      causationId: e.causationId ?? null,
    },
  }));
  await store.appendToStream(streamId, recorded, { expectedRevision: 'any' });
}

/** Hands the projection every event after `after`; answers the position of the last one. */
export async function projectNew(
  store: ProjectionSource,
  projection: Projection,
  readStore: ReadStore,
  after: number,
): Promise<number> {
  let position = after;
  for (const event of await store.readAll({ after })) {
    await projection.handle(event, readStore);
    position = event.globalPosition;
  }
  return position;
}

/**
 * What projecting the events after `after` costs: the upserts per collection and the documents
 * serialised (to compare them with what is stored, or by the read store). A projection whose cost
 * is the same in a small and in a large district, or for an entity with a short and a long
 * history, writes and serialises only what its events touch.
 */
export async function costOfProjecting(
  store: ProjectionSource,
  projection: Projection,
  inner: ReadStore,
  after: number,
): Promise<{ writes: Record<string, number>; serialised: number }> {
  const { serialisedChars: _chars, ...cost } = await costInCharsOfProjecting(store, projection, inner, after);
  return cost;
}

/** costOfProjecting, and the characters of JSON serialised (documents of a size that does not grow). */
export async function costInCharsOfProjecting(
  store: ProjectionSource,
  projection: Projection,
  inner: ReadStore,
  after: number,
): Promise<{ writes: Record<string, number>; serialised: number; serialisedChars: number }> {
  const writes = new Map<string, number>();
  const readStore: ReadStore = Object.create(inner) as ReadStore;
  readStore.collection = <T extends ReadDocument>(name: string): ReadCollection<T> => {
    const collection = inner.collection<T>(name);
    return Object.assign(Object.create(collection) as ReadCollection<T>, {
      upsertGuarded: (...args: Parameters<ReadCollection<T>['upsertGuarded']>) => {
        writes.set(name, (writes.get(name) ?? 0) + 1);
        return collection.upsertGuarded(...args);
      },
    });
  };
  const stringify = jest.spyOn(JSON, 'stringify');
  try {
    await projectNew(store, projection, readStore, after);
    const serialisedChars = stringify.mock.results.reduce(
      (sum, r) => sum + (typeof r.value === 'string' ? r.value.length : 0),
      0,
    );
    return { writes: Object.fromEntries(writes), serialised: stringify.mock.calls.length, serialisedChars };
  } finally {
    stringify.mockRestore();
  }
}

export async function headOf(store: ProjectionSource): Promise<number> {
  const all = await store.readAll();
  return all[all.length - 1].globalPosition;
}

export async function waitForCheckpoint(readStore: ReadStore, id: string, position: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while ((await readStore.checkpoints.load(id)) !== position) {
    if (Date.now() > deadline) throw new Error(`checkpoint ${id} did not reach ${position}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Running every event (already in the store) twice changes nothing, with the same projection or a
 * fresh one: a restart, nothing in memory, every event delivered again, in order and out of order.
 * Answers the documents of the first run.
 */
export async function expectEveryEventTwiceChangesNothing<S>(
  store: ProjectionSource,
  newProjection: () => Projection,
  snapshot: (readStore: ReadStore) => Promise<S>,
): Promise<S> {
  const readStore = new MemoryReadStore();
  const projection = newProjection();
  await projectNew(store, projection, readStore, 0);
  const once = await snapshot(readStore);

  const all = await store.readAll();
  for (const event of all) await projection.handle(event, readStore);
  expect(await snapshot(readStore)).toEqual(once);

  const fresh = newProjection();
  for (const event of all) await fresh.handle(event, readStore);
  for (const event of [...all].reverse()) await newProjection().handle(event, readStore);
  expect(await snapshot(readStore)).toEqual(once);
  return once;
}

/**
 * A snapshot's documents without their revision: a document's revision names the state of its
 * stream it was derived from, which a live run, a restart and a rebuild reach at different
 * revisions; its content is the same.
 */
export function contentsOf(snapshot: unknown): unknown {
  const strip = (doc: unknown): unknown => {
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return doc;
    const { revision: _revision, ...content } = doc as Record<string, unknown>;
    return content;
  };
  if (Array.isArray(snapshot)) return snapshot.map(strip);
  if (!snapshot || typeof snapshot !== 'object') return snapshot;
  return Object.fromEntries(
    Object.entries(snapshot).map(([key, docs]) => [key, Array.isArray(docs) ? docs.map(strip) : docs]),
  );
}

export interface LiveRunCheck<S> {
  readonly store: ProjectionSource;
  /** Where the live run writes: in memory, or on MongoDB. */
  readonly readStore: ReadStore;
  readonly newProjection: () => Projection;
  /** Every document of the projection's collections, sorted by id: what "identical" compares. */
  readonly snapshot: (readStore: ReadStore) => Promise<S>;
  /** How many steps the story has; the live run restarts halfway. */
  readonly steps: number;
  /** Appends steps [from, to) of the story to the store. */
  readonly append: (from: number, to: number) => Promise<void>;
  /** What the live documents must show beyond the comparisons (that the story projected something). */
  readonly checkLive?: (live: S) => Promise<void> | void;
}

/**
 * A live run with a restart halfway (from a checkpoint it saved at the head) gives documents that
 * running every event twice does not change, that a rebuild from 0 in memory gives too, and that
 * the run's own rebuild() gives again. Answers the live documents and the report of the rebuild.
 */
export async function expectLiveRunEqualsRebuild<S>(
  check: LiveRunCheck<S>,
): Promise<{ live: S; report: RebuildReport }> {
  const { store, readStore, newProjection, snapshot, steps, append } = check;
  const subscriptionId = subscriptionIdOf({ projection: newProjection() });
  const half = Math.floor(steps / 2);
  await append(0, half);
  const first = runProjection({ store, readStore, projection: newProjection(), checkpointEvery: 3 });
  await first.caughtUp;
  await append(half, half + 1);
  await waitForCheckpoint(readStore, subscriptionId, await headOf(store));
  await first.stop();

  await append(half + 1, steps);
  const second = runProjection({ store, readStore, projection: newProjection() });
  try {
    await second.caughtUp;
    const live = await snapshot(readStore);
    expect(await readStore.checkpoints.load(subscriptionId)).toBe(await headOf(store));
    await check.checkLive?.(live);

    const all = await store.readAll();
    const twice = newProjection();
    for (const event of all) await twice.handle(event, readStore);
    expect(await snapshot(readStore)).toEqual(live);

    const fromScratch = new MemoryReadStore();
    const report = await rebuildProjection({ store, readStore: fromScratch, projection: newProjection() });
    expect(contentsOf(await snapshot(fromScratch))).toEqual(contentsOf(live));
    expect(report.events).toBe(all.length);

    const rebuilt = await second.rebuild();
    expect(rebuilt.events).toBe(report.events);
    expect(contentsOf(await snapshot(readStore))).toEqual(contentsOf(live));
    return { live, report };
  } finally {
    await second.stop();
  }
}

/**
 * The projection on a real MongoDB-compatible server (MONGODB_URL, or FerretDB started through
 * test/servers), in a database of its own: `expectLiveRunEqualsRebuild` with a fresh event store
 * and emptied collections for each test. Skipped, and says so, without a server.
 */
export function describeProjectionOnRealMongo<S>(spec: {
  /** The spec file (__filename), named when it is skipped. */
  readonly file: string;
  readonly name: string;
  /** The test's name, when it says more than the comparisons. */
  readonly title?: string;
  readonly projection: (store: SqliteEventStore) => Projection;
  readonly snapshot: (readStore: ReadStore) => Promise<S>;
  /** The story: how many steps, how to append some, what the live documents must show. */
  readonly story: (
    store: SqliteEventStore,
    readStore: ReadStore,
  ) => Pick<LiveRunCheck<S>, 'steps' | 'append' | 'checkLive'>;
  readonly checkRebuild?: (report: RebuildReport, live: S) => void;
}): void {
  describeOnRealMongo(spec.file, `${spec.name} on a real MongoDB-compatible server`, (mongo) => {
    let store: SqliteEventStore;
    let readStore: ReadStore;

    beforeEach(async () => {
      store = await SqliteEventStore.open({ file: ':memory:' });
      readStore = await mongo().connect();
      const projection = spec.projection(store);
      await clearProjection(readStore, projection, subscriptionIdOf({ projection }));
    });
    afterEach(async () => {
      await store.close();
    });

    const title =
      spec.title ?? 'live (with a restart and every event twice) equals in memory and equals a rebuild';
    it(
      title,
      async () => {
        const { live, report } = await expectLiveRunEqualsRebuild({
          store,
          readStore,
          newProjection: () => spec.projection(store),
          snapshot: spec.snapshot,
          ...spec.story(store, readStore),
        });
        spec.checkRebuild?.(report, live);
      },
      120_000,
    );
  });
}
