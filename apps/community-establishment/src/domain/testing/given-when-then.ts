import type { z } from 'zod';
import { NotFound, RuleViolation, type CommandContext, type EventContext } from '#libs/decider';
import { COMMAND_SCHEMAS, type CommandOf, type CommandType, type EstablishmentCommand } from '../commands';
import { decide } from '../decide';
import type { EstablishmentEvent } from '../events';
import { DEFAULT_POLICY, type EstablishmentPolicy } from '../policy';
import { evolve, initialState, type DistrictState, type DistrictView, type Fact } from '../state';

/**
 * Given/when/then for the establishment decider (GUIDE §4.6).
 *
 * - given: past decisions, each a list of events with the date it took effect, folded with `evolve`
 *   under a synthetic envelope (uuid event id, stream revision = index, one correlation id and one
 *   recordedAt per decision, as `decisionOf` expects). `History.do` builds them from real commands
 *   run through `decide`, so a test reads like the registry's story; `History.record` appends raw
 *   events (an archive import, or an event decide would never produce).
 * - when: a command with its effective date (the CommandContext).
 * - then: the expected events (type and data, with the rule id under test among their ruleIds), or
 *   the expected RuleViolation with its rule id, or NotFound.
 */

export type CommandInput<T extends CommandType> = z.input<(typeof COMMAND_SCHEMAS)[T]>;

/** The district of the stories: 城关区, Lanzhou. */
export const DISTRICT = '620102';
export const OFFICIAL = {
  subject: 'clerk-chengguan-01',
  roles: ['district-clerk'],
  districtScope: DISTRICT,
} as const;

/** A command as the HTTP edge would hand it over: parsed by its zod schema, defaults applied. */
export function command<T extends CommandType>(type: T, data: CommandInput<T>): EstablishmentCommand {
  return { type, data: COMMAND_SCHEMAS[type].parse(data) } as CommandOf<T> as EstablishmentCommand;
}

export const commandContext = (
  effectiveAt: string,
  actor: CommandContext['actor'] = OFFICIAL,
): CommandContext => ({
  effectiveAt,
  actor,
});

