import {
  SqliteEventStore,
  streamStatesOver,
  type RecordedEvent,
  type StreamStates,
} from '#libs/event-sourcing';
import { testEvent, uniqueStreamId } from '../../event-sourcing/src/testing/fixtures';
import { MemoryReadStore } from './memory-read-store';
import {
  contentDigest,
  rebuildProjection,
  changedDocuments,
  runProjection,
  StateProjection,
  writeChanged,
  type Projection,
  type StateDerivation,
} from './projection';
import type { ReadStore } from './read-store';

/** Counts events per stream into one document per stream, guarded by revision. */
const counting = (): Projection & { calls: number } => ({
  name: 'counting',
  collections: ['counts'],
  calls: 0,
  async handle(event: RecordedEvent, readStore: ReadStore) {
    this.calls++;
    await readStore.collection('counts').upsertGuarded(
      event.streamId,
      { events: event.streamRevision + 1, last: event.type },
      {
        streamId: event.streamId,
        revision: event.streamRevision,
      },
    );
  },
});

describe('runProjection', () => {
  let store: SqliteEventStore;
  beforeEach(async () => {
    store = await SqliteEventStore.open({ file: ':memory:' });
  });
  afterEach(async () => {
    await store.close();
  });

  it('follows the log, keeps its checkpoint in the read store and resumes after it', async () => {
    const readStore = new MemoryReadStore();
    const stream = uniqueStreamId();
    await store.appendToStream(stream, [testEvent('A'), testEvent('B')], { expectedRevision: 'no_stream' });
    const projection = counting();
    const run = runProjection({ store, readStore, projection });
    await run.caughtUp;
    await run.stop();
    expect(await readStore.checkpoints.load('projection:counting')).toBe(2);
    expect(await readStore.collection('counts').findOne({ _id: stream })).toEqual({
      _id: stream,
      events: 2,
      last: 'B',
    });

    await store.appendToStream(stream, [testEvent('C')], { expectedRevision: 1 });
    const again = counting();
    const resumed = runProjection({ store, readStore, projection: again });
    await resumed.caughtUp;
    await resumed.stop();
    expect(again.calls).toBe(1);
    expect(await readStore.collection('counts').findOne({ _id: stream })).toEqual({
      _id: stream,
      events: 3,
      last: 'C',
    });
  });

  it('restarts from its checkpoint after a failing handler, without skipping the event', async () => {
    const readStore = new MemoryReadStore();
    const stream = uniqueStreamId();
    await store.appendToStream(stream, [testEvent('A'), testEvent('B')], { expectedRevision: 'no_stream' });
    const inner = counting();
    let failures = 0;
    const flaky: Projection = {
      ...inner,
      handle: async (event, rs) => {
        if (event.type === 'B' && failures++ === 0) throw new Error('read store down');
        await inner.handle.call(inner, event, rs);
      },
    };
    const errors: unknown[] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const run = runProjection({
      store,
      readStore,
      projection: flaky,
      restartDelayMs: 20,
      onError: (e) => errors.push(e),
    });
    try {
      const deadline = Date.now() + 5000;
      while ((await readStore.checkpoints.load('projection:counting')) !== 2) {
        if (Date.now() > deadline) throw new Error('did not recover');
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      await run.stop();
      spy.mockRestore();
    }
    expect(errors).toHaveLength(1);
    expect(await readStore.collection('counts').findOne({ _id: stream })).toEqual({
      _id: stream,
      events: 2,
      last: 'B',
    });
  });

  it('rebuild clears only its collections and checkpoint, and replays from 0', async () => {
    const readStore = new MemoryReadStore();
    await readStore.collection('other').upsertGuarded('x', { keep: true }, { streamId: 's', revision: 0 });
    const stream = uniqueStreamId();
    await store.appendToStream(stream, [testEvent('A'), testEvent('B'), testEvent('C')], {
      expectedRevision: 'no_stream',
    });
    await readStore
      .collection('counts')
      .upsertGuarded('stale-doc', { events: 99, last: 'Z' }, { streamId: 's', revision: 5 });
    const report = await rebuildProjection({ store, readStore, projection: counting() });
    expect(report).toMatchObject({
      projection: 'counting',
      events: 3,
      lastPosition: 3,
      counts: { counts: 1 },
    });
    expect(await readStore.collection('counts').find({})).toEqual([{ _id: stream, events: 3, last: 'C' }]);
    expect(await readStore.collection('other').countDocuments()).toBe(1);
  });
});

describe('StateProjection', () => {
  /** The state of a stream: the sum of its events' amounts, with the amounts' count. */
  interface Sum {
    total: number;
    added: number;
  }
  type SumDocument = { _id: string; streamId: string; revision: number; total: number };
  const sumOf = {
    initialState: (): Sum => ({ total: 0, added: 0 }),
    evolve: (state: Sum, event: { type: string; data: unknown }): Sum => {
      if (event.type === 'Added') {
        state.total += (event.data as { n: number }).n;
        state.added++;
      }
      return state;
    },
  };
  /** One document per stream (its sum) and one entry per event; per stream only a digest is kept. */
  const summing: StateDerivation<Sum, { written: Map<string, string> }> = {
    name: 'sums',
    collections: ['sums', 'entries'],
    wholeCollections: ['sums'],
    accepts: (event) => event.type === 'Added',
    whole: (state, streamId, stored) => {
      const book = { written: stored('sums') };
      return {
        book,
        writes: changedDocuments('sums', book.written, [[streamId, { streamId, total: state.total }]]),
      };
    },
    touched: (book, state, event, reflected) => [
      {
        collection: 'entries',
        id: event.eventId,
        content: { n: (event.data as { n: number }).n },
        revision: event.streamRevision,
      },
      ...(reflected
        ? []
        : changedDocuments('sums', book.written, [
            [event.streamId, { streamId: event.streamId, total: state.total }],
          ])),
    ],
  };
  const added = (n: number) => testEvent('Added', { n });
  const counted = (states: StreamStates<Sum>) => {
    const reads: number[] = [];
    return {
      reads,
      states: {
        readState: <T>(id: string, atLeast: number, fn: (state: Sum, revision: number) => T) => {
          reads.push(atLeast);
          return states.readState(id, atLeast, fn);
        },
      },
    };
  };

  it('derives the documents from the state it is given: a first event writes the stream whole, events the state holds already only their own entries', async () => {
    const store = await SqliteEventStore.open({ file: ':memory:' });
    const stream = uniqueStreamId();
    await store.appendToStream(stream, [added(1), testEvent('Other'), added(2), added(4)], {
      expectedRevision: 'no_stream',
    });
    const events = await store.readStream(stream);
    const { reads, states } = counted(streamStatesOver(store, sumOf));
    const readStore = new MemoryReadStore();
    const upserts = jest.spyOn(readStore, 'collection');
    const projection = new StateProjection(() => states, summing);
    for (const e of events) await projection.handle(e, readStore);
    // The sums read back once (nothing there yet) and written once.
    expect(upserts.mock.calls.filter(([name]) => name === 'sums')).toHaveLength(2);
    const sums = readStore.collection<SumDocument>('sums');
    // Derived once from the state at the head (revision 3), and guarded by it.
    expect(await sums.findOne({ _id: stream })).toMatchObject({ total: 7, revision: 3 });
    expect(reads).toEqual([0, 2, 3]);
    expect(await readStore.collection('entries').countDocuments()).toBe(3);

    // An event after the state: the sum again, guarded by the state's revision.
    await store.appendToStream(stream, [added(8)], { expectedRevision: 3 });
    const [fifth] = await store.readStream(stream, { fromRevision: 4 });
    await projection.handle(fifth, readStore);
    expect(await sums.findOne({ _id: stream })).toMatchObject({ total: 15, revision: 4 });
    await store.close();
  });

  it('after a start, writes only the documents that differ from what the read store holds; after a failed write, the stream whole again', async () => {
    const store = await SqliteEventStore.open({ file: ':memory:' });
    const stream = uniqueStreamId();
    await store.appendToStream(stream, [added(1), added(2)], { expectedRevision: 'no_stream' });
    const events = await store.readStream(stream);
    const readStore = new MemoryReadStore();
    const sums = readStore.collection<SumDocument>('sums');
    for (const e of events)
      await new StateProjection(() => streamStatesOver(store, sumOf), summing).handle(e, readStore);
    expect(await sums.findOne({ _id: stream })).toMatchObject({ total: 3, revision: 1 });

    // A restarted projection at the same state finds the sum as it is: nothing written.
    const upsert = jest.spyOn(sums, 'upsertGuarded');
    jest
      .spyOn(readStore, 'collection')
      .mockImplementation(
        (name) =>
          (name === 'sums' ? sums : MemoryReadStore.prototype.collection.call(readStore, name)) as never,
      );
    const projection = new StateProjection(() => streamStatesOver(store, sumOf), summing);
    await projection.handle(events[1], readStore);
    expect(upsert).not.toHaveBeenCalled();
    jest.restoreAllMocks();

    // The document write fails once: the bookkeeping is dropped, the next event writes the stream whole.
    const failing = jest.spyOn(readStore, 'collection').mockImplementationOnce(() => {
      throw new Error('read store down');
    });
    await store.appendToStream(stream, [added(4)], { expectedRevision: 1 });
    const [third] = await store.readStream(stream, { fromRevision: 2 });
    await expect(projection.handle(third, readStore)).rejects.toThrow('read store down');
    failing.mockRestore();
    await projection.handle(third, readStore);
    expect(await sums.findOne({ _id: stream })).toMatchObject({ total: 7, revision: 2 });
    await store.close();
  });
});

describe('rebuildProjection of a StateProjection over a store (its replay)', () => {
  interface Sum {
    total: number;
  }
  type SumDocument = { _id: string; revision: number; named?: string[] };
  const sumOf = {
    initialState: (): Sum => ({ total: 0 }),
    evolve: (state: Sum, event: { type: string; data: unknown }): Sum => {
      if (event.type === 'Added') state.total += (event.data as { n: number }).n;
      return state;
    },
  };
  const entry = (event: RecordedEvent) => ({
    collection: 'entries',
    id: event.eventId,
    content: { n: (event.data as { n: number }).n },
    revision: event.streamRevision,
  });
  /** Per stream its sum and the ids its events named; per event its entry. */
  const summing = (
    wholes: Array<ReadonlySet<string> | undefined>,
  ): StateDerivation<Sum, { written: Map<string, string> }> => ({
    name: 'sums',
    collections: ['sums', 'entries'],
    wholeCollections: ['sums'],
    accepts: (event) => event.streamId.startsWith('sum-') && event.type === 'Added',
    whole: (state, streamId, stored, named) => {
      wholes.push(named);
      const book = { written: stored('sums') };
      const content = { streamId, total: state.total, named: [...(named ?? [])].sort() };
      return { book, writes: changedDocuments('sums', book.written, [[streamId, content]]) };
    },
    idsNamedBy: (event) => [(event.data as { by?: string }).by ?? 'nobody'],
    own: (_state, event) => [entry(event)],
    touched: (book, state, event, reflected) => [
      entry(event),
      ...(reflected
        ? []
        : changedDocuments('sums', book.written, [
            [event.streamId, { streamId: event.streamId, total: state.total, named: [] }],
          ])),
    ],
  });
  const added = (n: number, by: string) => testEvent('Added', { n, by });
  const contents = async (readStore: ReadStore, name: string) =>
    (await readStore.collection<SumDocument>(name).find({}, { sort: { _id: 1 } })).map((d) => {
      const { revision: _revision, named: _named, ...content } = d;
      return content;
    });

  it('folds each stream from the events it reads once, writes each event its entry and each stream its documents once, from its last state, as the live projection', async () => {
    const store = await SqliteEventStore.open({ file: ':memory:' });
    const [a, b] = [uniqueStreamId('sum'), uniqueStreamId('sum')];
    await store.appendToStream(a, [added(1, 'x'), testEvent('Other')], { expectedRevision: 'no_stream' });
    await store.appendToStream(b, [added(10, 'y')], { expectedRevision: 'no_stream' });
    await store.appendToStream(a, [added(2, 'z'), added(4, 'x')], { expectedRevision: 1 });
    await store.appendToStream('elsewhere', [added(100, 'w')], { expectedRevision: 'no_stream' });
    const wholes: Array<ReadonlySet<string> | undefined> = [];
    const projection = () =>
      new StateProjection(() => streamStatesOver(store, sumOf), summing(wholes), {
        evolverOf: (streamId) => (streamId.startsWith('sum-') ? sumOf : undefined),
        historyFrom: store,
      });

    const live = new MemoryReadStore();
    const handling = projection();
    for (const event of await store.readAll()) await handling.handle(event, live);
    expect(wholes).toEqual([undefined, undefined, undefined]);
    wholes.length = 0;

    const rebuilt = new MemoryReadStore();
    const loads = jest.spyOn(store, 'readStream');
    const readBacks = jest.spyOn(store, 'readStreamSync');
    const upserts = new Map<string, number>();
    const collection = rebuilt.collection.bind(rebuilt);
    jest.spyOn(rebuilt, 'collection').mockImplementation((name) => {
      const real = collection(name);
      return Object.assign(Object.create(real) as typeof real, {
        upsertGuarded: (...args: Parameters<typeof real.upsertGuarded>) => {
          upserts.set(name, (upserts.get(name) ?? 0) + 1);
          return real.upsertGuarded(...args);
        },
      }) as never;
    });
    const report = await rebuildProjection({
      store,
      readStore: rebuilt,
      projection: projection(),
      batchSize: 2,
    });
    expect(loads).not.toHaveBeenCalled();
    expect(readBacks).not.toHaveBeenCalled();
    // Every event read is counted; the checkpoint is the last one's, saved once the replay finished.
    expect(report).toMatchObject({ events: 6, lastPosition: 6, counts: { sums: 2, entries: 4 } });
    // Each stream's sum written once, each event's entry once.
    expect(Object.fromEntries(upserts)).toEqual({ sums: 2, entries: 4 });
    // Streams that are not the projection's are neither folded nor written.
    expect(await rebuilt.collection('sums').findOne({ _id: 'elsewhere' })).toBeNull();
    // The sums of the last states, guarded by their revision (the head of each stream).
    expect(await rebuilt.collection('sums').findOne({ _id: a })).toMatchObject({
      total: 7,
      revision: 3,
      // Noted from every event folded, as `whole` reads them from every fact.
      named: ['nobody', 'x', 'z'],
    });
    expect(await rebuilt.collection('sums').findOne({ _id: b })).toMatchObject({ total: 10, revision: 0 });
    expect(wholes.map((named) => [...(named ?? [])].sort())).toEqual([['nobody', 'x', 'z'], ['y']]);
    for (const name of ['sums', 'entries'])
      expect(await contents(rebuilt, name)).toEqual(await contents(live, name));
    await store.close();
  });

  it('saves no checkpoint when a write fails, and rejects', async () => {
    const store = await SqliteEventStore.open({ file: ':memory:' });
    await store.appendToStream(uniqueStreamId('sum'), [added(1, 'x'), added(2, 'y')], {
      expectedRevision: 'no_stream',
    });
    const readStore = new MemoryReadStore();
    const projection = new StateProjection(() => streamStatesOver(store, sumOf), summing([]), {
      evolverOf: () => sumOf,
      historyFrom: store,
    });
    const collection = readStore.collection.bind(readStore);
    jest.spyOn(readStore, 'collection').mockImplementation((name) => {
      const real = collection(name);
      if (name !== 'sums') return real as never;
      return Object.assign(Object.create(real) as typeof real, {
        upsertGuarded: () => Promise.reject(new Error('read store down')),
      }) as never;
    });
    const errors: unknown[] = [];
    await expect(
      rebuildProjection({ store, readStore, projection, onError: (e) => errors.push(e) }),
    ).rejects.toThrow('read store down');
    expect(errors).toHaveLength(1);
    expect(await readStore.checkpoints.load('projection:sums')).toBeUndefined();
    await store.close();
  });

  it('refuses to replay an event it reads in a stream it does not fold (its documents would be lost)', async () => {
    const store = await SqliteEventStore.open({ file: ':memory:' });
    await store.appendToStream(uniqueStreamId('sum'), [added(1, 'x')], { expectedRevision: 'no_stream' });
    const projection = new StateProjection(() => streamStatesOver(store, sumOf), summing([]), {
      evolverOf: () => undefined,
    });
    await expect(rebuildProjection({ store, readStore: new MemoryReadStore(), projection })).rejects.toThrow(
      /sums reads sum-.*, which its replay does not fold/,
    );
    await store.close();
  });
});

describe('writeChanged', () => {
  type Doc = { _id: string; revision: number; text: string };
  const guard = (revision: number) => ({ streamId: 'district-chengguan', revision });

  it('remembers a digest of each document it wrote, not its JSON, and writes only the documents whose content changed', async () => {
    const readStore = new MemoryReadStore();
    const docs = readStore.collection<Doc>('docs');
    const written = new Map<string, string>();
    const long = { text: '东岗西路社区'.repeat(2_000) };
    await writeChanged(docs, written, [['a', long]], guard(0));
    // What is kept per document is short whatever the document's size: the read model is not held twice.
    expect(written.get('a')!.length).toBeLessThan(64);
    expect(written.get('a')).not.toContain('东岗');

    // The same content again: nothing is written (the stored revision stays that of the first write).
    await writeChanged(docs, written, [['a', { text: long.text }]], guard(1));
    expect(await docs.findOne({ _id: 'a' })).toMatchObject({ revision: 0 });

    // One character changed: written.
    await writeChanged(docs, written, [['a', { text: `${long.text}。` }]], guard(2));
    expect(await docs.findOne({ _id: 'a' })).toMatchObject({ revision: 2, text: `${long.text}。` });
  });

  it('a digest taken when catching up matches the content written afterwards', async () => {
    const readStore = new MemoryReadStore();
    const docs = readStore.collection<Doc>('docs');
    const written = new Map([['a', contentDigest({ text: 'kept' })]]);
    await writeChanged(docs, written, [['a', { text: 'kept' }]], guard(3));
    expect(await docs.findOne({ _id: 'a' })).toBeNull();
  });
});
