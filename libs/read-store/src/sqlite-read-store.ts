import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { Query } from 'mingo';
import {
  assertGuard,
  normalise,
  ReadStoreUnavailable,
  REVISIONS_FIELD,
  type Filter,
  type FindOptions,
  type ReadCollection,
  type ReadDocument,
  type ReadStore,
  type ReadStoreCheckpoints,
  type SortSpec,
  type UpsertOutcome,
  type WriteGuard,
} from './read-store';

/**
 * The indexes of each collection, by collection name: each entry is a list of top-level fields,
 * indexed together in that order (e.g. `[['district', 'areaId']]`). A field named here is a
 * promise that it holds a string, a number, a boolean or null, never an object or an array: the
 * store refuses a write that breaks it, and translates filters and sorts on it to SQL.
 */
export type ReadIndexes = Readonly<Record<string, ReadonlyArray<readonly string[]>>>;

export interface SqliteReadStoreOptions {
  /** Path of the database file (created with its directory), or ':memory:'. */
  readonly file: string;
  readonly indexes?: ReadIndexes;
  /** The indexes of every collection `indexes` does not name. Default: none. */
  readonly defaultIndexes?: ReadonlyArray<readonly string[]>;
  /** How long a write waits for another process's lock (a rebuild script, say). Default 5000 ms. */
  readonly busyTimeoutMs?: number;
  /** Page cache of the connection, in MiB: what bounds the store's memory. Default 32. */
  readonly cacheMiB?: number;
  /**
   * Writes are grouped into one transaction, committed on the next turn of the event loop or
   * after this many writes, whichever comes first. Default 2000.
   */
  readonly maxWritesPerCommit?: number;
}

const FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;
const COLLECTION = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

type Scalar = string | number | boolean | null;
const isScalar = (v: unknown): v is Scalar =>
  v === null ||
  typeof v === 'string' ||
  typeof v === 'boolean' ||
  (typeof v === 'number' && Number.isFinite(v));

/** A filter's SQL: the conditions SQLite can decide, and whether they decide the whole filter. */
interface Translated {
  readonly where: string[];
  readonly params: SQLInputValue[];
  /** Every condition of the filter is in `where`: no need to test the rows in JS. */
  readonly exact: boolean;
}

/** The expression a field is indexed and compared by. */
const pathOf = (field: string): string => `'$.${field}'`;
const valueOf = (field: string): string => (field === '_id' ? 'id' : `json_extract(doc, ${pathOf(field)})`);
const typeOf = (field: string): string => `json_type(doc, ${pathOf(field)})`;

/** SQL for `field <op> value`, exact for the JSON types of `value`; undefined: left to mingo. */
function condition(field: string, op: string, value: unknown, params: SQLInputValue[]): string | undefined {
  const v = valueOf(field);
  const isId = field === '_id';
  const sqlOf = (x: Scalar): SQLInputValue => (typeof x === 'boolean' ? (x ? 1 : 0) : x);
  // SQLite compares a boolean as the integer 0 or 1; the JSON type tells false from 0.
  const typed = (x: Scalar): string =>
    typeof x === 'string'
      ? `${typeOf(field)} = 'text'`
      : typeof x === 'boolean'
        ? `${typeOf(field)} = '${x ? 'true' : 'false'}'`
        : `${typeOf(field)} IN ('integer', 'real')`;
  switch (op) {
    case '$eq': {
      if (!isScalar(value)) return undefined;
      if (isId) {
        if (typeof value !== 'string') return '0';
        params.push(value);
        return 'id = ?';
      }
      if (value === null) return `${v} IS NULL`;
      params.push(sqlOf(value));
      return typeof value === 'string' ? `${v} = ?` : `(${v} = ? AND ${typed(value)})`;
    }
    case '$ne': {
      // Only where SQL's answer is exact: a string or null against a scalar field.
      if (value === null) return isId ? '1' : `${v} IS NOT NULL`;
      if (typeof value !== 'string') return undefined;
      params.push(value);
      return `${v} IS NOT ?`;
    }
    case '$in':
    case '$nin': {
      if (!Array.isArray(value) || !value.every((x) => x === null || typeof x === 'string')) return undefined;
      const strings = value.filter((x): x is string => typeof x === 'string');
      const hasNull = value.length > strings.length;
      params.push(...strings);
      const list = `${v} IN (${strings.map(() => '?').join(', ')})`;
      if (op === '$in') {
        const parts = [...(strings.length ? [list] : []), ...(hasNull && !isId ? [`${v} IS NULL`] : [])];
        return parts.length === 0 ? '0' : `(${parts.join(' OR ')})`;
      }
      const notIn = strings.length ? `(${v} IS NULL OR NOT ${list})` : '1';
      return hasNull && !isId ? `(${v} IS NOT NULL AND ${notIn})` : notIn;
    }
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte': {
      if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value)))
        return undefined;
      const sql = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' }[op];
      // MongoDB compares within a type: numbers with numbers, strings with strings (ids are strings).
      if (isId && typeof value !== 'string') return '0';
      params.push(value);
      return isId ? `id ${sql} ?` : `(${v} ${sql} ? AND ${typed(value)})`;
    }
    case '$exists':
      if (isId) return value ? '1' : '0';
      return `${typeOf(field)} IS ${value ? 'NOT ' : ''}NULL`;
    default:
      return undefined;
  }
}

