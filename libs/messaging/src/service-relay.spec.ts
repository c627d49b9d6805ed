import { topicOf } from '#libs/contracts';
import { loadCheckpoint } from '#libs/event-sourcing';
import { embeddedBus, openEmbeddedBus, startServiceRelay, type ServiceRelay } from './service-relay';
import { appendEvents, SERVICE, tempStore } from './testing/fixtures';

const TOPIC = topicOf(SERVICE);
const OTHER = 'facility-construction';
const OTHER_TOPIC = topicOf(OTHER);
const EMBEDDED = { KAFKA_BROKERS: '' } as NodeJS.ProcessEnv;

/** Resolves once `predicate` holds, checking after every turn of the event loop's timers. */
async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((r) => setTimeout(r, 5));
}

/**
 * The embedded relay keeps one checkpoint per subscriber, as a Kafka consumer group keeps its own
 * offset: a subscriber not yet subscribed, or away, has its events wait in the log.
 */
describe('the embedded relay: one checkpoint per subscriber', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  let relay: ServiceRelay | undefined;
  beforeAll(() => openEmbeddedBus());
  beforeEach(async () => (t = await tempStore()));
  afterEach(async () => {
    await relay?.close();
    relay = undefined;
    await t.cleanup();
  });

  it('a publisher with no subscriber moves no checkpoint; a subscriber that comes later gets every event', async () => {
    await appendEvents(t.store, 6, 2);
    const all = await t.store.readAll();
    relay = await startServiceRelay({ store: t.store, service: SERVICE, env: EMBEDDED });
    await new Promise((r) => setTimeout(r, 100));
    expect(relay!.position()).toBeUndefined();
    expect(loadCheckpoint(t.store.db, `relay:${SERVICE}`)).toBeUndefined();

    const early: string[] = [];
    const late: string[] = [];
    const stopEarly = embeddedBus.subscribe({
      name: 'early',
      topics: [TOPIC],
      handler: async (e) => void early.push(e.eventId),
    });
    await until(() => early.length === all.length);
    // The late subscriber was not subscribed while the early one took everything: nothing is lost.
    const stopLate = embeddedBus.subscribe({
      name: 'late',
      topics: [TOPIC],
      handler: async (e) => void late.push(e.eventId),
    });
    await until(() => late.length === all.length);
    expect(late).toEqual(all.map((e) => e.eventId));
    expect(early).toEqual(all.map((e) => e.eventId));
    const head = all.at(-1)!.globalPosition;
    // The checkpoint is saved (through the store's writer) after each acknowledged batch.
    await until(() => loadCheckpoint(t.store.db, `relay:${SERVICE}:late`) === head);
    await until(() => relay!.position() === head);
    await stopEarly();
    await stopLate();
  });

  it('one subscriber away holds only its own checkpoint; the other goes on, and the away one catches up', async () => {
    // Another topic: the bus is one per process, and the first test's subscribers stay known on it.
    await appendEvents(t.store, 4, 1);
    const a: string[] = [];
    const b: string[] = [];
    const stopA = embeddedBus.subscribe({
      name: 'a',
      topics: [OTHER_TOPIC],
      handler: async (e) => void a.push(e.eventId),
    });
    const stopB = embeddedBus.subscribe({
      name: 'b',
      topics: [OTHER_TOPIC],
      handler: async (e) => void b.push(e.eventId),
    });
    relay = await startServiceRelay({ store: t.store, service: OTHER, env: EMBEDDED });
    await until(() => a.length === 4 && b.length === 4);
    await stopB();
    const before = await t.store.readAll();
    await until(() => loadCheckpoint(t.store.db, `relay:${OTHER}:b`) === before[3].globalPosition);

    await appendEvents(t.store, 3, 1);
    relay!.notify();
    const all = await t.store.readAll();
    await until(() => a.length === 7);
    await until(() => loadCheckpoint(t.store.db, `relay:${OTHER}:a`) === all[6].globalPosition);
    expect(b).toHaveLength(4);
    expect(loadCheckpoint(t.store.db, `relay:${OTHER}:b`)).toBe(all[3].globalPosition);
    expect(relay!.position()).toBe(all[3].globalPosition);

    const again = embeddedBus.subscribe({
      name: 'b',
      topics: [OTHER_TOPIC],
      handler: async (e) => void b.push(e.eventId),
    });
    await until(() => b.length === 7);
    expect(b).toEqual(all.map((e) => e.eventId));
    await stopA();
    await again();
  });
});
