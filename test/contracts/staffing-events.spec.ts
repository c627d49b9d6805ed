import { z } from 'zod';
import {
  STAFFING_EVENT_TYPES,
  type StaffingEvent,
  type WorkerHired,
} from '../../apps/staffing-elections/src/domain';
import { staffingStory } from '../../apps/staffing-elections/src/domain/testing/story';
import { Parser } from '@asyncapi/parser';
import { asyncApiDocument, eventCatalogue, topicOf } from '../../libs/contracts/src/catalogue';
import type { DomainEventDataOf } from '../../libs/contracts/src/event-contract';
import { STAFFING_CONTRACT_TYPES, STAFFING_EVENTS } from '../../libs/contracts/src/staffing-events';
import {
  expectContractAccepts,
  expectContractsOfEveryType,
  type Equal,
} from '../../libs/contracts/src/testing/contract-checks';

/*
 * The domain's event types are inferred from these contracts, so they cannot drift: `tsc` (npm
 * run check compiles the specs too) holds every domain event's data to be exactly its contract's,
 * read-only, and refuses a domain event with a wrong, missing or unknown field. The story test runs
 * what the domain really emits (told through its own decide) through the zod schemas and the
 * published JSON Schemas.
 */
type ContractData = DomainEventDataOf<typeof STAFFING_EVENTS>;
const _dataOfTheContract: Equal<
  { [T in StaffingEvent['type']]: Extract<StaffingEvent, { type: T }>['data'] },
  { -readonly [T in keyof ContractData]: ContractData[T] }
> = true;

const published = (type: string) =>
  z.fromJSONSchema(eventCatalogue()['staffing-elections'].events[type].schema as never);

