import * as path from 'node:path';
import * as ts from 'typescript';
import type { EventContract } from '../event-contract';

/*
 * What the *-events.spec.ts of every service check of its contracts. A contract must not drift
 * from the domain: the spec states, as types, that the domain's event data equal the contract's
 * (DriftedEventTypes), which makes `tsc` fail on a field added, removed or retyped on one side
 * only. Jest only transpiles, so each spec also runs the TypeScript compiler over its own file
 * (typeErrorsOf) and the drift fails `npm run test:unit` too.
 */

/** Readonly modifiers are ignored: they do not exist on the wire. */
export type Mutable<T> = T extends readonly (infer U)[]
  ? Mutable<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: Mutable<T[K]> }
    : T;
export type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;

/** The domain's event types whose data differ from the contract's, or that it lacks; never when none. */
export type DriftedEventTypes<DomainEvent extends { type: string; data: unknown }, ContractData> = {
  [K in DomainEvent['type']]: K extends keyof ContractData
    ? Equal<Mutable<Extract<DomainEvent, { type: K }>['data']>, Mutable<ContractData[K]>> extends true
      ? never
      : K
    : K;
}[DomainEvent['type']];

/** 'none' when nothing drifted, else the drifted types: assigning 'none' then fails, naming them. */
export type NoneOr<T> = [T] extends [never] ? 'none' : T;

/** The TypeScript compiler's errors in `file` and what it imports, with the project's tsconfig. */
export function typeErrorsOf(file: string): string[] {
  const configPath = ts.findConfigFile(file, ts.sys.fileExists, 'tsconfig.json');
  if (!configPath) throw new Error('tsconfig.json not found');
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, path.dirname(configPath));
  const program = ts.createProgram({
    rootNames: [file],
    options: { ...parsed.options, noEmit: true, incremental: false, tsBuildInfoFile: undefined },
  });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

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
