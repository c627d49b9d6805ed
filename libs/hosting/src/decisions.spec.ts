import 'reflect-metadata';
import { RuleViolation, SqliteEventStore, type Decider, type DomainEvent } from '#libs/event-sourcing';
import type { ProjectionHost } from './projection-host';
import type { RelayHost } from './relay-host';
import { Decide, DecidedStreams, DecideHandler, type Decides, type ServiceStreams } from './decisions';

// Two small deciders, as the facility service has (district facilities and the city's ledger).
type Register = { type: 'Register'; data: { n: number } };
type Budget = { type: 'RecordBudget'; data: { yuan: number } };
const counter: Decider<Register, DomainEvent<'Registered', { n: number }>, { total: number }> = {
  initialState: () => ({ total: 0 }),
  evolve: (s, e) => ({ total: s.total + e.data.n }),
  decide: (c) => {
    if (c.data.n < 1) throw new RuleViolation('T-1', 'at least one', { n: c.data.n });
    return [{ type: 'Registered', data: { n: c.data.n }, ruleIds: ['T-1'] }];
  },
};
const ledger: Decider<Budget, DomainEvent<'BudgetRecorded', { yuan: number }>, { yuan: number }> = {
  initialState: () => ({ yuan: 0 }),
  evolve: (s, e) => ({ yuan: s.yuan + e.data.yuan }),
  decide: (c) => [{ type: 'BudgetRecorded', data: { yuan: c.data.yuan }, ruleIds: ['T-2'] }],
};

const envelope = {
  context: {
    effectiveAt: '2015-01-01',
    actor: { subject: 'clerk-1', roles: ['officer'], districtScope: '*' },
  },
  legalBasis: '兰民发〔2013〕12号',
  correlationId: 'corr-1',
};

describe('DecideHandler: the one command handler, configured with the service streams', () => {
  let store: SqliteEventStore;
  let noted: { positions: number[]; relayNudges: number };
  let handler: DecideHandler;

  beforeEach(async () => {
    store = await SqliteEventStore.open({ file: ':memory:' });
    const districts = new DecidedStreams(store, counter, (d) => `district-${d}`);
    const city = new DecidedStreams(store, ledger, () => 'ledger-lanzhou', { cacheSize: 1 });
    const streams: ServiceStreams = {
      deciding: (type): Decides => (type === 'RecordBudget' ? city : districts),
    };
    noted = { positions: [], relayNudges: 0 };
    const projections = { noteAppended: (p: number) => noted.positions.push(p) } as unknown as ProjectionHost;
    const relay = { notify: () => noted.relayNudges++ } as unknown as RelayHost;
    handler = new DecideHandler(streams, projections, relay);
  });
  afterEach(async () => {
    await store.close();
  });

  it('decides on the stream the command names, through the decider its type picks', async () => {
    const a = await handler.execute(new Decide('chengguan', { type: 'Register', data: { n: 2 } }, envelope));
    const b = await handler.execute(
      new Decide('chengguan', { type: 'RecordBudget', data: { yuan: 9 } }, envelope),
    );
    expect([a.streamId, a.revision, a.events.map((e) => e.type)]).toEqual([
      'district-chengguan',
      0,
      ['Registered'],
    ]);
    expect([b.streamId, b.events[0].ruleIds]).toEqual(['ledger-lanzhou', ['T-2']]);
    // Read-your-writes waits for the last appended position; the relay is nudged once per decision.
    expect(noted).toEqual({ positions: [1, 2], relayNudges: 2 });
    expect((await store.readStream('district-chengguan')).map((e) => e.data)).toEqual([{ n: 2 }]);
  });

  it('passes a refusal on, appending and noting nothing', async () => {
    await expect(
      handler.execute(new Decide('qilihe', { type: 'Register', data: { n: 0 } }, envelope)),
    ).rejects.toMatchObject({ ruleId: 'T-1' });
    expect(noted).toEqual({ positions: [], relayNudges: 0 });
    expect(await store.readAll()).toEqual([]);
  });
});
