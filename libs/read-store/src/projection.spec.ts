import { SqliteEventStore, type RecordedEvent } from '#libs/event-sourcing';
import { testEvent, uniqueStreamId } from '../../event-sourcing/src/testing/fixtures';
import { MemoryReadStore } from './memory-read-store';
import { rebuildProjection, runProjection, type Projection } from './projection';
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
