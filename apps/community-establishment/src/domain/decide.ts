import { assertNever, assertNoPersonalData, type CommandContext } from '#libs/decider';
import type { EstablishmentCommand } from './commands';
import { convertVillage, recordAdjacency, registerArea, reportOccupancy } from './decide/areas';
import { dissolveCommittee, establishCommittee, renameCommittee } from './decide/committees';
import {
  assignPost,
  delegateTask,
  endPost,
  setUpPartyOrganization,
  setUpServiceStation,
} from './decide/community-bodies';
import { correctDecision } from './decide/corrections';
import { areasNamedWith, assertCoverage } from './decide/coverage';
import { updateAreaHouseholds } from './decide/households';
import { endProxyManagement, formResidentsGroup, startProxyManagement } from './decide/interim-coverage';
import { mergeCommittees, splitCommittee } from './decide/mergers-and-splits';
import { assertChronological } from './decide/shared';
import type { EstablishmentEvent } from './events';
import { DEFAULT_POLICY, type EstablishmentPolicy } from './policy';
import { dateOf, viewAsOf, type DistrictState, type DistrictView } from './state';

export { householdRangeCheck } from './decide/households';

/**
 * decide(command, state) → events: the rules of ORG-1..3 and EST-1..9 (RULES.md). Pure: the
 * effective date and the actor come in the context, nothing reads a clock. A refusal is a
 * RuleViolation naming the rule id, and nothing is appended.
 */
export function decide(
  command: EstablishmentCommand,
  state: DistrictState,
  ctx: CommandContext,
  policy: EstablishmentPolicy = DEFAULT_POLICY,
): EstablishmentEvent[] {
  // PERSONAL-DATA: no national identity number or birth date enters an event, whoever asks.
  assertNoPersonalData(command.data);
  const on = dateOf(ctx.effectiveAt);
  // The map as it stood on the effective date: backfilled decisions are judged by their own date.
  // Stryker disable next-line ConditionalExpression,EqualityOperator: on or after the latest date viewAsOf folds the same map; state.view is only its cached fold.
  const view = on >= state.latestEffectiveAt ? state.view : viewAsOf(state.facts, on);
  const events = decideOn(command, view, state, on, policy);
  // Stryker disable next-line ConditionalExpression,StringLiteral: a correction's event concerns no entity and changes no responsibility, so both checks would pass it anyway.
  if (command.type !== 'CorrectDecision') {
    assertChronological(state, events, on);
    assertCoverage(view, events, on, (bodies) => areasNamedWith(state, view, bodies));
  }
  return events;
}

/** The dispatcher: each kind of decision is decided in its slice under decide/. */
function decideOn(
  command: EstablishmentCommand,
  view: DistrictView,
  state: DistrictState,
  on: string,
  policy: EstablishmentPolicy,
): EstablishmentEvent[] {
  switch (command.type) {
    case 'RegisterArea':
      return registerArea(command, view, on, policy);
    case 'ConvertVillageToResidence':
      return convertVillage(command, view, on, policy);
    case 'UpdateAreaHouseholds':
      return updateAreaHouseholds(command, view);
    case 'RecordAdjacency':
      return recordAdjacency(command, view);
    case 'ReportOccupancy':
      return reportOccupancy(command, view, on, policy);
    case 'FormResidentsGroup':
      return formResidentsGroup(command, view);
    case 'StartProxyManagement':
      return startProxyManagement(command, view);
    case 'EndProxyManagement':
      return endProxyManagement(command, view, on);
    case 'EstablishCommittee':
      return establishCommittee(command, view, on, policy);
    case 'MergeCommittees':
      return mergeCommittees(command, view, on);
    case 'SplitCommittee':
      return splitCommittee(command, view, on);
    case 'RenameCommittee':
      return renameCommittee(command, view);
    case 'DissolveCommittee':
      return dissolveCommittee(command, view, on);
    case 'SetUpPartyOrganization':
      return setUpPartyOrganization(command, view);
    case 'SetUpServiceStation':
      return setUpServiceStation(command, view);
    case 'AssignPost':
      return assignPost(command, view);
    case 'EndPost':
      return endPost(command, view);
    case 'DelegateTask':
      return delegateTask(command, view);
    case 'CorrectDecision':
      return correctDecision(command, state);
    default:
      return assertNever(command);
  }
}
