import {
  FACILITY_EVENT_TYPES,
  FUNDING_EVENT_TYPES,
  type FacilityEvent,
  type FundingEvent,
  type NamingAndNumberingRefused,
} from '../../apps/facility-construction/src/domain';
import { Facilities, Funding } from '../../apps/facility-construction/src/domain/testing/given-when-then';
import { facilityStory } from '../../apps/facility-construction/src/domain/testing/story';
import type { DomainEventDataOf } from '../../libs/contracts/src/event-contract';
import { FACILITY_CONTRACT_TYPES, FACILITY_EVENTS } from '../../libs/contracts/src/facility-events';
import {
  expectContractAccepts,
  expectContractsOfEveryType,
  type Equal,
} from '../../libs/contracts/src/testing/contract-checks';

/*
 * The domain's event types are inferred from these contracts, so they cannot drift: `tsc` (npm
 * run check compiles the specs too) holds every domain event's data, facility streams and funding
 * ledger together, to be exactly its contract's, read-only, and refuses a domain event with a
 * wrong, missing or unknown field.
 */

type DomainEvent = FacilityEvent | FundingEvent;
type ContractData = DomainEventDataOf<typeof FACILITY_EVENTS>;
const _dataOfTheContract: Equal<
  { [T in DomainEvent['type']]: Extract<DomainEvent, { type: T }>['data'] },
  { -readonly [T in keyof ContractData]: ContractData[T] }
> = true;

/** Every event the domain emits in the story (and in given/when scenarios of refusals on record). */
function emittedEvents(): DomainEvent[] {
  const districts = new Map<string, Facilities>();
  const funding = new Funding();
  const events: DomainEvent[] = [];
  for (const step of facilityStory()) {
    if (step.stream === 'funding') {
      events.push(...funding.do(step.command.type, step.command.data as never, step.on));
      continue;
    }
    let f = districts.get(step.district);
    if (!f) districts.set(step.district, (f = new Facilities()));
    events.push(...f.do(step.command.type, step.command.data as never, step.on));
  }
  // Given a district budget before the population is on record, FUND-1 is not judged (nulls).
  events.push(
    ...new Funding().do(
      'RecordDistrictBudget',
      {
        district: 'anning',
        year: 2014,
        lines: { infrastructure: 1, serviceOrganisations: 2, workerSubsidies: 3, operatingFunds: 4 },
      },
      '2014-02-01',
    ),
  );
  return events;
}

describe('facility event contracts', () => {
  it('type the domain events: a wrong, missing or unknown field does not compile, nor pass the schema', () => {
    expect(_dataOfTheContract).toBe(true);
    const data = {
      projectId: 'p-ytxy',
      communityId: 'yantan-xinyuan',
      developer: '兰州雁滩置业有限公司',
      reason: 'community space built 300 m² of 420 m² planned',
    };
    const event: NamingAndNumberingRefused = { type: 'NamingAndNumberingRefused', data, ruleIds: ['FAC-3'] };
    // @ts-expect-error the reason is a text in the contract, not a flag
    const retyped: NamingAndNumberingRefused = { ...event, data: { ...data, reason: true } };
    // @ts-expect-error the contract requires the developer refused
    const missing: NamingAndNumberingRefused = { ...event, data: { ...data, developer: undefined } };
    // @ts-expect-error the contract has no such field
    const unknown: NamingAndNumberingRefused = { ...event, data: { ...data, fineYuan: 5000 } };
    const schema = FACILITY_EVENTS.NamingAndNumberingRefused.data;
    expect(schema.safeParse(event.data).success).toBe(true);
    expect([retyped, missing].map((e) => schema.safeParse(e.data).success)).toEqual([false, false]);
    // Published without a field the contract lacks: subscribers never see one.
    expect(schema.parse(unknown.data)).toEqual(data);
  });

  it('cover every event type of the domain, in its order, each at schema version 1 with its rule ids described', () => {
    expectContractsOfEveryType(FACILITY_EVENTS, FACILITY_CONTRACT_TYPES, [
      ...FACILITY_EVENT_TYPES,
      ...FUNDING_EVENT_TYPES,
    ]);
  });

  it('accept every event the domain emits, field for field, with rule ids the contract lists', () => {
    const events = emittedEvents();
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(FACILITY_CONTRACT_TYPES));
    for (const event of events) expectContractAccepts(FACILITY_EVENTS[event.type], event);
  });

  it('refuse malformed events', () => {
    const refused = {
      projectId: 'p-ytxy',
      communityId: 'yantan-xinyuan',
      developer: '兰州雁滩置业有限公司',
      reason: 'community space built 300 m² of 420 m² planned',
    };
    expect(FACILITY_EVENTS.NamingAndNumberingRefused.data.safeParse(refused).success).toBe(true);
    expect(FACILITY_EVENTS.NamingAndNumberingRefused.data.safeParse({ ...refused, reason: 1 }).success).toBe(
      false,
    );
    const { developer: _d, ...withoutDeveloper } = refused;
    expect(FACILITY_EVENTS.NamingAndNumberingRefused.data.safeParse(withoutDeveloper).success).toBe(false);
    const acquired = FACILITY_EVENTS.FacilityAcquired.data;
    expect(
      acquired.safeParse({
        communityId: 'c',
        facilityId: 'f',
        source: 'gift',
        projectId: null,
        areaM2: 10,
        extendsFacility: false,
        givesUpFacilityId: null,
        leaseUntil: null,
        useRightHolder: 'residents-committee',
        manager: 'sub-district-office',
        functions: [],
        shortfallBeforeM2: null,
        shortfallAfterM2: null,
      }).success,
    ).toBe(false);
  });
});
