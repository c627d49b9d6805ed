import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { EventStore } from '#libs/event-sourcing';
import {
  NotReady,
  READINESS_CHECKS,
  SERVICE_METRICS,
  type ReadinessChecks,
  type ServiceMetrics,
} from '#libs/http';
import { startServiceRelay, type ServiceRelay } from '#libs/messaging';
import { HostingMetrics } from './hosting-metrics';
import type { StorageProfile } from './storage-providers';
import { EVENT_STORE, SERVICE_NAME, STORAGE } from './tokens';

/**
 * How long the relay may keep failing (retrying the same batch with backoff up to 10 s) before
 * /health/ready reports it down: a broker restart passes, a lost broker does not.
 */
export const RELAY_RETRY_WINDOW_MS = 30_000;

export interface RelayState {
  readonly transport: string;
  readonly published: number;
  /** Failed tries since the last success. */
  readonly failures: number;
  /** When the current run of failures began (ms since the epoch); undefined while it works. */
  readonly failingSince?: number;
  readonly lastPublishedAt?: number;
}

/**
 * The relay's readiness: up while it works or has been failing for at most the retry window;
 * down (NotReady, a message safe to show) after that.
 */
export function relayReadiness(
  relay: RelayState,
  now = Date.now(),
  windowMs = RELAY_RETRY_WINDOW_MS,
): Record<string, unknown> {
  const state = {
    transport: relay.transport,
    published: relay.published,
    ...(relay.lastPublishedAt !== undefined
      ? { lastPublishedAt: new Date(relay.lastPublishedAt).toISOString() }
      : {}),
  };
  if (relay.failingSince === undefined) return state;
  const failingForMs = now - relay.failingSince;
  if (failingForMs <= windowMs) return { ...state, retrying: relay.failures };
  throw new NotReady(
    `the relay has failed to publish for ${Math.round(failingForMs / 1000)} s (${relay.failures} tries)`,
  );
}

/**
 * The outbox relay of this service: follows the event log from its durable checkpoint and
 * publishes to Kafka (KAFKA_BROKERS) or to the embedded in-process bus. Nothing publishes in the
 * request path; a command only nudges the relay so it need not wait for its next poll.
 */
@Injectable()
export class RelayHost implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Relay');
  private relay: ServiceRelay | undefined;
  /** When the current run of failures began; undefined while the relay works. */
  private failingSince: number | undefined;
  private failures = 0;
  private lastPublishedAt: number | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SERVICE_NAME) private readonly service: string,
    @Inject(STORAGE) private readonly storage: StorageProfile,
    @Optional() @Inject(SERVICE_METRICS) private readonly metrics?: ServiceMetrics,
    @Optional() @Inject(READINESS_CHECKS) private readonly readiness?: ReadinessChecks,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.relay = await startServiceRelay({
      store: this.store,
      service: this.service,
      // Beside the events in SQLite; with the read models when the event store is remote.
      checkpoints: this.storage.relayCheckpoints,
      onError: (error) => {
        this.failingSince ??= Date.now();
        this.failures++;
        this.logger.warn(`publish failed, retrying the same batch: ${String(error)}`);
      },
      onPublished: () => {
        this.lastPublishedAt = Date.now();
        this.recovered();
      },
      onRecovered: () => this.recovered(),
    });
    const relay = this.relay;
    if (!relay) return; // REGISTRY_RELAY=off: a separate relay process publishes
    if (this.metrics) {
      const hosting = HostingMetrics.of(this.metrics);
      hosting.attachStore(this.store);
      hosting.attachRelay(() => ({ position: relay.position(), published: relay.published() }));
    }
    // The embedded bus is in this process; Kafka is the dependency a probe must watch.
    if (relay.transport === 'kafka') this.readiness?.add('relay', async () => this.relayReadiness(relay));
  }

  notify(): void {
    this.relay?.notify();
  }

  private recovered(): void {
    this.failingSince = undefined;
    this.failures = 0;
  }

  private relayReadiness(relay: ServiceRelay): Record<string, unknown> {
    return relayReadiness({
      transport: relay.transport,
      published: relay.published(),
      failures: this.failures,
      failingSince: this.failingSince,
      lastPublishedAt: this.lastPublishedAt,
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.readiness?.remove('relay');
    await this.relay?.close();
  }
}
