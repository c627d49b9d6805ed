import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '#libs/event-sourcing';
import type { StaffingCommand } from '../domain';
import { StaffingStates, type DecisionResult } from './staffing-states';

/** Everything a decision needs besides the domain command: when, who, on what basis. */
export interface DecisionEnvelope {
  readonly context: CommandContext;
  readonly legalBasis: string;
  readonly correlationId: string;
  readonly causationId?: string | null;
  readonly idempotencyKey?: string;
  readonly traceparent?: string;
  /** From If-Match: the caller's view of the district stream; a mismatch is a 409. */
  readonly expectedRevision?: number;
}

export class DecideStaffing extends Command<DecisionResult> {
  constructor(
    readonly district: string,
    readonly command: StaffingCommand,
    readonly envelope: DecisionEnvelope,
  ) {
    super();
  }
}

/** Reads the district stream, calls the pure decide, appends with the expected revision. */
@CommandHandler(DecideStaffing)
export class DecideStaffingHandler implements ICommandHandler<DecideStaffing> {
  constructor(private readonly districts: StaffingStates) {}

  execute({ district, command, envelope }: DecideStaffing): Promise<DecisionResult> {
    return this.districts.decide(district, { command, ...envelope });
  }
}
