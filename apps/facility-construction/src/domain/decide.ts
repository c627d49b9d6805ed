import { assertNever, assertNoPersonalData, type CommandContext } from '#libs/decider';
import type { FacilityCommand } from './commands';
import type { FacilityEvent } from './events';
import { DEFAULT_FACILITY_POLICY, type FacilityPolicy } from './policy';
import type { FacilityState } from './state';
import {
  changeFacilityUse,
  handOverFacility,
  recordExistingFacility,
  recordFacilityFunctions,
  recordUtilityTariff,
  remedySpace,
  remedyVegetableMarket,
} from './decide/facilities';
import {
  assignBuildingNames,
  inspectAcceptance,
  recordConsultation,
  registerProject,
  reviewPlanning,
  reviseDesign,
  startConstruction,
} from './decide/projects';
import { followCorrection, recompute, recount } from './decide/reactions';
import { onItsDate } from './decide/shared';

export { decideFunding } from './decide/funding';
export { recomputedFiguresOf } from './decide/reactions';

/**
 * decide(command, state) → events for FAC-1..8 (RULES.md). Pure: the effective date and the actor
 * come in the context. A refusal is a RuleViolation naming the rule id and nothing is appended;
 * the refusals the text makes into decisions (a design short of FAC-1 at review, the refusal of
 * building naming after a failed acceptance, FAC-3) are events, so auditors see them. Each command
 * is decided in its slice under decide/: projects, facilities, and the establishment's decisions
 * followed here (reactions); the city's funding ledger has its own decider there.
 */
export function decide(
  command: FacilityCommand,
  state: FacilityState,
  ctx: CommandContext,
  policy: FacilityPolicy = DEFAULT_FACILITY_POLICY,
): FacilityEvent[] {
  // PERSONAL-DATA: no national identity number or birth date enters an event, whoever asks.
  assertNoPersonalData(command.data);
  // EST-8: following a correction re-dates facts already recorded; it is judged on them, not on a date.
  if (command.type === 'FollowEstablishmentCorrection') return followCorrection(command, state);
  return onItsDate(state, ctx, (view, on) => {
    switch (command.type) {
      case 'RegisterConstructionProject':
        return registerProject(command, view, policy);
      case 'ReviseDesign':
        return reviseDesign(command, view, policy);
      case 'RecordConsultation':
        return recordConsultation(command, view);
      case 'ReviewPlanning':
        return reviewPlanning(command, view);
      case 'StartConstruction':
        return startConstruction(command, view);
      case 'InspectAcceptance':
        return inspectAcceptance(command, view);
      case 'AssignBuildingNames':
        return assignBuildingNames(command, view);
      case 'HandOverFacility':
        return handOverFacility(command, view, on);
      case 'RecomputeRequirement':
        return recompute(command, view, on, policy);
      case 'RecountCommunityHouseholds':
        return recount(command, view, on, policy);
      case 'RecordExistingFacility':
        return recordExistingFacility(command, view, on);
      case 'RemedySpaceShortage':
        return remedySpace(command, view, on);
      case 'RemedyVegetableMarket':
        return remedyVegetableMarket(command, view, on);
      case 'RecordFacilityFunctions':
        return recordFacilityFunctions(command, view, on);
      case 'ChangeFacilityUse':
        return changeFacilityUse(command, view, on);
      case 'RecordUtilityTariff':
        return recordUtilityTariff(command, view, on);
      // Stryker disable next-line ConditionalExpression: unreachable, every command type has its case above
      default:
        return assertNever(command);
    }
  });
}
