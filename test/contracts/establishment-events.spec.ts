import type { z } from 'zod';
import type { RecordedEvent } from '#libs/event-sourcing';
import {
  ESTABLISHMENT_EVENT_TYPES,
  type EstablishmentEvent,
  type EstablishmentEventType,
} from '../../apps/community-establishment/src/domain';
import { RecordedEventSchema } from '../../libs/contracts/src/envelope-schema';
import {
  ESTABLISHMENT_CONTRACT_TYPES,
  ESTABLISHMENT_EVENTS,
  type EstablishmentContractType,
  type EstablishmentEventData,
} from '../../libs/contracts/src/establishment-events';
import {
  expectContractsOfEveryType,
  typeErrorsOf,
  type DriftedEventTypes,
  type Equal,
  type Mutable,
  type NoneOr,
} from '../../libs/contracts/src/testing/contract-checks';

/*
 * The contract must not drift from the domain. The type assertions below make `tsc` fail when a
 * field is added, removed or retyped in apps/community-establishment/src/domain/events.ts (or in
 * the envelope) without the same change here. Jest only transpiles, so the first test runs the
 * TypeScript compiler over this very file: the drift also fails `npm run test:unit`.
 */

type Drifted = DriftedEventTypes<EstablishmentEvent, EstablishmentEventData>;
const _noDriftedEventData: NoneOr<Drifted> = 'none';
const _sameEventTypes: Equal<EstablishmentEventType, EstablishmentContractType> = true;
const _sameEnvelope: Equal<Mutable<z.infer<typeof RecordedEventSchema>>, Mutable<RecordedEvent>> = true;

describe('establishment event contracts', () => {
  it('have the same data types as the domain events, checked by the TypeScript compiler', () => {
    expect([_noDriftedEventData, _sameEventTypes, _sameEnvelope]).toEqual(['none', true, true]);
    expect(typeErrorsOf(__filename)).toEqual([]);
  }, 60_000);

  it('cover every event type of the domain, in its order, each at schema version 1', () => {
    expectContractsOfEveryType(ESTABLISHMENT_EVENTS, ESTABLISHMENT_CONTRACT_TYPES, ESTABLISHMENT_EVENT_TYPES);
  });
});
