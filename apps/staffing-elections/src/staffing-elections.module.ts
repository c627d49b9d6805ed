import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { dataFileFor, SqliteEventStore, SqliteIdempotencyStore, type EventStore } from '#libs/event-sourcing';
import { IDEMPOTENCY_STORE, IdempotencyInterceptor } from '#libs/http';
import { DEFAULT_STAFFING_POLICY, type StaffingPolicy } from './domain';
import { DecideStaffingHandler } from './application/decide-staffing.handler';
import { StaffingQueries } from './application/staffing-queries';
import { EstablishmentReactions } from './application/establishment-reactions';
import { StaffingStates } from './application/staffing-states';
import { EVENT_STORE, STAFFING_POLICY } from './application/tokens';
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
 * ORG-2 seen from the person), on the embedded SQLite store of this service under
 * REGISTRY_DATA_DIR. Read models, the relay and the production profile come with the messaging
 * issue.
 */
@Module({
  imports: [CqrsModule.forRoot()],
  controllers: [StaffingController, CityIndicatorsController],
  providers: [
    {
      provide: EVENT_STORE,
      useFactory: (): Promise<EventStore> => SqliteEventStore.open({ file: dataFileFor(SERVICE_NAME) }),
    },
    {
      // Beside the events in the same SQLite file.
      provide: IDEMPOTENCY_STORE,
      useFactory: (store: SqliteEventStore) => new SqliteIdempotencyStore(store.db),
      inject: [EVENT_STORE],
    },
    { provide: STAFFING_POLICY, useFactory: () => staffingPolicyFromEnv() },
    IdempotencyInterceptor,
    StaffingStates,
    DecideStaffingHandler,
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
