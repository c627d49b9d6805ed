import { Inject, Injectable } from '@nestjs/common';
import type { EventStore } from '#libs/event-sourcing';
import { DecidedStreams, type Decides, type ServiceStreams } from '#libs/hosting';
import {
  facilitiesStreamId,
  facilityDecider,
  FUNDING_COMMAND_SCHEMAS,
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

/**
 * The district facility streams (`facilities-<district>`) and the city's funding ledger
 * (`funding-lanzhou`): two deciders, so two DecidedStreams; a funding command goes to the ledger.
 */
@Injectable()
export class FacilityStreams implements ServiceStreams {
  readonly facilities: DecidedStreams<FacilityCommand, FacilityEvent, FacilityState>;
  readonly funding: DecidedStreams<FundingCommand, FundingEvent, FundingState>;

  constructor(@Inject(EVENT_STORE) store: EventStore, @Inject(FACILITY_POLICY) policy: FacilityPolicy) {
    this.facilities = new DecidedStreams(store, facilityDecider(policy), facilitiesStreamId, {
      cacheSize: 64,
    });
    // One ledger for the whole city.
    this.funding = new DecidedStreams(store, fundingDecider(), () => FUNDING_STREAM_ID, { cacheSize: 1 });
  }

  deciding(commandType: string): Decides {
    return commandType in FUNDING_COMMAND_SCHEMAS ? this.funding : this.facilities;
  }

  /** Runs a read against a district's facility state. */
  readFacilities<T>(district: string, fn: (state: FacilityState, revision: number) => T): Promise<T> {
    return this.facilities.read(district, fn);
  }

  /** Runs a read against the city's funding ledger. */
  readFunding<T>(fn: (state: FundingState) => T): Promise<T> {
    return this.funding.read('', fn);
  }
}
