import { Inject, Logger, Optional, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { containsPersonalData, findDistrict, PERSONAL_DATA_RULE, type District } from '#libs/contracts';
import {
  NotFound,
  RuleViolation,
  SqliteEventStore,
  type DecisionEnvelope,
  type EventStore,
  type RecordedEvent,
} from '#libs/event-sourcing';
import {
  InMemoryInbox,
  SqliteInbox,
  startServiceConsumer,
  type Inbox,
  type ServiceConsumer,
} from '#libs/messaging';
import { CONSUMER_INBOX } from './tokens';

/**
 * A service's reactions to the establishment service's events: a consumer group on its topic (or
 * the embedded bus) whose handler maps each event to this service's commands and decides them as
 * the system actor of this service, with the event as their causation. The mapping is the
 * service's own (`commandsFor`, pure and tested by itself); this class is the shared plumbing.
 */
export abstract class EstablishmentReactionsBase<C extends { type: string }>
  implements OnApplicationBootstrap, OnModuleDestroy
{
  private readonly logger = new Logger('EstablishmentReactions');
  private consumer: ServiceConsumer | undefined;
  /**
   * The service's inbox (storageProviders): SQLite beside its events, MongoDB beside its read
   * models in production. A property, so that the services' subclasses need not pass it on.
   */
  @Optional() @Inject(CONSUMER_INBOX) private readonly inbox?: Inbox;

  protected constructor(
    private readonly service: string,
    private readonly store: EventStore,
  ) {}

  /** The commands an establishment event calls for here; ids derive from the event (replay-safe). */
  protected abstract commandsFor(event: RecordedEvent): readonly C[];

  /** Decide one command of this service in the district the event belongs to. */
  protected abstract decide(district: District, command: C, envelope: DecisionEnvelope): Promise<unknown>;

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = await startServiceConsumer({
      name: `${this.service}.establishment-reactions`,
      fromServices: ['community-establishment'],
      // Durable, so a restart does not run a reaction again; built here only outside a module (tests).
      inbox:
        this.inbox ??
        (this.store instanceof SqliteEventStore ? SqliteInbox.beside(this.store) : new InMemoryInbox()),
      handler: (event) => this.react(event),
    });
  }

  async react(event: RecordedEvent): Promise<void> {
    const district = findDistrict(event.streamId.replace(/^district-/, ''));
    if (!district) return;
    // PERSONAL-DATA: the legal basis is copied into this service's envelope, where no domain sees
    // it; a basis holding an id number or a birth date is refused here like a rule refusal (the
    // commands' own fields are refused by decide).
    if (containsPersonalData(event.metadata.legalBasis)) {
      this.logger.warn(
        `${event.type} ${event.eventId}: ${PERSONAL_DATA_RULE}: its legal basis holds personal data; nothing copied`,
      );
      return;
    }
    for (const command of this.commandsFor(event)) {
      try {
        await this.decide(district, command, this.envelopeOf(event, district));
      } catch (error) {
        // A rule refusing the reaction (e.g. the election already called) is an answer, not a
        // failure to retry: log it and move on.
        if (error instanceof RuleViolation || error instanceof NotFound) {
          this.logger.warn(`${event.type} ${event.eventId} → ${command.type}: ${error.message}`);
          continue;
        }
        throw error;
      }
    }
  }

  private envelopeOf(event: RecordedEvent, district: District): DecisionEnvelope {
    return {
      context: {
        effectiveAt: event.metadata.effectiveAt,
        actor: { subject: `system:${this.service}`, roles: ['system'], districtScope: district.name },
      },
      legalBasis: event.metadata.legalBasis,
      correlationId: event.metadata.correlationId,
      causationId: event.eventId,
      traceparent: event.metadata.traceparent,
    };
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer?.stop();
  }
}
