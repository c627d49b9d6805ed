import { Inject, Injectable } from '@nestjs/common';
import {
  SerialisedStreams,
  type CommandRequest,
  type DecisionResult,
  type EventStore,
} from '#libs/event-sourcing';
import {
  facilitiesStreamId,
  facilityDecider,
  FUNDING_STREAM_ID,
  fundingDecider,
  type FacilityCommand,
  type FacilityEvent,
  type FacilityPolicy,
  type FacilityState,
  type FundingCommand,
  type FundingEvent,
  type FundingState,
} from '../domain';
import { EVENT_STORE, FACILITY_POLICY } from './tokens';

export type { DecisionResult } from '#libs/event-sourcing';

export type Target =
  | { readonly stream: 'facilities'; readonly district: string; readonly command: FacilityCommand }
  | { readonly stream: 'funding'; readonly command: FundingCommand };

type Request = Omit<CommandRequest<unknown>, 'command'>;

/**
 * The district facility streams (`facilities-<district>`) and the city's funding ledger
 * (`funding-lanzhou`): two deciders, so two SerialisedStreams, each serialising every use of a
 * stream's cached state (deciding or reading).
 */
@Injectable()
export class FacilityStreams {
  private readonly facilities: SerialisedStreams<FacilityCommand, FacilityEvent, FacilityState>;
  private readonly funding: SerialisedStreams<FundingCommand, FundingEvent, FundingState>;

  constructor(@Inject(EVENT_STORE) store: EventStore, @Inject(FACILITY_POLICY) policy: FacilityPolicy) {
    this.facilities = new SerialisedStreams(store, facilityDecider(policy), { cacheSize: 64 });
    // One ledger for the whole city.
    this.funding = new SerialisedStreams(store, fundingDecider(), { cacheSize: 1 });
  }

  decide(target: Target, request: Request): Promise<DecisionResult> {
    return target.stream === 'facilities'
      ? this.facilities.decide(facilitiesStreamId(target.district), { ...request, command: target.command })
      : this.funding.decide(FUNDING_STREAM_ID, { ...request, command: target.command });
  }

  /** Runs a read against a district's facility state. */
  readFacilities<T>(district: string, fn: (state: FacilityState) => T): Promise<T> {
    return this.facilities.read(facilitiesStreamId(district), fn);
  }

  /** Runs a read against the city's funding ledger. */
  readFunding<T>(fn: (state: FundingState) => T): Promise<T> {
    return this.funding.read(FUNDING_STREAM_ID, fn);
  }
}
