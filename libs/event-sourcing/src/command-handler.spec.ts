import { randomUUID } from 'node:crypto';
import { RuleViolation, type CommandContext, type Decider, type DomainEvent } from './decider';
import { deterministicEventId, handleCommand, type CommandRequest } from './command-handler';
import { WrongExpectedRevisionError, type EventStore } from './event-store';
import { SqliteEventStore } from './sqlite-event-store';
import { LOAD_PAGE, StateCache } from './state-cache';
import { verifyStream } from './hash-chain';

// A tiny committee: opened once, at most three members (rules T-1, T-2).
type Command =
  | { type: 'Open'; data: { name: string } }
  | { type: 'AddMember'; data: { member: string } }
  | { type: 'Touch'; data: Record<string, never> };
type Event =
  DomainEvent<'Opened', { name: string }> | DomainEvent<'MemberAdded', { member: string; since: string }>;
type State = { status: 'none' } | { status: 'open'; name: string; members: string[]; seenBy: string[] };

const decider: Decider<Command, Event, State> = {
  initialState: () => ({ status: 'none' }),
  evolve: (state, event, ctx) => {
    switch (event.type) {
      case 'Opened':
        return { status: 'open', name: event.data.name, members: [], seenBy: [ctx.actor.subject] };
      case 'MemberAdded':
        return state.status === 'open'
          ? {
              ...state,
              members: [...state.members, event.data.member],
              seenBy: [...state.seenBy, ctx.actor.subject],
            }
          : state;
      default: {
        const unknownEvent: never = event;
        return unknownEvent;
      }
    }
  },
  decide: (command, state, ctx) => {
    switch (command.type) {
      case 'Open':
        if (state.status !== 'none') throw new RuleViolation('T-1', 'already open');
        return [{ type: 'Opened', data: { name: command.data.name }, ruleIds: ['T-1'] }];
      case 'AddMember':
        if (state.status !== 'open') throw new RuleViolation('T-1', 'not open');
        if (state.members.length >= 3) throw new RuleViolation('T-2', 'at most three members');
        return [
          {
            type: 'MemberAdded',
            data: { member: command.data.member, since: ctx.effectiveAt },
            ruleIds: ['T-2'],
          },
        ];
      case 'Touch':
        return [];
      default: {
        const unknownCommand: never = command;
        return unknownCommand;
      }
    }
  },
};

const context: CommandContext = {
  effectiveAt: '2013-09-01',
  actor: { subject: 'clerk-1', roles: ['district-clerk'], districtScope: '城关区' },
};
const request = (
  command: Command,
  extra: Partial<CommandRequest<Command>> = {},
): CommandRequest<Command> => ({
  command,
  context,
  legalBasis: '兰民发〔2013〕12号',
  correlationId: 'corr-1',
  ...extra,
});
const open = request({ type: 'Open', data: { name: '雁南社区' } });
const add = (member: string, extra: Partial<CommandRequest<Command>> = {}) =>
  request({ type: 'AddMember', data: { member } }, extra);

