import { Inject, type OnApplicationShutdown, type Provider, type Type } from '@nestjs/common';
import type { EventStore, UpcasterChain } from '#libs/event-sourcing';
import type { Projection, ReadIndexes } from '#libs/read-store';
import { decisionProviders, SERVICE_STREAMS, type ServiceStreams } from './decisions';
import { ProjectionHost, type ProjectionFactory } from './projection-host';
import { registryClockProvider } from './registry-clock';
import { RelayHost } from './relay-host';
import { storageFromEnv, storageProviders } from './storage-providers';
import { EVENT_STORE, PROJECTION_FACTORY } from './tokens';

/** What tells one registry service from another on the shared hosting. */
export interface RegistryService<T extends ServiceStreams = ServiceStreams> {
  readonly name: string;
  /** The service's chain: every read of its store upcasts (GUIDE §4.7). */
  readonly upcasters: UpcasterChain;
  /**
   * Its read models, kept by the projection host, derived from the states of its streams (the
   * command side's: one folded state per stream in the process).
   */
  readonly projection: (store: EventStore, streams: T) => Projection;
  /** The fields its queries filter and sort each collection by, indexed by the SQLite read store. */
  readonly readIndexes?: ReadIndexes;
  /** Its decider and stream naming, behind the one Decide handler. */
  readonly streams: Type<T>;
}

/**
 * The providers every registry service runs on: the storage of the profile, the projection host,
 * the outbox relay, the registry clock and the one decision path. A module adds its policy, its
 * queries, its reactions and its controllers.
 */
export function registryServiceProviders<T extends ServiceStreams>(service: RegistryService<T>): Provider[] {
  return [
    ...storageProviders(
      service.name,
      (name) => storageFromEnv(name, process.env, service.readIndexes),
      service.upcasters,
    ),
    {
      provide: PROJECTION_FACTORY,
      useFactory:
        (streams: T): ProjectionFactory =>
        (store) =>
          service.projection(store, streams),
      inject: [SERVICE_STREAMS],
    },
    registryClockProvider(),
    ProjectionHost,
    RelayHost,
    ...decisionProviders(service.streams),
  ];
}

/** The module of a registry service closes its event store last, once Nest has stopped the rest. */
export abstract class RegistryServiceModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
