import type { NewEvent, RecordedEvent } from './envelope';
import type { EventStore } from './event-store';
import type { Upcaster } from './state-cache';

/**
 * Stored events are never rewritten and their type strings never renamed (GUIDE §4.7). When the
 * shape of an event changes, its schema version goes up and a step that turns version n into
 * n + 1 is registered here; reading applies the steps in order until the current version, so
 * evolve, projections and subscribers only ever see current shapes.
 */
export interface UpcastStep {
  readonly type: string;
  /** The version this step reads; it returns the event at fromVersion + 1. */
  readonly fromVersion: number;
  readonly upcast: (data: unknown, event: RecordedEvent) => unknown;
}

export class UpcasterChain {
  private readonly steps = new Map<string, UpcastStep>();
  private readonly current = new Map<string, number>();

  constructor(steps: readonly UpcastStep[] = []) {
    for (const step of steps) this.register(step);
  }

  register(step: UpcastStep): this {
    const key = `${step.type}@${step.fromVersion}`;
    if (this.steps.has(key)) throw new Error(`two upcasters read ${key}`);
    this.steps.set(key, step);
    this.current.set(step.type, Math.max(this.current.get(step.type) ?? 1, step.fromVersion + 1));
    return this;
  }

  /** True when no type has a step: every event is read as stored. */
  get isEmpty(): boolean {
    return this.steps.size === 0;
  }

  /** The version events of this type are read at, and written at. */
  currentVersion(type: string): number {
    return this.current.get(type) ?? 1;
  }

  /** Brings a stored event to the current version of its type; an up-to-date event is returned as is. */
  readonly upcast: Upcaster = (event) => {
    let result = event;
    while (result.schemaVersion < this.currentVersion(result.type)) {
      const step = this.steps.get(`${result.type}@${result.schemaVersion}`);
      // A gap in the chain is a programming error: never hand an old shape to evolve.
      if (!step) throw new Error(`no upcaster reads ${result.type} version ${result.schemaVersion}`);
      result = { ...result, data: step.upcast(result.data, result), schemaVersion: result.schemaVersion + 1 };
    }
    return result;
  };

  /** Brings stored events to the current versions; the array itself when none is older. */
  upcastAll(events: RecordedEvent[]): RecordedEvent[] {
    if (this.isEmpty) return events;
    return events.map(this.upcast);
  }

  /** Events about to be appended, each marked with the current version of its type. */
  stampAll(events: readonly NewEvent[]): readonly NewEvent[] {
    if (this.isEmpty && events.every((e) => e.schemaVersion === 1)) return events;
    return events.map((e) => {
      const version = this.currentVersion(e.type);
      return e.schemaVersion === version ? e : { ...e, schemaVersion: version };
    });
  }
}

const storedStores = new WeakMap<object, EventStore>();

/**
 * The event store as a service reads it: every read (readStream, readAll, subscribeToAll) hands
 * out events brought to the current version of their type by the chain, and every append records
 * that current version (decide only makes current shapes). Wrapping the store where it is created
 * means no reader can forget to upcast: the command side's fold, the projections, the relay and
 * the queries all read through it.
 *
 * Everything else is the adapter's own, unchanged (a Proxy rather than a wrapper class): closing,
 * SQLite's database shared with the idempotency keys, inbox and checkpoints, and `instanceof`.
 * What was stored, byte for byte, stays readable through storedEventsOf: the hash chain is
 * computed over it.
 */
export function upcastingEventStore<S extends EventStore>(store: S, chain: UpcasterChain): S {
  const reads: Pick<EventStore, 'readStream' | 'readAll' | 'subscribeToAll' | 'appendToStream'> = {
    readStream: async (streamId, options) => chain.upcastAll(await store.readStream(streamId, options)),
    readAll: async (options) => chain.upcastAll(await store.readAll(options)),
    subscribeToAll: (options) =>
      store.subscribeToAll({ ...options, handler: (event) => options.handler(chain.upcast(event)) }),
    appendToStream: (streamId, events, options) =>
      store.appendToStream(streamId, chain.stampAll(events), options),
  };
  const syncReads: Pick<EventStore, 'readStreamSync' | 'readRevisionsSync'> = {
    ...(store.readStreamSync && {
      readStreamSync: (streamId, options) => chain.upcastAll(store.readStreamSync!(streamId, options)),
    }),
    ...(store.readRevisionsSync && {
      readRevisionsSync: (streamId, revisions) =>
        chain.upcastAll(store.readRevisionsSync!(streamId, revisions)),
    }),
  };
  const bound = new WeakMap<object, unknown>();
  const view = new Proxy(store, {
    get(target, property) {
      if (Object.hasOwn(reads, property)) return reads[property as keyof typeof reads];
      if (Object.hasOwn(syncReads, property)) return syncReads[property as keyof typeof syncReads];
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      // The adapter's methods run on the adapter itself (its private state is not on the Proxy).
      let method = bound.get(value);
      if (method === undefined) {
        method = (value as (...args: unknown[]) => unknown).bind(target);
        bound.set(value, method);
      }
      return method;
    },
  });
  storedStores.set(view, store);
  return view;
}

/**
 * The store whose reads give the events as stored, not upcast: what hash-chain verification
 * reads. For a store that upcastingEventStore did not wrap, the store itself.
 */
export function storedEventsOf<S extends EventStore>(store: S): S {
  return (storedStores.get(store) as S | undefined) ?? store;
}
