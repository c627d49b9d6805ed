import * as path from 'node:path';
import * as ts from 'typescript';
import type { z } from 'zod';
import type { RecordedEvent } from '#libs/event-sourcing';
import {
  ESTABLISHMENT_EVENT_TYPES,
  type EstablishmentEvent,
  type EstablishmentEventType,
} from '../../../apps/community-establishment/src/domain';
import { RecordedEventSchema } from './envelope-schema';
import {
  ESTABLISHMENT_CONTRACT_TYPES,
  ESTABLISHMENT_EVENTS,
  type EstablishmentContractType,
  type EstablishmentEventData,
} from './establishment-events';

/*
 * The contract must not drift from the domain. The type assertions below make `tsc` fail when a
 * field is added, removed or retyped in apps/community-establishment/src/domain/events.ts (or in
 * the envelope) without the same change here. Jest only transpiles, so the first test runs the
 * TypeScript compiler over this very file: the drift also fails `npm run test:unit`.
 *
 * Readonly modifiers are ignored: they do not exist on the wire.
 */

type Mutable<T> = T extends readonly (infer U)[]
  ? Mutable<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: Mutable<T[K]> }
    : T;
type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;

type DomainData = {
  [K in EstablishmentEventType]: Mutable<Extract<EstablishmentEvent, { type: K }>['data']>;
};
type ContractData = { [K in EstablishmentContractType]: Mutable<EstablishmentEventData[K]> };

/** Event types whose data differ between the domain and the contract; the error names them. */
type Drifted = {
  [K in EstablishmentEventType]: K extends EstablishmentContractType
    ? Equal<DomainData[K], ContractData[K]> extends true
      ? never
      : K
    : K;
}[EstablishmentEventType];
const _noDriftedEventData: [Drifted] extends [never] ? 'none' : Drifted = 'none';
const _sameEventTypes: Equal<EstablishmentEventType, EstablishmentContractType> = true;
const _sameEnvelope: Equal<Mutable<z.infer<typeof RecordedEventSchema>>, Mutable<RecordedEvent>> = true;

function typeErrorsOf(file: string): string[] {
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

describe('establishment event contracts', () => {
  it('have the same data types as the domain events, checked by the TypeScript compiler', () => {
    expect([_noDriftedEventData, _sameEventTypes, _sameEnvelope]).toEqual(['none', true, true]);
    expect(typeErrorsOf(__filename)).toEqual([]);
  }, 60_000);

  it('cover every event type of the domain, in its order, each at schema version 1', () => {
    expect(ESTABLISHMENT_CONTRACT_TYPES).toEqual([...ESTABLISHMENT_EVENT_TYPES]);
    for (const [type, c] of Object.entries(ESTABLISHMENT_EVENTS)) {
      expect(c.type).toBe(type);
      expect(c.schemaVersion).toBe(1);
      expect(c.ruleIds.length).toBeGreaterThan(0);
      for (const id of c.ruleIds) expect(c.description).toContain(id);
    }
  });
});
