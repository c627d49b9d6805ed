import type { EventContract } from '../event-contract';

/*
 * What the *-events.spec.ts of every service check of its contracts. The domains infer their event
 * types from the contracts, so the types cannot drift; the specs check that the contracts cover
 * the domain's event types and accept what the domain really emits. Type-level equalities are
 * checked by `tsc`, which compiles the specs too (npm run check).
 */

/** Readonly modifiers are ignored: they do not exist on the wire. */
export type Mutable<T> = T extends readonly (infer U)[]
  ? Mutable<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: Mutable<T[K]> }
    : T;
export type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;

/**
 * The contracts cover every event type of the domain, in its order, each under its own type, at
 * schema version 1, with rule ids that its description names.
 */
export function expectContractsOfEveryType(
  contracts: Readonly<Record<string, EventContract>>,
  contractTypes: readonly string[],
  domainTypes: readonly string[],
): void {
  expect(contractTypes).toEqual([...domainTypes]);
  for (const [type, c] of Object.entries(contracts)) {
    expect(c.type).toBe(type);
    expect(c.schemaVersion).toBe(1);
    expect(c.ruleIds.length).toBeGreaterThan(0);
    for (const ruleId of c.ruleIds) expect(c.description).toContain(ruleId);
  }
}

/**
 * The contract accepts an event the domain emitted, field for field (nothing stripped: it has
 * every field the event carries on the wire), and announces every rule id the event cites.
 * `where` names the event in a failure (the step of a story, say).
 */
export function expectContractAccepts(
  contract: EventContract,
  event: { readonly type: string; readonly data: unknown; readonly ruleIds: readonly string[] },
  where: Readonly<Record<string, unknown>> = {},
): void {
  const parsed = contract.data.safeParse(event.data);
  expect({ ...where, type: event.type, issues: parsed.error?.issues ?? [] }).toEqual({
    ...where,
    type: event.type,
    issues: [],
  });
  expect(parsed.data).toEqual(JSON.parse(JSON.stringify(event.data)));
  for (const ruleId of event.ruleIds) expect(contract.ruleIds).toContain(ruleId);
}
