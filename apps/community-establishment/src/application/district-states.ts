import { Inject, Injectable } from '@nestjs/common';
import type { EventStore } from '#libs/event-sourcing';
import { DecidedStreams } from '#libs/hosting';
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
export class DistrictStates extends DecidedStreams<EstablishmentCommand, EstablishmentEvent, DistrictState> {
  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(ESTABLISHMENT_POLICY) policy: EstablishmentPolicy,
  ) {
    super(store, establishmentDecider(policy), districtStreamId);
  }
}
