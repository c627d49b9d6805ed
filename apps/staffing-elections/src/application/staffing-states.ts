import { Inject, Injectable } from '@nestjs/common';
import type { EventStore } from '#libs/event-sourcing';
import { DecidedStreams } from '#libs/hosting';
import {
  districtStreamId,
  staffingDecider,
  type StaffingCommand,
  type StaffingEvent,
  type StaffingPolicy,
  type StaffingState,
} from '../domain';
import { EVENT_STORE, STAFFING_POLICY } from './tokens';

export type { DecisionResult } from '#libs/event-sourcing';

/** The district streams of the staffing service (one per district, see domain/decider.ts). */
@Injectable()
export class StaffingStates extends DecidedStreams<StaffingCommand, StaffingEvent, StaffingState> {
  constructor(@Inject(EVENT_STORE) store: EventStore, @Inject(STAFFING_POLICY) policy: StaffingPolicy) {
    super(store, staffingDecider(policy), districtStreamId);
  }
}
