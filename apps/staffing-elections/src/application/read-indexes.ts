import type { ReadIndexes } from '#libs/read-store';
import { STAFFING_COLLECTIONS as C } from './projections';

/**
 * What the current-state queries filter and sort by (staffing-queries.ts): a district's workers by
 * status and community, its committees by community, its election calendar's listed committees in
 * id order, a page at a time. The SQLite read store serves these from its indexes; persons are
 * read by id.
 */
export const STAFFING_READ_INDEXES: ReadIndexes = {
  [C.workers]: [['district', 'status', 'communityId'], ['status']],
  [C.committees]: [['district', 'communityId']],
  [C.calendar]: [['district', 'listed', 'committeeId']],
};
