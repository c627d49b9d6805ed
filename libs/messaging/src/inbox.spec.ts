import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '#libs/event-sourcing';
import { InMemoryInbox, SqliteInbox, type Inbox } from './inbox';

describe.each([
  ['InMemoryInbox', () => ({ inbox: new InMemoryInbox() as Inbox, close: () => undefined })],
  [
    'SqliteInbox',
    () => {
      const inbox = SqliteInbox.open(':memory:');
      return { inbox: inbox as Inbox, close: () => inbox.close() };
    },
  ],
])('%s', (_name, make) => {
  it('remembers handled event ids per consumer', async () => {
    const { inbox, close } = make();
    expect(await inbox.seen('a', 'e1')).toBe(false);
    await inbox.record('a', 'e1');
    await inbox.record('a', 'e1'); // recording twice is harmless
    expect(await inbox.seen('a', 'e1')).toBe(true);
    expect(await inbox.seen('b', 'e1')).toBe(false);
    expect(await inbox.seen('a', 'e2')).toBe(false);
    close();
  });
});

it('SqliteInbox keeps its ids across a reopen', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'registry-inbox-'));
  try {
    const file = join(dir, 'sub', 'inbox.sqlite');
    const first = SqliteInbox.open(file);
    await first.record('civil-affairs', 'e1');
    first.close();
    const second = SqliteInbox.open(file);
    expect(await second.seen('civil-affairs', 'e1')).toBe(true);
    second.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it.each(['thread', 'inline'] as const)(
  'SqliteInbox beside a store (%s writer) records through the store and reads its own records',
  async (writer) => {
    const dir = mkdtempSync(join(tmpdir(), 'registry-inbox-'));
    const store = await SqliteEventStore.open({ file: join(dir, 'service.sqlite'), writer });
    try {
      const executed: string[] = [];
      const execute = store.execute.bind(store);
      store.execute = (sql, params) => {
        executed.push(String(params?.[1]));
        return execute(sql, params);
      };
      const inbox = SqliteInbox.beside(store);
      await inbox.record('staffing', 'e1');
      expect(executed).toEqual(['e1']);
      expect(await inbox.seen('staffing', 'e1')).toBe(true);
      expect(await inbox.size('staffing')).toBe(1);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
