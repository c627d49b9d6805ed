import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { SqliteEventStore, type EventStore } from '#libs/event-sourcing';
import type { ReadStore } from '#libs/read-store';
import { startServiceRelay, type ServiceRelay } from '#libs/messaging';
import { EVENT_STORE, READ_STORE, SERVICE_NAME } from './tokens';

/**
 * The outbox relay of this service: follows the event log from its durable checkpoint and
 * publishes to Kafka (KAFKA_BROKERS) or to the embedded in-process bus. Nothing publishes in the
 * request path; a command only nudges the relay so it need not wait for its next poll.
 */
@Injectable()
export class RelayHost implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Relay');
  private relay: ServiceRelay | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SERVICE_NAME) private readonly service: string,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.relay = await startServiceRelay({
      store: this.store,
      service: this.service,
      // Beside the events in SQLite; with the read models when the event store is remote.
      checkpoints: this.store instanceof SqliteEventStore ? undefined : this.readStore.checkpoints,
      onError: (error) => this.logger.warn(`publish failed, retrying the same batch: ${String(error)}`),
    });
  }

  notify(): void {
    this.relay?.notify();
  }

  async onModuleDestroy(): Promise<void> {
    await this.relay?.close();
  }
}
