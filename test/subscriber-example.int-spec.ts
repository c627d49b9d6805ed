import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSubscriber, type ChainBreakReport } from '../examples/subscriber/subscriber';
import { toKafkaRecord } from '../libs/messaging/src/cloudevents-mapping';
import {
  ensureTopics,
  KafkaEventPublisher,
  RELAY_PRODUCER_CONFIG,
} from '../libs/messaging/src/kafka-publisher';
import { startRelay } from '../libs/messaging/src/relay';
import { appendEvents, SERVICE, tempStore, waitFor } from '../libs/messaging/src/testing/fixtures';
import { describeWithKafka, uniqueTopic, useKafka } from '../libs/messaging/src/testing/real-kafka';

jest.setTimeout(120_000);

describeWithKafka('examples/subscriber against a real Kafka broker', () => {
  const { kafka, brokers } = useKafka();

  it('keeps a verified copy of the relayed events and reports a tampered one', async () => {
    const t = await tempStore();
    const dir = mkdtempSync(join(tmpdir(), 'registry-subscriber-'));
    const topic = uniqueTopic('subscriber');
    const admin = kafka().admin();
    await admin.connect();
    await ensureTopics(admin, [{ topic, numPartitions: 2, replicationFactor: 1 }]);
    await admin.disconnect();
    const publisher = await KafkaEventPublisher.connect(kafka(), { service: SERVICE, topic });
    const breaks: ChainBreakReport[] = [];
    const subscriber = await startSubscriber({
      brokers: brokers(),
      topic,
      groupId: `copy-${topic}`,
      databaseFile: join(dir, 'copy.sqlite'),
      onBreak: (r) => breaks.push(r),
    });
    try {
      const [stream] = await appendEvents(t.store, 12, 3);
      const relay = startRelay({ store: t.store, service: SERVICE, publisher });
      await relay.caughtUp;
      await relay.stop();
      await waitFor('12 verified events', () => subscriber.copy.count() === 12, 60_000);
      expect(breaks).toEqual([]);

      // A forged next event of one stream: it links to the real tip, but its data was changed after hashing.
      await appendEvents(t.store, 1, 1, stream.replace(/-0$/, ''));
      const [forged] = await t.store.readStream(stream, { direction: 'backwards', maxCount: 1 });
      const record = toKafkaRecord({ ...forged, data: { tampered: true } }, SERVICE);
      const producer = kafka().producer({ ...RELAY_PRODUCER_CONFIG });
      await producer.connect();
      await producer.send({ topic, acks: -1, messages: [record] });
      await producer.disconnect();
      await waitFor('a reported break', () => breaks.length === 1, 60_000);
      expect(breaks[0]).toMatchObject({ reason: 'hash-mismatch', streamId: stream, eventId: forged.eventId });
      expect(subscriber.copy.breaks()).toHaveLength(1);
      expect(subscriber.copy.count()).toBe(12);
    } finally {
      await subscriber.stop();
      await publisher.disconnect();
      await t.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
