import type { z } from 'zod';
import { NotFound, RuleViolation, type CommandContext, type EventContext } from '#libs/decider';
import {
  FACILITY_COMMAND_SCHEMAS,
  FUNDING_COMMAND_SCHEMAS,
  type FacilityCommand,
  type FacilityCommandType,
  type FundingCommand,
  type FundingCommandType,
} from '../commands';
import { decide, decideFunding } from '../decide';
import type { FacilityEvent, FundingEvent } from '../events';
import { DEFAULT_FACILITY_POLICY, type FacilityPolicy } from '../policy';
import {
  evolve,
  evolveFunding,
  initialFundingState,
  initialState,
  type FacilityState,
  type FundingState,
} from '../state';

/**
 * Given/when/then for the facility and funding deciders: `do` runs a real command through decide
 * and records its events under a synthetic envelope (the story); `when` decides without recording;
 * the Outcome says which events came out, or which rule refused.
 */

export type FacilityInput<T extends FacilityCommandType> = z.input<(typeof FACILITY_COMMAND_SCHEMAS)[T]>;
export type FundingInput<T extends FundingCommandType> = z.input<(typeof FUNDING_COMMAND_SCHEMAS)[T]>;

export const OFFICIAL = {
  subject: 'clerk-chengguan-01',
  roles: ['officer'],
  districtScope: 'chengguan',
} as const;

export const commandContext = (effectiveAt: string): CommandContext => ({ effectiveAt, actor: OFFICIAL });

