import { electedCommittee, history, type CommandInput, type History } from './given-when-then';

/**
 * The EST-8 stories of this service: the establishment service's decisions it reacted to, their
 * corrections as the reaction hands them over, and the committees they start from.
 */

export const ESTABLISHED = 'e0000000-0000-4000-8000-0000000000a1';
export const MERGED = 'e0000000-0000-4000-8000-0000000000a2';
export const DISSOLVED = 'e0000000-0000-4000-8000-0000000000a3';
export const CORRECTION = 'c0000000-0000-4000-8000-0000000000b1';
export const SECOND_CORRECTION = 'c0000000-0000-4000-8000-0000000000b2';

type Follow = CommandInput<'FollowEstablishmentCorrection'>;

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

/** 东方红's first election, called (ELECT-4) in reaction to its establishment on 2015-01-01. */
export const established = (): History => {
  const h = history();
  h.do(
    'CallElection',
    { electionId: 'dfh-e1', committeeId: 'dfh-rc', communityId: 'dongfanghong', reason: 'new-committee' },
    '2015-01-01',
    ESTABLISHED,
  );
  return h;
};

/**
 * 东方红 (dfh-rc) elected: called and its electorate registered 2013-04-01, held and its
 * three-year term (1989 law, ELECT-2) started 2013-05-20, running to 2016-05-20.
 */
export const elected = (): History =>
  electedCommittee(history(), '2013-05-20', { calledOn: '2013-04-01', prefix: 'dfh' });
