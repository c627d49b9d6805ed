import { findPersonalData, PERSONAL_DATA_MESSAGES, PERSONAL_DATA_RULE } from '#libs/contracts';

/**
 * The pure decider shape of every service's domain (GUIDE §4.1): no framework, no I/O, no clock.
 * Events are plain `{ type, data }` objects; `ruleIds` name the rules of RULES.md under which the
 * event was decided and end up in the envelope's metadata.
 */
export interface DomainEvent<T extends string = string, D = unknown> {
  readonly type: T;
  readonly data: D;
  readonly ruleIds: readonly string[];
}

export interface Decider<Command, Event extends DomainEvent, State> {
  /** A new state; given the stream's history, a bitemporal state keeps its facts light (FactHistory). */
  readonly initialState: (history?: FactHistory<Event>) => State;
  /** Never throws. `context` carries the envelope facts the domain may rely on (effective date). */
  readonly evolve: (state: State, event: Event, context: EventContext) => State;
  /** Refuses by throwing a RuleViolation (or subclass) naming the rule id. */
  readonly decide: (command: Command, state: State, context: CommandContext) => readonly Event[];
}

/** What evolve may know about the envelope of the event it applies. */
export interface EventContext {
  readonly effectiveAt: string;
  readonly recordedAt: string;
  readonly eventId: string;
  readonly streamRevision: number;
  /** Correlation id of the request that appended it: events of one decision share it. */
  readonly correlationId: string;
  readonly actor: { readonly subject: string; readonly districtScope: string };
  readonly legalBasis: string;
  /**
   * The event that caused it (a reaction's source event), null or absent when a request did: a
   * service that derives facts from another's decision follows that decision's corrections (EST-8).
   */
  readonly causationId?: string | null;
}

/** What decide may know beside the command: when it takes effect and who asks. */
export interface CommandContext {
  readonly effectiveAt: string;
  readonly actor: {
    readonly subject: string;
    readonly roles: readonly string[];
    readonly districtScope: string;
  };
}

/** A refusal by a domain rule. HTTP maps it to 422 with the rule id. */
export class RuleViolation extends Error {
  constructor(
    readonly ruleId: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(`${ruleId}: ${message}`);
    this.name = 'RuleViolation';
  }
}

/** The thing a command refers to does not exist. HTTP maps it to 404. */
export class NotFound extends Error {
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} ${id} not found`);
    this.name = 'NotFound';
  }
}

/**
 * PERSONAL-DATA in every domain: a command holding a national identity number or a birth date in
 * any field is refused whatever reached decide (an HTTP edge refuses it first; a reaction copying
 * another service's data reaches decide directly). `details.fields` names every such field.
 */
export function assertNoPersonalData(data: unknown, prefix = 'data'): void {
  const findings = findPersonalData(data);
  if (findings.length === 0) return;
  const fields = findings.map((f) => [prefix, ...f.path].join('.'));
  throw new RuleViolation(
    PERSONAL_DATA_RULE,
    `${fields.join(', ')} ${PERSONAL_DATA_MESSAGES[findings[0]!.kind]}`,
    { fields },
  );
}

/** The end of every switch over a union (commands, events): a new member fails to compile here. */
export function assertNever(x: never): never {
  throw new Error(`unexpected: ${JSON.stringify(x)}`);
}

import type { FactHistory } from './bitemporal';

export {
  amendedFact,
  bitemporalFactOf,
  bitemporalFold,
  byEffectiveDate,
  dateOf,
  decisionFactsOf,
  factsAbout,
  inRecordingOrder,
  plainFact,
  readBackEnvelopes,
  unchangedAsOf,
  type BitemporalConfig,
  type BitemporalFact,
  type BitemporalFold,
  type BitemporalState,
  type Correction,
  type FactHistory,
  type FactsById,
  KEPT_ENVELOPES,
} from './bitemporal';

/**
 * EST-8 seen from a reacting service (staffing, facility): the data of its
 * FollowEstablishmentCorrection command, taken from the establishment's DecisionCorrected.
 */
export interface FollowedCorrection {
  readonly correctionEventId: string;
  readonly correctsEventId: string;
  readonly correctsType: string;
  readonly reason: string;
  readonly correctedEffectiveAt: string | null;
  readonly correctedLegalBasis: string | null;
  readonly annulled: boolean;
  readonly correctedBy: string;
  readonly correctionRecordedAt: string;
}
