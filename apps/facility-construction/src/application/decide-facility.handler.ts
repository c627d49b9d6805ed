import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { DecisionEnvelope } from '#libs/event-sourcing';
import { FacilityStreams, type DecisionResult, type Target } from './facility-streams';

export class DecideFacility extends Command<DecisionResult> {
  constructor(
    readonly target: Target,
    readonly envelope: DecisionEnvelope,
  ) {
    super();
  }
}

/** Reads the stream, calls the pure decide, appends with the expected revision. */
@CommandHandler(DecideFacility)
export class DecideFacilityHandler implements ICommandHandler<DecideFacility> {
  constructor(private readonly streams: FacilityStreams) {}

  execute({ target, envelope }: DecideFacility): Promise<DecisionResult> {
    return this.streams.decide(target, envelope);
  }
}
