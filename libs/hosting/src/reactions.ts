import {
  Logger,
  type FactoryProvider,
  type InjectionToken,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { containsPersonalData, districtOfStream, PERSONAL_DATA_RULE, type District } from '#libs/contracts';
import { NotFound, RuleViolation, type DecisionEnvelope, type RecordedEvent } from '#libs/event-sourcing';
import { CommandBus } from '@nestjs/cqrs';
import type { FollowedCorrection } from '#libs/decider';
import { startServiceConsumer, type Inbox, type ServiceConsumer } from '#libs/messaging';
import { Decide, type ServiceCommand } from './decisions';
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
 * EST-8: what a service derived from an establishment decision follows that decision's correction.
 * The data of its FollowEstablishmentCorrection command, from the establishment's DecisionCorrected.
 */
export function followedCorrection(correction: RecordedEvent): FollowedCorrection {
  const d = correction.data as Record<string, unknown>;
  const corrected = d.correctedEffectiveAt as string | null;
  return {
    correctionEventId: correction.eventId,
    correctsEventId: d.correctsEventId as string,
    correctsType: d.correctsType as string,
    reason: d.reason as string,
    correctedEffectiveAt: corrected === null ? null : corrected.slice(0, 10),
    correctedLegalBasis: d.correctedLegalBasis as string | null,
    annulled: d.annulled as boolean,
    correctedBy: correction.metadata.actor.subject,
    correctionRecordedAt: correction.recordedAt,
  };
}

/** A reaction's commands go the way an officer's do: the one Decide command on the CommandBus. */
const throughTheBus =
  <C extends { type: string }>(bus: CommandBus): DecideInDistrict<C> =>
  (district, command, envelope) =>
    bus.execute(new Decide(district.code, command as C & ServiceCommand, envelope));

/**
 * The provider of a service's reaction (a ReactionConsumer, under its `name` as token): the
 * service's name and inbox come from its module; its commands are decided through the CommandBus
 * unless `decide` is built from other providers (`inject`).
 */
export function reactionProvider<C extends { type: string }>(declaration: {
  readonly name: string;
  readonly from: string;
  readonly reaction: Reaction<C>;
  readonly inject?: readonly InjectionToken[];
  readonly decide?: (...dependencies: never[]) => DecideInDistrict<C>;
}): FactoryProvider<ReactionConsumer<C>> {
  const decide = declaration.decide ?? throughTheBus<C>;
  return {
    provide: declaration.name,
    inject: [
      SERVICE_NAME,
      CONSUMER_INBOX,
      ...(declaration.decide ? (declaration.inject ?? []) : [CommandBus]),
    ],
    useFactory: (service: string, inbox: Inbox, ...dependencies: unknown[]) =>
      new ReactionConsumer<C>({
        service,
        name: declaration.name,
        from: declaration.from,
        reaction: declaration.reaction,
        decide: decide(...(dependencies as never[])),
        inbox,
      }),
  };
}
