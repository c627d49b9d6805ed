import type { z } from 'zod';
import {
  NotFound,
  RuleViolation,
  type CommandContext,
  type Decider,
  type DomainEvent,
  type EventContext,
} from '../index';

/**
 * Given/when/then for any decider (GUIDE §4.6), configured by each service with its decider.
 * - given: past decisions, each a list of events with the date it took effect, folded with the
 *   decider's `evolve` under a synthetic envelope (uuid event id, stream revision = index, one
 *   correlation id, legal basis and recordedAt per decision).
 * - when: a command decided on a date (the CommandContext), without recording it.
 * - then: the expected events with the rule id under test, or the refusal with its rule id and a
 *   message that says why, or NotFound.
 */

/** Events as a service receives them from its HTTP edge: a zod schema per command type. */
export type CommandSchemas = Readonly<Record<string, z.ZodType>>;
export type CommandInput<M extends CommandSchemas, T extends keyof M> = z.input<M[T]>;

/** A command parsed by its schema, defaults applied, as the HTTP edge would hand it over. */
export function commandFrom<M extends CommandSchemas, C>(schemas: M) {
  return <T extends keyof M & string>(type: T, data: CommandInput<M, T>): C =>
    ({ type, data: schemas[type]!.parse(data) }) as C;
}

/** A deterministic RFC 9562 version-4 uuid for the n-th event of a history. */
export const eventIdFor = (n: number): string =>
  `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export interface DecisionOptions {
  readonly legalBasis?: string;
  readonly actor?: EventContext['actor'];
  /** The event a reaction derived the decision from (EST-8 follows its corrections). */
  readonly causationId?: string | null;
}

export interface RecordedEvent<E> {
  readonly eventId: string;
  readonly event: E;
  readonly effectiveAt: string;
  readonly correlationId: string;
  readonly legalBasis: string;
}

/** An expected event: its type and data (jest asymmetric matchers allowed), optionally rule ids. */
export interface ExpectedEvent<E extends DomainEvent> {
  readonly type: E['type'];
  readonly data: unknown;
  /** Rule ids the event must carry (among others). */
  readonly ruleIds?: readonly string[];
}

export interface HistoryOptions<S> {
  /** The official who decides every command of the story. */
  readonly official: CommandContext['actor'];
  /** What decide must leave as it found it; JSON-compared before and after every `when`. */
  readonly untouched?: (state: S) => unknown;
}

export class DeciderHistory<C, E extends DomainEvent, S> {
  private current: S;
  private decisions = 0;
  private revision = 0;

  constructor(
    readonly decider: Decider<C, E, S>,
    readonly options: HistoryOptions<S>,
  ) {
    this.current = decider.initialState();
  }

  get state(): S {
    return this.current;
  }

  commandContext(
    effectiveAt: string,
    actor: CommandContext['actor'] = this.options.official,
  ): CommandContext {
    return { effectiveAt, actor };
  }

  /** Given: appends the events of one decision, effective on `on`, as the event store would hand them back. */
  append(on: string, events: readonly E[], options: DecisionOptions = {}): RecordedEvent<E>[] {
    const n = (this.decisions += 1);
    const correlationId = `corr-${n}`;
    // Recorded after every effective date of the stories, one second apart per decision.
    const recordedAt = new Date(Date.UTC(2026, 6, 1) + n * 1000).toISOString();
    const legalBasis = options.legalBasis ?? `城关区民发〔${on.slice(0, 4)}〕${n}号`;
    const { subject, districtScope } = this.options.official;
    const actor = options.actor ?? { subject, districtScope };
    return events.map((event) => {
      const streamRevision = this.revision++;
      const eventId = eventIdFor(streamRevision + 1);
      const context: EventContext = {
        effectiveAt: on,
        recordedAt,
        eventId,
        streamRevision,
        correlationId,
        actor,
        legalBasis,
        causationId: options.causationId ?? null,
      };
      this.current = this.decider.evolve(this.current, event, context);
      return { eventId, event, effectiveAt: on, correlationId, legalBasis };
    });
  }

  /** One step of the story: a real command through decide, its events appended. */
  run(command: C, on: string, options: DecisionOptions = {}): RecordedEvent<E>[] {
    return this.append(on, this.decider.decide(command, this.current, this.commandContext(on)), options);
  }

  /** When: decides a command against the history without recording it; `andRecord` goes on. */
  attempt<R>(
    command: C,
    on: string,
    record: (events: readonly E[], options?: DecisionOptions) => R,
  ): Outcome<E, R> {
    const before = this.untouched();
    let outcome: Outcome<E, R>;
    try {
      outcome = new Outcome(
        [...this.decider.decide(command, this.current, this.commandContext(on))],
        null,
        record,
      );
    } catch (error) {
      outcome = new Outcome<E, R>(null, error, record);
    }
    // decide is pure: whatever it answers, the history is what it was.
    if (this.untouched() !== before) throw new Error(`decide changed the state it was given`);
    return outcome;
  }

  private untouched(): string {
    return JSON.stringify(this.options.untouched?.(this.current) ?? null) + `#${this.revision}`;
  }
}

export class Outcome<E extends DomainEvent, R = RecordedEvent<E>[]> {
  constructor(
    readonly events: E[] | null,
    readonly error: unknown,
    private readonly record: (events: readonly E[], options?: DecisionOptions) => R,
  ) {}

  private accepted(): E[] {
    if (this.error !== null) throw this.error;
    return this.events ?? [];
  }

  /** Then these events, in this order, and at least one of them cites `ruleId`. */
  thenEvents(ruleId: string, expected: readonly ExpectedEvent<E>[]): this {
    const events = this.accepted();
    expect(events.map((e) => ({ type: e.type, data: e.data }))).toEqual(
      expected.map((e) => ({ type: e.type, data: e.data })),
    );
    expected.forEach((e, i) => {
      if (e.ruleIds) expect(events[i]!.ruleIds).toEqual(expect.arrayContaining([...e.ruleIds]));
    });
    expect(events.flatMap((e) => e.ruleIds)).toContain(ruleId);
    return this;
  }

  /** Then these event types in this order, and at least one cites `ruleId`. */
  thenTypes(ruleId: string, types: readonly E['type'][]): E[] {
    const events = this.accepted();
    expect(events.map((e) => e.type)).toEqual(types);
    expect(events.flatMap((e) => e.ruleIds)).toContain(ruleId);
    return events;
  }

  /** Then the decision is accepted; returns its events for finer assertions. */
  thenAccepted(): E[] {
    return this.accepted();
  }

  /** The one event of this type the decision produced. */
  eventOf<T extends E['type']>(type: T): Extract<E, { type: T }> {
    const found = this.accepted().filter((e) => e.type === type);
    expect(found).toHaveLength(1);
    return found[0] as Extract<E, { type: T }>;
  }

  /** Records the accepted decision into the history, to go on with the story. */
  andRecord(options?: DecisionOptions): R {
    return this.record(this.accepted(), options);
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
