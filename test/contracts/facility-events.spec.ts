import {
  FACILITY_EVENT_TYPES,
  FUNDING_EVENT_TYPES,
  type FacilityEvent,
  type FundingEvent,
} from '../../apps/facility-construction/src/domain';
import { Facilities, Funding } from '../../apps/facility-construction/src/domain/testing/given-when-then';
import { facilityStory } from '../../apps/facility-construction/src/domain/testing/story';
import {
  FACILITY_CONTRACT_TYPES,
  FACILITY_EVENTS,
  type FacilityContractType,
  type FacilityEventData,
} from '../../libs/contracts/src/facility-events';
import {
  expectContractAccepts,
  expectContractsOfEveryType,
  typeErrorsOf,
  type DriftedEventTypes,
  type Equal,
  type NoneOr,
} from '../../libs/contracts/src/testing/contract-checks';

/*
 * The contract must not drift from the domain. The type assertions below make `tsc` fail when a
 * field is added, removed or retyped in apps/facility-construction/src/domain/events.ts without
 * the same change here; the first test runs the TypeScript compiler over this very file, so the
 * drift also fails `npm run test:unit`.
 */

type DomainEvent = FacilityEvent | FundingEvent;
const _noDriftedEventData: NoneOr<DriftedEventTypes<DomainEvent, FacilityEventData>> = 'none';
const _sameEventTypes: Equal<DomainEvent['type'], FacilityContractType> = true;

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
  it('have the same data types as the domain events, checked by the TypeScript compiler', () => {
    expect([_noDriftedEventData, _sameEventTypes]).toEqual(['none', true]);
    expect(typeErrorsOf(__filename)).toEqual([]);
  }, 60_000);

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
