import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Test } from '@nestjs/testing';
import { IDEMPOTENCY_STORE } from '#libs/http';
import { MongoIdempotencyStore, MongoInbox, MongooseReadStore } from '#libs/read-store';
import { reactionProvider, type ReactionConsumer } from './reactions';
import { productionStorage, storageProviders, type StorageProfile } from './storage-providers';
import { CONSUMER_INBOX, READ_STORE } from './tokens';

const url = process.env.MONGODB_URL;
if (!url) process.stdout.write('libs/hosting/src/consumer-inbox.int-spec.ts skipped: no MONGODB_URL\n');

(url ? describe : describe.skip)('the storage of the production profile', () => {
  const dbName = `inbox-wiring-${randomUUID().slice(0, 8)}`;
  let storage: StorageProfile;
  beforeAll(async () => {
    // KurrentDB cannot run here; its client connects on first use, which this test never makes.
    storage = await productionStorage(
      'staffing-elections',
      {
        kind: 'production',
        eventStoreConnectionString: 'esdb://127.0.0.1:1?tls=false',
        kafkaBrokers: [],
        mongodbUrl: url!,
      },
      { REGISTRY_READ_DATABASE: dbName },
    );
  });
  afterAll(async () => {
    await (storage.readStore as MongooseReadStore).dropDatabase();
    await storage.readStore.close();
    await storage.eventStore.close();
  });

  it('keeps the inbox, the idempotency keys and the relay checkpoints beside the read models in MongoDB', async () => {
    expect(storage.kind).toBe('production');
    expect(storage.readStore).toBeInstanceOf(MongooseReadStore);
    expect(storage.inbox).toBeInstanceOf(MongoInbox);
    expect(storage.idempotency).toBeInstanceOf(MongoIdempotencyStore);
    expect(storage.relayCheckpoints).toBe(storage.readStore.checkpoints);

    const eventId = randomUUID();
    await storage.inbox.record('staffing-elections.establishment-reactions', eventId);
    // Found on the read models' database, by a fresh connection: a restart keeps it.
    const fresh = await MongooseReadStore.connect(url!, { dbName });
    try {
      expect(await fresh.connection.collection('_inbox').countDocuments({ eventId })).toBe(1);
      expect(
        await new MongoInbox(fresh.connection).seen('staffing-elections.establishment-reactions', eventId),
      ).toBe(true);
    } finally {
      await fresh.close();
    }
  });

  it('hands its parts to the module, and the reactions decide with its inbox', async () => {
    const module = await Test.createTestingModule({
      providers: [
        ...storageProviders('staffing-elections', async () => storage),
        reactionProvider<{ type: string }>({
          name: 'establishment-reactions',
          from: 'community-establishment',
          reaction: () => [],
          inject: [],
          decide: () => async () => undefined,
        }),
      ],
    }).compile();
    expect(module.get(CONSUMER_INBOX)).toBe(storage.inbox);
    expect(module.get(IDEMPOTENCY_STORE)).toBe(storage.idempotency);
    expect(module.get(READ_STORE)).toBe(storage.readStore);
    const reactions = module.get<ReactionConsumer<{ type: string }>>('establishment-reactions');
    expect(reactions.options.inbox).toBe(storage.inbox);
    await module.close();
  });
});
