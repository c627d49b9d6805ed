import { GENESIS_HASH, type RecordedEvent } from '../envelope';
import { EventIdConflictError, WrongExpectedRevisionError, type EventStore } from '../event-store';
import { computeEventHash, verifyStream } from '../hash-chain';
import { testEvent, uniqueStreamId, waitUntil } from './fixtures';

/** Every event after `after` that belongs to one of `streamIds`, paging through the global log. */
async function readAllOf(
  store: EventStore,
  after: number,
  streamIds: readonly string[],
): Promise<RecordedEvent[]> {
  const wanted = new Set(streamIds);
  const out: RecordedEvent[] = [];
  let position = after;
  for (;;) {
    const page = await store.readAll({ after: position, maxCount: 200 });
    out.push(...page.filter((e) => wanted.has(e.streamId)));
    if (page.length < 200) return out;
    position = page[page.length - 1].globalPosition;
  }
}

/** Appends one event to a fresh stream and returns its global position: "now" in the log. */
async function logHead(store: EventStore): Promise<number> {
  const result = await store.appendToStream(uniqueStreamId('marker'), [testEvent('MarkerPlaced')], {
    expectedRevision: 'no_stream',
  });
  return result.lastGlobalPosition;
}

/**
 * The EventStore contract (GUIDE §1: one suite, every adapter). Every test uses its own streams and
 * only looks at its own events in the global log, so the suite also runs against a shared server.
 *
 * `factory` is called before each test; `cleanup` (default: close) after it.
 */