/** A deterministic RFC 9562 version-4 uuid for the n-th event of a history. */
export const eventIdFor = (n: number): string =>
  `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export interface RecordedEvent {
  readonly eventId: string;
  readonly event: EstablishmentEvent;
  readonly effectiveAt: string;
  readonly correlationId: string;
  readonly legalBasis: string;
}

export interface DecisionOptions {
  readonly legalBasis?: string;
  readonly actor?: { readonly subject: string; readonly districtScope: string };
}

/** An expected event: its type and data (jest asymmetric matchers allowed), optionally rule ids. */
export interface ExpectedEvent {
  readonly type: EstablishmentEvent['type'];
  readonly data: unknown;
  /** Rule ids the event must carry (among others). */
  readonly ruleIds?: readonly string[];
}

export class History {
  readonly state: DistrictState = initialState();
  private decisions = 0;

  constructor(readonly policy: EstablishmentPolicy = DEFAULT_POLICY) {}

  get facts(): readonly Fact[] {
    return this.state.facts;
  }

  get view(): DistrictView {
    return this.state.view;
  }

  /** Appends the events of one decision, effective on `on`, as the event store would hand them back. */
  record(on: string, events: readonly EstablishmentEvent[], options: DecisionOptions = {}): RecordedEvent[] {
    this.decisions += 1;
    const n = this.decisions;
    const correlationId = `corr-${n}`;
    // Recorded after every effective date of the stories, one second apart per decision.
    const recordedAt = new Date(Date.UTC(2026, 6, 1) + n * 1000).toISOString();
    const legalBasis = options.legalBasis ?? `城关区民发〔${on.slice(0, 4)}〕${n}号`;
    const actor = options.actor ?? { subject: OFFICIAL.subject, districtScope: OFFICIAL.districtScope };
    return events.map((event) => {
      const streamRevision = this.state.facts.length;
      const eventId = eventIdFor(streamRevision + 1);
      const ctx: EventContext = {
        effectiveAt: on,
        recordedAt,
        eventId,
        streamRevision,
        correlationId,
        actor,
        legalBasis,
      };
      evolve(this.state, event, ctx);
      return { eventId, event, effectiveAt: on, correlationId, legalBasis };
    });
  }

  /** Runs a real command through decide and records its events: one step of the story. */
  do<T extends CommandType>(
    type: T,
    data: CommandInput<T>,
    on: string,
    options: DecisionOptions = {},
  ): RecordedEvent[] {
    const events = decide(command(type, data), this.state, commandContext(on), this.policy);
    return this.record(on, events, options);
  }

  /** Decides a command against the history without recording it. */
  when<T extends CommandType>(type: T, data: CommandInput<T>, on: string): Outcome {
    const cmd = command(type, data);
    const before = JSON.stringify(this.state.view);
    const factCount = this.state.facts.length;
    let outcome: Outcome;
    try {
      outcome = new Outcome(this, on, decide(cmd, this.state, commandContext(on), this.policy), null);
    } catch (error) {
      outcome = new Outcome(this, on, null, error);
    }
    // decide is pure: whatever it answers, the history is what it was.
    if (JSON.stringify(this.state.view) !== before || this.state.facts.length !== factCount)
      throw new Error(`decide(${type}) changed the state it was given`);
    return outcome;
  }
}

export class Outcome {
  constructor(
    private readonly history: History,
    private readonly on: string,
    readonly events: EstablishmentEvent[] | null,
    readonly error: unknown,
  ) {}

  private accepted(): EstablishmentEvent[] {
    if (this.error !== null) throw this.error;
    return this.events ?? [];
  }

  /** Then these events, in this order, and at least one of them cites `ruleId`. */
  thenEvents(ruleId: string, expected: readonly ExpectedEvent[]): this {
    const events = this.accepted();
    expect(events.map((e) => ({ type: e.type, data: e.data }))).toEqual(
      expected.map((e) => ({ type: e.type, data: e.data })),
    );
    expected.forEach((e, i) => {
      if (e.ruleIds) expect(events[i].ruleIds).toEqual(expect.arrayContaining([...e.ruleIds]));
    });
    expect(events.flatMap((e) => e.ruleIds)).toContain(ruleId);
    return this;
  }

  /** Then the decision is accepted; returns its events for finer assertions. */
  thenAccepted(): EstablishmentEvent[] {
    return this.accepted();
  }

  /** The one event of this type the decision produced. */
  eventOf<T extends EstablishmentEvent['type']>(type: T): Extract<EstablishmentEvent, { type: T }> {
    const found = this.accepted().filter((e) => e.type === type);
    expect(found).toHaveLength(1);
    return found[0] as Extract<EstablishmentEvent, { type: T }>;
  }

  /** Records the accepted decision into the history, to go on with the story. */
  andRecord(options: DecisionOptions = {}): RecordedEvent[] {
    return this.history.record(this.on, this.accepted(), options);
  }

  /** Then the command is refused under `ruleId` with a message that says why, and at least these details. */
  thenRefused(ruleId: string, details?: Record<string, unknown>): RuleViolation {
    expect(this.events).toBeNull();
    expect(this.error).toBeInstanceOf(RuleViolation);
    const violation = this.error as RuleViolation;
    expect(violation.ruleId).toBe(ruleId);
    // A clear error says in words why, not only which rule (charter: bad input gets a clear error).
    expect(violation.message.slice(`${ruleId}: `.length).trim()).not.toBe('');
    if (details) expect(violation.details).toMatchObject(details);
    return violation;
  }

  /** Then the thing the command refers to does not exist. */
  thenNotFound(entity: string, id?: string): NotFound {
    expect(this.events).toBeNull();
    expect(this.error).toBeInstanceOf(NotFound);
    const notFound = this.error as NotFound;
    expect(notFound.entity).toBe(entity);
    if (id !== undefined) expect(notFound.id).toBe(id);
    return notFound;
  }
}

/** An empty district. */
export const history = (policy: EstablishmentPolicy = DEFAULT_POLICY): History => new History(policy);

/** A district whose past is these decisions, each a list of raw events with its effective date. */
export function given(
  decisions: readonly { on: string; events: readonly EstablishmentEvent[]; legalBasis?: string }[],
  policy: EstablishmentPolicy = DEFAULT_POLICY,
): History {
  const h = new History(policy);
  for (const d of decisions) h.record(d.on, d.events, { legalBasis: d.legalBasis });
  return h;
}

/** Ids of the recorded events of one decision, by type. */
export function idOf(recorded: readonly RecordedEvent[], type: EstablishmentEvent['type']): string {
  const found = recorded.find((r) => r.event.type === type);
  if (!found) throw new Error(`no ${type} among ${recorded.map((r) => r.event.type).join(', ')}`);
  return found.eventId;
}

/**
 * The story's opening, in 城关区: two communities whose committees the archive dates to 2005.
 * 东方红 (dongfanghong) covers the old town area a-dfh (600 households) in 雁滩街道; 皋兰路
 * (gaolanlu) covers a-glr (500 households) in 皋兰路街道, not adjacent to 雁滩.
 */
export function chengguan(policy: EstablishmentPolicy = DEFAULT_POLICY): History {
  const h = history(policy);
  h.do(
    'EstablishCommittee',
    {
      communityId: 'dongfanghong',
      committeeId: 'dfh-rc',
      name: '东方红社区居民委员会',
      newAreas: [
        {
          areaId: 'a-dfh',
          name: '东方红老城片区',
          kind: 'existing-town-area',
          subDistrict: '雁滩街道',
          households: 600,
        },
      ],
    },
    '2005-03-01',
  );
  h.do(
    'EstablishCommittee',
    {
      communityId: 'gaolanlu',
      committeeId: 'glr-rc',
      name: '皋兰路社区居民委员会',
      newAreas: [
        {
          areaId: 'a-glr',
          name: '皋兰路片区',
          kind: 'existing-town-area',
          subDistrict: '皋兰路街道',
          households: 500,
        },
      ],
    },
    '2005-03-01',
  );
  return h;
}

/** Registers the new estate 雁滩新苑 (a-ytxy, 800 households) next to a-dfh, under a residents' group. */
export function withNewEstate(h: History, on = '2012-03-01', households = 800): History {
  h.do(
    'RegisterArea',
    {
      areaId: 'a-ytxy',
      name: '雁滩新苑',
      kind: 'new-residential-estate',
      subDistrict: '雁滩街道',
      households,
      adjacentAreaIds: ['a-dfh'],
      responsibility: {
        kind: 'residents-group',
        groupId: 'g-ytxy',
        groupName: '雁滩新苑居民小组',
        attachedToCommunityId: 'dongfanghong',
      },
    },
    on,
  );
  return h;
}

/** The merger of 东方红 and 皋兰路 used by the EST-7 and EST-8 stories. */
export const merger = {
  sourceCommunityIds: ['dongfanghong', 'gaolanlu'],
  communityId: 'dongfang-gaolan',
  committeeId: 'dg-rc',
  name: '东方红皋兰路社区居民委员会',
};

/** 东方红 with a second area of its own, a-dfh-west (300 households), next to a-dfh. */
export function withWestArea(h: History): History {
  h.do(
    'RegisterArea',
    {
      areaId: 'a-dfh-west',
      name: '东方红西片',
      kind: 'existing-town-area',
      subDistrict: '雁滩街道',
      households: 300,
      adjacentAreaIds: ['a-dfh'],
      responsibility: { kind: 'own-committee', communityId: 'dongfanghong' },
    },
    '2008-01-01',
  );
  return h;
}
