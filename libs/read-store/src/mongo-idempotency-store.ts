import type { Connection } from 'mongoose';
import type { IdempotencyRecord, IdempotencyStore } from '#libs/event-sourcing';

interface StoredRecord extends IdempotencyRecord {
  _id: string;
}

/**
 * Idempotency records in MongoDB for the production profile, where the event store is remote
 * and there is no local SQLite file. The first record of a key wins, as in the SQLite store.
 */
export class MongoIdempotencyStore implements IdempotencyStore {
  constructor(private readonly connection: Connection) {}

  private get records() {
    return this.connection.collection<StoredRecord>('_idempotency');
  }

  async find(scope: string, key: string): Promise<IdempotencyRecord | undefined> {
    const found = await this.records.findOne({ _id: `${scope}\n${key}` });
    if (!found) return undefined;
    const { _id: _ignored, ...record } = found;
    return record;
  }

  async save(record: IdempotencyRecord): Promise<void> {
    // $setOnInsert: a second save of the same key keeps the first answer.
    await this.records.updateOne(
      { _id: `${record.scope}\n${record.key}` },
      { $setOnInsert: { ...record } },
      { upsert: true },
    );
  }
}