describe('handleCommand', () => {
  let store: SqliteEventStore;
  beforeEach(async () => {
    store = await SqliteEventStore.open({ file: ':memory:' });
  });
  afterEach(async () => {
    await store.close();
  });

  it('reads, decides and appends with the full envelope', async () => {
    const opened = await handleCommand(store, decider, 'c-1', open, {
      schemaVersionOf: (t) => (t === 'Opened' ? 2 : 1),
    });
    expect(opened.nextExpectedRevision).toBe(0);
    const result = await handleCommand(
      store,
      decider,
      'c-1',
      add('王芳', {
        causationId: 'cause-1',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      }),
    );

    expect(result.nextExpectedRevision).toBe(1);
    expect(result.state).toEqual({
      status: 'open',
      name: '雁南社区',
      members: ['王芳'],
      seenBy: ['clerk-1', 'clerk-1'],
    });
    expect(result.events).toHaveLength(1);
    const [event] = result.events;
    expect(event).toMatchObject({ type: 'MemberAdded', streamRevision: 1, schemaVersion: 1 });
    expect(event.data).toEqual({ member: '王芳', since: '2013-09-01' });
    expect(event.metadata).toEqual({
      effectiveAt: '2013-09-01',
      actor: { subject: 'clerk-1', roles: ['district-clerk'], districtScope: '城关区' },
      legalBasis: '兰民发〔2013〕12号',
      ruleIds: ['T-2'],
      correlationId: 'corr-1',
      causationId: 'cause-1',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
    expect((await store.readStream('c-1'))[0].schemaVersion).toBe(2);
    expect((await verifyStream(store, 'c-1')).ok).toBe(true);
  });

  it('appends nothing when a rule refuses', async () => {
    await expect(handleCommand(store, decider, 'c-1', add('王芳'))).rejects.toMatchObject({ ruleId: 'T-1' });
    expect(await store.readStream('c-1')).toEqual([]);
  });

  it('appends nothing when decide returns no events', async () => {
    await handleCommand(store, decider, 'c-1', open);
    const result = await handleCommand(store, decider, 'c-1', request({ type: 'Touch', data: {} }));
    expect(result).toMatchObject({ events: [], nextExpectedRevision: 0, state: { status: 'open' } });
    expect(await store.readStream('c-1')).toHaveLength(1);
  });

  it('re-reads and decides again after a concurrent append', async () => {
    await handleCommand(store, decider, 'c-1', open);
    let appends = 0;
    const racing: EventStore = {
      readStream: (id, o) => store.readStream(id, o),
      readAll: (o) => store.readAll(o),
      subscribeToAll: (o) => store.subscribeToAll(o),
      close: () => store.close(),
      appendToStream: async (id, events, o) => {
        if (appends++ === 0) {
          // Another writer wins the race between our read and our append.
          await handleCommand(store, decider, id, add('李强'));
        }
        return store.appendToStream(id, events, o);
      },
    };
    const result = await handleCommand(racing, decider, 'c-1', add('王芳'));
    expect(appends).toBe(2);
    expect(result.nextExpectedRevision).toBe(2);
    expect(result.state).toMatchObject({ members: ['李强', '王芳'] });
  });

  it('gives up after maxRetries conflicts', async () => {
    await handleCommand(store, decider, 'c-1', open);
    let appends = 0;
    const alwaysLosing: EventStore = {
      readStream: (id, o) => store.readStream(id, o),
      readAll: (o) => store.readAll(o),
      subscribeToAll: (o) => store.subscribeToAll(o),
      close: () => store.close(),
      appendToStream: async (id, events, o) => {
        appends++;
        await store.appendToStream(id, [{ ...events[0], eventId: randomUUID() }], {
          expectedRevision: 'any',
        });
        return store.appendToStream(id, events, o);
      },
    };
    await expect(
      handleCommand(alwaysLosing, decider, 'c-1', add('王芳'), { maxRetries: 2 }),
    ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(appends).toBe(3);
  });

  it('refuses at once when the caller expected another revision', async () => {
    await handleCommand(store, decider, 'c-1', open);
    await handleCommand(store, decider, 'c-1', add('李强'));
    const spy = jest.spyOn(store, 'appendToStream');
    const error = await handleCommand(store, decider, 'c-1', add('王芳', { expectedRevision: 0 })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WrongExpectedRevisionError);
    expect(error).toMatchObject({ expected: 0, actual: 1 });
    expect(spy).not.toHaveBeenCalled();
    await expect(
      handleCommand(store, decider, 'c-2', add('王芳', { expectedRevision: 1 })),
    ).rejects.toMatchObject({
      actual: 'no_stream',
    });
    const ok = await handleCommand(store, decider, 'c-1', add('王芳', { expectedRevision: 1 }));
    expect(ok.nextExpectedRevision).toBe(2);
    expect(
      (await handleCommand(store, decider, 'c-3', { ...open, expectedRevision: -1 })).nextExpectedRevision,
    ).toBe(0);
  });

  it('derives event ids from the idempotency key, so a retry after a crash before its record appends nothing', async () => {
    await handleCommand(store, decider, 'c-1', open);
    const first = await handleCommand(store, decider, 'c-1', add('王芳', { idempotencyKey: 'req-7' }));
    expect(first.events[0].eventId).toBe(deterministicEventId('c-1', 'req-7', 0));
    expect(first.events[0].metadata.idempotencyKey).toBe('req-7');

    const retried = await handleCommand(store, decider, 'c-1', add('王芳', { idempotencyKey: 'req-7' }));
    expect(retried.events.map((e) => e.eventId)).toEqual(first.events.map((e) => e.eventId));
    expect(retried.nextExpectedRevision).toBe(first.nextExpectedRevision);
    expect((await store.readStream('c-1')).map((e) => e.type)).toEqual(['Opened', 'MemberAdded']);

    expect(deterministicEventId('c-1', 'req-7', 1)).not.toBe(deterministicEventId('c-1', 'req-7', 0));
    expect(deterministicEventId('c-2', 'req-7', 0)).not.toBe(deterministicEventId('c-1', 'req-7', 0));
    expect(deterministicEventId('c-1', 'req-7', 0)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  describe('with a state cache', () => {
    it('reads only the events after the cached revision', async () => {
      const cache = new StateCache<State>({ maxEntries: 10 });
      await handleCommand(store, decider, 'c-1', open, { stateCache: cache });
      await handleCommand(store, decider, 'c-1', add('A'), { stateCache: cache });
      const reads = jest.spyOn(store, 'readStream');
      await handleCommand(store, decider, 'c-1', add('B'), { stateCache: cache });
      expect(reads.mock.calls[0]).toEqual(['c-1', { fromRevision: 2, maxCount: LOAD_PAGE }]);
      expect(cache.get('c-1')).toMatchObject({ revision: 2, state: { members: ['A', 'B'] } });
    });

    it('sees what other writers appended after it cached the state', async () => {
      const cache = new StateCache<State>();
      await handleCommand(store, decider, 'c-1', open, { stateCache: cache });
      await handleCommand(store, decider, 'c-1', add('A'), { stateCache: cache });
      // Another process (no cache) fills the committee.
      await handleCommand(store, decider, 'c-1', add('B'));
      await handleCommand(store, decider, 'c-1', add('C'));
      await expect(
        handleCommand(store, decider, 'c-1', add('D'), { stateCache: cache }),
      ).rejects.toMatchObject({
        ruleId: 'T-2',
      });
      expect(cache.get('c-1')).toMatchObject({ revision: 3, state: { members: ['A', 'B', 'C'] } });
      const loaded = await cache.load(store, decider, 'c-1');
      expect(loaded).toMatchObject({ revision: 3, newEvents: [] });
    });

    it('drops the least recently used stream', async () => {
      const cache = new StateCache<State>({ maxEntries: 2 });
      for (const id of ['c-1', 'c-2', 'c-3'])
        await handleCommand(store, decider, id, open, { stateCache: cache });
      expect(cache.size).toBe(2);
      expect(cache.get('c-1')).toBeUndefined();
      expect(cache.get('c-3')).toBeDefined();
    });

    it('folds each event once when loads race on a mutating evolve', async () => {
      const mutating: Decider<Command, Event, { members: string[] }> = {
        initialState: () => ({ members: [] }),
        evolve: (state, event) => {
          if (event.type === 'MemberAdded') state.members.push(event.data.member);
          return state;
        },
        decide: () => [],
      };
      await handleCommand(store, decider, 'c-1', open);
      await handleCommand(store, decider, 'c-1', add('A'));
      const cache = new StateCache<{ members: string[] }>();
      await cache.load(store, mutating, 'c-1');
      await handleCommand(store, decider, 'c-1', add('B'));
      const [one, two] = await Promise.all([
        cache.load(store, mutating, 'c-1'),
        cache.load(store, mutating, 'c-1'),
      ]);
      expect(one.state.members).toEqual(['A', 'B']);
      expect(two.state.members).toEqual(['A', 'B']);
    });
  });
});
