import { Inject, Injectable, Optional, type Provider, type Type } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  SerialisedStreams,
  type CommandRequest,
  type Decider,
  type DecisionEnvelope,
  type DecisionResult,
  type DomainEvent,
  type EventStore,
  type RecordedEvent,
  type StreamStates,
} from '#libs/event-sourcing';
import {
  DECISIONS,
  IdempotentRequests,
  SERVICE_METRICS,
  type Decisions,
  type ServiceMetrics,
} from '#libs/http';
import { HostingMetrics } from './hosting-metrics';
import { ProjectionHost } from './projection-host';
import { RelayHost } from './relay-host';
import { RegistryClock } from './registry-clock';

/** A command of any service: its type names it, its data was checked against the type's schema. */
export interface ServiceCommand {
  readonly type: string;
  readonly data: unknown;
}

/**
 * One decision of a service: the command, the district whose stream decides it (a city-wide
 * stream ignores it) and the envelope. Every service sends this one command on its CommandBus,
 * from its HTTP routes and from its reactions.
 */
export class Decide extends Command<DecisionResult> {
  constructor(
    readonly district: string,
    readonly command: ServiceCommand,
    readonly envelope: DecisionEnvelope,
  ) {
    super();
  }
}

/**
 * The streams of one decider, named by district code (`district-chengguan`, ...): decides commands
 * on the stream's state and answers reads of it, through SerialisedStreams and its state cache.
 */
export class DecidedStreams<C, E extends DomainEvent, S> {
  private readonly streams: SerialisedStreams<C, E, S>;

  constructor(
    store: EventStore,
    decider: Decider<C, E, S>,
    /** The stream of a district; a city-wide stream returns its one id. */
    readonly streamId: (district: string) => string,
    options: { readonly cacheSize?: number } = {},
  ) {
    this.streams = new SerialisedStreams(store, decider, options);
  }

  decide(district: string, request: CommandRequest<C>): Promise<DecisionResult> {
    return this.streams.decide(this.streamId(district), request);
  }

  /** The folded states of the streams, for the service's projection: one state per stream in the process. */
  get states(): StreamStates<S> {
    return this.streams;
  }

  read<T>(district: string, fn: (state: S, revision: number) => T): Promise<T> {
    return this.streams.read(this.streamId(district), fn);
  }

  events(district: string, fromRevision = 0, maxCount = 500): Promise<RecordedEvent<E['type']>[]> {
    return this.streams.events(this.streamId(district), fromRevision, maxCount);
  }

  /** A service of one decider decides every command here. */
  deciding(): DecidedStreams<C, E, S> {
    return this;
  }
}

/** The streams that decide a command: its data was checked against its type's schema at the edge. */
export interface Decides {
  decide(district: string, request: CommandRequest<ServiceCommand>): Promise<DecisionResult>;
}

/** What the one command handler needs of a service: the streams that decide a command type. */
export interface ServiceStreams {
  deciding(commandType: string): Decides;
}

/** Injection token of the service's ServiceStreams (its DecidedStreams, or a pair of them). */
export const SERVICE_STREAMS = 'SERVICE_STREAMS';

/**
 * The command handler of every service, in a straight line: decides on the streams the service
 * named, counts the decision (accepted, or refused with the rule id of its RuleViolation, or
 * failed), then lets the projection know the position to wait for (read-your-writes) and nudges the
 * relay so it need not wait for its next poll. Nothing is published in the request path: the event
 * log is the outbox.
 */
@Injectable()
@CommandHandler(Decide)
export class DecideHandler implements ICommandHandler<Decide> {
  private readonly metrics: HostingMetrics | undefined;

  constructor(
    @Inject(SERVICE_STREAMS) private readonly streams: ServiceStreams,
    private readonly projections: ProjectionHost,
    private readonly relay: RelayHost,
    @Optional() @Inject(SERVICE_METRICS) serviceMetrics?: ServiceMetrics,
  ) {
    this.metrics = serviceMetrics && HostingMetrics.of(serviceMetrics);
  }

  async execute({ district, command, envelope }: Decide): Promise<DecisionResult> {
    let result: DecisionResult;
    try {
      result = await this.streams.deciding(command.type).decide(district, { ...envelope, command });
    } catch (error) {
      this.metrics?.notAccepted(command.type, error);
      throw error;
    }
    this.metrics?.accepted(command.type);
    const last = result.events.at(-1);
    if (last) {
      this.metrics?.eventsAppended(result.events.length, last.globalPosition);
      this.projections.noteAppended(last.globalPosition);
      this.relay.notify();
    }
    return result;
  }
}

/** The command routes' way to a decision: the CommandBus, with today from the registry's clock. */
@Injectable()
export class BusDecisions implements Decisions {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly clock: RegistryClock,
  ) {}

  today(): string {
    return this.clock.today();
  }

  decide(district: string, command: Decide['command'], envelope: DecisionEnvelope): Promise<DecisionResult> {
    return this.commandBus.execute(new Decide(district, command, envelope));
  }
}

/**
 * The providers of a service's decisions: its streams (a class, also under SERVICE_STREAMS), the
 * one command handler, and what the command routes of libs/http need (DECISIONS, idempotency).
 */
export function decisionProviders(streams: Type<ServiceStreams>): Provider[] {
  return [
    streams,
    { provide: SERVICE_STREAMS, useExisting: streams },
    DecideHandler,
    { provide: DECISIONS, useClass: BusDecisions },
    IdempotentRequests,
  ];
}
