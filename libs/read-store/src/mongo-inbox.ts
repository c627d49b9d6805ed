import type { Connection } from 'mongoose';
import type { Inbox } from '#libs/messaging';

interface InboxEntry {
  /** `<consumer>\n<event id>`: one document per handled event, found by its key alone. */
  _id: string;
  consumer: string;
  eventId: string;
  handledAt: string;
}

/**
 * The consumer inbox of the production profile: the event ids a consumer has
 * handled, in MongoDB beside the service's read models (collection `_inbox`), so a restarted
 * service drops a redelivered event instead of running its reaction again. Each record is one
 * single-document upsert and nothing needs a transaction (FerretDB 1.x has none).
 */
export class MongoInbox implements Inbox {
  constructor(
    private readonly connection: Connection,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private get entries() {
    return this.connection.collection<InboxEntry>('_inbox');
  }

  async seen(consumer: string, eventId: string): Promise<boolean> {
    return (
      (await this.entries.findOne({ _id: keyOf(consumer, eventId) }, { projection: { _id: 1 } })) !== null
    );
  }

  async record(consumer: string, eventId: string): Promise<void> {
    // $setOnInsert: recording again (a redelivery handled twice) keeps the first time it was handled.
    await this.entries.updateOne(
      { _id: keyOf(consumer, eventId) },
      { $setOnInsert: { consumer, eventId, handledAt: this.clock().toISOString() } },
      { upsert: true },
    );
  }

  /** Counted on scrape (the /metrics inbox size), never in the delivery path. */
  async size(consumer: string): Promise<number> {
    return this.entries.countDocuments({ consumer });
  }
}

const keyOf = (consumer: string, eventId: string) => `${consumer}\n${eventId}`;
