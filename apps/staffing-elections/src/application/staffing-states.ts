import { Inject, Injectable } from '@nestjs/common';
import { SerialisedStreams, type CommandRequest, type EventStore } from '#libs/event-sourcing';
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
export class StaffingStates {
  private readonly streams: SerialisedStreams<StaffingCommand, StaffingEvent, StaffingState>;

  constructor(@Inject(EVENT_STORE) store: EventStore, @Inject(STAFFING_POLICY) policy: StaffingPolicy) {
    this.streams = new SerialisedStreams(store, staffingDecider(policy));
  }

  decide(district: string, request: CommandRequest<StaffingCommand>) {
    return this.streams.decide(districtStreamId(district), request);
  }

  read<T>(district: string, fn: (state: StaffingState, revision: number) => T): Promise<T> {
    return this.streams.read(districtStreamId(district), fn);
  }

  events(district: string, fromRevision = 0, maxCount = 500) {
    return this.streams.events(districtStreamId(district), fromRevision, maxCount);
  }
}
