import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type { EventStore } from '#libs/event-sourcing';
import {
  NotReady,
  READINESS_CHECKS,
  SERVICE_METRICS,
  type ReadinessChecks,
  type ServiceMetrics,
} from '#libs/http';
import {
  ReadStoreUnavailable,
  runProjection,
  subscriptionIdOf,
  type Projection,
  type ProjectionRun,
  type ReadStore,
} from '#libs/read-store';
import { HostingMetrics } from './hosting-metrics';
import { EVENT_STORE, PROJECTION_FACTORY, READ_STORE } from './tokens';

export type ProjectionFactory = (store: EventStore) => Projection;

/**
 * Keeps a service's read models following the store's global log while the service runs, and
 * lets queries read their own writes: a query waits until the projection has written the
 * documents of the last event this process appended. It reports the projection's position and lag
 * to /metrics, and whether the event store and the read store answer to /health/ready.
 */
@Injectable()
export class ProjectionHost implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Projections');
  private run: ProjectionRun | undefined;
  private lastAppended = 0;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_STORE) readonly readStore: ReadStore,
    @Inject(PROJECTION_FACTORY) private readonly projectionOf: ProjectionFactory,
    @Optional() @Inject(SERVICE_METRICS) private readonly metrics?: ServiceMetrics,
    @Optional() @Inject(READINESS_CHECKS) private readonly readiness?: ReadinessChecks,
  ) {}

  onModuleInit(): void {
    const projection = this.projectionOf(this.store);
    this.run = runProjection({
      store: this.store,
      readStore: this.readStore,
      projection,
      // Short in-process polling: read models trail commands by milliseconds, not a second.
      pollIntervalMs: 20,
      onError: (error) =>
        this.logger.error(`projection stopped, restarting from its checkpoint: ${String(error)}`),
    });
    if (this.metrics) {
      const hosting = HostingMetrics.of(this.metrics);
      hosting.attachStore(this.store);
      const checkpoint = subscriptionIdOf({ projection });
      // Until it handles an event after a start, its position is the checkpoint it resumed from.
      hosting.addProjection(
        projection.name,
        async () => this.run?.position ?? (await this.readStore.checkpoints.load(checkpoint)),
      );
    }
    this.readiness?.add('event-store', async () => {
      await this.store.readAll({ maxCount: 1 });
    });
    this.readiness?.add('read-store', () => pingReadStore(this.readStore));
  }

  /** Called after every append of this process. */
  noteAppended(globalPosition: number): void {
    if (globalPosition > this.lastAppended) this.lastAppended = globalPosition;
  }

  /** Resolves when the read models include everything this process has appended. */
  async fresh(): Promise<void> {
    if (this.lastAppended > 0) await this.run?.waitFor(this.lastAppended);
  }

  async onModuleDestroy(): Promise<void> {
    this.readiness?.remove('event-store');
    this.readiness?.remove('read-store');
    await this.run?.stop();
    await this.readStore.close();
  }
}

/** The read store's own ping (MongoDB answers one; the in-memory store is this process). */
async function pingReadStore(readStore: ReadStore): Promise<Record<string, unknown>> {
  try {
    return { ...(await readStore.ping()) };
  } catch (error) {
    // Our own reason may be shown to the prober; a driver's message is the health endpoint's to hide.
    if (error instanceof ReadStoreUnavailable) throw new NotReady(error.message);
    throw error;
  }
}
