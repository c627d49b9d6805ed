import type { FollowedCorrection } from '../index';

/**
 * EST-8 seen from a reacting service (staffing, facility): the establishment decisions it reacted
 * to and their corrections as its reaction hands them over (FollowEstablishmentCorrection).
 */

export const ESTABLISHED = 'e0000000-0000-4000-8000-0000000000a1';
export const MERGED = 'e0000000-0000-4000-8000-0000000000a2';
export const CORRECTION = 'c0000000-0000-4000-8000-0000000000b1';
export const SECOND_CORRECTION = 'c0000000-0000-4000-8000-0000000000b2';

/** The data of a FollowEstablishmentCorrection command, in every reacting service. */
export type FollowedCorrectionInput = FollowedCorrection;

/** A correction of the establishment event `correctsEventId` (of type `correctsType`) to follow. */
export const follow = (
  correctsEventId: string,
  correctsType: string,
  change: Partial<FollowedCorrectionInput>,
  correctionEventId = CORRECTION,
): FollowedCorrectionInput => ({
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
  change: Partial<FollowedCorrectionInput>,
  correctionEventId = CORRECTION,
): FollowedCorrectionInput => follow(correctsEventId, 'CommitteeEstablished', change, correctionEventId);
