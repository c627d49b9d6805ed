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
  clearProjection,
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

  async onModuleInit(): Promise<void> {
    const projection = this.projectionOf(this.store);
    await this.forgetAnotherLog(projection);
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

  /**
   * Read models kept on disk (the SQLite read store, MongoDB) resume from their checkpoint. A
   * checkpoint that is no event of the log (past its end) means the log is not the one they were
   * built from (a data directory whose log was replaced, an older backup restored): they are
   * cleared and rebuilt.
   */
  private async forgetAnotherLog(projection: Projection): Promise<void> {
    const subscriptionId = subscriptionIdOf({ projection });
    const checkpoint = await this.readStore.checkpoints.load(subscriptionId);
    if (checkpoint === undefined || checkpoint <= 0) return;
    let atCheckpoint: Array<{ readonly globalPosition: number }>;
    try {
      atCheckpoint = await this.store.readAll({ after: checkpoint - 1, maxCount: 1 });
    } catch (error) {
      // A store may refuse to read from a position that is no event's (KurrentDB's are offsets).
      this.logger.debug(`cannot check the ${projection.name} checkpoint against the log: ${String(error)}`);
      return;
    }
    if (atCheckpoint[0]?.globalPosition === checkpoint) return;
    this.logger.warn(
      `the ${projection.name} read models were built up to position ${checkpoint}, which is no event of this log: rebuilding them`,
    );
    await clearProjection(this.readStore, projection, subscriptionId);
  }

  /** Events the projection has handled since this start (0 while it resumes from its checkpoint). */
  get handledSinceStart(): number {
    return this.run?.handled ?? 0;
  }

  /** Resolves once the projection has handled everything in the log at its start. */
  get caughtUp(): Promise<void> {
    return this.run?.caughtUp ?? Promise.resolve();
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