/** The part of a MongoDB filter on `_id` and the declared scalar fields that SQL can decide. */
export function translateFilter(filter: Filter, scalars: ReadonlySet<string>): Translated {
  const where: string[] = [];
  const params: SQLInputValue[] = [];
  let exact = true;
  for (const [field, spec] of Object.entries(filter)) {
    if (field !== '_id' && !scalars.has(field)) {
      exact = false;
      // An undeclared field may hold an array (where MongoDB matches any element): SQLite only
      // passes over the rows whose value is neither equal nor an array, before mingo decides.
      if (FIELD.test(field) && (typeof spec === 'string' || typeof spec === 'boolean')) {
        params.push(typeof spec === 'boolean' ? (spec ? 1 : 0) : spec);
        where.push(`(${valueOf(field)} = ? OR ${typeOf(field)} = 'array')`);
      }
      continue;
    }
    const operators =
      spec !== null &&
      typeof spec === 'object' &&
      !Array.isArray(spec) &&
      Object.keys(spec).length > 0 &&
      Object.keys(spec).every((k) => k.startsWith('$'))
        ? Object.entries(spec as Record<string, unknown>)
        : [['$eq', spec] as const];
    for (const [op, value] of operators) {
      const mark = params.length;
      const sql = condition(field, op, value, params);
      if (sql === undefined) {
        params.length = mark;
        exact = false;
      } else where.push(sql);
    }
  }
  return { where, params, exact };
}

/** ORDER BY for a sort on `_id` and declared scalar fields; undefined when mingo must sort. */
function orderBy(sort: SortSpec | undefined, scalars: ReadonlySet<string>): string | undefined {
  if (!sort || Object.keys(sort).length === 0) return 'rowid';
  const keys = Object.entries(sort);
  if (!keys.every(([field]) => field === '_id' || scalars.has(field))) return undefined;
  // Ties keep the order of insertion, as the in-memory store's stable sort does.
  return [...keys.map(([field, dir]) => `${valueOf(field)} ${dir === -1 ? 'DESC' : 'ASC'}`), 'rowid'].join(
    ', ',
  );
}

type Stored = Record<string, unknown> & { _id: string };

/**
 * A document's JSON text without `_id` and the guard, and its top-level fields, as the other
 * adapters store it (`normalise`): undefined fields dropped, dates as strings. One stringify in
 * the usual case, where the projection's document has neither.
 */
function jsonOf(doc: Record<string, unknown>): { body: string; keys: string[] } {
  if (Object.hasOwn(doc, '_id') || Object.hasOwn(doc, REVISIONS_FIELD)) {
    const copy = normalise(doc);
    delete copy._id;
    delete copy[REVISIONS_FIELD];
    return { body: JSON.stringify(copy), keys: Object.keys(copy) };
  }
  const body = JSON.stringify(doc);
  if (typeof body !== 'string' || !body.startsWith('{'))
    throw new TypeError('a document must be a JSON object');
  const keys = Object.keys(doc).filter((k) => {
    const v = doc[k];
    return v !== undefined && typeof v !== 'function' && typeof v !== 'symbol';
  });
  return { body, keys };
}

class SqliteCollection<T extends ReadDocument> implements ReadCollection<T> {
  private readonly table: string;
  private readonly select: StatementSync;
  private readonly selectDoc: StatementSync;
  private readonly insert: StatementSync;
  private readonly update: StatementSync;
  private readonly statements = new Map<string, StatementSync>();

