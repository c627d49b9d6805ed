import { Inject, Injectable } from '@nestjs/common';
import type { Decider, DomainEvent } from '#libs/decider';
import {
  handleCommand,
  StateCache,
  type CommandRequest,
  type EventStore,
  type RecordedEvent,
} from '#libs/event-sourcing';
import {
  facilitiesStreamId,
  facilityDecider,
  FUNDING_STREAM_ID,
  fundingDecider,
  type FacilityCommand,
  type FacilityPolicy,
  type FacilityState,
  type FundingCommand,
  type FundingState,
} from '../domain';
import { EVENT_STORE, FACILITY_POLICY } from './tokens';

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

export type Target =
  | { readonly stream: 'facilities'; readonly district: string; readonly command: FacilityCommand }
  | { readonly stream: 'funding'; readonly command: FundingCommand };

type Request = Omit<CommandRequest<unknown>, 'command'>;

/**
 * Access to the district facility streams and the city's funding ledger. evolve mutates the
 * cached state it owns, so every use of a stream's state, deciding or reading, is serialised.
 */
@Injectable()
export class FacilityStreams {
  private readonly facilities: Decider<FacilityCommand, DomainEvent, FacilityState>;
  private readonly funding = fundingDecider() as unknown as Decider<
    FundingCommand,
    DomainEvent,
    FundingState
  >;
  private readonly facilityCache = new StateCache<FacilityState>({ maxEntries: 64 });
  private readonly fundingCache = new StateCache<FundingState>({ maxEntries: 2 });
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(FACILITY_POLICY) policy: FacilityPolicy,
  ) {
    this.facilities = facilityDecider(policy) as unknown as Decider<
      FacilityCommand,
      DomainEvent,
      FacilityState
    >;
  }

  async decide(target: Target, request: Request): Promise<DecisionResult> {
    const streamId = target.stream === 'facilities' ? facilitiesStreamId(target.district) : FUNDING_STREAM_ID;
    return this.serialise(streamId, async () => {
      const result =
        target.stream === 'facilities'
          ? await handleCommand(
              this.store,
              this.facilities,
              streamId,
              { ...request, command: target.command },
              {
                stateCache: this.facilityCache,
              },
            )
          : await handleCommand(
              this.store,
              this.funding,
              streamId,
              { ...request, command: target.command },
              {
                stateCache: this.fundingCache,
              },
            );
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

  /** Runs a read against a district's facility state. */
  readFacilities<T>(district: string, fn: (state: FacilityState) => T): Promise<T> {
    const streamId = facilitiesStreamId(district);
    return this.serialise(streamId, async () => {
      const { state } = await this.facilityCache.load(this.store, this.facilities, streamId);
      return fn(state);
    });
  }

  /** Runs a read against the city's funding ledger. */
  readFunding<T>(fn: (state: FundingState) => T): Promise<T> {
    return this.serialise(FUNDING_STREAM_ID, async () => {
      const { state } = await this.fundingCache.load(this.store, this.funding, FUNDING_STREAM_ID);
      return fn(state);
    });
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
