import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type FactoryProvider } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { District } from '#libs/contracts';
import type { EventStore } from '#libs/event-sourcing';
import type { Inbox } from '#libs/messaging';
import { MongoInbox, MongooseReadStore } from '#libs/read-store';
import { EstablishmentReactionsBase } from './establishment-reactions';
import { storageProviders } from './storage-providers';
import { CONSUMER_INBOX, EVENT_STORE } from './tokens';

const url = process.env.MONGODB_URL;
if (!url) process.stdout.write('libs/hosting/src/consumer-inbox.int-spec.ts skipped: no MONGODB_URL\n');

/**
 * The event store of the production profile is remote (KurrentDB, which cannot run here): the
 * inbox's choice depends only on its not being the embedded SQLite store.
 */
const remoteEventStore = { readAll: async () => [] } as unknown as EventStore;

@Injectable()
class Reactions extends EstablishmentReactionsBase<{ type: string }> {
  constructor(@Inject(EVENT_STORE) store: EventStore) {
    super('staffing-elections', store);
  }
  protected commandsFor(): readonly { type: string }[] {
    return [];
  }
  protected decide(_district: District, _command: { type: string }): Promise<unknown> {
    return Promise.resolve();
  }
  /** The inbox its consumer will use. */
  get inboxInUse(): Inbox | undefined {
    return (this as unknown as { inbox?: Inbox }).inbox;
  }
}

(url ? describe : describe.skip)('the consumer inbox of the production profile', () => {
  let readStore: MongooseReadStore;
  beforeAll(async () => {
    readStore = await MongooseReadStore.connect(url!, { dbName: `inbox-wiring-${randomUUID().slice(0, 8)}` });
  });
  afterAll(async () => {
    await readStore.dropDatabase();
    await readStore.close();
  });

  it('is in MongoDB beside the read models when the event store is remote, and the reactions use it', async () => {
    const provider = storageProviders('staffing-elections').find(
      (p): p is FactoryProvider => typeof p === 'object' && 'provide' in p && p.provide === CONSUMER_INBOX,
    );
    const inbox = (await provider!.useFactory(remoteEventStore, readStore)) as Inbox;
    expect(inbox).toBeInstanceOf(MongoInbox);

    const eventId = randomUUID();
    await inbox.record('staffing-elections.establishment-reactions', eventId);
    // Found on the read models' database, by a fresh connection's inbox: a restart keeps it.
    expect(await readStore.connection.collection('_inbox').countDocuments({ eventId })).toBe(1);

    const module = await Test.createTestingModule({
      providers: [
        { provide: EVENT_STORE, useValue: remoteEventStore },
        { provide: CONSUMER_INBOX, useValue: inbox },
        Reactions,
      ],
    }).compile();
    expect(module.get(Reactions).inboxInUse).toBe(inbox);
    await module.close();
  });
});