  constructor(
    readonly name: string,
    private readonly store: SqliteReadStore,
    private readonly scalars: ReadonlySet<string>,
    indexes: ReadonlyArray<readonly string[]>,
  ) {
    const db = store.connection;
    this.table = `"rm:${name}"`;
    db.exec(
      `CREATE TABLE IF NOT EXISTS ${this.table} (id TEXT NOT NULL UNIQUE, doc TEXT NOT NULL, revisions TEXT NOT NULL, keys TEXT NOT NULL)`,
    );
    for (const fields of indexes)
      db.exec(
        `CREATE INDEX IF NOT EXISTS "rm:${name}:${fields.join(',')}" ON ${this.table} (${fields.map(valueOf).join(', ')})`,
      );
    this.select = db.prepare(`SELECT revisions, keys FROM ${this.table} WHERE id = ?`);
    this.selectDoc = db.prepare(`SELECT doc FROM ${this.table} WHERE id = ?`);
    this.insert = db.prepare(`INSERT INTO ${this.table} (id, doc, revisions, keys) VALUES (?, ?, ?, ?)`);
    this.update = db.prepare(`UPDATE ${this.table} SET doc = ?, revisions = ?, keys = ? WHERE id = ?`);
  }

  private prepared(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.store.connection.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  async findOne(filter: Filter): Promise<T | null> {
    return (await this.find(filter, { limit: 1 }))[0] ?? null;
  }

  async find(filter: Filter = {}, options: FindOptions = {}): Promise<T[]> {
    this.store.live();
    const { where, params, exact } = translateFilter(filter, this.scalars);
    const order = orderBy(options.sort, this.scalars);
    const skip = options.skip ?? 0;
    const limit = options.limit ?? 0;
    const clause = where.length ? ` WHERE ${where.join(' AND ')}` : '';
    if (order === undefined) {
      // A sort SQL cannot give: the rows SQL selects, filtered and sorted by mingo.
      const rows = this.prepared(`SELECT doc FROM ${this.table}${clause} ORDER BY rowid`).all(...params);
      const docs = rows.map((r) => JSON.parse(r.doc as string) as Stored);
      let cursor = new Query(exact ? {} : filter).find(docs).sort(options.sort!);
      if (skip) cursor = cursor.skip(skip);
      if (limit) cursor = cursor.limit(limit);
      return cursor.all() as T[];
    }
    if (exact) {
      const paging = limit || skip ? ` LIMIT ${limit > 0 ? limit : -1} OFFSET ${skip}` : '';
      const rows = this.prepared(`SELECT doc FROM ${this.table}${clause} ORDER BY ${order}${paging}`).all(
        ...params,
      );
      return rows.map((r) => JSON.parse(r.doc as string) as T);
    }
    // In SQL's order, tested by mingo, until the page is full.
    const query = new Query(filter);
    const out: T[] = [];
    let skipped = 0;
    for (const row of this.prepared(`SELECT doc FROM ${this.table}${clause} ORDER BY ${order}`).iterate(
      ...params,
    )) {
      const doc = JSON.parse(row.doc as string) as Stored;
      if (!query.test(doc)) continue;
      if (skipped < skip) {
        skipped++;
        continue;
      }
      out.push(doc as unknown as T);
      if (limit > 0 && out.length >= limit) break;
    }
    return out;
  }

  async countDocuments(filter: Filter = {}): Promise<number> {
    this.store.live();
    const { where, params, exact } = translateFilter(filter, this.scalars);
    const clause = where.length ? ` WHERE ${where.join(' AND ')}` : '';
    if (exact)
      return Number(this.prepared(`SELECT count(*) AS n FROM ${this.table}${clause}`).get(...params)!.n);
    const query = new Query(filter);
    let count = 0;
    for (const row of this.prepared(`SELECT doc FROM ${this.table}${clause}`).iterate(...params))
      if (query.test(JSON.parse(row.doc as string) as Stored)) count++;
    return count;
  }

  async upsertGuarded(id: string, doc: Omit<T, '_id'>, guard: WriteGuard): Promise<UpsertOutcome> {
    assertGuard(id, guard);
    this.store.live();
    const { body, keys } = jsonOf(doc as Record<string, unknown>);
    for (const field of this.scalars) {
      const value = (doc as Record<string, unknown>)[field];
      if (!(value === undefined || value instanceof Date || isScalar(value) || typeof value === 'number'))
        throw new TypeError(
          `${this.name}.${field} is indexed, so it must hold a string, a number, a boolean or null (document ${id})`,
        );
    }
    const text = `{"_id":${JSON.stringify(id)}${body === '{}' ? '}' : `,${body.slice(1)}`}`;
    // node:sqlite is synchronous: the read, the check and the write are one step of the event loop.
    this.store.writing();
    const existing = this.select.get(id);
    if (!existing) {
      this.insert.run(id, text, JSON.stringify({ [guard.streamId]: guard.revision }), JSON.stringify(keys));
      return 'inserted';
    }
    const revisions = JSON.parse(existing.revisions as string) as Record<string, number>;
    const seen = revisions[guard.streamId];
    if (seen !== undefined && seen >= guard.revision) return 'stale';
    revisions[guard.streamId] = guard.revision;
    const written = new Set(keys);
    const kept = (JSON.parse(existing.keys as string) as string[]).filter((k) => !written.has(k));
    if (kept.length === 0) {
      // Projections write total documents: the new fields replace the stored document whole,
      // which spares reading and parsing it.
      this.update.run(text, JSON.stringify(revisions), JSON.stringify(keys), id);
      return 'updated';
    }
    const stored = this.selectDoc.get(id)!;
    const merged = { ...(JSON.parse(stored.doc as string) as Stored), ...(JSON.parse(text) as Stored) };
    this.update.run(
      JSON.stringify(merged),
      JSON.stringify(revisions),
      JSON.stringify([...kept, ...keys]),
      id,
    );
    return 'updated';
  }

  async deleteMany(filter: Filter = {}): Promise<number> {
    this.store.live();
    const { where, params, exact } = translateFilter(filter, this.scalars);
    const clause = where.length ? ` WHERE ${where.join(' AND ')}` : '';
    this.store.writing();
    if (exact) return Number(this.prepared(`DELETE FROM ${this.table}${clause}`).run(...params).changes);
    const query = new Query(filter);
    const ids: string[] = [];
    for (const row of this.prepared(`SELECT id, doc FROM ${this.table}${clause}`).iterate(...params))
      if (query.test(JSON.parse(row.doc as string) as Stored)) ids.push(row.id as string);
    const remove = this.prepared(`DELETE FROM ${this.table} WHERE id = ?`);
    for (const id of ids) remove.run(id);
    return ids.length;
  }
}

/**
 * The layout of the file. Read models are disposable: a file of another layout is emptied (its
 * tables and checkpoints dropped) and the projections rebuild it from the log.
 */
const LAYOUT_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS checkpoints (
  subscription_id TEXT PRIMARY KEY,
  position        INTEGER NOT NULL
);
`;

/**
 * The embedded default read store: the documents of a service's read models in a SQLite file of
 * their own beside its event log (`<data dir>/<service>.read.sqlite`), one table per collection,
 * each document as JSON text with its guard revisions beside it. Memory is bounded by SQLite's page
 * cache, not by the size of the registry, and the documents and the checkpoints survive a restart:
 * a projection resumes from its checkpoint instead of replaying the whole log.
 *
 * Queries take the MongoDB filter language. What SQL can decide exactly (equality, `$in`, `$nin`,
 * `$ne`, ranges and `$exists` on `_id` and on the fields a collection declares in its indexes,
 * which hold scalars) becomes a WHERE clause over `json_extract`, served by the expression indexes;
 * anything else (dotted paths, `$or`, array fields) is tested by mingo on the rows SQL returns, so
 * the answer is the same as the in-memory store's. A sort on declared fields is an ORDER BY the
 * index can serve, so a page costs its own rows, not the collection's; strings sort by their
 * UTF-8 bytes (MongoDB's simple collation).
 *
 * Writes are grouped: the first write opens a transaction that is committed on the next turn of
 * the event loop (or after `maxWritesPerCommit` writes). Documents and checkpoints share it and
 * are committed in the order they were written, so a checkpoint is never durable before the
 * documents it vouches for; a crash loses at most the last group, which the projection replays
 * from the checkpoint before it. WAL with `synchronous=NORMAL`: a commit does not wait for the
 * disk, which is enough for a read model the log can always rebuild.
 */
export class SqliteReadStore implements ReadStore {
  readonly checkpoints: ReadStoreCheckpoints;
  private readonly collections = new Map<string, SqliteCollection<ReadDocument>>();
  private readonly scalars = new Map<string, ReadonlySet<string>>();
  private readonly maxWrites: number;
  private writes = 0;
  private commitScheduled = false;
  private broken: unknown;
  private closed = false;

  private constructor(
    private readonly db: DatabaseSync,
    private readonly options: SqliteReadStoreOptions,
  ) {
    this.maxWrites = Math.max(1, Math.trunc(options.maxWritesPerCommit ?? 2000));
    const declared: Array<[string, ReadonlyArray<readonly string[]>]> = [
      ...Object.entries(options.indexes ?? {}),
      ['*', options.defaultIndexes ?? []],
    ];
    for (const [collection, indexes] of declared) {
      if (collection !== '*' && !COLLECTION.test(collection))
        throw new RangeError(`invalid collection name: ${collection}`);
      const fields = indexes.flat();
      const bad = fields.find((f) => !FIELD.test(f));
      if (bad !== undefined)
        throw new RangeError(`${collection}: cannot index ${bad}, only top-level fields`);
      this.scalars.set(collection, new Set(fields));
    }
    const load = db.prepare('SELECT position FROM checkpoints WHERE subscription_id = ?');
    const save = db.prepare(
      'INSERT INTO checkpoints (subscription_id, position) VALUES (?, ?) ON CONFLICT (subscription_id) DO UPDATE SET position = excluded.position',
    );
    const remove = db.prepare('DELETE FROM checkpoints WHERE subscription_id = ?');
    this.checkpoints = {
      load: async (subscriptionId) => {
        this.live();
        const row = load.get(subscriptionId);
        return row === undefined ? undefined : Number(row.position);
      },
      save: async (subscriptionId, position) => {
        this.live();
        this.writing();
        save.run(subscriptionId, position);
      },
      delete: async (subscriptionId) => {
        this.live();
        this.writing();
        remove.run(subscriptionId);
      },
    };
  }

  static open(options: SqliteReadStoreOptions): SqliteReadStore {
    const inMemory = options.file === ':memory:' || options.file === '';
    if (!inMemory) mkdirSync(dirname(options.file), { recursive: true });
    const db = new DatabaseSync(options.file);
    try {
      db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
      db.exec('PRAGMA journal_mode = WAL');
      db.exec('PRAGMA synchronous = NORMAL');
      db.exec(`PRAGMA cache_size = ${-1024 * Math.max(1, Math.trunc(options.cacheMiB ?? 32))}`);
      const version = Number(db.prepare('PRAGMA user_version').get()!.user_version);
      if (version !== LAYOUT_VERSION) {
        const tables = db
          .prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%'`)
          .all();
        for (const { name } of tables) db.exec(`DROP TABLE "${String(name).replace(/"/g, '""')}"`);
        db.exec(`PRAGMA user_version = ${LAYOUT_VERSION}`);
      }
      db.exec(SCHEMA);
      return new SqliteReadStore(db, options);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** The connection, for the collections of this store and for tests. */
  get connection(): DatabaseSync {
    return this.db;
  }

  collection<T extends ReadDocument = ReadDocument>(name: string): ReadCollection<T> {
    let collection = this.collections.get(name);
    if (!collection) {
      this.live();
      if (!COLLECTION.test(name)) throw new RangeError(`invalid collection name: ${name}`);
      collection = new SqliteCollection(
        name,
        this,
        this.scalars.get(Object.hasOwn(this.options.indexes ?? {}, name) ? name : '*')!,
        this.options.indexes?.[name] ?? this.options.defaultIndexes ?? [],
      );
      this.collections.set(name, collection);
    }
    return collection as unknown as ReadCollection<T>;
  }

  /** Names of the collections that hold documents. */
  collectionNames(): string[] {
    const tables = this.db
      .prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'rm:%' ORDER BY name`)
      .all()
      .map((r) => String(r.name));
    return tables
      .filter((t) => Number(this.db.prepare(`SELECT count(*) AS n FROM "${t}"`).get()!.n) > 0)
      .map((t) => t.slice(3));
  }

  async ping(): Promise<{ readonly kind: string }> {
    if (this.closed) throw new ReadStoreUnavailable('the read store is closed');
    if (this.broken !== undefined)
      throw new ReadStoreUnavailable('the read store failed to commit; restart the service');
    this.db.prepare('SELECT 1').get();
    return { kind: 'sqlite' };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.commit();
    this.closed = true;
    this.db.close();
  }

  /** @internal Throws when the store cannot be used: closed, or a commit failed. */
  live(): void {
    if (this.closed) throw new ReadStoreUnavailable('the read store is closed');
    // After a failed commit the projections' memory of what they wrote no longer matches the file:
    // nothing more is written; a restart resumes from the last committed checkpoint.
    if (this.broken !== undefined)
      throw new ReadStoreUnavailable('the read store failed to commit; restart the service');
  }

  /** @internal Before a write: opens the group's transaction, and commits a full one. */
  writing(): void {
    if (this.writes >= this.maxWrites) this.commit();
    if (!this.db.isTransaction) {
      this.db.exec('BEGIN');
      this.writes = 0;
    }
    this.writes++;
    if (!this.commitScheduled) {
      this.commitScheduled = true;
      setImmediate(() => {
        this.commitScheduled = false;
        try {
          if (!this.closed) this.commit();
        } catch {
          // Kept in `broken`: every later use and the readiness probe report it.
        }
      });
    }
  }

  private commit(): void {
    if (!this.db.isTransaction) return;
    try {
      this.db.exec('COMMIT');
    } catch (error) {
      this.broken = error;
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }
}
