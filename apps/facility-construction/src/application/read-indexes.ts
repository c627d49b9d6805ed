import type { ReadIndexes } from '#libs/read-store';
import { FACILITY_COLLECTIONS as C } from './projections';

/**
 * What the current-state queries filter and sort by (facility-queries.ts): a district's projects,
 * communities and naming refusals in id order. The SQLite read store serves these from its indexes;
 * funding documents are read by id.
 */
export const FACILITY_READ_INDEXES: ReadIndexes = {
  [C.projects]: [['district', 'projectId']],
  [C.communities]: [['district', 'communityId']],
  [C.namingRefusals]: [['district', 'projectId']],
};