export function describeEventStoreContract(
  name: string,
  factory: () => Promise<EventStore>,
  cleanup: (store: EventStore) => Promise<void> = (store) => store.close(),
): void {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    beforeEach(async () => {
      store = await factory();
    });
    afterEach(async () => {
      await cleanup(store);
    });

    describe('append', () => {
      it('creates a stream with no_stream and reads back what was written', async () => {
        const streamId = uniqueStreamId();
        const events = [
          testEvent('AreaDesignated', { areaId: 'a-1', households: 2100 }),
          testEvent('CommitteeEstablished'),
        ];
        const result = await store.appendToStream(streamId, events, { expectedRevision: 'no_stream' });
        expect(result.nextExpectedRevision).toBe(1);

        const read = await store.readStream(streamId);
        expect(read.map((e) => [e.eventId, e.type, e.streamRevision, e.streamId])).toEqual([
          [events[0].eventId, 'AreaDesignated', 0, streamId],
          [events[1].eventId, 'CommitteeEstablished', 1, streamId],
        ]);
        expect(read[0].data).toEqual({ areaId: 'a-1', households: 2100 });
        expect(read[0].metadata).toEqual(events[0].metadata);
        expect(read[0].schemaVersion).toBe(1);
        expect(read[1].globalPosition).toBe(result.lastGlobalPosition);
        expect(read[1].globalPosition).toBeGreaterThan(read[0].globalPosition);
      });

      it('appends at the exact revision of the last event', async () => {
        const streamId = uniqueStreamId();
        await store.appendToStream(streamId, [testEvent('A'), testEvent('B')], {
          expectedRevision: 'no_stream',
        });
        const result = await store.appendToStream(streamId, [testEvent('C')], { expectedRevision: 1 });
        expect(result.nextExpectedRevision).toBe(2);
        expect((await store.readStream(streamId)).map((e) => e.type)).toEqual(['A', 'B', 'C']);
      });

      it("appends with 'any' to new and existing streams", async () => {
        const streamId = uniqueStreamId();
        expect(
          (await store.appendToStream(streamId, [testEvent('A')], { expectedRevision: 'any' }))
            .nextExpectedRevision,
        ).toBe(0);
        expect(
          (await store.appendToStream(streamId, [testEvent('B')], { expectedRevision: 'any' }))
            .nextExpectedRevision,
        ).toBe(1);
      });

      it('refuses no_stream on an existing stream, and appends nothing', async () => {
        const streamId = uniqueStreamId();
        await store.appendToStream(streamId, [testEvent('A')], { expectedRevision: 'no_stream' });
        const error = await store
          .appendToStream(streamId, [testEvent('B')], { expectedRevision: 'no_stream' })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ streamId, expected: 'no_stream', actual: 0 });
        expect(await store.readStream(streamId)).toHaveLength(1);
      });

      it('refuses a stale revision, and a revision on a missing stream', async () => {
        const streamId = uniqueStreamId();
        await store.appendToStream(streamId, [testEvent('A'), testEvent('B')], {
          expectedRevision: 'no_stream',
        });
        const stale = await store
          .appendToStream(streamId, [testEvent('C')], { expectedRevision: 0 })
          .catch((e: unknown) => e);
        expect(stale).toBeInstanceOf(WrongExpectedRevisionError);
        expect(stale).toMatchObject({ expected: 0, actual: 1 });

        const missing = await store
          .appendToStream(uniqueStreamId(), [testEvent('C')], { expectedRevision: 3 })
          .catch((e: unknown) => e);
        expect(missing).toBeInstanceOf(WrongExpectedRevisionError);
        expect(missing).toMatchObject({ expected: 3, actual: 'no_stream' });
        expect(await store.readStream(streamId)).toHaveLength(2);
      });
    });

    describe('idempotent retry', () => {
      it('appends nothing for the same event ids and returns the original result', async () => {
        const streamId = uniqueStreamId();
        await store.appendToStream(streamId, [testEvent('A')], { expectedRevision: 'no_stream' });
        const batch = [testEvent('B'), testEvent('C')];
        const first = await store.appendToStream(streamId, batch, { expectedRevision: 0 });
        const retried = await store.appendToStream(streamId, batch, { expectedRevision: 0 });
        expect(retried).toEqual(first);
        const again = await store.appendToStream(streamId, batch, { expectedRevision: 'any' });
        expect(again).toEqual(first);
        expect((await store.readStream(streamId)).map((e) => e.type)).toEqual(['A', 'B', 'C']);
      });

      it('recognises the retry after other events were appended', async () => {
        const streamId = uniqueStreamId();
        const batch = [testEvent('A')];
        const first = await store.appendToStream(streamId, batch, { expectedRevision: 'no_stream' });
        await store.appendToStream(streamId, [testEvent('B')], { expectedRevision: 0 });
        expect(await store.appendToStream(streamId, batch, { expectedRevision: 'no_stream' })).toEqual(first);
        expect((await store.readStream(streamId)).map((e) => e.type)).toEqual(['A', 'B']);
      });

      it('refuses a batch that reuses a stored first id with different followers', async () => {
        const streamId = uniqueStreamId();
        const a = testEvent('A');
        await store.appendToStream(streamId, [a, testEvent('B')], { expectedRevision: 'no_stream' });
        const error = await store
          .appendToStream(streamId, [a, testEvent('X')], { expectedRevision: 'any' })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(EventIdConflictError);
        expect(await store.readStream(streamId)).toHaveLength(2);
      });
    });

    describe('readStream', () => {
      let streamId: string;
      beforeEach(async () => {
        streamId = uniqueStreamId();
        await store.appendToStream(
          streamId,
          ['E0', 'E1', 'E2', 'E3', 'E4'].map((t) => testEvent(t)),
          { expectedRevision: 'no_stream' },
        );
      });
      const types = (events: RecordedEvent[]) => events.map((e) => e.type);

      it('reads forwards from a revision with a maximum count', async () => {
        expect(types(await store.readStream(streamId, { fromRevision: 2 }))).toEqual(['E2', 'E3', 'E4']);
        expect(types(await store.readStream(streamId, { fromRevision: 1, maxCount: 2 }))).toEqual([
          'E1',
          'E2',
        ]);
        expect(await store.readStream(streamId, { fromRevision: 5 })).toEqual([]);
      });

      it('reads backwards from the end or from a revision', async () => {
        expect(types(await store.readStream(streamId, { direction: 'backwards' }))).toEqual([
          'E4',
          'E3',
          'E2',
          'E1',
          'E0',
        ]);
        expect(types(await store.readStream(streamId, { direction: 'backwards', maxCount: 1 }))).toEqual([
          'E4',
        ]);
        expect(
          types(await store.readStream(streamId, { direction: 'backwards', fromRevision: 2, maxCount: 2 })),
        ).toEqual(['E2', 'E1']);
      });

      it('returns [] for a stream that does not exist', async () => {
        expect(await store.readStream(uniqueStreamId())).toEqual([]);
        expect(await store.readStream(uniqueStreamId(), { direction: 'backwards' })).toEqual([]);
      });
    });

    describe('readAll', () => {
      it('returns events in increasing global order, strictly after `after`', async () => {
        const head = await logHead(store);
        const [s1, s2] = [uniqueStreamId(), uniqueStreamId()];
        await store.appendToStream(s1, [testEvent('A1'), testEvent('A2')], { expectedRevision: 'no_stream' });
        await store.appendToStream(s2, [testEvent('B1')], { expectedRevision: 'no_stream' });
        await store.appendToStream(s1, [testEvent('A3')], { expectedRevision: 1 });

        const ours = await readAllOf(store, head, [s1, s2]);
        expect(ours.map((e) => e.type)).toEqual(['A1', 'A2', 'B1', 'A3']);
        const positions = ours.map((e) => e.globalPosition);
        expect([...positions].sort((a, b) => a - b)).toEqual(positions);
        expect(new Set(positions).size).toBe(positions.length);

        const afterSecond = await readAllOf(store, ours[1].globalPosition, [s1, s2]);
        expect(afterSecond.map((e) => e.type)).toEqual(['B1', 'A3']);
        const page = await store.readAll({ after: ours[0].globalPosition, maxCount: 1 });
        expect(page).toHaveLength(1);
        expect(page[0].globalPosition).toBeGreaterThan(ours[0].globalPosition);
      });
    });

    describe('envelope', () => {
      it('sets recordedAt when the event is stored', async () => {
        const streamId = uniqueStreamId();
        const before = Date.now();
        await store.appendToStream(streamId, [testEvent('A')], { expectedRevision: 'no_stream' });
        const after = Date.now();
        const [event] = await store.readStream(streamId);
        expect(event.recordedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
        const recordedAt = Date.parse(event.recordedAt);
        expect(recordedAt).toBeGreaterThanOrEqual(before - 1000);
        expect(recordedAt).toBeLessThanOrEqual(after + 1000);
      });

      it('chains the hashes of a stream and verifies', async () => {
        const streamId = uniqueStreamId();
        await store.appendToStream(streamId, [testEvent('A', { n: 1 }), testEvent('B', { n: 2 })], {
          expectedRevision: 'no_stream',
        });
        await store.appendToStream(streamId, [testEvent('C', { n: 3 })], { expectedRevision: 1 });
        const events = await store.readStream(streamId);
        expect(events[0].previousHash).toBe(GENESIS_HASH);
        for (let i = 1; i < events.length; i++) expect(events[i].previousHash).toBe(events[i - 1].hash);
        for (const event of events) expect(await computeEventHash(event)).toBe(event.hash);
        expect(new Set(events.map((e) => e.hash)).size).toBe(3);
        expect(await verifyStream(store, streamId)).toEqual({
          ok: true,
          checkedEvents: 3,
          checkedStreams: 1,
        });
      });
    });

    describe('subscribeToAll', () => {
      it('delivers existing then new events in order, and resumes after its checkpoint', async () => {
        const head = await logHead(store);
        const streamId = uniqueStreamId();
        const subscriptionId = `contract-${streamId}`;
        await store.appendToStream(streamId, [testEvent('E0'), testEvent('E1'), testEvent('E2')], {
          expectedRevision: 'no_stream',
        });

        const first: string[] = [];
        const subscription = store.subscribeToAll({
          subscriptionId,
          startAfter: head,
          checkpointEvery: 1,
          pollIntervalMs: 50,
          handler: async (event) => {
            if (event.streamId === streamId) first.push(event.type);
          },
        });
        await subscription.caughtUp;
        expect(first).toEqual(['E0', 'E1', 'E2']);

        await store.appendToStream(streamId, [testEvent('E3')], { expectedRevision: 2 });
        await store.appendToStream(streamId, [testEvent('E4')], { expectedRevision: 3 });
        await waitUntil(() => first.length === 5, 'live events');
        expect(first).toEqual(['E0', 'E1', 'E2', 'E3', 'E4']);
        await subscription.stop();

        await store.appendToStream(streamId, [testEvent('E5'), testEvent('E6')], { expectedRevision: 4 });
        const second: string[] = [];
        const resumed = store.subscribeToAll({
          subscriptionId,
          startAfter: head,
          checkpointEvery: 1,
          pollIntervalMs: 50,
          handler: async (event) => {
            if (event.streamId === streamId) second.push(event.type);
          },
        });
        await resumed.caughtUp;
        await resumed.stop();
        expect(second).toEqual(['E5', 'E6']);
      });

      it('awaits each handler call before the next event', async () => {
        const head = await logHead(store);
        const streamId = uniqueStreamId();
        await store.appendToStream(streamId, [testEvent('E0'), testEvent('E1'), testEvent('E2')], {
          expectedRevision: 'no_stream',
        });
        const log: string[] = [];
        const subscription = store.subscribeToAll({
          subscriptionId: `contract-${streamId}`,
          startAfter: head,
          handler: async (event) => {
            if (event.streamId !== streamId) return;
            log.push(`start ${event.type}`);
            await new Promise((resolve) => setTimeout(resolve, 5));
            log.push(`end ${event.type}`);
          },
        });
        await subscription.caughtUp;
        await subscription.stop();
        expect(log).toEqual(['start E0', 'end E0', 'start E1', 'end E1', 'start E2', 'end E2']);
      });

      it('stops on a handler error without skipping the event, and reports it', async () => {
        const head = await logHead(store);
        const streamId = uniqueStreamId();
        const subscriptionId = `contract-${streamId}`;
        await store.appendToStream(streamId, [testEvent('E0'), testEvent('Poison'), testEvent('E2')], {
          expectedRevision: 'no_stream',
        });
        const errors: unknown[] = [];
        const seen: string[] = [];
        const consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
        try {
          const failing = store.subscribeToAll({
            subscriptionId,
            startAfter: head,
            onError: (error) => errors.push(error),
            handler: async (event) => {
              if (event.streamId !== streamId) return;
              if (event.type === 'Poison') throw new Error('projection failed');
              seen.push(event.type);
            },
          });
          await expect(failing.caughtUp).rejects.toThrow('projection failed');
          await failing.stop();
          expect(errors).toHaveLength(1);
          expect(consoleError).toHaveBeenCalled();
          expect(seen).toEqual(['E0']);
        } finally {
          consoleError.mockRestore();
        }

        const retried: string[] = [];
        const fixed = store.subscribeToAll({
          subscriptionId,
          startAfter: head,
          handler: async (event) => {
            if (event.streamId === streamId) retried.push(event.type);
          },
        });
        await fixed.caughtUp;
        await fixed.stop();
        expect(retried).toEqual(['Poison', 'E2']);
      });

      it('saves the checkpoint on a clean stop even between checkpointEvery saves', async () => {
        const head = await logHead(store);
        const streamId = uniqueStreamId();
        const subscriptionId = `contract-${streamId}`;
        await store.appendToStream(streamId, [testEvent('E0'), testEvent('E1'), testEvent('E2')], {
          expectedRevision: 'no_stream',
        });
        const seen: string[] = [];
        const handler = async (event: RecordedEvent) => {
          if (event.streamId === streamId) seen.push(event.type);
        };
        const first = store.subscribeToAll({
          subscriptionId,
          startAfter: head,
          checkpointEvery: 100,
          handler,
        });
        await first.caughtUp;
        await first.stop();
        const second = store.subscribeToAll({
          subscriptionId,
          startAfter: head,
          checkpointEvery: 100,
          handler,
        });
        await second.caughtUp;
        await second.stop();
        expect(seen).toEqual(['E0', 'E1', 'E2']);
      });
    });
  });
}
