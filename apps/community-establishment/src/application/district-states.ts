import { Inject, Injectable } from '@nestjs/common';
import { SerialisedStreams, type CommandRequest, type EventStore } from '#libs/event-sourcing';
import {
  districtStreamId,
  establishmentDecider,
  type DistrictState,
  type EstablishmentCommand,
  type EstablishmentEvent,
  type EstablishmentPolicy,
} from '../domain';
import { ESTABLISHMENT_POLICY, EVENT_STORE } from './tokens';

export type { DecisionResult } from '#libs/event-sourcing';

/** The district streams of the establishment service (one per district: the EST-7 boundary). */
@Injectable()
export class DistrictStates {
  private readonly streams: SerialisedStreams<EstablishmentCommand, EstablishmentEvent, DistrictState>;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(ESTABLISHMENT_POLICY) policy: EstablishmentPolicy,
  ) {
    this.streams = new SerialisedStreams(store, establishmentDecider(policy));
  }

  decide(district: string, request: CommandRequest<EstablishmentCommand>) {
    return this.streams.decide(districtStreamId(district), request);
  }

  read<T>(district: string, fn: (state: DistrictState, revision: number) => T): Promise<T> {
    return this.streams.read(districtStreamId(district), fn);
  }

  events(district: string, fromRevision = 0, maxCount = 500) {
    return this.streams.events(districtStreamId(district), fromRevision, maxCount);
  }
}
