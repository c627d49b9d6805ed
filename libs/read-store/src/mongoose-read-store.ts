import mongoose, { type Connection } from 'mongoose';
import {
  assertGuard,
  CHECKPOINTS_COLLECTION,
  normalise,
  ReadStoreUnavailable,
  REVISIONS_FIELD,
  revisionKey,
  withoutGuard,
  type Filter,
  type FindOptions,
  type ReadCollection,
  type ReadDocument,
  type ReadStore,
  type ReadStoreCheckpoints,
  type UpsertOutcome,
  type WriteGuard,
} from './read-store';

type StoredDoc = { _id: string } & Record<string, unknown>;

const isDuplicateKey = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;

/**
 * Guarded writes of one document, one at a time per connection. FerretDB 1.x (our test server)
 * applies a filtered update as a read then a write, so two racing writes of one document could
 * both pass the revision filter and the lower revision could land last. MongoDB itself updates a
 * document atomically, which covers writers in separate processes; within one process this queue
 * gives the same guarantee on either server.
 */
const writesInFlight = new WeakMap<Connection, Map<string, Promise<unknown>>>();

function oneAtATime<R>(connection: Connection, key: string, write: () => Promise<R>): Promise<R> {
  let queue = writesInFlight.get(connection);
  if (!queue) writesInFlight.set(connection, (queue = new Map()));
  const run = (queue.get(key) ?? Promise.resolve()).then(write, write);
  const tail = run.catch(() => undefined);
  queue.set(key, tail);
  void tail.then(() => {
    if (queue.get(key) === tail) queue.delete(key);
  });
  return run;
}

class MongooseCollection<T extends ReadDocument> implements ReadCollection<T> {
  constructor(
    readonly name: string,
    private readonly connection: Connection,
  ) {}

  private get raw() {
    return this.connection.collection<StoredDoc>(this.name);
  }

  async findOne(filter: Filter): Promise<T | null> {
    const doc = await this.raw.findOne(filter);
    return doc ? withoutGuard<T>(doc) : null;
  }

  async find(filter: Filter = {}, options: FindOptions = {}): Promise<T[]> {
    let cursor = this.raw.find(filter);
    if (options.sort) cursor = cursor.sort(options.sort);
    if (options.skip) cursor = cursor.skip(options.skip);
    if (options.limit) cursor = cursor.limit(options.limit);
    return (await cursor.toArray()).map((doc) => withoutGuard<T>(doc));
  }

  async countDocuments(filter: Filter = {}): Promise<number> {
    return this.raw.countDocuments(filter);
  }

  async upsertGuarded(id: string, doc: Omit<T, '_id'>, guard: WriteGuard): Promise<UpsertOutcome> {
    assertGuard(id, guard);
    return oneAtATime(this.connection, `${this.name}\u0000${id}`, () => this.guardedWrite(id, doc, guard));
  }

  private async guardedWrite(id: string, doc: Omit<T, '_id'>, guard: WriteGuard): Promise<UpsertOutcome> {
    const path = `${REVISIONS_FIELD}.${revisionKey(guard.streamId)}`;
    const fields = normalise(doc) as Record<string, unknown>;
    delete fields._id;
    delete fields[REVISIONS_FIELD];
    const filter = {
      _id: id,
      $or: [{ [path]: { $exists: false } }, { [path]: { $lt: guard.revision } }],
    };
    const update = { $set: { ...fields, [path]: guard.revision } };
    // When the document exists with this revision or a later one, the filter matches nothing and
    // the upsert tries to insert a second document with the same _id: a duplicate key, i.e. stale.
    // A duplicate key can also come from a concurrent first insert; one retry tells them apart.
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await this.raw.updateOne(filter, update, { upsert: true });
        return result.upsertedCount > 0 ? 'inserted' : 'updated';
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        if (attempt >= 1) return 'stale';
      }
    }
  }

  async deleteMany(filter: Filter = {}): Promise<number> {
    return (await this.raw.deleteMany(filter)).deletedCount;
  }
}

export interface MongooseReadStoreOptions {
  /** Database name; default: the one in the URL, else mongoose's default ('test'). */
  readonly dbName?: string;
  /** How long to wait for a server before failing. Default 10 000 ms. */
  readonly serverSelectionTimeoutMs?: number;
}

/**
 * The production read store: MongoDB through mongoose (FerretDB 1.x in the tests). Only
 * single-document operations, so it needs no transactions; the checkpoints live in the same
 * database (collection `_checkpoints`), beside the documents they vouch for.
 */
export class MongooseReadStore implements ReadStore {
  readonly checkpoints: ReadStoreCheckpoints;

  private constructor(
    readonly connection: Connection,
    private readonly ownsConnection: boolean,
  ) {
    const raw = () => connection.collection<{ _id: string; position: number }>(CHECKPOINTS_COLLECTION);
    this.checkpoints = {
      load: async (subscriptionId) => {
        const doc = await raw().findOne({ _id: subscriptionId });
        return typeof doc?.position === 'number' ? doc.position : undefined;
      },
      save: async (subscriptionId, position) => {
        await raw().updateOne({ _id: subscriptionId }, { $set: { position } }, { upsert: true });
      },
      delete: async (subscriptionId) => {
        await raw().deleteOne({ _id: subscriptionId });
      },
    };
  }

  /** Connects and waits for the server; fails with the URL named when it is unreachable. */
  static async connect(url: string, options: MongooseReadStoreOptions = {}): Promise<MongooseReadStore> {
    const connection = mongoose.createConnection(url, {
      dbName: options.dbName,
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 10_000,
    });
    try {
      await connection.asPromise();
    } catch (error) {
      await connection.close(true).catch(() => undefined);
      throw new Error(`read store: cannot reach MongoDB at ${redact(url)}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    return new MongooseReadStore(connection, true);
  }

  /** Uses a connection someone else opened and closes (a Nest module, say). */
  static fromConnection(connection: Connection): MongooseReadStore {
    return new MongooseReadStore(connection, false);
  }

  collection<T extends ReadDocument = ReadDocument>(name: string): ReadCollection<T> {
    return new MongooseCollection<T>(name, this.connection);
  }

  async ping(): Promise<{ readonly kind: string }> {
    const db = this.connection.db;
    if (!db) throw new ReadStoreUnavailable('not connected to MongoDB');
    await db.admin().ping();
    return { kind: 'mongodb' };
  }

  /** Drops the whole database: for tests that use a database of their own. */
  async dropDatabase(): Promise<void> {
    await this.connection.dropDatabase();
  }

  async close(): Promise<void> {
    if (this.ownsConnection) await this.connection.close();
  }
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}
