import { topicOf } from '#libs/contracts';
import type { RecordedEvent } from '#libs/event-sourcing';
import { ConsumerStats } from './consumer-stats';
import { InProcessBus } from './in-process-bus';
import { InMemoryInbox } from './inbox';
import { appendEvents, SERVICE, tempStore } from './testing/fixtures';

describe('ConsumerStats on the in-process bus', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => (t = await tempStore()));
  afterEach(() => t.cleanup());

  it('counts processed, duplicate, retried and dead-lettered messages, and the inbox size', async () => {
    await appendEvents(t.store, 3, 1);
    const events: RecordedEvent[] = await t.store.readAll();
    const [ok, flaky, poison] = events.map((e) => e.eventId);
    const inbox = new InMemoryInbox();
    const stats = new ConsumerStats('facility-construction.test', inbox);
    const bus = new InProcessBus();
    let flakyFailures = 2;
    bus.subscribe({
      name: stats.name,
      topics: [topicOf(SERVICE)],
      inbox,
      retries: 2,
      initialBackoffMs: 1,
      onDelivered: (outcome) => stats.delivered(outcome),
      onDeadLetter: () => stats.deadLettered++,
      handler: async (event) => {
        if (event.eventId === flaky && flakyFailures-- > 0) throw new Error('busy');
        if (event.eventId === poison) throw new Error('cannot handle');
      },
    });
    const publisher = bus.publisherFor(SERVICE);
    await publisher.publish(events);
    await publisher.publish(events.filter((e) => e.eventId === ok)); // at least once: again

    expect(stats).toMatchObject({ processed: 2, duplicates: 1, deadLettered: 1 });
    // flaky: 2 retries before it succeeded; poison: 2 retries before it was dead-lettered.
    expect(stats.retries).toBe(4);
    expect(await stats.inboxSize()).toBe(2);
    expect(bus.deadLetters.map((d) => d.consumer)).toEqual([stats.name]);
  });
});
