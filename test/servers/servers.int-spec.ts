import { randomUUID } from 'node:crypto';
import { startServers, type RunningServers } from './servers';

/**
 * Proves the real-server scripts: a Kafka 3.9.x broker and FerretDB 1.24.x started on loopback,
 * one message produced and consumed with kafkajs, one document written and read with mongoose,
 * then both stopped. Slow the first time (downloads and a Go build, cached afterwards), so it only
 * runs with REGISTRY_REAL_SERVERS=1.
 */
const enabled = process.env.REGISTRY_REAL_SERVERS === '1';
// Under npm test the global setup has started the servers (or was given them) and set it.
if (!enabled) {
  process.stdout.write('test/servers/servers.int-spec.ts skipped: set REGISTRY_REAL_SERVERS=1 to run it\n');
}
const describeReal = enabled ? describe : describe.skip;

describeReal('real test servers (Kafka KRaft + FerretDB)', () => {
  let servers: RunningServers | undefined;

  beforeAll(async () => {
    servers = await startServers();
  }, 600_000);

  afterAll(async () => {
    await servers?.stop();
  }, 120_000);

  it('produces and consumes one message with kafkajs', async () => {
    const { Kafka, logLevel } = await import('kafkajs');
    const kafka = new Kafka({
      clientId: 'servers-int-spec',
      brokers: servers!.kafkaBrokers.split(','),
      logLevel: logLevel.ERROR,
    });
    const topic = `servers-int-spec-${randomUUID()}`;
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({
        topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
        waitForLeaders: true,
      });
    } finally {
      await admin.disconnect();
    }

    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'k1', value: 'hello from the registry' }] });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: `servers-int-spec-${randomUUID()}` });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      const received = await new Promise<{ key: string; value: string }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no message within 60 s')), 60_000);
        void consumer.run({
          eachMessage: async ({ message }) => {
            clearTimeout(timer);
            resolve({ key: message.key?.toString() ?? '', value: message.value?.toString() ?? '' });
          },
        });
      });
      expect(received).toEqual({ key: 'k1', value: 'hello from the registry' });
    } finally {
      await consumer.disconnect();
    }
  }, 120_000);

  it('inserts and reads one document with mongoose', async () => {
    const mongoose = (await import('mongoose')).default;
    const conn = mongoose.createConnection(`${servers!.mongodbUrl}servers_int_spec`, {
      serverSelectionTimeoutMS: 10_000,
    });
    try {
      await conn.asPromise();
      const Committee = conn.model(
        'Committee',
        new mongoose.Schema({ code: { type: String, required: true }, name: String, residents: Number }),
      );
      await Committee.create({ code: '620102001', name: 'Dongjie community', residents: 4210 });
      const found = await Committee.findOne({ code: '620102001' }).lean();
      expect(found).toMatchObject({ code: '620102001', name: 'Dongjie community', residents: 4210 });
      await conn.dropDatabase();
    } finally {
      await conn.close(true);
    }
  }, 60_000);
});
