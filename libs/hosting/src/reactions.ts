import {
  Logger,
  type FactoryProvider,
  type InjectionToken,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { containsPersonalData, districtOfStream, PERSONAL_DATA_RULE, type District } from '#libs/contracts';
import { NotFound, RuleViolation, type DecisionEnvelope, type RecordedEvent } from '#libs/event-sourcing';
import { startServiceConsumer, type Inbox, type ServiceConsumer } from '#libs/messaging';
import { CONSUMER_INBOX, SERVICE_NAME } from './tokens';

/**
 * A reaction: an event another service published → the commands it calls for here, or none. Pure;
 * the commands derive from the event alone (ids from its event id), so a redelivered event decides
 * nothing new.
 */
export type Reaction<C> = (event: RecordedEvent) => readonly C[];

/** How the reacting service decides one of its commands in the district the event belongs to. */
export type DecideInDistrict<C> = (
  district: District,
  command: C,
  envelope: DecisionEnvelope,
) => Promise<unknown>;

export interface ReactionsOptions<C> {
  /** The reacting service: its consumer group is `<service>.<name>`, its actor `system:<service>`. */
  readonly service: string;
  /** Distinguishes this service's consumers, e.g. `establishment-reactions`. */
  readonly name: string;
  /** The publishing service: its topic and its district streams, from the event catalogue. */
  readonly from: string;
  readonly reaction: Reaction<C>;
  readonly decide: DecideInDistrict<C>;
  /** The service's inbox (the StorageProfile's): each event's effect once, across restarts too. */
  readonly inbox: Inbox;
}

/**
 * Runs a reaction: a consumer group on the publishing service's topic (or the embedded bus) whose
 * handler decides each command of the reaction as the system actor of the reacting service, with
 * the event as its causation.
 */
export class ReactionConsumer<C extends { type: string }> implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger: Logger;
  private consumer: ServiceConsumer | undefined;

  constructor(readonly options: ReactionsOptions<C>) {
    this.logger = new Logger(`Reactions:${options.name}`);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = await startServiceConsumer({
      name: `${this.options.service}.${this.options.name}`,
      fromServices: [this.options.from],
      inbox: this.options.inbox,
      handler: (event) => this.react(event),
    });
  }

  async react(event: RecordedEvent): Promise<void> {
    const district = districtOfStream(this.options.from, event.streamId);
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
    for (const command of this.options.reaction(event)) {
      try {
        await this.options.decide(district, command, this.envelopeOf(event, district));
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
        actor: { subject: `system:${this.options.service}`, roles: ['system'], districtScope: district.name },
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

/**
 * The provider of a service's reaction (a ReactionConsumer, under its `name` as token): the
 * service's name and inbox come from its module; `decide` is built from the providers in `inject`.
 */
export function reactionProvider<C extends { type: string }>(declaration: {
  readonly name: string;
  readonly from: string;
  readonly reaction: Reaction<C>;
  readonly inject: readonly InjectionToken[];
  readonly decide: (...dependencies: never[]) => DecideInDistrict<C>;
}): FactoryProvider<ReactionConsumer<C>> {
  return {
    provide: declaration.name,
    inject: [SERVICE_NAME, CONSUMER_INBOX, ...declaration.inject],
    useFactory: (service: string, inbox: Inbox, ...dependencies: unknown[]) =>
      new ReactionConsumer<C>({
        service,
        name: declaration.name,
        from: declaration.from,
        reaction: declaration.reaction,
        decide: declaration.decide(...(dependencies as never[])),
        inbox,
      }),
  };
}
