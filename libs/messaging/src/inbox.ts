import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { SqliteEventStore } from '#libs/event-sourcing';

/**
 * The inbox of a consumer: the event ids it has already handled. Delivery is at least once (the
 * relay may publish a batch again after a crash, Kafka may redeliver after a rebalance), so a
 * consumer checks `seen` before handling and `record`s after handling succeeded.
 *
 * Handling and recording are two steps: a crash between them makes the handler run again on
 * redelivery. A consumer whose effects live in the same database as its inbox can close that gap
 * by recording in the same transaction as its effects.
 */
export interface Inbox {
  seen(consumer: string, eventId: string): Promise<boolean>;
  record(consumer: string, eventId: string): Promise<void>;
  /** Event ids recorded for the consumer (the inbox size /metrics reports), where cheap to count. */
  size?(consumer: string): Promise<number>;
}

/** For the embedded default and tests. Forgets everything on restart. */
export class InMemoryInbox implements Inbox {
  private readonly handled = new Map<string, Set<string>>();

  async seen(consumer: string, eventId: string): Promise<boolean> {
    return this.handled.get(consumer)?.has(eventId) ?? false;
  }

  async record(consumer: string, eventId: string): Promise<void> {
    let ids = this.handled.get(consumer);
    if (!ids) this.handled.set(consumer, (ids = new Set()));
    ids.add(eventId);
  }

  async size(consumer: string): Promise<number> {
    return this.handled.get(consumer)?.size ?? 0;
  }
}

const RECORD = 'INSERT INTO inbox (consumer, event_id, handled_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING';

const INBOX_SCHEMA = `
CREATE TABLE IF NOT EXISTS inbox (
  consumer   TEXT NOT NULL,
  event_id   TEXT NOT NULL,
  handled_at TEXT NOT NULL,
  PRIMARY KEY (consumer, event_id)
) WITHOUT ROWID;
`;

/** A durable inbox in a SQLite database through node:sqlite (table `inbox`). */
export class SqliteInbox implements Inbox {
  private readonly seenStatement: StatementSync;
  private readonly recordStatement: StatementSync;
  private readonly sizeStatement: StatementSync;

  /** `db` may be shared with the consumer's own tables (record in the same transaction as effects). */
  constructor(
    private readonly db: DatabaseSync,
    private readonly ownsDb = false,
    private readonly clock: () => Date = () => new Date(),
    /** Writes through this instead of the connection (a store's writer, see `beside`). */
    private readonly execute?: (sql: string, params: readonly SQLInputValue[]) => Promise<void>,
  ) {
    db.exec(INBOX_SCHEMA);
    this.seenStatement = db.prepare('SELECT 1 FROM inbox WHERE consumer = ? AND event_id = ?');
    this.recordStatement = db.prepare(RECORD);
    // A range of the primary key: counted on scrape, never in the delivery path.
    this.sizeStatement = db.prepare('SELECT count(*) AS n FROM inbox WHERE consumer = ?');
  }

  /**
   * The inbox of a consumer whose service keeps its events in `store`: read on the store's
   * connection, recorded through the store's writer (the writer thread's group commit), so a
   * record neither blocks the event loop on the writer's lock nor pays an fsync of its own.
   */
  static beside(store: SqliteEventStore): SqliteInbox {
    return new SqliteInbox(store.db, false, undefined, (sql, params) => store.execute(sql, params));
  }

  /** Opens (or creates) a database file of its own, WAL + synchronous=FULL. ':memory:' for tests. */
  static open(file: string): SqliteInbox {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const db = new DatabaseSync(file);
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = FULL');
    db.exec('PRAGMA busy_timeout = 5000');
    return new SqliteInbox(db, true);
  }

  async seen(consumer: string, eventId: string): Promise<boolean> {
    return this.seenStatement.get(consumer, eventId) !== undefined;
  }

  async record(consumer: string, eventId: string): Promise<void> {
    const handledAt = this.clock().toISOString();
    if (this.execute) return this.execute(RECORD, [consumer, eventId, handledAt]);
    this.recordStatement.run(consumer, eventId, handledAt);
  }

  async size(consumer: string): Promise<number> {
    return Number((this.sizeStatement.get(consumer) as { n: number | bigint }).n);
  }

  close(): void {
    if (this.ownsDb) this.db.close();
  }
}
