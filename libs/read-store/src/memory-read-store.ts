import { find as mingoFind, Query } from 'mingo';
import {
  assertGuard,
  CHECKPOINTS_COLLECTION,
  normalise,
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

type Stored = Record<string, unknown> & { _id: string; [REVISIONS_FIELD]?: Record<string, number> };

class MemoryCollection<T extends ReadDocument> implements ReadCollection<T> {
  constructor(
    readonly name: string,
    private readonly docs: Map<string, Stored>,
  ) {}

  async findOne(filter: Filter): Promise<T | null> {
    const query = new Query(filter);
    for (const doc of this.docs.values()) if (query.test(doc)) return withoutGuard<T>(structuredClone(doc));
    return null;
  }

  async find(filter: Filter = {}, options: FindOptions = {}): Promise<T[]> {
    let cursor = mingoFind([...this.docs.values()], filter);
    if (options.sort) cursor = cursor.sort(options.sort);
    if (options.skip) cursor = cursor.skip(options.skip);
    if (options.limit) cursor = cursor.limit(options.limit);
    return cursor.all().map((doc) => withoutGuard<T>(structuredClone(doc as Stored)));
  }

  async countDocuments(filter: Filter = {}): Promise<number> {
    const query = new Query(filter);
    let count = 0;
    for (const doc of this.docs.values()) if (query.test(doc)) count++;
    return count;
  }

  async upsertGuarded(id: string, doc: Omit<T, '_id'>, guard: WriteGuard): Promise<UpsertOutcome> {
    assertGuard(id, guard);
    const key = revisionKey(guard.streamId);
    const fields = normalise(doc) as Record<string, unknown>;
    delete fields._id;
    delete fields[REVISIONS_FIELD];
    // No await between the check and the write: atomic on the event loop, like MongoDB's updateOne.
    const existing = this.docs.get(id);
    const seen = existing?.[REVISIONS_FIELD]?.[key];
    if (seen !== undefined && seen >= guard.revision) return 'stale';
    this.docs.set(id, {
      ...existing,
      ...fields,
      _id: id,
      [REVISIONS_FIELD]: { ...existing?.[REVISIONS_FIELD], [key]: guard.revision },
    });
    return existing ? 'updated' : 'inserted';
  }

  async deleteMany(filter: Filter = {}): Promise<number> {
    const query = new Query(filter);
    let count = 0;
    for (const [id, doc] of [...this.docs]) {
      if (query.test(doc)) {
        this.docs.delete(id);
        count++;
      }
    }
    return count;
  }
}

/**
 * Documents in memory, queried with the MongoDB filter language through mingo: the read store of
 * the tests and of REGISTRY_READ_STORE=memory. Lost on restart, it is rebuilt from the log (the
 * projection runner starts from position 0 because the checkpoints are lost with it).
 */
export class MemoryReadStore implements ReadStore {
  private readonly collections = new Map<string, Map<string, Stored>>();
  readonly checkpoints: ReadStoreCheckpoints;

  constructor() {
    const checkpoints = this.docsOf(CHECKPOINTS_COLLECTION);
    this.checkpoints = {
      load: async (subscriptionId) => {
        const position = checkpoints.get(subscriptionId)?.position;
        return typeof position === 'number' ? position : undefined;
      },
      save: async (subscriptionId, position) => {
        checkpoints.set(subscriptionId, { _id: subscriptionId, position });
      },
      delete: async (subscriptionId) => {
        checkpoints.delete(subscriptionId);
      },
    };
  }

  collection<T extends ReadDocument = ReadDocument>(name: string): ReadCollection<T> {
    return new MemoryCollection<T>(name, this.docsOf(name));
  }

  /** Names of the collections that hold documents (checkpoints excluded). */
  collectionNames(): string[] {
    return [...this.collections]
      .filter(([name, docs]) => name !== CHECKPOINTS_COLLECTION && docs.size > 0)
      .map(([name]) => name)
      .sort();
  }

  /** This process: it answers while the service does. */
  async ping(): Promise<{ readonly kind: string }> {
    return { kind: 'memory' };
  }

  async close(): Promise<void> {
    // Nothing to release.
  }

  private docsOf(name: string): Map<string, Stored> {
    let docs = this.collections.get(name);
    if (!docs) {
      docs = new Map();
      this.collections.set(name, docs);
    }
    return docs;
  }
}
