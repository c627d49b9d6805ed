import { SqliteEventStore, type RecordedEvent } from '#libs/event-sourcing';
import { testEvent, uniqueStreamId } from '../../event-sourcing/src/testing/fixtures';
import { MemoryReadStore } from './memory-read-store';
import {
  contentDigest,
  rebuildProjection,
  runProjection,
  StreamFoldingProjection,
  writeChanged,
  type Projection,
  type StreamFolding,
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

describe('StreamFoldingProjection', () => {
  /** A stream folded into the sum of its events' amounts: one document per stream. */
  interface Sum {
    revision: number;
    total: number;
    written: Map<string, string>;
  }
  type SumDocument = { _id: string; revision: number; total: number };
  const summing = (): StreamFolding<Sum> => {
    const folding = {
      name: 'sums',
      collections: ['sums'],
      accepts: (event: RecordedEvent) => event.type === 'Added',
      start: (): Sum => ({ revision: -1, total: 0, written: new Map() }),
      fold: (sum: Sum, event: RecordedEvent) => void (sum.total += (event.data as { n: number }).n),
      caughtUp: (sum: Sum, streamId: string) => {
        sum.written = new Map([[streamId, contentDigest({ total: sum.total })]]);
      },
      async apply(sum: Sum, event: RecordedEvent, readStore: ReadStore) {
        folding.fold(sum, event);
        const guard = { streamId: event.streamId, revision: event.streamRevision };
        await writeChanged(
          readStore.collection<SumDocument>('sums'),
          sum.written,
          [[event.streamId, { total: sum.total }]],
          guard,
        );
      },
    };
    return folding;
  };
  const added = (n: number) => testEvent('Added', { n });

  it('folds the events it has not seen from the store, so a late first event projects the whole stream', async () => {
    const store = await SqliteEventStore.open({ file: ':memory:' });
    const stream = uniqueStreamId();
    await store.appendToStream(stream, [added(1), testEvent('Other'), added(2), added(4)], {
      expectedRevision: 'no_stream',
    });
    const [, , , last] = await store.readStream(stream);
    const readStore = new MemoryReadStore();
    const projection = new StreamFoldingProjection(store, summing());
    await projection.handle(last, readStore);
    expect(await readStore.collection<SumDocument>('sums').findOne({ _id: stream })).toMatchObject({
      total: 7,
      revision: 3,
    });
    await store.close();
  });

  it('leaves the document as it was for an event delivered again, and refolds after a failed write', async () => {
    const store = await SqliteEventStore.open({ file: ':memory:' });
    const stream = uniqueStreamId();
    await store.appendToStream(stream, [added(1), added(2)], { expectedRevision: 'no_stream' });
    const events = await store.readStream(stream);
    const projection = new StreamFoldingProjection(store, summing());
    const readStore = new MemoryReadStore();
    for (const e of events) await projection.handle(e, readStore);
    await projection.handle(events[1], readStore);
    const sums = readStore.collection<SumDocument>('sums');
    expect(await sums.findOne({ _id: stream })).toMatchObject({ total: 3, revision: 1 });

    // The document write fails once: the fold is dropped, so the redelivery does not count twice.
    const upsert = jest.spyOn(readStore, 'collection').mockImplementationOnce(() => {
      throw new Error('read store down');
    });
    await store.appendToStream(stream, [added(4)], { expectedRevision: 1 });
    const [third] = await store.readStream(stream, { fromRevision: 2 });
    await expect(projection.handle(third, readStore)).rejects.toThrow('read store down');
    upsert.mockRestore();
    await projection.handle(third, readStore);
    expect(await sums.findOne({ _id: stream })).toMatchObject({ total: 7, revision: 2 });
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
