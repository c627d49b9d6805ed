import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { DecisionEnvelope } from '#libs/event-sourcing';
import { AfterAppend } from '#libs/hosting';
import type { StaffingCommand } from '../domain';
import { StaffingStates, type DecisionResult } from './staffing-states';

export class DecideStaffing extends Command<DecisionResult> {
  constructor(
    readonly district: string,
    readonly command: StaffingCommand,
    readonly envelope: DecisionEnvelope,
  ) {
    super();
  }
}

/**
 * Hands the decision to StaffingStates (which decides on the district's state and appends with
 * the expected revision) inside AfterAppend.decided, which counts it and tells the projection and
 * the relay of the new events.
 */
@CommandHandler(DecideStaffing)
export class DecideStaffingHandler implements ICommandHandler<DecideStaffing> {
  constructor(
    private readonly districts: StaffingStates,
    private readonly afterAppend: AfterAppend,
  ) {}

  async execute({ district, command, envelope }: DecideStaffing): Promise<DecisionResult> {
    return this.afterAppend.decided(command.type, () =>
      this.districts.decide(district, { command, ...envelope }),
    );
  }
}
