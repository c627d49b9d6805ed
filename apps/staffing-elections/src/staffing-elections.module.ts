import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { EventStore } from '#libs/event-sourcing';
import {
  decisionProviders,
  EVENT_STORE,
  PROJECTION_FACTORY,
  ProjectionHost,
  registryClockProvider,
  RelayHost,
  storageProviders,
} from '#libs/hosting';
import { DEFAULT_STAFFING_POLICY, type StaffingPolicy } from './domain';
import { StaffingQueries } from './application/staffing-queries';
import { EstablishmentReactions } from './application/establishment-reactions';
import { StaffingStates } from './application/staffing-states';
import { StaffingProjection } from './application/projections';
import { STAFFING_POLICY } from './application/tokens';
import { CityIndicatorsController, StaffingController } from './http/staffing.controller';

export const SERVICE_NAME = 'staffing-elections';

/** Policy parameters from the environment, each defaulting to DEFAULT_STAFFING_POLICY (documented there). */
export function staffingPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): StaffingPolicy {
  const num = (name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0 || value > max)
      throw new Error(`${name}=${raw} is out of range`);
    return value;
  };
  const d = DEFAULT_STAFFING_POLICY;
  return {
    ...d,
    minTurnoutExclusive: num('ELECT5_MIN_TURNOUT', d.minTurnoutExclusive, 1),
    minVoteShareExclusive: num('ELECT5_MIN_VOTE_SHARE', d.minVoteShareExclusive, 1),
    electionDueDays: num('ELECT4_ELECTION_DUE_DAYS', d.electionDueDays),
  };
}

/**
 * Elections of residents' committees and the community workforce (rules ELECT-1..5, STAFF-1..6,
 * ORG-2 seen from the person), wired like the establishment service: the storage of the profile
 * (SQLite under REGISTRY_DATA_DIR, or KurrentDB and MongoDB in production), read models kept by a
 * projection, the outbox relay to `lanzhou.registry.staffing-elections.events.v1` (or the
 * embedded bus), and the reactions to the establishment service's events.
 */
@Module({
  imports: [CqrsModule.forRoot()],
  controllers: [StaffingController, CityIndicatorsController],
  providers: [
    ...storageProviders(SERVICE_NAME),
    { provide: PROJECTION_FACTORY, useValue: (store: EventStore) => new StaffingProjection(store) },
    { provide: STAFFING_POLICY, useFactory: () => staffingPolicyFromEnv() },
    registryClockProvider(),
    ProjectionHost,
    RelayHost,
    ...decisionProviders(StaffingStates),
    StaffingQueries,
    EstablishmentReactions,
  ],
})
export class StaffingElectionsModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
