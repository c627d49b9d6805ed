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

/** Reads the district stream, calls the pure decide, appends with the expected revision. */
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
