import type { z } from 'zod';

/** One entry of the catalogue: what a subscriber needs to know about one event type. */
export interface EventContract<T extends string = string, S extends z.ZodType = z.ZodType> {
  readonly type: T;
  readonly schemaVersion: number;
  /** Rule ids (domain/RULES.md) an event of this type may carry in `metadata.ruleIds`. */
  readonly ruleIds: readonly string[];
  readonly description: string;
  readonly data: S;
}

/**
 * The contract of one event type at schema version 1. Its description ends with the rule ids the
 * event may carry, so that the catalogue and the AsyncAPI document name them.
 */
export const contract = <T extends string, S extends z.ZodType>(
  type: T,
  data: S,
  ruleIds: readonly string[],
  summary: string,
): EventContract<T, S> => ({
  type,
  schemaVersion: 1,
  ruleIds,
  description: `${summary} Carries rule ids: ${ruleIds.join(', ')}.`,
  data,
});

/** The data type of each event type of a service's contracts, as subscribers see it. */
export type EventDataOf<C extends Readonly<Record<string, EventContract>>> = {
  -readonly [K in keyof C]: z.infer<C[K]['data']>;
};

/**
 * A value as the emitting service reads it back: nothing in it may be changed, arrays included.
 * What is published is the same shape; only the compiler's view of it is read-only.
 */
export type ReadonlyDeep<T> = T extends readonly (infer U)[]
  ? readonly ReadonlyDeep<U>[]
  : T extends object
    ? { readonly [K in keyof T]: ReadonlyDeep<T[K]> }
    : T;

/**
 * The data type of each event type of a service's contracts as the service's own domain emits
 * and folds it: the schema's output, read-only. The domain's event types are made of these, so the
 * contract is the one place an event's shape is written.
 */
export type DomainEventDataOf<C extends Readonly<Record<string, EventContract>>> = {
  readonly [K in keyof C]: ReadonlyDeep<z.output<C[K]['data']>>;
};

/** The event types of a service's contracts, in the order they are declared. */
export const contractTypesOf = <C extends Readonly<Record<string, EventContract>>>(contracts: C) =>
  Object.keys(contracts) as (keyof C & string)[];
