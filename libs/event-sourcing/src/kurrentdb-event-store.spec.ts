import { KurrentDbCheckpointStore, KurrentDbEventStore } from './kurrentdb-event-store';
import { verifyStore } from './hash-chain';
import { describeEventStoreContract } from './testing/event-store.contract';
import { FakeKurrentDbClient } from './testing/fake-kurrentdb-client';
import { testEvent } from './testing/fixtures';

// The adapter's own logic against an in-memory client double; the server run is the int-spec.
describeEventStoreContract('KurrentDbEventStore over an in-memory client double', () =>
  KurrentDbEventStore.fromClient(new FakeKurrentDbClient().asClient(), { pollIntervalMs: 20 }),
);

describe('KurrentDbEventStore (client double)', () => {
  let client: FakeKurrentDbClient;
  let store: KurrentDbEventStore;
  beforeEach(async () => {
    client = new FakeKurrentDbClient();
    store = await KurrentDbEventStore.fromClient(client.asClient(), {
      clock: () => new Date('2013-09-01T08:00:00Z'),
    });
  });
  afterEach(async () => {
    await store.close();
  });

  it('keeps the envelope in the event metadata, with $correlationId for the server projections', async () => {
    const event = testEvent('CommitteeEstablished', { name: '雁南社区' });
    await store.appendToStream('district-1', [event], { expectedRevision: 'no_stream' });
    const raw = [];
    for await (const r of client.readStream('district-1')) raw.push(r.event);
    expect(raw[0].metadata).toMatchObject({
      schemaVersion: 1,
      recordedAt: '2013-09-01T08:00:00.000Z',
      metadata: event.metadata,
      $correlationId: event.metadata.correlationId,
    });
    expect(raw[0].data).toEqual({ name: '雁南社区' });
  });

  it('skips system events, checkpoints and foreign events in readAll and verifies the rest', async () => {
    await client.appendForeign('$stats-127.0.0.1:2113', '$statsCollected');
    await client.appendForeign('another-app', 'SomethingElse');
    await store.appendToStream('district-1', [testEvent('A'), testEvent('B')], {
      expectedRevision: 'no_stream',
    });
    await new KurrentDbCheckpointStore(client.asClient()).save('projection', 1);
    const all = await store.readAll();
    expect(all.map((e) => e.type)).toEqual(['A', 'B']);
    expect(await store.readAll({ maxCount: 1 })).toHaveLength(1);
    expect(await verifyStore(store, { batchSize: 1 })).toEqual({
      ok: true,
      checkedEvents: 2,
      checkedStreams: 1,
    });
  });

  it('re-hashes on the new tip when an "any" append loses a race', async () => {
    await store.appendToStream('s', [testEvent('A')], { expectedRevision: 'no_stream' });
    const racer = await KurrentDbEventStore.fromClient(client.asClient());
    const original = client.appendToStream.bind(client);
    let calls = 0;
    client.appendToStream = async (...args: Parameters<typeof original>) => {
      // Another writer appends between our read of the tip and our append.
      if (calls++ === 0) await racer.appendToStream('s', [testEvent('B')], { expectedRevision: 0 });
      return original(...args);
    };
    await store.appendToStream('s', [testEvent('C')], { expectedRevision: 'any' });
    expect(calls).toBe(3); // refused attempt (after the racing write), the racer's own append, the retry
    expect((await store.readStream('s')).map((e) => [e.type, e.streamRevision])).toEqual([
      ['A', 0],
      ['B', 1],
      ['C', 2],
    ]);
    expect(await verifyStore(store)).toMatchObject({ ok: true, checkedEvents: 3 });
  });

  it('maps a refused exact revision to WrongExpectedRevisionError with the actual revision', async () => {
    await store.appendToStream('s', [testEvent('A')], { expectedRevision: 'no_stream' });
    const racer = await KurrentDbEventStore.fromClient(client.asClient());
    const original = client.appendToStream.bind(client);
    let raced = false;
    client.appendToStream = async (...args: Parameters<typeof original>) => {
      if (!raced) {
        raced = true;
        await racer.appendToStream('s', [testEvent('B')], { expectedRevision: 0 });
      }
      return original(...args);
    };
    await expect(store.appendToStream('s', [testEvent('C')], { expectedRevision: 0 })).rejects.toMatchObject({
      name: 'WrongExpectedRevisionError',
      expected: 0,
      actual: 1,
    });
  });

  it('keeps checkpoints in a capped regular stream', async () => {
    const checkpoints = new KurrentDbCheckpointStore(client.asClient());
    expect(await checkpoints.load('projection')).toBeUndefined();
    await checkpoints.save('projection', 1200);
    await checkpoints.save('projection', 1300);
    expect(await checkpoints.load('projection')).toBe(1300);
    expect(client.streamMetadata.get('registry-checkpoint-projection')).toEqual({ maxCount: 1 });
  });

  it('disposes the client on close', async () => {
    await store.close();
    expect(client.disposed).toBe(true);
  });
});
