import {
  DeciderHistory,
  commandFrom,
  type CommandInput as InputOf,
  type Outcome as GenericOutcome,
} from '#libs/decider/testing';
import type { CommandContext } from '#libs/decider';
import { COMMAND_SCHEMAS, type CommandType, type StaffingCommand } from '../commands';
import { decide } from '../decide';
import type { StaffingEvent } from '../events';
import { DEFAULT_STAFFING_POLICY, type StaffingPolicy } from '../policy';
import { evolve, initialState, type StaffingState, type StaffingView } from '../state';

/**
 * The staffing and elections decider's given/when/then (the shared one of #libs/decider/testing,
 * configured with this decider and its policy) and the committees the specs start from.
 */

export { eventIdFor } from '#libs/decider/testing';
export type CommandInput<T extends CommandType> = InputOf<typeof COMMAND_SCHEMAS, T>;
export type Outcome = GenericOutcome<StaffingEvent, StaffingEvent[]>;

export const OFFICIAL = {
  subject: 'clerk-chengguan-01',
  roles: ['officer'],
  districtScope: 'chengguan',
} as const;

export const command = commandFrom<typeof COMMAND_SCHEMAS, StaffingCommand>(COMMAND_SCHEMAS);

export const commandContext = (effectiveAt: string): CommandContext => ({ effectiveAt, actor: OFFICIAL });

export class History extends DeciderHistory<StaffingCommand, StaffingEvent, StaffingState> {
  constructor(readonly policy: StaffingPolicy = DEFAULT_STAFFING_POLICY) {
    super(
      { initialState, evolve, decide: (cmd, state, ctx) => decide(cmd, state, ctx, policy) },
      { official: OFFICIAL, untouched: (state) => [state.view, state.facts.length] },
    );
  }

  get view(): StaffingView {
    return this.state.view;
  }

  /** `causationId`: the establishment event a reaction derived the decision from (EST-8). */
  record(on: string, events: readonly StaffingEvent[], causationId: string | null = null): void {
    this.append(on, events, { causationId });
  }

  do<T extends CommandType>(
    type: T,
    data: CommandInput<T>,
    on: string,
    causationId: string | null = null,
  ): StaffingEvent[] {
    return this.run(command(type, data), on, { causationId }).map((r) => r.event);
  }

  when<T extends CommandType>(type: T, data: CommandInput<T>, on: string): Outcome {
    return this.attempt(command(type, data), on, (events) => {
      this.append(on, events);
      return [...events];
    });
  }
}

export const history = (policy?: StaffingPolicy): History => new History(policy);

/** Seven elected members: chair, two vice-chairs, four members; one woman, one of a smaller group. */
export function sevenMembers(prefix = 'p') {
  const roles = ['chair', 'vice-chair', 'vice-chair', 'member', 'member', 'member', 'member'] as const;
  return roles.map((role, i) => ({
    personId: `${prefix}-${i + 1}`,
    role,
    woman: i === 1,
    ethnicMinority: i === 2,
  }));
}

/** Candidates for those members, each with `votes` of the votes cast, plus one who lost. */
export function candidatesFor(members: readonly { personId: string }[], votes = 700) {
  return [...members.map((m) => ({ personId: m.personId, votes })), { personId: 'loser-1', votes: 100 }];
}

/**
 * 东方红社区 (dongfanghong, committee dfh-rc): election `electionId` called for a new committee on
 * `calledOn`, 1,000 registered voters, 800 votes cast, seven members elected on `heldOn`.
 */
export function electedCommittee(
  h: History,
  heldOn: string,
  options: {
    electionId?: string;
    calledOn?: string;
    reason?: 'new-committee' | 'schedule';
    prefix?: string;
  } = {},
): History {
  const electionId = options.electionId ?? 'dfh-e1';
  const members = sevenMembers(options.prefix);
  h.do(
    'CallElection',
    {
      electionId,
      committeeId: 'dfh-rc',
      communityId: 'dongfanghong',
      reason: options.reason ?? 'new-committee',
    },
    options.calledOn ?? heldOn,
  );
  h.do(
    'RegisterElectorate',
    { electionId, mode: 'all-voters', registeredVoters: 1000 },
    options.calledOn ?? heldOn,
  );
  h.do(
    'RecordElectionResults',
    { electionId, votesCast: 800, candidates: candidatesFor(members), elected: members },
    heldOn,
  );
  return h;
}
