import type { z } from 'zod';
import type { RecordedEvent } from '#libs/event-sourcing';
import {
  ESTABLISHMENT_EVENT_TYPES,
  type AreaHouseholdsUpdated,
  type EstablishmentEvent,
} from '../../apps/community-establishment/src/domain';
import { RecordedEventSchema } from '../../libs/contracts/src/envelope-schema';
import {
  ESTABLISHMENT_CONTRACT_TYPES,
  ESTABLISHMENT_EVENTS,
} from '../../libs/contracts/src/establishment-events';
import type { DomainEventDataOf, ReadonlyDeep } from '../../libs/contracts/src/event-contract';
import {
  expectContractsOfEveryType,
  type Equal,
  type Mutable,
} from '../../libs/contracts/src/testing/contract-checks';

/*
 * The domain's event types are inferred from these contracts, so they cannot drift. What remains
 * to state is checked by `tsc` (npm run check compiles the specs too): the envelope schema equals
 * the store's RecordedEvent, and every domain event's data is exactly its contract's, read-only.
 */
const _sameEnvelope: Equal<Mutable<z.infer<typeof RecordedEventSchema>>, Mutable<RecordedEvent>> = true;
type ContractData = DomainEventDataOf<typeof ESTABLISHMENT_EVENTS>;
const _dataOfTheContract: Equal<
  { [T in EstablishmentEvent['type']]: Extract<EstablishmentEvent, { type: T }>['data'] },
  { -readonly [T in keyof ContractData]: ContractData[T] }
> = true;
const _readOnly: Equal<
  AreaHouseholdsUpdated['data'],
  ReadonlyDeep<z.output<typeof ESTABLISHMENT_EVENTS.AreaHouseholdsUpdated.data>>
> = true;

describe('establishment event contracts', () => {
  it('type the domain events: a wrong, missing or unknown field does not compile, nor pass the schema', () => {
    expect([_sameEnvelope, _dataOfTheContract, _readOnly]).toEqual([true, true, true]);
    const data = { areaId: 'yanbei-estate', households: 1200, previous: 900 };
    const event: AreaHouseholdsUpdated = { type: 'AreaHouseholdsUpdated', data, ruleIds: ['EST-9'] };
    // @ts-expect-error households is a count in the contract, not a text
    const retyped: AreaHouseholdsUpdated = { ...event, data: { ...data, households: '1200' } };
    // @ts-expect-error the contract requires the previous count
    const missing: AreaHouseholdsUpdated = { ...event, data: { areaId: 'yanbei-estate', households: 1200 } };
    // @ts-expect-error the contract has no such field
    const unknown: AreaHouseholdsUpdated = { ...event, data: { ...data, rooms: 3 } };
    const schema = ESTABLISHMENT_EVENTS.AreaHouseholdsUpdated.data;
    expect(schema.safeParse(event.data).success).toBe(true);
    expect([retyped, missing].map((e) => schema.safeParse(e.data).success)).toEqual([false, false]);
    // Published without a field the contract lacks: subscribers never see one.
    expect(schema.parse(unknown.data)).toEqual(data);
  });

  it('cover every event type of the domain, in its order, each at schema version 1', () => {
    expectContractsOfEveryType(ESTABLISHMENT_EVENTS, ESTABLISHMENT_CONTRACT_TYPES, ESTABLISHMENT_EVENT_TYPES);
  });
});
