import type { Kafka } from 'kafkajs';
import type { RecordedEvent } from '#libs/event-sourcing';
import { toKafkaRecord } from './cloudevents-mapping';
import { InMemoryInbox, SqliteInbox } from './inbox';
import { ensureTopics, RELAY_PRODUCER_CONFIG } from './kafka-publisher';
import { dlqTopicOf, startConsumer, type DeadLetterInfo } from './kafka-consumer';
import { appendEvents, SERVICE, tempStore, waitFor } from './testing/fixtures';
import { describeWithKafka, readTopic, uniqueTopic, useKafka } from './testing/real-kafka';

jest.setTimeout(120_000);

async function createTopic(kafka: Kafka, topic: string, numPartitions = 1) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(admin, [{ topic, numPartitions, replicationFactor: 1 }]);
  } finally {
    await admin.disconnect();
  }
}

async function produce(
  kafka: Kafka,
  topic: string,
  records: { key: string; value: string; headers: Record<string, string> }[],
) {
  const producer = kafka.producer({ ...RELAY_PRODUCER_CONFIG });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: records });
  } finally {
    await producer.disconnect();
  }
}

async function someEvents(count: number): Promise<RecordedEvent[]> {
  const t = await tempStore();
  try {
    await appendEvents(t.store, count, 1);
    return await t.store.readAll();
  } finally {
    await t.cleanup();
  }
}

describeWithKafka('consumers in consumer groups on a real Kafka broker', () => {
  const { kafka } = useKafka();

  it('drops an event id the inbox has seen: the same message delivered twice is handled once', async () => {
    const topic = uniqueTopic('inbox');
    await createTopic(kafka(), topic);
    const [a, b] = await someEvents(2);
    const ra = toKafkaRecord(a, SERVICE);
    await produce(kafka(), topic, [ra, ra, toKafkaRecord(b, SERVICE), ra]);

    const inbox = SqliteInbox.open(':memory:');
    const handled: string[] = [];
    const duplicates: string[] = [];
    const consumer = await startConsumer({
      kafka: kafka(),
      groupId: `inbox-${topic}`,
      topics: [topic],
      inbox,
      handler: async (event) => void handled.push(event.eventId),
      onDuplicate: (id) => duplicates.push(id),
    });
    try {
      await waitFor('4 deliveries', () => handled.length + duplicates.length === 4, 60_000);
      expect(handled).toEqual([a.eventId, b.eventId]);
      expect(duplicates).toEqual([a.eventId, a.eventId]);
      expect(await inbox.seen(`inbox-${topic}`, a.eventId)).toBe(true);
    } finally {
      await consumer.stop();
      inbox.close();
    }
  });

  it('dead-letters a message that keeps failing, with the reason, and the partition moves on', async () => {
    const topic = uniqueTopic('dlq');
    await createTopic(kafka(), topic, 1);
    const [poison, next, last] = await someEvents(3);
    const poisonRecord = toKafkaRecord(poison, SERVICE);
    await produce(kafka(), topic, [
      poisonRecord,
      toKafkaRecord(next, SERVICE),
      { key: 'garbage', value: 'not a cloudevent', headers: {} },
      toKafkaRecord(last, SERVICE),
    ]);

    const attempts: number[] = [];
    const handled: string[] = [];
    const dead: DeadLetterInfo[] = [];
    const groupId = `dlq-${topic}`;
    const consumer = await startConsumer({
      kafka: kafka(),
      groupId,
      topics: [topic],
      inbox: new InMemoryInbox(),
      retries: 3,
      initialBackoffMs: 20,
      maxBackoffMs: 100,
      onDeadLetter: (d) => dead.push(d),
      handler: async (event, ctx) => {
        if (event.eventId === poison.eventId) {
          attempts.push(ctx.attempt);
          throw new Error('committee 雁南 unknown to this system');
        }
        handled.push(event.eventId);
      },
    });
    try {
      await waitFor('the messages after the poison one', () => handled.length === 2, 60_000);
      expect(handled).toEqual([next.eventId, last.eventId]);
      expect(attempts).toEqual([1, 2, 3, 4]);
      expect(dead.map((d) => d.dlqTopic)).toEqual([dlqTopicOf(topic), dlqTopicOf(topic)]);

      const dlq = await readTopic(kafka(), dlqTopicOf(topic), 2);
      const h = (i: number, name: string) => dlq[i].message.headers?.[name]?.toString();
      // the failing event, with every original header and the dead-letter headers
      expect(dlq[0].message.key?.toString()).toBe(poison.streamId);
      expect(dlq[0].message.value?.toString()).toBe(poisonRecord.value);
      for (const [name, value] of Object.entries(poisonRecord.headers)) expect(h(0, name)).toBe(value);
      expect(h(0, 'dlq_reason')).toBe('Error: committee 雁南 unknown to this system');
      expect(h(0, 'dlq_consumer')).toBe(groupId);
      expect(new Date(h(0, 'dlq_failed_at')!).toISOString()).toBe(h(0, 'dlq_failed_at'));
      expect(h(0, 'dlq_topic')).toBe(topic);
      expect(h(0, 'dlq_offset')).toBe('0');
      expect(h(0, 'dlq_attempts')).toBe('4');
      // a record that is no CloudEvent goes straight to the dead-letter topic
      expect(h(1, 'dlq_reason')).toMatch(/^undecodable: /);
      expect(dlq[1].message.value?.toString()).toBe('not a cloudevent');
    } finally {
      await consumer.stop();
    }
  });
});
