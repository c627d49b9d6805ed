import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { DecisionEnvelope } from '#libs/event-sourcing';
import type { EstablishmentCommand } from '../domain';
import { DistrictStates, type DecisionResult } from './district-states';
import { AfterAppend } from '#libs/hosting';

export class DecideEstablishment extends Command<DecisionResult> {
  constructor(
    readonly district: string,
    readonly command: EstablishmentCommand,
    readonly envelope: DecisionEnvelope,
  ) {
    super();
  }
}

/**
 * Hands the decision to DistrictStates (which decides on the district's state and appends with
 * the expected revision) inside AfterAppend.decided, which counts it and tells the projection and
 * the relay of the new events.
 */
@CommandHandler(DecideEstablishment)
export class DecideEstablishmentHandler implements ICommandHandler<DecideEstablishment> {
  constructor(
    private readonly districts: DistrictStates,
    private readonly afterAppend: AfterAppend,
  ) {}

  async execute({ district, command, envelope }: DecideEstablishment): Promise<DecisionResult> {
    return this.afterAppend.decided(command.type, () =>
      this.districts.decide(district, { command, ...envelope }),
    );
  }
}
