import type { FacilityInput } from './given-when-then';

/**
 * The EST-8 stories of this service: the establishment service's decisions it recomputed
 * requirements for, their corrections as the reaction hands them over, and the facilities.
 */

export const ESTABLISHED = 'e0000000-0000-4000-8000-0000000000a1';
export const MERGED = 'e0000000-0000-4000-8000-0000000000a2';
export const SPLIT = 'e0000000-0000-4000-8000-0000000000a3';
export const CORRECTION = 'c0000000-0000-4000-8000-0000000000b1';

type Follow = FacilityInput<'FollowEstablishmentCorrection'>;

/** A correction of the establishment event `correctsEventId` (of type `correctsType`) to follow. */
export const follow = (
  correctsEventId: string,
  correctsType: string,
  change: Partial<Follow>,
  correctionEventId = CORRECTION,
): Follow => ({
  correctionEventId,
  correctsEventId,
  correctsType,
  reason: '成立文件日期录入错误',
  correctedEffectiveAt: null,
  correctedLegalBasis: null,
  annulled: false,
  correctedBy: 'clerk-chengguan-02',
  correctionRecordedAt: '2016-02-01T02:00:00.000Z',
  ...change,
});

/** A correction of a CommitteeEstablished to follow. */
export const followEstablishment = (
  correctsEventId: string,
  change: Partial<Follow>,
  correctionEventId = CORRECTION,
): Follow => follow(correctsEventId, 'CommitteeEstablished', change, correctionEventId);

/** A facility of the community, used by its residents' committee, managed by the sub-district. */
export const facility = (communityId: string, facilityId: string, areaM2: number) => ({
  communityId,
  facilityId,
  areaM2,
  useRightHolder: 'residents-committee' as const,
  manager: 'sub-district-office' as const,
});
