import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import type { SqliteEventStore } from './sqlite-event-store';

export { requestHash } from './canonical-json';

/** The stored outcome of a request made with an Idempotency-Key. */
export interface IdempotencyRecord {
  /** Who asked where, e.g. actor subject + method + route pattern: keys are only unique per scope. */
  readonly scope: string;
  readonly key: string;
  /** requestHash() of the body: the same key with another body is a client error, not a retry. */
  readonly requestHash: string;
  readonly statusCode: number;
  /** Any JSON value. */
  readonly responseBody: unknown;
  readonly recordedAt: string;
}

export interface IdempotencyStore {
  find(scope: string, key: string): Promise<IdempotencyRecord | undefined>;
  /** First write wins: saving an existing (scope, key) again leaves the stored record as it is. */
  save(record: IdempotencyRecord): Promise<void>;
}

const SAVE =
  'INSERT INTO idempotency (scope, key, request_hash, status_code, response_body, recorded_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (scope, key) DO NOTHING';

/**
 * Idempotency records in the events' own SQLite database (`SqliteIdempotencyStore.beside(store)`),
 * so a backup or copy of a service's file keeps both together. Beside the store, records are saved
 * through its writer (`execute`), in the same group commit as appends; on a bare connection, on
 * that connection.
 */
export class SqliteIdempotencyStore implements IdempotencyStore {
  private readonly findStatement: StatementSync;
  private readonly write: (params: Array<string | number>) => Promise<void> | void;

  constructor(
    db: DatabaseSync,
    /** Writes through this instead of the connection (a store's writer, see `beside`). */
    execute?: (sql: string, params: readonly SQLInputValue[]) => Promise<void>,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS idempotency (
      scope         TEXT    NOT NULL,
      key           TEXT    NOT NULL,
      request_hash  TEXT    NOT NULL,
      status_code   INTEGER NOT NULL,
      response_body TEXT    NOT NULL,
      recorded_at   TEXT    NOT NULL,
      PRIMARY KEY (scope, key)
    )`);
    this.findStatement = db.prepare(
      'SELECT request_hash, status_code, response_body, recorded_at FROM idempotency WHERE scope = ? AND key = ?',
    );
    // Two identical requests racing both reach save; the first answer must stay the answer.
    if (execute) this.write = (params) => execute(SAVE, params);
    else {
      const save = db.prepare(SAVE);
      this.write = (params) => {
        save.run(...params);
      };
    }
  }

  /** The records of the store's own file: read on its connection, saved through its writer. */
  static beside(store: SqliteEventStore): SqliteIdempotencyStore {
    return new SqliteIdempotencyStore(store.db, (sql, params) => store.execute(sql, params));
  }

  async find(scope: string, key: string): Promise<IdempotencyRecord | undefined> {
    const row = this.findStatement.get(scope, key);
    if (!row) return undefined;
    return {
      scope,
      key,
      requestHash: row.request_hash as string,
      statusCode: Number(row.status_code),
      responseBody: JSON.parse(row.response_body as string) as unknown,
      recordedAt: row.recorded_at as string,
    };
  }

  async save(record: IdempotencyRecord): Promise<void> {
    // undefined has no JSON text; store it as null so find() can always parse what it reads.
    const body = JSON.stringify(record.responseBody) ?? 'null';
    await this.write([
      record.scope,
      record.key,
      record.requestHash,
      record.statusCode,
      body,
      record.recordedAt,
    ]);
  }
}
