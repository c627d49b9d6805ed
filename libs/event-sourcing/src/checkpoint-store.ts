/**
 * Durable position of a catch-up subscription: the global position of the last event it handled.
 * The SQLite adapter keeps checkpoints in the same database as the events; the EventStoreDB adapter
 * keeps them in a stream. Any other durable place (the read store, say) can implement this.
 */
export interface CheckpointStore {
  load(subscriptionId: string): Promise<number | undefined>;
  save(subscriptionId: string, position: number): Promise<void>;
}
