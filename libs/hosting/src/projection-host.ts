import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { EventStore } from '#libs/event-sourcing';
import { runProjection, type Projection, type ProjectionRun, type ReadStore } from '#libs/read-store';
import { EVENT_STORE, PROJECTION_FACTORY, READ_STORE } from './tokens';

export type ProjectionFactory = (store: EventStore) => Projection;

/**
 * Keeps a service's read models following the store's global log while the service runs, and
 * lets queries read their own writes: a query waits until the projection has written the
 * documents of the last event this process appended.
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
  ) {}

  onModuleInit(): void {
    this.run = runProjection({
      store: this.store,
      readStore: this.readStore,
      projection: this.projectionOf(this.store),
      // Short in-process polling: read models trail commands by milliseconds, not a second.
      pollIntervalMs: 20,
      onError: (error) =>
        this.logger.error(`projection stopped, restarting from its checkpoint: ${String(error)}`),
    });
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
    await this.run?.stop();
    await this.readStore.close();
  }
}
