import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { DecisionEnvelope } from '#libs/event-sourcing';
import { AfterAppend } from '#libs/hosting';
import { FacilityStreams, type DecisionResult, type Target } from './facility-streams';

export class DecideFacility extends Command<DecisionResult> {
  constructor(
    readonly target: Target,
    readonly envelope: DecisionEnvelope,
  ) {
    super();
  }
}

/**
 * Hands the decision to FacilityStreams (which decides on the target stream's state and appends
 * with the expected revision) inside AfterAppend.decided, which counts it and tells the projection
 * and the relay of the new events (the event log is the outbox).
 */
@CommandHandler(DecideFacility)
export class DecideFacilityHandler implements ICommandHandler<DecideFacility> {
  constructor(
    private readonly streams: FacilityStreams,
    private readonly afterAppend: AfterAppend,
  ) {}

  async execute({ target, envelope }: DecideFacility): Promise<DecisionResult> {
    return this.afterAppend.decided(target.command.type, () => this.streams.decide(target, envelope));
  }
}
