import type { RecordedEvent } from './envelope';
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

  /** The version events of this type are read at. */
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
}