export const eventIdFor = (n: number): string =>
  `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

type AnyEvent = FacilityEvent | FundingEvent;

export class Outcome<Ev extends AnyEvent> {
  constructor(
    readonly events: Ev[] | null,
    readonly error: unknown,
    private readonly recordFn: (events: Ev[]) => void,
  ) {}

  private accepted(): Ev[] {
    if (this.error !== null) throw this.error;
    return this.events ?? [];
  }

  /** Then these events (type and data), and at least one of them cites `ruleId`. */
  thenEvents(ruleId: string, expected: readonly { type: Ev['type']; data: unknown }[]): this {
    const events = this.accepted();
    expect(events.map((e) => ({ type: e.type, data: e.data }))).toEqual(expected);
    expect(events.flatMap((e) => e.ruleIds)).toContain(ruleId);
    return this;
  }

  thenAccepted(): Ev[] {
    return this.accepted();
  }

  eventOf<T extends Ev['type']>(type: T): Extract<Ev, { type: T }> {
    const found = this.accepted().filter((e) => e.type === type);
    expect(found).toHaveLength(1);
    return found[0] as Extract<Ev, { type: T }>;
  }

  thenRefused(ruleId: string, details?: Record<string, unknown>): RuleViolation {
    expect(this.events).toBeNull();
    expect(this.error).toBeInstanceOf(RuleViolation);
    const violation = this.error as RuleViolation;
    expect(violation.ruleId).toBe(ruleId);
    if (details) expect(violation.details).toMatchObject(details);
    return violation;
  }

  thenNotFound(entity: string, id?: string): NotFound {
    expect(this.events).toBeNull();
    expect(this.error).toBeInstanceOf(NotFound);
    const notFound = this.error as NotFound;
    expect(notFound.entity).toBe(entity);
    if (id !== undefined) expect(notFound.id).toBe(id);
    return notFound;
  }

  andRecord(): void {
    this.recordFn(this.accepted());
  }
}

abstract class Story<S, Ev extends AnyEvent> {
  private decisions = 0;
  abstract readonly state: S;
  protected abstract apply(state: S, event: Ev, ctx: EventContext): void;
  protected abstract count(): number;

  record(on: string, events: readonly Ev[]): void {
    this.decisions += 1;
    const n = this.decisions;
    for (const event of events) {
      const streamRevision = this.count();
      this.apply(this.state, event, {
        effectiveAt: on,
        recordedAt: new Date(Date.UTC(2026, 6, 1) + n * 1000).toISOString(),
        eventId: eventIdFor(streamRevision + 1),
        streamRevision,
        correlationId: `corr-${n}`,
        actor: { subject: OFFICIAL.subject, districtScope: OFFICIAL.districtScope },
        legalBasis: `城关区民发〔${on.slice(0, 4)}〕${n}号`,
      });
    }
  }

  protected outcome(on: string, run: () => Ev[]): Outcome<Ev> {
    const before = this.count();
    let outcome: Outcome<Ev>;
    try {
      outcome = new Outcome<Ev>(run(), null, (events) => this.record(on, events));
    } catch (error) {
      outcome = new Outcome<Ev>(null, error, (events) => this.record(on, events));
    }
    if (this.count() !== before) throw new Error('decide changed the state it was given');
    return outcome;
  }
}

export class Facilities extends Story<FacilityState, FacilityEvent> {
  readonly state = initialState();
  constructor(readonly policy: FacilityPolicy = DEFAULT_FACILITY_POLICY) {
    super();
  }
  protected apply(state: FacilityState, event: FacilityEvent, ctx: EventContext): void {
    evolve(state, event, ctx);
  }
  protected count(): number {
    return this.state.facts.length;
  }
  command<T extends FacilityCommandType>(type: T, data: FacilityInput<T>): FacilityCommand {
    return { type, data: FACILITY_COMMAND_SCHEMAS[type].parse(data) } as FacilityCommand;
  }
  do<T extends FacilityCommandType>(type: T, data: FacilityInput<T>, on: string): FacilityEvent[] {
    const events = decide(this.command(type, data), this.state, commandContext(on), this.policy);
    this.record(on, events);
    return events;
  }
  when<T extends FacilityCommandType>(type: T, data: FacilityInput<T>, on: string): Outcome<FacilityEvent> {
    const cmd = this.command(type, data);
    const before = JSON.stringify(this.state.view);
    const outcome = this.outcome(on, () => decide(cmd, this.state, commandContext(on), this.policy));
    if (JSON.stringify(this.state.view) !== before) throw new Error('decide changed the view it was given');
    return outcome;
  }
}

export class Funding extends Story<FundingState, FundingEvent> {
  readonly state = initialFundingState();
  protected apply(state: FundingState, event: FundingEvent, ctx: EventContext): void {
    evolveFunding(state, event, ctx);
  }
  protected count(): number {
    return this.state.facts.length;
  }
  command<T extends FundingCommandType>(type: T, data: FundingInput<T>): FundingCommand {
    return { type, data: FUNDING_COMMAND_SCHEMAS[type].parse(data) } as FundingCommand;
  }
  do<T extends FundingCommandType>(type: T, data: FundingInput<T>, on: string): FundingEvent[] {
    const events = decideFunding(this.command(type, data), this.state, commandContext(on));
    this.record(on, events);
    return events;
  }
  when<T extends FundingCommandType>(type: T, data: FundingInput<T>, on: string): Outcome<FundingEvent> {
    const cmd = this.command(type, data);
    return this.outcome(on, () => decideFunding(cmd, this.state, commandContext(on)));
  }
}

// ---- the story: 雁滩新苑 (yantan-xinyuan), a new estate of 城关区 ---------------------------------

export const PROJECT = {
  projectId: 'p-ytxy',
  name: '雁滩新苑住宅小区',
  developer: '兰州雁滩置业有限公司',
  communityId: 'yantan-xinyuan',
  plannedHouseholds: 2000,
  // FAC-1: max(0.2 × 2000, 350) = 400 m²
  plannedSpaceM2: 420,
};

export const opinion = (stage: 'design' | 'review' | 'construction' | 'acceptance', consultee: string) => ({
  projectId: PROJECT.projectId,
  stage,
  consultee: consultee as 'civil-affairs',
  opinion: 'favourable' as const,
  summary: `${consultee} ${stage} 意见`,
});

/** A registered project (2012-03-01) with both review opinions (2012-05-01). */
export function registered(f = new Facilities(), plan: Partial<typeof PROJECT> = {}): Facilities {
  f.do('RegisterConstructionProject', { ...PROJECT, ...plan }, '2012-03-01');
  f.do('RecordConsultation', opinion('review', 'civil-affairs'), '2012-05-01');
  f.do('RecordConsultation', opinion('review', 'sub-district-office'), '2012-05-01');
  return f;
}

/** Approved (2012-06-01), under construction (2012-09-01), acceptance opinions on record (2014-05-01). */
export function underConstruction(f = registered()): Facilities {
  f.do('ReviewPlanning', { projectId: PROJECT.projectId, reviewer: '兰州市规划局' }, '2012-06-01');
  f.do('StartConstruction', { projectId: PROJECT.projectId }, '2012-09-01');
  f.do('RecordConsultation', opinion('acceptance', 'civil-affairs'), '2014-05-01');
  f.do('RecordConsultation', opinion('acceptance', 'sub-district-office'), '2014-05-01');
  return f;
}
