import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  ANY,
  BACKWARDS,
  END,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AppendResult,
  type AppendStreamState,
  type EventData,
  type KurrentDBClient,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type SubscribeToAllOptions,
} from '@kurrent/kurrentdb-client';

interface StoredRecord {
  readonly streamId: string;
  readonly id: string;
  readonly isJson: true;
  readonly revision: bigint;
  readonly type: string;
  readonly created: Date;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly position: Position;
}

/**
 * An in-memory stand-in for the KurrentDB client, modelled on the client's documented behaviour
 * (StreamNotFoundError on reading a missing stream, inclusive `fromPosition`, WrongExpectedVersionError
 * with the actual state, JSON round trip of data and metadata, `$`-types filtered by
 * excludeSystemEvents). It lets the adapter's own logic (hash chaining, retry recognition, paging,
 * decoding) run through the contract suite on a machine without a server. It proves nothing about
 * the server: the real run is kurrentdb-event-store.int-spec.ts with EVENTSTORE_CONNECTION_STRING.
 */
export class FakeKurrentDbClient {
  private readonly log: StoredRecord[] = [];
  private readonly streams = new Map<string, StoredRecord[]>();
  private readonly live = new EventEmitter();
  /** Log positions advance by record size on a real server; any increasing numbers will do here. */
  private nextPosition = 1000n;
  readonly streamMetadata = new Map<string, unknown>();
  disposed = false;

  asClient(): KurrentDBClient {
    return this as unknown as KurrentDBClient;
  }

  async appendToStream(
    streamName: string,
    events: EventData | EventData[],
    options: { streamState?: AppendStreamState } = {},
  ): Promise<AppendResult> {
    const batch = Array.isArray(events) ? events : [events];
    const stream = this.streams.get(streamName) ?? [];
    const current: bigint | 'no_stream' = stream.length > 0 ? BigInt(stream.length - 1) : NO_STREAM;
    const expected = options.streamState ?? ANY;
    const ok =
      expected === ANY ||
      (expected === NO_STREAM && current === NO_STREAM) ||
      (expected === STREAM_EXISTS && current !== NO_STREAM) ||
      (typeof expected === 'bigint' && expected === current);
    if (!ok) throw new WrongExpectedVersionError(undefined, { streamName, expected, current });
    let position: Position = { commit: 0n, prepare: 0n };
    for (const event of batch) {
      position = { commit: this.nextPosition, prepare: this.nextPosition };
      this.nextPosition += 100n;
      const record: StoredRecord = {
        streamId: streamName,
        id: event.id,
        isJson: true,
        revision: BigInt(stream.length),
        type: event.type,
        created: new Date(),
        data: JSON.parse(JSON.stringify(event.data)) as unknown,
        metadata:
          event.metadata === undefined ? undefined : (JSON.parse(JSON.stringify(event.metadata)) as unknown),
        position,
      };
      stream.push(record);
      this.log.push(record);
    }
    this.streams.set(streamName, stream);
    for (const record of batch) this.live.emit('data', record);
    return { success: true, nextExpectedRevision: BigInt(stream.length - 1), position };
  }

  readStream(
    streamName: string,
    options: ReadStreamOptions = {},
  ): AsyncIterableIterator<{ event: StoredRecord }> {
    const streams = this.streams;
    return (async function* () {
      const stream = streams.get(streamName);
      if (!stream) throw new StreamNotFoundError(undefined, streamName);
      const backwards = options.direction === BACKWARDS;
      const from = options.fromRevision ?? (backwards ? END : START);
      const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
      const ordered = backwards ? [...stream].reverse() : stream;
      let count = 0;
      for (const record of ordered) {
        if (count >= max) return;
        if (typeof from === 'bigint' && (backwards ? record.revision > from : record.revision < from))
          continue;
        count++;
        yield { event: record };
      }
    })();
  }

  readAll(
    options: ReadAllOptions = {},
  ): AsyncIterableIterator<{ event: StoredRecord; commitPosition: bigint }> {
    const log = this.log;
    return (async function* () {
      const from = options.fromPosition ?? START;
      const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
      const regex =
        options.filter && 'regex' in options.filter ? new RegExp(options.filter.regex) : undefined;
      let count = 0;
      for (const record of log) {
        if (count >= max) return;
        if (from === END) return;
        if (from !== START && record.position.commit < from.commit) continue; // inclusive, like the server
        if (regex && !regex.test(record.type)) continue;
        count++;
        yield { event: record, commitPosition: record.position.commit };
      }
    })();
  }

  subscribeToAll(_options: SubscribeToAllOptions = {}): EventEmitter & { unsubscribe(): Promise<void> } {
    const subscription = Object.assign(new EventEmitter(), {
      unsubscribe: async () => {
        this.live.off('data', forward);
      },
    });
    const forward = (record: StoredRecord) => subscription.emit('data', { event: record });
    this.live.on('data', forward);
    return subscription;
  }

  async setStreamMetadata(streamName: string, metadata: unknown): Promise<AppendResult> {
    this.streamMetadata.set(streamName, metadata);
    return { success: true, nextExpectedRevision: 0n };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.live.removeAllListeners();
  }

  /** Writes an event the way another application (or the server itself) would: no envelope. */
  async appendForeign(streamName: string, type: string): Promise<void> {
    await this.appendToStream(streamName, {
      id: randomUUID(),
      contentType: 'application/json',
      type,
      data: {},
      metadata: undefined,
    } as EventData);
  }
}
