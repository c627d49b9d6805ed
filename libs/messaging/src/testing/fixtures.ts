import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type EventMetadata, type NewEvent } from '#libs/event-sourcing';

export const SERVICE = 'community-establishment';

export function metadata(overrides: Partial<EventMetadata> = {}): EventMetadata {
  return {
    effectiveAt: '2013-06-01',
    actor: { subject: 'officer-cg-01', roles: ['officer'], districtScope: '城关区' },
    legalBasis: '城关区政发〔2013〕47号',
    ruleIds: ['EST-2', 'EST-7'],
    correlationId: randomUUID(),
    causationId: null,
    ...overrides,
  };
}

export function newEvent(n: number, overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'CommitteeRenamed',
    schemaVersion: 1,
    data: { communityId: `cg-${n}`, name: `雁南社区居民委员会 ${n}`, n },
    metadata: metadata(),
    ...overrides,
  };
}

/** A SqliteEventStore in a temp dir; `cleanup` closes it and deletes the dir. */
export async function tempStore(): Promise<{
  store: SqliteEventStore;
  file: string;
  reopen: () => Promise<SqliteEventStore>;
  cleanup: () => Promise<void>;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'registry-messaging-'));
  const file = join(dir, 'events.sqlite');
  const opened: SqliteEventStore[] = [];
  const open = async () => {
    const s = await SqliteEventStore.open({ file });
    opened.push(s);
    return s;
  };
  const store = await open();
  return {
    store,
    file,
    reopen: open,
    cleanup: async () => {
      for (const s of opened) await s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Appends `count` events spread over `streams` streams, one append per event; returns the stream ids. */
export async function appendEvents(
  store: SqliteEventStore,
  count: number,
  streams: number,
  prefix = `district-${randomUUID().slice(0, 8)}`,
): Promise<string[]> {
  const ids = Array.from({ length: streams }, (_, i) => `${prefix}-${i}`);
  for (let i = 0; i < count; i++) {
    await store.appendToStream(ids[i % streams], [newEvent(i)], { expectedRevision: 'any' });
  }
  return ids;
}

export async function waitFor(what: string, predicate: () => boolean | Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
