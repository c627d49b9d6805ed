import { assertNever, assertNoPersonalData, type CommandContext } from '#libs/decider';
import { PERSONAL_DATA_RULE } from '#libs/contracts';
import type { StaffingCommand } from './commands';
import type { StaffingEvent } from './events';
import { DEFAULT_STAFFING_POLICY, type StaffingPolicy } from './policy';
import type { StaffingState } from './state';
import { followCorrection } from './decide/corrections';
import { callElection, recordResults, registerElectorate } from './decide/elections';
import { onItsDate } from './decide/shared';
import { endTerms } from './decide/terms';
import {
  assignPost,
  endPost,
  hireWorker,
  recordAverageWage,
  recordCareerEvent,
  recordPay,
  recordQualification,
  recordWelfare,
  transferWorker,
  workerLeaves,
} from './decide/workforce';

/** Not a rule of RULES.md: the registry's own rule that national id numbers never enter an event. */
export { PERSONAL_DATA_RULE };
export { regimeApplied } from './decide/shared';

/**
 * decide(command, state) → events: the rules ELECT-1..5, STAFF-1..6 and ORG-2 (RULES.md). Pure:
 * the effective date and the actor come in the context. A refusal is a RuleViolation naming the
 * rule id, and nothing is appended. Each command is decided in its slice under decide/: elections,
 * terms, workforce (with posts) and the establishment corrections followed here.
 */
export function decide(
  command: StaffingCommand,
  state: StaffingState,
  ctx: CommandContext,
  policy: StaffingPolicy = DEFAULT_STAFFING_POLICY,
): StaffingEvent[] {
  assertNoPersonalData(command.data);
  // EST-8: following a correction re-dates facts already recorded; it is judged on them, not on a date.
  if (command.type === 'FollowEstablishmentCorrection') return followCorrection(command, state);
  return onItsDate(state, ctx, (view, on) => {
    switch (command.type) {
      case 'CallElection':
        return callElection(command, view, on, policy);
      case 'RegisterElectorate':
        return registerElectorate(command, view, on);
      case 'RecordElectionResults':
        return recordResults(command, view, on, policy);
      case 'EndTerms':
        return endTerms(command, view, on);
      case 'HireWorker':
        return hireWorker(command, view, on);
      case 'TransferWorker':
        return transferWorker(command, view);
      case 'WorkerLeaves':
        return workerLeaves(command, view);
      case 'RecordWelfare':
        return recordWelfare(command, view, on);
      case 'RecordAverageWage':
        return recordAverageWage(command, view, on);
      case 'RecordPay':
        return recordPay(command, view, on, policy);
      case 'RecordQualification':
        return recordQualification(command, view, on);
      case 'RecordCareerEvent':
        return recordCareerEvent(command, view);
      case 'AssignPost':
        return assignPost(command, view);
      case 'EndPost':
        return endPost(command, view);
      // Stryker disable next-line ConditionalExpression: unreachable, every command type has its case above
      default:
        return assertNever(command);
    }
  });
}
