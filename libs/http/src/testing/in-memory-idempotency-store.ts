import type { IdempotencyRecord, IdempotencyStore } from '#libs/event-sourcing';

/** Test double of the IdempotencyStore port; `saved` lets tests see what was remembered. */
export class InMemoryIdempotencyStore implements IdempotencyStore {
  readonly saved: IdempotencyRecord[] = [];
  private readonly records = new Map<string, IdempotencyRecord>();

  async find(scope: string, key: string): Promise<IdempotencyRecord | undefined> {
    return this.records.get(`${scope}\n${key}`);
  }

  async save(record: IdempotencyRecord): Promise<void> {
    this.records.set(`${record.scope}\n${record.key}`, record);
    this.saved.push(record);
  }
}
