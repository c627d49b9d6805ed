import type { ReadIndexes } from '#libs/read-store';
import { ESTABLISHMENT_COLLECTIONS as C } from './projections';

/**
 * What the current-state queries filter and sort by (establishment-queries.ts): a district's
 * areas and communities in id order, a page at a time. The SQLite read store serves these from
 * its indexes; the remaining conditions (`removed`, `posts.personId`, the household range) are
 * tested on the district's rows.
 */
export const ESTABLISHMENT_READ_INDEXES: ReadIndexes = {
  [C.areas]: [['district', 'areaId']],
  [C.communities]: [['district', 'communityId']],
};
