import { Inject, Injectable } from '@nestjs/common';
import {
  handleCommand,
  StateCache,
  type EventStore,
  type CommandRequest,
  type RecordedEvent,
} from '#libs/event-sourcing';
import {
  districtStreamId,
  staffingDecider,
  type StaffingState,
  type StaffingCommand,
  type StaffingEvent,
  type StaffingPolicy,
} from '../domain';
import { STAFFING_POLICY, EVENT_STORE } from './tokens';

export interface DecisionResult {
  streamId: string;
  revision: number;
  events: Array<{
    eventId: string;
    type: string;
    ruleIds: readonly string[];
    effectiveAt: string;
    recordedAt: string;
    streamRevision: number;
    globalPosition: number;
    hash: string;
  }>;
}

/**
 * Access to the district streams. evolve mutates the cached state it owns, so every use of a
 * district's state, deciding or reading, is serialised per district.
 */
@Injectable()
export class StaffingStates {
  private readonly decider;
  private readonly cache = new StateCache<StaffingState>({ maxEntries: 64 });
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(STAFFING_POLICY) policy: StaffingPolicy,
  ) {
    this.decider = staffingDecider(policy);
  }

  async decide(
    district: string,
    request: Omit<CommandRequest<StaffingCommand>, 'command'> & { command: StaffingCommand },
  ): Promise<DecisionResult> {
    const streamId = districtStreamId(district);
    return this.serialise(streamId, async () => {
      const result = await handleCommand(this.store, this.decider, streamId, request, {
        stateCache: this.cache,
      });
      return {
        streamId,
        revision: result.nextExpectedRevision,
        events: result.events.map((e: RecordedEvent) => ({
          eventId: e.eventId,
          type: e.type,
          ruleIds: e.metadata.ruleIds,
          effectiveAt: e.metadata.effectiveAt,
          recordedAt: e.recordedAt,
          streamRevision: e.streamRevision,
          globalPosition: e.globalPosition,
          hash: e.hash,
        })),
      };
    });
  }

  /** Runs a read against the district's current state (its decisions so far). */
  async read<T>(district: string, fn: (state: StaffingState, revision: number) => T): Promise<T> {
    const streamId = districtStreamId(district);
    return this.serialise(streamId, async () => {
      const { state, revision } = await this.cache.load(this.store, this.decider, streamId);
      return fn(state, revision);
    });
  }

  /** Raw recorded events of a district, for auditors who check the envelope themselves. */
  async events(
    district: string,
    fromRevision = 0,
    maxCount = 500,
  ): Promise<RecordedEvent<StaffingEvent['type']>[]> {
    return (await this.store.readStream(districtStreamId(district), {
      fromRevision,
      maxCount,
    })) as RecordedEvent<StaffingEvent['type']>[];
  }

  private serialise<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return run;
  }
}
