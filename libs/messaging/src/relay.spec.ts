import { SqliteCheckpointStore, type RecordedEvent } from '#libs/event-sourcing';
import { topicOf } from '#libs/contracts';
import type { EventPublisher } from './event-publisher';
import { InProcessBus } from './in-process-bus';
import { startRelay } from './relay';
import { appendEvents, SERVICE, tempStore, waitFor } from './testing/fixtures';

const TOPIC = topicOf(SERVICE);

describe('startRelay', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => (t = await tempStore()));
  afterEach(() => t.cleanup());

  it('publishes the whole log in order, in bounded batches, and checkpoints the last acknowledged event', async () => {
    await appendEvents(t.store, 23, 3);
    const batches: number[] = [];
    const received: RecordedEvent[] = [];
    const publisher: EventPublisher = {
      publish: async (batch) => {
        batches.push(batch.length);
        received.push(...batch);
      },
    };
    const relay = startRelay({ store: t.store, service: SERVICE, publisher, batchSize: 5 });
    await relay.caughtUp;
    await relay.stop();
    const all = await t.store.readAll();
    expect(received.map((e) => e.eventId)).toEqual(all.map((e) => e.eventId));
    expect(Math.max(...batches)).toBeLessThanOrEqual(5);
    const checkpoints = new SqliteCheckpointStore(t.store.db);
    expect(await checkpoints.load(`relay:${SERVICE}`)).toBe(all[all.length - 1].globalPosition);
  });

  it('saves no checkpoint past an unacknowledged batch, retries it, and loses nothing', async () => {
    await appendEvents(t.store, 10, 2);
    const checkpoints = new SqliteCheckpointStore(t.store.db);
    const received: string[] = [];
    let failuresLeft = 3;
    const checkpointsSeenWhileFailing: (number | undefined)[] = [];
    const publisher: EventPublisher = {
      publish: async (batch) => {
        if (failuresLeft > 0) {
          failuresLeft--;
          checkpointsSeenWhileFailing.push(await checkpoints.load('r'));
          throw new Error('broker unavailable');
        }
        received.push(...batch.map((e) => e.eventId));
      },
    };
    const errors: number[] = [];
    const relay = startRelay({
      store: t.store,
      service: SERVICE,
      publisher,
      subscriptionId: 'r',
      batchSize: 4,
      initialBackoffMs: 5,
      onError: (_e, attempt) => errors.push(attempt),
    });
    await relay.caughtUp;
    await relay.stop();
    expect(errors).toEqual([1, 2, 3]);
    expect(checkpointsSeenWhileFailing).toEqual([undefined, undefined, undefined]);
    expect(received).toEqual((await t.store.readAll()).map((e) => e.eventId));
  });

  it('reports the recovery after failures even when it has nothing left to publish (readiness)', async () => {
    await appendEvents(t.store, 2, 1);
    let readFailures = 2;
    const store = {
      readAll: async (options: Parameters<typeof t.store.readAll>[0]) => {
        if (readFailures-- > 0) throw new Error('store busy');
        return t.store.readAll(options);
      },
    };
    const seen: string[] = [];
    const relay = startRelay({
      store,
      service: SERVICE,
      publisher: { publish: async () => undefined },
      checkpoints: new SqliteCheckpointStore(t.store.db),
      initialBackoffMs: 1,
      onError: () => seen.push('error'),
      onPublished: (batch) => seen.push(`published ${batch.length}`),
      onRecovered: () => seen.push('recovered'),
    });
    await relay.caughtUp;
    await relay.stop();
    expect(seen).toEqual(['error', 'error', 'published 2', 'recovered']);
  });

  it('resumes after its checkpoint when restarted, and follows new appends', async () => {
    await appendEvents(t.store, 7, 2);
    const received: string[] = [];
    const publisher: EventPublisher = {
      publish: async (b) => void received.push(...b.map((e) => e.eventId)),
    };
    const first = startRelay({ store: t.store, service: SERVICE, publisher, subscriptionId: 'r' });
    await first.caughtUp;
    await first.stop();
    await appendEvents(t.store, 5, 2);
    const reopened = await t.reopen();
    const second = startRelay({
      store: reopened,
      service: SERVICE,
      publisher,
      subscriptionId: 'r',
      pollIntervalMs: 10,
    });
    await second.caughtUp;
    await appendEvents(reopened, 3, 1);
    second.notify();
    await waitFor('15 events', () => received.length === 15);
    await second.stop();
    expect(received).toEqual((await reopened.readAll()).map((e) => e.eventId));
  });

  it('feeds the in-process bus with the same contract: redelivery is dropped by the inbox, a poison event is dead-lettered', async () => {
    await appendEvents(t.store, 6, 2);
    const bus = new InProcessBus();
    const handled: string[] = [];
    const all = await t.store.readAll();
    const poison = all[2].eventId;
    bus.subscribe({
      name: 'civil-affairs',
      topics: [TOPIC],
      retries: 2,
      initialBackoffMs: 1,
      handler: async (event, ctx) => {
        expect(ctx.source).toBe(`/lanzhou/registry/${SERVICE}`);
        if (event.eventId === poison) throw new Error('cannot handle this one');
        handled.push(event.eventId);
      },
    });
    const publisher = bus.publisherFor(SERVICE);
    const relay = startRelay({ store: t.store, service: SERVICE, publisher, subscriptionId: 'r' });
    await relay.caughtUp;
    await relay.stop();
    // A crash before the checkpoint: the relay publishes the same events again.
    await publisher.publish(all);
    expect(handled).toEqual(all.filter((e) => e.eventId !== poison).map((e) => e.eventId));
    const dead = bus.deadLettersOf(`${TOPIC}.dlq`);
    expect(dead).toHaveLength(2); // the poison event, once per delivery: it was never handled
    expect(dead[0]).toMatchObject({
      consumer: 'civil-affairs',
      attempts: 3,
      reason: 'Error: cannot handle this one',
    });
    expect(dead[0].record.headers.ce_id).toBe(poison);
  });
});
