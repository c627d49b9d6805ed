import type { EventStore } from '#libs/event-sourcing';
import type { Projection, ReadIndexes } from '#libs/read-store';
import { EstablishmentProjection } from '../apps/community-establishment/src/application/projections';
import { StaffingProjection } from '../apps/staffing-elections/src/application/projections';
import { FacilityProjection } from '../apps/facility-construction/src/application/projections';
import { ESTABLISHMENT_READ_INDEXES } from '../apps/community-establishment/src/application/read-indexes';
import { STAFFING_READ_INDEXES } from '../apps/staffing-elections/src/application/read-indexes';
import { FACILITY_READ_INDEXES } from '../apps/facility-construction/src/application/read-indexes';

/*
 * The read models of each service as `npm run rebuild` rebuilds them, shared with the benchmark
 * that times it: the projections over the service's log, the indexes of its SQLite read store,
 * and where that store lives.
 */

export const PROJECTIONS: Readonly<Record<string, (store: EventStore) => Projection[]>> = {
  'community-establishment': (store) => [new EstablishmentProjection(store)],
  'staffing-elections': (store) => [new StaffingProjection(store)],
  'facility-construction': (store) => [new FacilityProjection(store)],
};

export const READ_INDEXES: Readonly<Record<string, ReadIndexes>> = {
  'community-establishment': ESTABLISHMENT_READ_INDEXES,
  'staffing-elections': STAFFING_READ_INDEXES,
  'facility-construction': FACILITY_READ_INDEXES,
};

/** The SQLite read store beside a service's log: `<service>.read.sqlite` for `<service>.sqlite`. */
export const readFileOf = (file: string): string => file.replace(/\.sqlite$/, '.read.sqlite');
