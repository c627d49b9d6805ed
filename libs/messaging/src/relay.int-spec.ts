import type { Kafka } from 'kafkajs';
import { ceSourceOf } from '#libs/contracts';
import { computeEventHash, SqliteCheckpointStore, type RecordedEvent } from '#libs/event-sourcing';
import { fromKafkaRecord } from './cloudevents-mapping';
import type { EventPublisher } from './event-publisher';
import { ensureTopics, KafkaEventPublisher } from './kafka-publisher';
import { startRelay } from './relay';
import { appendEvents, SERVICE, tempStore } from './testing/fixtures';
import { describeWithKafka, readTopic, uniqueTopic, useKafka, type ReadRecord } from './testing/real-kafka';

jest.setTimeout(120_000);

async function createTopic(kafka: Kafka, topic: string, numPartitions: number) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const result = await ensureTopics(admin, [{ topic, numPartitions, replicationFactor: 1 }]);
    expect(result.created).toEqual([topic]);
    const again = await ensureTopics(admin, [
      { topic, numPartitions: numPartitions + 1, replicationFactor: 1 },
    ]);
    expect(again).toEqual({
      created: [],
      existing: [topic],
      mismatched: [{ topic, expected: numPartitions + 1, actual: numPartitions }],
    });
  } finally {
    await admin.disconnect();
  }
}

/** Every stored event is on the topic; per key, in stream order; each decodes to the stored event. */
function expectComplete(records: ReadRecord[], stored: RecordedEvent[]) {
  const decoded = records.map((r) => ({ partition: r.partition, ...fromKafkaRecord(r.message) }));
  const ids = new Set(decoded.map((d) => d.event.eventId));
  expect(ids.size).toBe(stored.length);
  for (const e of stored) expect(ids.has(e.eventId)).toBe(true);
  const byStream = new Map<string, number[]>();
  const partitionOf = new Map<string, number>();
  for (const d of decoded) {
    byStream.set(d.event.streamId, [...(byStream.get(d.event.streamId) ?? []), d.event.streamRevision]);
    expect(partitionOf.get(d.event.streamId) ?? d.partition).toBe(d.partition);
    partitionOf.set(d.event.streamId, d.partition);
    expect(d.source).toBe(ceSourceOf(SERVICE));
  }
  for (const revisions of byStream.values()) {
    // non-decreasing: a redelivered batch may repeat revisions, never go back before them
    const firstSeen = revisions.filter((r, i) => revisions.indexOf(r) === i);
    expect(firstSeen).toEqual([...firstSeen].sort((a, b) => a - b));
    expect(firstSeen).toEqual(firstSeen.map((_, i) => i));
  }
  return decoded;
}

describeWithKafka('relay to a real Kafka broker', () => {
  const { kafka } = useKafka();

  it('publishes every appended event, keyed by stream, in order per key, as CloudEvents', async () => {
    const t = await tempStore();
    const topic = uniqueTopic('relay');
    const publisher = await KafkaEventPublisher.connect(kafka(), { service: SERVICE, topic });
    try {
      await createTopic(kafka(), topic, 3);
      await appendEvents(t.store, 60, 5);
      const relay = startRelay({ store: t.store, service: SERVICE, publisher, batchSize: 16 });
      await relay.caughtUp;
      await relay.stop();
      const stored = await t.store.readAll();
      const records = await readTopic(kafka(), topic, stored.length);
      const decoded = expectComplete(records, stored);
      expect(records).toHaveLength(stored.length); // a clean run publishes each event once
      for (const d of decoded) {
        const original = stored.find((e) => e.eventId === d.event.eventId)!;
        expect(d.event).toStrictEqual(original);
        expect(records.find((r) => r.message.key!.toString() === original.streamId)).toBeDefined();
        expect(await computeEventHash(d.event)).toBe(original.hash);
      }
      const checkpoint = await new SqliteCheckpointStore(t.store.db).load(`relay:${SERVICE}`);
      expect(checkpoint).toBe(stored[stored.length - 1].globalPosition);
    } finally {
      await publisher.disconnect();
      await t.cleanup();
    }
  });

  it('resumes from its checkpoint after a restart, and after a crash between ack and checkpoint', async () => {
    const t = await tempStore();
    const topic = uniqueTopic('restart');
    const kafkaPublisher = await KafkaEventPublisher.connect(kafka(), { service: SERVICE, topic });
    try {
      await createTopic(kafka(), topic, 2);
      await appendEvents(t.store, 30, 3);

      // First run: the broker acknowledges the 2nd batch, then the relay "crashes" before saving.
      let batches = 0;
      const crashing: EventPublisher = {
        publish: async (batch) => {
          await kafkaPublisher.publish(batch);
          if (++batches === 2) throw new Error('crash after the acknowledgement');
        },
      };
      const first = startRelay({
        store: t.store,
        service: SERVICE,
        publisher: crashing,
        subscriptionId: 'relay-restart',
        batchSize: 8,
        initialBackoffMs: 10,
      });
      await first.caughtUp;
      await first.stop();

      // More appends while no relay runs, then a new relay on a reopened store.
      await appendEvents(t.store, 20, 3);
      const reopened = await t.reopen();
      const second = startRelay({
        store: reopened,
        service: SERVICE,
        publisher: kafkaPublisher,
        subscriptionId: 'relay-restart',
        batchSize: 8,
      });
      await second.caughtUp;
      await second.stop();
      expect(second.published()).toBe(20);

      const stored = await reopened.readAll();
      const records = await readTopic(kafka(), topic, stored.length + 8);
      expectComplete(records, stored);
      // The crashed batch went out twice; nothing else did.
      expect(records).toHaveLength(stored.length + 8);
    } finally {
      await kafkaPublisher.disconnect();
      await t.cleanup();
    }
  });
});
