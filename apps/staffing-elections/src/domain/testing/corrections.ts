import { electedCommittee, history, type History } from './given-when-then';

/**
 * The EST-8 stories of this service: the establishment service's decisions it reacted to, their
 * corrections as the reaction hands them over, and the committees they start from.
 */

import { ESTABLISHED } from '#libs/decider/testing';

export {
  CORRECTION,
  ESTABLISHED,
  follow,
  followEstablishment,
  MERGED,
  SECOND_CORRECTION,
} from '#libs/decider/testing';
export const DISSOLVED = 'e0000000-0000-4000-8000-0000000000a3';

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
