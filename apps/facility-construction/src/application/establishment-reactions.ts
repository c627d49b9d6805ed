import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { findDistrict } from '#libs/contracts';
import {
  NotFound,
  RuleViolation,
  SqliteEventStore,
  type EventStore,
  type RecordedEvent,
} from '#libs/event-sourcing';
import { InMemoryInbox, SqliteInbox, startServiceConsumer, type ServiceConsumer } from '#libs/messaging';
import type { FacilityCommand } from '../domain';
import { DecideFacility } from './decide-facility.handler';
import { EVENT_STORE } from './tokens';

/** What a recomputation needs from an establishment event, per community concerned. */
interface Recompute {
  communityId: string;
  households: number;
  reason: 'community-established' | 'merger' | 'split';
  mergedCommunityIds: string[];
}

type HouseholdRange = { households: number };
type Part = { communityId: string; householdRange: HouseholdRange };

/**
 * FAC-1 reactions (issue 5, item 7): a new community, a merger or a split in the establishment
 * service recomputes the space requirement of each community concerned here, and the resulting
 * event says whether its existing space still meets it. Pure mapping, exported for tests.
 */
export function recomputationsFor(event: RecordedEvent): Recompute[] {
  const d = event.data as Record<string, unknown>;
  switch (event.type) {
    case 'CommitteeEstablished':
      return [
        {
          communityId: d.communityId as string,
          households: (d.householdRange as HouseholdRange).households,
          reason: 'community-established',
          mergedCommunityIds: [],
        },
      ];
    case 'CommitteesMerged': {
      const result = d.result as Part;
      return [
        {
          communityId: result.communityId,
          households: result.householdRange.households,
          reason: 'merger',
          mergedCommunityIds: (d.sourceCommunityIds as string[]).filter((id) => id !== result.communityId),
        },
      ];
    }
    case 'CommitteeSplit':
      return (d.parts as Part[]).map((p) => ({
        communityId: p.communityId,
        households: p.householdRange.households,
        reason: 'split',
        mergedCommunityIds: [],
      }));
    default:
      return [];
  }
}

@Injectable()
export class EstablishmentReactions implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('EstablishmentReactions');
  private consumer: ServiceConsumer | undefined;

  constructor(
    private readonly commandBus: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = await startServiceConsumer({
      name: 'facility-construction.establishment-reactions',
      fromServices: ['community-establishment'],
      // The inbox lives beside this service's events, so it survives a restart.
      inbox: this.store instanceof SqliteEventStore ? new SqliteInbox(this.store.db) : new InMemoryInbox(),
      handler: (event) => this.react(event),
    });
  }

  async react(event: RecordedEvent): Promise<void> {
    const districtCode = event.streamId.replace(/^district-/, '');
    const district = findDistrict(districtCode);
    if (!district) return;
    for (const r of recomputationsFor(event)) {
      const command = {
        type: 'RecomputeRequirement',
        data: { ...r, sourceEventId: event.eventId },
      } as FacilityCommand;
      try {
        await this.commandBus.execute(
          new DecideFacility(
            { stream: 'facilities', district: district.code, command },
            {
              context: {
                effectiveAt: event.metadata.effectiveAt,
                actor: {
                  subject: 'system:facility-construction',
                  roles: ['system'],
                  districtScope: district.name,
                },
              },
              legalBasis: event.metadata.legalBasis,
              correlationId: event.metadata.correlationId,
              causationId: event.eventId,
              traceparent: event.metadata.traceparent,
            },
          ),
        );
      } catch (error) {
        // A rule refusing the reaction is an answer, not a failure to retry: log it and move on.
        if (error instanceof RuleViolation || error instanceof NotFound) {
          this.logger.warn(`${event.type} ${event.eventId} → ${r.communityId}: ${error.message}`);
          continue;
        }
        throw error;
      }
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer?.stop();
  }
}