describe('staffing event contracts', () => {
  it('type the domain events: a wrong, missing or unknown field does not compile, nor pass the schema', () => {
    expect(_dataOfTheContract).toBe(true);
    const data = {
      personId: 'w-li',
      communityId: 'gaolanlu',
      post: '社区工作者',
      collegeGraduate: true,
      hiredOn: '2016-03-01',
    };
    const event: WorkerHired = { type: 'WorkerHired', data, ruleIds: ['STAFF-1', 'STAFF-5'] };
    // @ts-expect-error collegeGraduate is a yes or no in the contract, not a text
    const retyped: WorkerHired = { ...event, data: { ...data, collegeGraduate: 'yes' } };
    // @ts-expect-error the contract requires the hiring date
    const missing: WorkerHired = { ...event, data: { ...data, hiredOn: undefined } };
    // @ts-expect-error the contract has no such field (PERSONAL-DATA: nor may it)
    const unknown: WorkerHired = { ...event, data: { ...data, nationalId: '620102199001011233' } };
    const schema = STAFFING_EVENTS.WorkerHired.data;
    expect(schema.safeParse(event.data).success).toBe(true);
    expect([retyped, missing].map((e) => schema.safeParse(e.data).success)).toEqual([false, false]);
    // Published without a field the contract lacks: subscribers never see one.
    expect(schema.parse(unknown.data)).toEqual(data);
  });

  it('cover every event type of the domain, in its order, each at schema version 1 with its rule ids', () => {
    expectContractsOfEveryType(STAFFING_EVENTS, STAFFING_CONTRACT_TYPES, STAFFING_EVENT_TYPES);
  });

  it('accept every event the domain emits in a given/when story, through zod and the published JSON Schemas', () => {
    const seen = new Set<string>();
    for (const step of staffingStory().steps)
      for (const { event } of step.events) {
        seen.add(event.type);
        expectContractAccepts(STAFFING_EVENTS[event.type], event, { step: step.label });
        expect(published(event.type).safeParse(event.data).error).toBeUndefined();
      }
    expect([...seen].sort()).toEqual([...STAFFING_EVENT_TYPES].sort());
  });

  it('PERSONAL-DATA: no field holds a national id number (zod, check digit verified; stated in the published JSON Schemas)', () => {
    const story = staffingStory().steps.flatMap((s) => s.events.map((e) => e.event));
    const pay = story.find((e) => e.type === 'PayRecorded')!.data;
    const hired = story.find((e) => e.type === 'WorkerHired')!.data;
    // Right check digits (ISO 7064 MOD 11-2), the last one X.
    const nationalIds = ['620102199001011233', '11010519491231002x'];
    for (const nationalId of nationalIds) {
      const cases = [
        ['PayRecorded', { ...pay, personId: nationalId }],
        ['WorkerHired', { ...hired, post: `社区工作者 ${nationalId}` }],
        ['WorkerHired', { ...hired, communityId: nationalId }],
      ] as const;
      for (const [type, data] of cases)
        expect(STAFFING_EVENTS[type].data.safeParse(data).success).toBe(false);
    }
    expect(
      STAFFING_EVENTS.WorkerHired.data.safeParse({ ...hired, post: '出生日期 1990-01-01' }).success,
    ).toBe(false);
    // A JSON Schema pattern cannot verify a check digit: the published schema states the rule.
    expect(JSON.stringify(eventCatalogue()['staffing-elections'].events.WorkerHired.schema)).toContain(
      'PERSONAL-DATA',
    );
    // Longer digit runs and wrong check digits are not national ids: document numbers pass.
    for (const post of ['岗位 6201021990010112345', '档案 620102199001011234'])
      expect(STAFFING_EVENTS.WorkerHired.data.safeParse({ ...hired, post }).success).toBe(true);
    // And no property of any schema is named as if it held one.
    const names = new Set<string>();
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node !== null && typeof node === 'object') {
        const { properties, ...rest } = node as { properties?: Record<string, unknown> };
        for (const [name, child] of Object.entries(properties ?? {})) {
          names.add(name);
          walk(child);
        }
        Object.values(rest).forEach(walk);
      }
    };
    walk(Object.values(eventCatalogue()['staffing-elections'].events).map((e) => e.schema));
    expect(names).toContain('personId');
    expect([...names].filter((n) => /national|idcard|idnumber|citizen|identity|身份证/i.test(n))).toEqual([]);
  });

  it('are published on the staffing topic in the AsyncAPI document, PostAssigned apart from the establishment one', async () => {
    const { document, diagnostics } = await new Parser().parse(JSON.stringify(asyncApiDocument()));
    expect(diagnostics.filter((d) => d.severity === 0).map((d) => d.message)).toEqual([]);
    const channel = document!
      .channels()
      .all()
      .find((c) => c.address() === topicOf('staffing-elections'));
    expect(
      channel!
        .messages()
        .all()
        .map((m) => m.id())
        .sort(),
    ).toEqual([...STAFFING_EVENT_TYPES].sort());
    const components = Object.keys((asyncApiDocument().components as { messages: object }).messages);
    expect(components).toEqual(
      expect.arrayContaining([
        'community-establishment.PostAssigned',
        'staffing-elections.PostAssigned',
        'TermStarted',
      ]),
    );
    expect(eventCatalogue()['staffing-elections'].events.PayRecorded).toMatchObject({
      id: 'PayRecorded',
      ceType: 'PayRecorded.v1',
    });
  }, 60_000);

  it('refuses malformed events', () => {
    const pay = STAFFING_EVENTS.PayRecorded.data;
    const valid = {
      personId: 'w-li',
      communityId: 'gaolanlu',
      year: 2016,
      annualPayYuan: 40000,
      insurances: ['pension'],
      housingFund: false,
      floor: { wageYear: 2015, averageAnnualWageYuan: 48000 },
      belowFloor: true,
      missingInsurances: ['medical', 'unemployment', 'work-injury', 'maternity'],
    };
    expect(pay.safeParse(valid).success).toBe(true);
    for (const bad of [
      { ...valid, insurances: ['pension', 'dental'] },
      { ...valid, annualPayYuan: -1 },
      { ...valid, floor: undefined },
      { ...valid, personId: 'W_LI' },
    ])
      expect(published('PayRecorded').safeParse(bad).success).toBe(false);
    expect(
      published('TermEnded').safeParse({
        termId: 't',
        committeeId: 'c',
        endedOn: '2017-01-01',
        reason: 'whim',
        byElectionId: null,
      }).success,
    ).toBe(false);
  });
});
