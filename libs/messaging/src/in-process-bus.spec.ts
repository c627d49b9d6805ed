import { topicOf } from '#libs/contracts';
import { loadCheckpoint, type RecordedEvent } from '#libs/event-sourcing';
import { InProcessBus, SubscriberUnavailable } from './in-process-bus';
import { InMemoryInbox } from './inbox';
import { startRelay } from './relay';
import { appendEvents, SERVICE, tempStore } from './testing/fixtures';

const TOPIC = topicOf(SERVICE);

/** A promise and its resolve, to hold a handler at a chosen event. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('the embedded bus never lets a checkpoint pass an event a subscriber has not handled', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => (t = await tempStore()));
  afterEach(() => t.cleanup());

  it('a subscriber stopping mid-batch: its delivery in flight ends, the rest stays unpublished, and reaches it after it subscribes again', async () => {
    await appendEvents(t.store, 10, 1);
    const all = await t.store.readAll();
    const bus = new InProcessBus();
    const inbox = new InMemoryInbox();
    const handled: string[] = [];
    const atThird = gate();
    const release = gate();
    const stop = bus.subscribe({
      name: 'staffing-elections.establishment-reactions',
      topics: [TOPIC],
      inbox,
      handler: async (event) => {
        if (event.eventId === all[2].eventId) {
          atThird.open();
          await release.opened;
        }
        handled.push(event.eventId);
      },
    });
    const relayOptions = {
      store: t.store,
      service: SERVICE,
      publisher: bus.publisherFor(SERVICE),
      subscriptionId: 'relay:test',
      initialBackoffMs: 5,
      maxBackoffMs: 20,
    };
    const errors: unknown[] = [];
    const relay = startRelay({ ...relayOptions, onError: (error) => errors.push(error) });
    await atThird.opened;

    // The subscriber stops while the third event is in its hands: the stop waits for it.
    let stopped = false;
    const stopping = (async () => {
      await stop();
      stopped = true;
    })();
    await new Promise((r) => setImmediate(r));
    expect(stopped).toBe(false);
    release.open();
    await stopping;
    expect(handled).toEqual(all.slice(0, 3).map((e) => e.eventId));

    // The relay is refused from the fourth event on and keeps its checkpoint before it.
    while (errors.length === 0) await new Promise((r) => setTimeout(r, 5));
    await relay.stop();
    expect(errors[0]).toBeInstanceOf(SubscriberUnavailable);
    expect((errors[0] as SubscriberUnavailable).eventId).toBe(all[3].eventId);
    expect(loadCheckpoint(t.store.db, 'relay:test') ?? 0).toBeLessThan(all[3].globalPosition);

    // Subscribed again (a restart): the relay publishes what was refused; the inbox drops the rest.
    bus.subscribe({
      name: 'staffing-elections.establishment-reactions',
      topics: [TOPIC],
      inbox,
      handler: async (event: RecordedEvent) => void handled.push(event.eventId),
    });
    const again = startRelay(relayOptions);
    await again.caughtUp;
    await again.stop();
    expect(handled).toEqual(all.map((e) => e.eventId));
    expect(loadCheckpoint(t.store.db, 'relay:test')).toBe(all[9].globalPosition);
    expect(bus.deadLetters).toEqual([]);
  });

  it('a handler failing because its subscriber is stopping is a refused publish, never a dead letter', async () => {
    await appendEvents(t.store, 1, 1);
    const [event] = await t.store.readAll();
    const bus = new InProcessBus();
    let stopping: Promise<void> | undefined;
    const stop = bus.subscribe({
      name: 'facility-construction.establishment-reactions',
      topics: [TOPIC],
      retries: 3,
      initialBackoffMs: 5,
      handler: async () => {
        stopping ??= stop();
        throw new Error('the event store is closed');
      },
    });
    const refused = bus.publisherFor(SERVICE).publish([event]);
    await expect(refused).rejects.toBeInstanceOf(SubscriberUnavailable);
    await stopping;
    expect(bus.deadLetters).toEqual([]);
  });

  it('a subscriber stays known after it stops: one of two subscribers away refuses the publish', async () => {
    await appendEvents(t.store, 1, 1);
    const [event] = await t.store.readAll();
    const bus = new InProcessBus();
    const handled: string[] = [];
    bus.subscribe({ name: 'a', topics: [TOPIC], handler: async (e) => void handled.push(e.eventId) });
    const stopB = bus.subscribe({ name: 'b', topics: [TOPIC], handler: async () => undefined });
    await stopB();
    await expect(bus.publisherFor(SERVICE).publish([event])).rejects.toThrow(
      /subscriber b has not handled event .*: it is not subscribed/,
    );
    // Still one subscription per name among those subscribed.
    expect(() => bus.subscribe({ name: 'a', topics: [TOPIC], handler: async () => undefined })).toThrow(
      /already exists/,
    );
  });
});
