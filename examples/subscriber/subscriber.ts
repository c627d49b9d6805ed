/**
 * An example subscriber that a civil-affairs system can copy: it consumes one registry topic with
 * kafkajs, decodes each record (CloudEvents 1.0, Kafka binary mode), checks the per-stream hash
 * chain of what it receives, keeps its own copy in a local SQLite file, and reports a break.
 *
 * No relative imports on purpose: main.ts runs it directly under Node 24 (type stripping), and the
 * project's tests import it under jest.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { createEventHasher, GENESIS_HASH, type RecordedEvent } from '#libs/event-sourcing';
import { fromKafkaRecord } from '#libs/messaging';

export type BreakReason =
  'undecodable' | 'revision-gap' | 'previous-hash-mismatch' | 'hash-mismatch' | 'fork';

/** A break in what the subscriber received: the chain cannot be trusted from this event on. */
export interface ChainBreakReport {
  readonly reason: BreakReason;
  readonly detail: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly streamId?: string;
  readonly streamRevision?: number;
  readonly eventId?: string;
}

export interface SubscriberOptions {
  /** host:port list of the brokers. */
  readonly brokers: readonly string[];
  /** e.g. lanzhou.registry.community-establishment.events.v1 */
  readonly topic: string;
  /** The consumer group of this subscriber (one per system that keeps a copy). */
  readonly groupId: string;
  /** The local copy (SQLite file, created when missing). */
  readonly databaseFile: string;
  /** Called for every break; also stored in table chain_breaks. Default: console.error. */
  readonly onBreak?: (report: ChainBreakReport) => void;
  /** Called for every event verified and stored. */
  readonly onEvent?: (event: RecordedEvent) => void;
}

