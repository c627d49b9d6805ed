/**
 * The EST-8 stories of this service: the establishment service's decisions it recomputed
 * requirements for, their corrections as the reaction hands them over, and the facilities.
 */

export {
  CORRECTION,
  ESTABLISHED,
  follow,
  followEstablishment,
  MERGED,
  SECOND_CORRECTION,
} from '#libs/decider/testing';
export const SPLIT = 'e0000000-0000-4000-8000-0000000000a3';

/** A facility of the community, used by its residents' committee, managed by the sub-district. */
export const facility = (communityId: string, facilityId: string, areaM2: number) => ({
  communityId,
  facilityId,
  areaM2,
  useRightHolder: 'residents-committee' as const,
  manager: 'sub-district-office' as const,
});
