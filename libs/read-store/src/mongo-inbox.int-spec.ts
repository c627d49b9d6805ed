import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '#libs/event-sourcing';
import { deliver } from '#libs/messaging';
import { MongoInbox } from './mongo-inbox';
import { MongooseReadStore } from './mongoose-read-store';

const url = process.env.MONGODB_URL;
if (!url) process.stdout.write('libs/read-store/src/mongo-inbox.int-spec.ts skipped: no MONGODB_URL\n');

const CONSUMER = 'staffing-elections.establishment-reactions';

/** What `deliver` reads of an event: its id (the handler gets it whole). */
const eventWithId = (eventId: string) => ({ eventId }) as RecordedEvent;

/*
 * No event handled twice after a restart: the production profile's consumer inbox is durable in
 * MongoDB, beside the read models (FerretDB 1.x in the tests: single-document writes, no transactions).
 */
(url ? describe : describe.skip)('MongoInbox on a real MongoDB-compatible server', () => {
  const dbName = `inbox-${randomUUID().slice(0, 8)}`;
  const opened: MongooseReadStore[] = [];
  /** A connection of its own, as a service (re)started would open. */
  const connect = async () => {
    const readStore = await MongooseReadStore.connect(url!, { dbName });
    opened.push(readStore);
    return readStore;
  };
  afterAll(async () => {
    await opened.at(-1)?.dropDatabase();
    for (const s of opened) await s.close();
  });

  it('keeps what a consumer handled across a new connection (a service restart), per consumer', async () => {
    const before = await connect();
    const inbox = new MongoInbox(before.connection, () => new Date('2026-12-03T08:00:00.000Z'));
    const [a, b] = [randomUUID(), randomUUID()];
    expect(await inbox.seen(CONSUMER, a)).toBe(false);
    await inbox.record(CONSUMER, a);
    await inbox.record(CONSUMER, b);
    await inbox.record(CONSUMER, a); // handled twice: still one entry, the first time kept
    await before.close();

    const after = new MongoInbox((await connect()).connection);
    expect(await after.seen(CONSUMER, a)).toBe(true);
    expect(await after.seen(CONSUMER, b)).toBe(true);
    expect(await after.seen(CONSUMER, randomUUID())).toBe(false);
    expect(await after.seen('facility-construction.establishment-reactions', a)).toBe(false);
    expect(await after.size(CONSUMER)).toBe(2);
    const entry = await opened[1].connection.collection('_inbox').findOne({ consumer: CONSUMER, eventId: a });
    expect(entry).toMatchObject({ handledAt: '2026-12-03T08:00:00.000Z' });
  });

  it('recognises a replayed message after a restart: the reaction does not run again', async () => {
    const event = eventWithId(randomUUID());
    const context = {
      topic: 'lanzhou.registry.community-establishment.events.v1',
      partition: 0,
      offset: '7',
    };
    const runs: string[] = [];
    const handler = async (e: RecordedEvent) => void runs.push(e.eventId);
    const first = await deliver(
      CONSUMER,
      event,
      { ...context, source: 'x' },
      handler,
      new MongoInbox((await connect()).connection),
    );
    expect(first).toEqual({ kind: 'handled', attempts: 1 });

    // The service restarts (a new connection) and Kafka delivers the same record again.
    const replayed = await deliver(
      CONSUMER,
      event,
      { ...context, source: 'x' },
      handler,
      new MongoInbox((await connect()).connection),
    );
    expect(replayed).toEqual({ kind: 'duplicate' });
    expect(runs).toEqual([event.eventId]);
  });
});