export interface RunningSubscriber {
  readonly copy: LocalCopy;
  stop(): Promise<void>;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  event_id        TEXT PRIMARY KEY,
  stream_id       TEXT NOT NULL,
  stream_revision INTEGER NOT NULL,
  global_position INTEGER NOT NULL,
  type            TEXT NOT NULL,
  schema_version  INTEGER NOT NULL,
  data            TEXT NOT NULL,
  metadata        TEXT NOT NULL,
  recorded_at     TEXT NOT NULL,
  previous_hash   TEXT NOT NULL,
  hash            TEXT NOT NULL,
  received_at     TEXT NOT NULL,
  UNIQUE (stream_id, stream_revision)
);
CREATE TABLE IF NOT EXISTS chain_breaks (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  reason          TEXT NOT NULL,
  detail          TEXT NOT NULL,
  topic           TEXT NOT NULL,
  partition       INTEGER NOT NULL,
  kafka_offset    TEXT NOT NULL,
  stream_id       TEXT,
  stream_revision INTEGER,
  event_id        TEXT,
  found_at        TEXT NOT NULL
);
`;

/** The subscriber's own copy of the events it verified, and the breaks it found. */
export class LocalCopy {
  readonly db: DatabaseSync;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new DatabaseSync(file);
    this.db.exec('PRAGMA journal_mode = WAL');
    this.db.exec('PRAGMA synchronous = FULL');
    this.db.exec(SCHEMA);
  }

  has(eventId: string): boolean {
    return this.db.prepare('SELECT 1 FROM events WHERE event_id = ?').get(eventId) !== undefined;
  }

  /** The last verified event of a stream. */
  tip(streamId: string): { revision: number; hash: string } | undefined {
    const row = this.db
      .prepare(
        'SELECT stream_revision, hash FROM events WHERE stream_id = ? ORDER BY stream_revision DESC LIMIT 1',
      )
      .get(streamId);
    return row ? { revision: Number(row.stream_revision), hash: String(row.hash) } : undefined;
  }

  store(e: RecordedEvent): void {
    this.db
      .prepare(
        `INSERT INTO events (event_id, stream_id, stream_revision, global_position, type, schema_version,
           data, metadata, recorded_at, previous_hash, hash, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        e.eventId,
        e.streamId,
        e.streamRevision,
        e.globalPosition,
        e.type,
        e.schemaVersion,
        JSON.stringify(e.data),
        JSON.stringify(e.metadata),
        e.recordedAt,
        e.previousHash,
        e.hash,
        new Date().toISOString(),
      );
  }

  recordBreak(r: ChainBreakReport): void {
    this.db
      .prepare(
        `INSERT INTO chain_breaks (reason, detail, topic, partition, kafka_offset, stream_id, stream_revision,
           event_id, found_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        r.reason,
        r.detail,
        r.topic,
        r.partition,
        r.offset,
        r.streamId ?? null,
        r.streamRevision ?? null,
        r.eventId ?? null,
        new Date().toISOString(),
      );
  }

  count(): number {
    return Number(this.db.prepare('SELECT count(*) AS n FROM events').get()!.n);
  }

  breaks(): ChainBreakReport[] {
    return this.db
      .prepare('SELECT * FROM chain_breaks ORDER BY id')
      .all()
      .map((row) => ({
        reason: row.reason as BreakReason,
        detail: String(row.detail),
        topic: String(row.topic),
        partition: Number(row.partition),
        offset: String(row.kafka_offset),
        ...(row.stream_id !== null ? { streamId: String(row.stream_id) } : {}),
        ...(row.stream_revision !== null ? { streamRevision: Number(row.stream_revision) } : {}),
        ...(row.event_id !== null ? { eventId: String(row.event_id) } : {}),
      }));
  }

  close(): void {
    this.db.close();
  }
}

/**
 * Checks one received event against the last verified event of its stream. Events of one stream
 * arrive in order (the record key is the stream id, so they share a partition); a redelivered event
 * (delivery is at least once) is recognised by its id and ignored.
 */
export function checkAgainstTip(
  event: RecordedEvent,
  tip: { revision: number; hash: string } | undefined,
  recomputedHash: string,
): { reason: BreakReason; detail: string } | undefined {
  const expectedRevision = tip ? tip.revision + 1 : 0;
  if (event.streamRevision < expectedRevision) {
    return { reason: 'fork', detail: `a second event at revision ${event.streamRevision}` };
  }
  if (event.streamRevision > expectedRevision) {
    return {
      reason: 'revision-gap',
      detail: `expected revision ${expectedRevision}, received ${event.streamRevision}`,
    };
  }
  const expectedPrevious = tip ? tip.hash : GENESIS_HASH;
  if (event.previousHash !== expectedPrevious) {
    return {
      reason: 'previous-hash-mismatch',
      detail: `previoushash ${event.previousHash}, the previous event's hash is ${expectedPrevious}`,
    };
  }
  if (recomputedHash !== event.hash) {
    return { reason: 'hash-mismatch', detail: `hash ${event.hash}, recomputed ${recomputedHash}` };
  }
  return undefined;
}

export async function startSubscriber(options: SubscriberOptions): Promise<RunningSubscriber> {
  const hasher = await createEventHasher();
  const copy = new LocalCopy(options.databaseFile);
  const onBreak =
    options.onBreak ?? ((r: ChainBreakReport) => console.error(`hash chain break: ${JSON.stringify(r)}`));
  const kafka = new Kafka({
    clientId: `subscriber-${options.groupId}`,
    brokers: [...options.brokers],
    logLevel: logLevel.ERROR,
  });
  const consumer: Consumer = kafka.consumer({ groupId: options.groupId, allowAutoTopicCreation: false });
  await consumer.connect();
  await consumer.subscribe({ topic: options.topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      const where = { topic, partition, offset: message.offset };
      const report = (r: ChainBreakReport) => {
        copy.recordBreak(r);
        onBreak(r);
      };
      let event: RecordedEvent;
      try {
        event = fromKafkaRecord(message).event;
      } catch (error) {
        report({ ...where, reason: 'undecodable', detail: (error as Error).message });
        return;
      }
      if (copy.has(event.eventId)) return; // at-least-once: a redelivery
      const problem = checkAgainstTip(event, copy.tip(event.streamId), hasher(event));
      if (problem) {
        // Not stored: the stream's verified copy stays at its last good event.
        report({
          ...where,
          ...problem,
          streamId: event.streamId,
          streamRevision: event.streamRevision,
          eventId: event.eventId,
        });
        return;
      }
      copy.store(event);
      options.onEvent?.(event);
    },
  });
  return {
    copy,
    async stop() {
      await consumer.disconnect();
      copy.close();
    },
  };
}
