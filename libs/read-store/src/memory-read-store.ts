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

type IndexKey = string | number | boolean;
const isIndexKey = (value: unknown): value is IndexKey =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/**
 * A collection's documents, with an equality index on each top-level field a query has asked for
 * by value (built on its first use, kept up to date by every write). A query then examines only the
 * documents holding the value it asks for (an entity's history, not every decision of the city),
 * and mingo still judges each one by the whole filter.
 */
class Documents {
  private readonly byId = new Map<string, Stored>();
  /** Order of first insertion: what a scan of the map gave, kept when answering from an index. */
  private readonly order = new Map<string, number>();
  private inserted = 0;
  private readonly indexes = new Map<string, Map<IndexKey, Set<string>>>();

  get size(): number {
    return this.byId.size;
  }

  get(id: string): Stored | undefined {
    return this.byId.get(id);
  }

  set(id: string, doc: Stored): void {
    const before = this.byId.get(id);
    if (!this.order.has(id)) this.order.set(id, this.inserted++);
    this.byId.set(id, doc);
    for (const [field, index] of this.indexes) {
      const was = keysOf(before?.[field]);
      const now = keysOf(doc[field]);
      for (const key of was) if (!now.includes(key)) index.get(key)?.delete(id);
      for (const key of now) if (!was.includes(key)) addTo(index, key, id);
    }
  }

  delete(id: string): void {
    const doc = this.byId.get(id);
    if (!doc) return;
    for (const [field, index] of this.indexes)
      for (const key of keysOf(doc[field])) index.get(key)?.delete(id);
    this.byId.delete(id);
    this.order.delete(id);
  }

  /**
   * The documents the filter can match, in insertion order: by id, or those holding the value of
   * its most selective top-level equality (a scalar field, or an array with that element), or all.
   */
  candidates(filter: Filter): Stored[] {
    if (typeof filter._id === 'string') {
      const doc = this.byId.get(filter._id);
      return doc ? [doc] : [];
    }
    let fewest: Set<string> | undefined;
    for (const [field, value] of Object.entries(filter)) {
      if (field.startsWith('$') || field.includes('.') || !isIndexKey(value)) continue;
      const ids = this.indexOn(field).get(value);
      if (!ids) return [];
      if (!fewest || ids.size < fewest.size) fewest = ids;
    }
    if (!fewest) return [...this.byId.values()];
    return [...fewest]
      .sort((a, b) => this.order.get(a)! - this.order.get(b)!)
      .map((id) => this.byId.get(id)!);
  }

  private indexOn(field: string): Map<IndexKey, Set<string>> {
    let index = this.indexes.get(field);
    if (!index) {
      index = new Map();
      for (const [id, doc] of this.byId) for (const key of keysOf(doc[field])) addTo(index, key, id);
      this.indexes.set(field, index);
    }
    return index;
  }
}

/** The values an equality on the field finds the document by: the value, or an array's elements. */
function keysOf(value: unknown): IndexKey[] {
  if (Array.isArray(value)) return [...new Set(value.filter(isIndexKey))];
  return isIndexKey(value) ? [value] : [];
}

function addTo(index: Map<IndexKey, Set<string>>, key: IndexKey, id: string): void {
  const ids = index.get(key);
  if (ids) ids.add(id);
  else index.set(key, new Set([id]));
}

class MemoryCollection<T extends ReadDocument> implements ReadCollection<T> {
  constructor(
    readonly name: string,
    private readonly docs: Documents,
  ) {}

  async findOne(filter: Filter): Promise<T | null> {
    const query = new Query(filter);
    for (const doc of this.docs.candidates(filter))
      if (query.test(doc)) return withoutGuard<T>(structuredClone(doc));
    return null;
  }

  async find(filter: Filter = {}, options: FindOptions = {}): Promise<T[]> {
    const query = new Query(filter);
    let found = this.docs.candidates(filter).filter((doc) => query.test(doc));
    if (options.sort || options.skip || options.limit) {
      // mingo orders as MongoDB does (mixed types, nested fields).
      let cursor = mingoFind(found, {});
      if (options.sort) cursor = cursor.sort(options.sort);
      if (options.skip) cursor = cursor.skip(options.skip);
      if (options.limit) cursor = cursor.limit(options.limit);
      found = cursor.all() as Stored[];
    }
    return found.map((doc) => withoutGuard<T>(structuredClone(doc)));
  }

  async countDocuments(filter: Filter = {}): Promise<number> {
    const query = new Query(filter);
    let count = 0;
    for (const doc of this.docs.candidates(filter)) if (query.test(doc)) count++;
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
    if (!existing) {
      // `fields` is a copy of its own (normalised): stored as it is, not copied again.
      fields._id = id;
      fields[REVISIONS_FIELD] = { [key]: guard.revision };
      this.docs.set(id, fields as Stored);
      return 'inserted';
    }
    this.docs.set(id, {
      ...existing,
      ...fields,
      _id: id,
      [REVISIONS_FIELD]: { ...existing[REVISIONS_FIELD], [key]: guard.revision },
    });
    return 'updated';
  }

  async deleteMany(filter: Filter = {}): Promise<number> {
    const query = new Query(filter);
    let count = 0;
    for (const doc of this.docs.candidates(filter)) {
      if (query.test(doc)) {
        this.docs.delete(doc._id);
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
  private readonly collections = new Map<string, Documents>();
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

  private docsOf(name: string): Documents {
    let docs = this.collections.get(name);
    if (!docs) {
      docs = new Documents();
      this.collections.set(name, docs);
    }
    return docs;
  }
}
