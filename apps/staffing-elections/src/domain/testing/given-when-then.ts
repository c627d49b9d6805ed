import type { z } from 'zod';
import { NotFound, RuleViolation, type CommandContext, type EventContext } from '#libs/decider';
import { COMMAND_SCHEMAS, type CommandOf, type CommandType, type StaffingCommand } from '../commands';
import { decide } from '../decide';
import type { StaffingEvent } from '../events';
import { DEFAULT_STAFFING_POLICY, type StaffingPolicy } from '../policy';
import { evolve, initialState, type StaffingState, type StaffingView } from '../state';

/**
 * Given/when/then for the staffing and elections decider, as in the establishment service:
 * `History.do` runs real commands through decide and folds their events; `when` decides without
 * recording; `then*` checks the events (with the rule id under test) or the refusal's rule id.
 */

export type CommandInput<T extends CommandType> = z.input<(typeof COMMAND_SCHEMAS)[T]>;

export const OFFICIAL = {
  subject: 'clerk-chengguan-01',
  roles: ['officer'],
  districtScope: 'chengguan',
} as const;

export function command<T extends CommandType>(type: T, data: CommandInput<T>): StaffingCommand {
  return { type, data: COMMAND_SCHEMAS[type].parse(data) } as CommandOf<T> as StaffingCommand;
}

export const commandContext = (effectiveAt: string): CommandContext => ({ effectiveAt, actor: OFFICIAL });

export const eventIdFor = (n: number): string =>
  `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export class History {
  readonly state: StaffingState = initialState();
  private decisions = 0;

  constructor(readonly policy: StaffingPolicy = DEFAULT_STAFFING_POLICY) {}

  get view(): StaffingView {
    return this.state.view;
  }

  /** `causationId`: the establishment event a reaction derived the decision from (EST-8). */
  record(on: string, events: readonly StaffingEvent[], causationId: string | null = null): void {
    this.decisions += 1;
    const recordedAt = new Date(Date.UTC(2026, 6, 1) + this.decisions * 1000).toISOString();
    for (const event of events) {
      const streamRevision = this.state.facts.length;
      const ctx: EventContext = {
        effectiveAt: on,
        recordedAt,
        eventId: eventIdFor(streamRevision + 1),
        streamRevision,
        correlationId: `corr-${this.decisions}`,
        actor: { subject: OFFICIAL.subject, districtScope: OFFICIAL.districtScope },
        legalBasis: `城关区民发〔${on.slice(0, 4)}〕${this.decisions}号`,
        causationId,
      };
      evolve(this.state, event, ctx);
    }
  }

  do<T extends CommandType>(
    type: T,
    data: CommandInput<T>,
    on: string,
    causationId: string | null = null,
  ): StaffingEvent[] {
    const events = decide(command(type, data), this.state, commandContext(on), this.policy);
    this.record(on, events, causationId);
    return events;
  }

  when<T extends CommandType>(type: T, data: CommandInput<T>, on: string): Outcome {
    const cmd = command(type, data);
    const before = JSON.stringify(this.state.view);
    const count = this.state.facts.length;
    let outcome: Outcome;
    try {
      outcome = new Outcome(this, on, decide(cmd, this.state, commandContext(on), this.policy), null);
    } catch (error) {
      outcome = new Outcome(this, on, null, error);
    }
    if (JSON.stringify(this.state.view) !== before || this.state.facts.length !== count)
      throw new Error(`decide(${type}) changed the state it was given`);
    return outcome;
  }
}

export class Outcome {
  constructor(
    private readonly history: History,
    private readonly on: string,
    readonly events: StaffingEvent[] | null,
    readonly error: unknown,
  ) {}

  private accepted(): StaffingEvent[] {
    if (this.error !== null) throw this.error;
    return this.events ?? [];
  }

  /** Then these event types in this order, and at least one cites `ruleId`. */
  thenTypes(ruleId: string, types: readonly StaffingEvent['type'][]): StaffingEvent[] {
    const events = this.accepted();
    expect(events.map((e) => e.type)).toEqual(types);
    expect(events.flatMap((e) => e.ruleIds)).toContain(ruleId);
    return events;
  }

  eventOf<T extends StaffingEvent['type']>(type: T): Extract<StaffingEvent, { type: T }> {
    const found = this.accepted().filter((e) => e.type === type);
    expect(found).toHaveLength(1);
    return found[0] as Extract<StaffingEvent, { type: T }>;
  }

  andRecord(): StaffingEvent[] {
    const events = this.accepted();
    this.history.record(this.on, events);
    return events;
  }

  thenRefused(ruleId: string, details?: Record<string, unknown>): RuleViolation {
    expect(this.events).toBeNull();
    expect(this.error).toBeInstanceOf(RuleViolation);
    const violation = this.error as RuleViolation;
    expect(violation.ruleId).toBe(ruleId);
    if (details) expect(violation.details).toMatchObject(details);
    return violation;
  }

  thenNotFound(entity: string): NotFound {
    expect(this.events).toBeNull();
    expect(this.error).toBeInstanceOf(NotFound);
    expect((this.error as NotFound).entity).toBe(entity);
    return this.error as NotFound;
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
