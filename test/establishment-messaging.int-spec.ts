import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import mongoose from 'mongoose';
import { topicOf } from '#libs/contracts';
import { createServiceApp, type RunningService } from '#libs/http';
import { fromKafkaRecord } from '#libs/messaging';
import { CommunityEstablishmentModule } from '../apps/community-establishment/src/community-establishment.module';
import { establishmentService } from '../apps/community-establishment/src/main';
import { RegistryClient } from '../scripts/demo-story';
import { demoTokens } from '../scripts/demo';

/**
 * A command through HTTP becomes, within a bounded time, a CloudEvent on the service's Kafka
 * topic and a projected document in MongoDB (FerretDB here), both on the real servers of the
 * integration run.
 */
const real = process.env.KAFKA_BROKERS && process.env.MONGODB_URL;
if (!real) process.stdout.write('test/establishment-messaging.int-spec.ts skipped: no real Kafka/MongoDB\n');

(real ? describe : describe.skip)('establishment service on real Kafka and FerretDB', () => {
  const BOUND_MS = 15_000;
  const database = `it-${randomUUID().slice(0, 8)}`;
  let dataDir: string;
  let service: RunningService;
  let consumer: Consumer;
  const received = new Map<string, ReturnType<typeof fromKafkaRecord>>();

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'registry-it-'));
    process.env.REGISTRY_DATA_DIR = dataDir;
    process.env.REGISTRY_READ_DATABASE = database;
    service = await createServiceApp(CommunityEstablishmentModule, {
      ...establishmentService(),
      port: 0,
      logLevels: false,
    });
    const kafka = new Kafka({
      clientId: 'it',
      brokers: process.env.KAFKA_BROKERS!.split(','),
      logLevel: logLevel.NOTHING,
    });
    consumer = kafka.consumer({ groupId: `it-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic: topicOf('community-establishment'), fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const decoded = fromKafkaRecord(message);
        received.set(decoded.event.eventId, decoded);
      },
    });
  }, 120_000);

  afterAll(async () => {
    await consumer?.disconnect();
    await service?.close();
    delete process.env.REGISTRY_READ_DATABASE;
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  const within = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
    const deadline = Date.now() + BOUND_MS;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`${what} not seen within ${BOUND_MS} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('publishes the decision as a CloudEvent and projects it into MongoDB', async () => {
    const api = new RegistryClient(service.url);
    const tokens = await demoTokens();
    const res = await api.post('/api/districts/chengguan/committees', tokens.chengguan, {
      effectiveAt: '2010-09-01',
      legalBasis: '城关区政发〔2010〕88号',
      communityId: 'cg-yannan',
      committeeId: 'cg-yannan-rc',
      name: '雁南社区居民委员会',
      newAreas: [
        {
          areaId: 'cg-yannan-old',
          name: '雁南老街区',
          kind: 'existing-town-area',
          subDistrict: '雁南街道',
          households: 500,
        },
      ],
    });
    expect(res.status).toBe(201);
    const established = res.body.events.find((e: { type: string }) => e.type === 'CommitteeEstablished');

    const message = await within('the Kafka message', async () => received.get(established.eventId));
    expect(message.event).toMatchObject({
      eventId: established.eventId,
      type: 'CommitteeEstablished',
      streamId: 'district-chengguan',
      hash: established.hash,
      data: { communityId: 'cg-yannan', committeeId: 'cg-yannan-rc' },
      metadata: { legalBasis: '城关区政发〔2010〕88号', effectiveAt: '2010-09-01' },
    });
    expect(message.event.metadata.ruleIds).toContain('EST-8');
    expect(message.event.metadata.actor.subject).toBe('official-li-cg');
    for (const e of res.body.events) await within(`message ${e.type}`, async () => received.get(e.eventId));

    // The same record read by Debian's kcat, a plain command-line client (installed by .ci/run).
    const kcat = spawnSync(
      'kcat',
      [
        '-C',
        '-b',
        process.env.KAFKA_BROKERS!,
        '-t',
        topicOf('community-establishment'),
        '-o',
        'beginning',
        '-e',
        '-q',
        '-f',
        '%k\t%h\n',
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(kcat.status).toBe(0);
    const line = kcat.stdout.split('\n').find((l) => l.includes(`ce_id=${established.eventId}`));
    expect(line).toBeDefined();
    expect(line!.split('\t')[0]).toBe('district-chengguan');
    expect(line).toContain('ce_type=CommitteeEstablished.v1');
    expect(line).toContain('ce_source=/lanzhou/registry/community-establishment');

    const conn = await mongoose.createConnection(process.env.MONGODB_URL!, { dbName: database }).asPromise();
    try {
      const doc = await within('the projected community', async () => {
        const found = await conn
          .db!.collection('communities')
          .findOne({ _id: 'chengguan/cg-yannan' as never });
        return found ?? undefined;
      });
      expect(doc).toMatchObject({ name: '雁南社区居民委员会', status: 'active', areaIds: ['cg-yannan-old'] });
      const area = await conn.db!.collection('areas').findOne({ _id: 'chengguan/cg-yannan-old' as never });
      expect(area).toMatchObject({ responsibleBody: { kind: 'own-committee', communityId: 'cg-yannan' } });
    } finally {
      await conn.close();
    }
  }, 60_000);
});
