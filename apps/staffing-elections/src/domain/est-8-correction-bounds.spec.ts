import { candidatesFor, history, sevenMembers } from './testing/given-when-then';
import {
  CORRECTION,
  DISSOLVED,
  elected,
  ESTABLISHED,
  established,
  followEstablishment as follow,
  MERGED,
  SECOND_CORRECTION,
} from './testing/corrections';

/**
 * EST-8 stated further: the bounds of a followed correction's new date — the latest
 * decision recorded here before the derived facts and the earliest after them, each inclusive, the
 * tie-break of decisions on the same day by the order they were recorded — what annulled facts no
 * longer bound, and what the followed event records.
 */

describe('EST-8 the new date lies between the decisions recorded here before and after the derived ones', () => {
  it('EST-8 several later decisions: the earliest of them bounds the move, inclusive', () => {
    const h = established();
    h.do(
      'RegisterElectorate',
      { electionId: 'dfh-e1', mode: 'all-voters', registeredVoters: 1000 },
      '2015-02-01',
    );
    const m = sevenMembers();
    h.do(
      'RecordElectionResults',
      { electionId: 'dfh-e1', votesCast: 800, candidates: candidatesFor(m), elected: m },
      '2015-05-20',
    );
    const v = h
      .when(
        'FollowEstablishmentCorrection',
        follow(ESTABLISHED, { correctedEffectiveAt: '2015-03-01' }),
        '2016-02-01',
      )
      .thenRefused('EST-8', { field: 'correctedEffectiveAt', electionIds: ['dfh-e1'] });
    expect(v.message).toMatch(
      /the decisions derived here cannot move to 2015-03-01: they must lie between the start and 2015-02-01/,
    );
    h.when(
      'FollowEstablishmentCorrection',
      follow(ESTABLISHED, { correctedEffectiveAt: '2015-02-01' }),
      '2016-02-01',
    ).thenTypes('EST-8', ['EstablishmentCorrectionFollowed']);
  });

  it('EST-8 several earlier decisions: the latest of them bounds the move, inclusive; a dissolution cannot move before the term it ends', () => {
    const h = elected();
    h.do('EndTerms', { committeeId: 'dfh-rc', reason: 'dissolution' }, '2016-04-15', DISSOLVED);
    const v = h
      .when(
        'FollowEstablishmentCorrection',
        follow(DISSOLVED, { correctsType: 'CommitteeDissolved', correctedEffectiveAt: '2013-05-01' }),
        '2016-06-01',
      )
      .thenRefused('EST-8', { field: 'correctedEffectiveAt', electionIds: [] });
    expect(v.message).toMatch(/cannot move to 2013-05-01: they must lie between 2013-05-20 and 9999-12-31/);
    h.when(
      'FollowEstablishmentCorrection',
      follow(DISSOLVED, { correctsType: 'CommitteeDissolved', correctedEffectiveAt: '2013-05-20' }),
      '2016-06-01',
    ).thenTypes('EST-8', ['EstablishmentCorrectionFollowed']);
  });

  it('EST-8 decisions on the same day count by the order recorded: a merger recorded after a by-election called that day may move later, not earlier', () => {
    const h = elected();
    h.do(
      'CallElection',
      { electionId: 'dfh-by1', committeeId: 'dfh-rc', communityId: 'dongfanghong', reason: 'vacancies' },
      '2015-07-01',
    );
    h.do(
      'CallElection',
      {
        electionId: 'dg-e1',
        committeeId: 'dg-rc',
        communityId: 'dongfang-gaolan',
        reason: 'merger',
        endsTermsOfCommitteeIds: ['dfh-rc', 'glr-rc'],
      },
      '2015-07-01',
      MERGED,
    );
    const derived = h.state.facts.slice(-3);
    expect(derived.map((f) => f.event.type)).toEqual(['ElectionCancelled', 'TermEnded', 'ElectionCalled']);
    const moved = h
      .when(
        'FollowEstablishmentCorrection',
        follow(MERGED, { correctsType: 'CommitteesMerged', correctedEffectiveAt: '2015-09-01' }),
        '2016-02-01',
      )
      .eventOf('EstablishmentCorrectionFollowed');
    expect(moved).toEqual({
      type: 'EstablishmentCorrectionFollowed',
      ruleIds: ['EST-8', 'ELECT-4'],
      data: {
        correctionEventId: CORRECTION,
        correctsEventId: MERGED,
        correctsType: 'CommitteesMerged',
        reason: '成立文件日期录入错误',
        correctedBy: 'clerk-chengguan-02',
        correctionRecordedAt: '2016-02-01T02:00:00.000Z',
        correctedEffectiveAt: '2015-09-01',
        correctedLegalBasis: null,
        annulled: false,
        followed: derived.map((f) => ({ eventId: f.eventId, type: f.event.type, effectiveAt: '2015-07-01' })),
        committeeIds: ['dfh-rc', 'dg-rc'],
        electionIds: ['dfh-by1', 'dg-e1'],
      },
    });
    h.when(
      'FollowEstablishmentCorrection',
      follow(MERGED, { correctsType: 'CommitteesMerged', correctedEffectiveAt: '2015-06-30' }),
      '2016-02-01',
    ).thenRefused('EST-8', { electionIds: ['dfh-by1', 'dg-e1'] });
  });
});

describe('EST-8 annulments and corrections followed once each', () => {
  it('EST-8 an annulment with decisions built on it is refused naming them', () => {
    const h = established();
    h.do(
      'RegisterElectorate',
      { electionId: 'dfh-e1', mode: 'all-voters', registeredVoters: 1000 },
      '2015-02-01',
    );
    const v = h
      .when('FollowEstablishmentCorrection', follow(ESTABLISHED, { annulled: true }), '2016-02-01')
      .thenRefused('EST-8', { laterEventIds: [h.state.facts[1].eventId] });
    expect(v.message).toMatch(/decisions recorded here build on the annulled decision; correct them first/);
  });

  it('EST-8 facts annulled no longer bound a move: an annulled dissolution does not hold the election it had cancelled', () => {
    const h = established();
    h.do('EndTerms', { committeeId: 'dfh-rc', reason: 'dissolution' }, '2015-06-01', DISSOLVED);
    h.do(
      'FollowEstablishmentCorrection',
      follow(DISSOLVED, { correctsType: 'CommitteeDissolved', annulled: true }, SECOND_CORRECTION),
      '2016-01-01',
      SECOND_CORRECTION,
    );
    h.when(
      'FollowEstablishmentCorrection',
      follow(ESTABLISHED, { correctedEffectiveAt: '2015-08-01' }),
      '2016-02-01',
    ).thenTypes('EST-8', ['EstablishmentCorrectionFollowed']);
    // And an annulled decision has nothing left here to follow a further correction.
    expect(
      h.when(
        'FollowEstablishmentCorrection',
        follow(DISSOLVED, { correctsType: 'CommitteeDissolved', correctedEffectiveAt: '2015-07-01' }),
        '2016-02-01',
      ).events,
    ).toEqual([]);
  });

  it('EST-8 a second, different correction of the same decision is followed too; a change of legal basis alone moves no date', () => {
    const h = established();
    h.do(
      'FollowEstablishmentCorrection',
      follow(ESTABLISHED, { correctedEffectiveAt: '2015-03-01' }),
      '2016-02-01',
      CORRECTION,
    );
    const basis = h
      .when(
        'FollowEstablishmentCorrection',
        follow(ESTABLISHED, { correctedLegalBasis: '城关区政发〔2015〕9号' }, SECOND_CORRECTION),
        '2016-03-01',
      )
      .eventOf('EstablishmentCorrectionFollowed');
    expect(basis.data).toMatchObject({
      correctionEventId: SECOND_CORRECTION,
      correctedEffectiveAt: null,
      correctedLegalBasis: '城关区政发〔2015〕9号',
      followed: [{ type: 'ElectionCalled', effectiveAt: '2015-03-01' }],
      committeeIds: ['dfh-rc'],
      electionIds: ['dfh-e1'],
    });
  });

  it('ELECT-4 EST-8 a committee whose establishment was annulled was never elected: established again, it gets its first election', () => {
    const h = established();
    h.do('FollowEstablishmentCorrection', follow(ESTABLISHED, { annulled: true }), '2016-02-01', CORRECTION);
    const [called] = h
      .when(
        'CallElection',
        { electionId: 'dfh-e2', committeeId: 'dfh-rc', communityId: 'dongfanghong', reason: 'new-committee' },
        '2016-03-01',
      )
      .thenTypes('ELECT-4', ['ElectionCalled']);
    expect(called.data).toMatchObject({ electionId: 'dfh-e2', calledOn: '2016-03-01', dueOn: '2016-05-30' });
  });

  it('EST-8 only decisions on the same committees and elections bound a move: another committee’s later election does not', () => {
    const h = established();
    h.do(
      'CallElection',
      { electionId: 'glr-e1', committeeId: 'glr-rc', communityId: 'gaolanlu', reason: 'new-committee' },
      '2015-02-01',
    );
    h.when(
      'FollowEstablishmentCorrection',
      follow(ESTABLISHED, { correctedEffectiveAt: '2015-03-01' }),
      '2016-02-01',
    ).thenTypes('EST-8', ['EstablishmentCorrectionFollowed']);
  });

  it('EST-8 the latest earlier decision bounds the move whatever order they were recorded in: a merger cannot move before the later-elected committee’s term', () => {
    const h = history();
    const elect = (prefix: string, communityId: string, calledOn: string, heldOn: string) => {
      const m = sevenMembers(prefix);
      h.do(
        'CallElection',
        { electionId: `${prefix}-e1`, committeeId: `${prefix}-rc`, communityId, reason: 'new-committee' },
        calledOn,
      );
      h.do(
        'RegisterElectorate',
        { electionId: `${prefix}-e1`, mode: 'all-voters', registeredVoters: 1000 },
        calledOn,
      );
      h.do(
        'RecordElectionResults',
        { electionId: `${prefix}-e1`, votesCast: 800, candidates: candidatesFor(m), elected: m },
        heldOn,
      );
    };
    // 皋兰路 (elected 2014) is recorded first, 东方红 (elected 2013) backfilled after it.
    elect('glr', 'gaolanlu', '2014-06-01', '2014-06-20');
    elect('dfh', 'dongfanghong', '2013-04-01', '2013-05-20');
    h.do(
      'CallElection',
      {
        electionId: 'dg-e1',
        committeeId: 'dg-rc',
        communityId: 'dongfang-gaolan',
        reason: 'merger',
        endsTermsOfCommitteeIds: ['dfh-rc', 'glr-rc'],
      },
      '2015-07-01',
      MERGED,
    );
    const v = h
      .when(
        'FollowEstablishmentCorrection',
        follow(MERGED, { correctsType: 'CommitteesMerged', correctedEffectiveAt: '2014-01-01' }),
        '2016-02-01',
      )
      .thenRefused('EST-8', { field: 'correctedEffectiveAt' });
    expect(v.message).toMatch(/they must lie between 2014-06-20 and 9999-12-31/);
  });

  it('EST-8 a decision recorded after the derived ones on the same day is a later one: the call may move earlier, not later', () => {
    const h = established();
    h.do(
      'RegisterElectorate',
      { electionId: 'dfh-e1', mode: 'all-voters', registeredVoters: 1000 },
      '2015-01-01',
    );
    h.when(
      'FollowEstablishmentCorrection',
      follow(ESTABLISHED, { correctedEffectiveAt: '2014-11-01' }),
      '2016-02-01',
    ).thenTypes('EST-8', ['EstablishmentCorrectionFollowed']);
    expect(
      h
        .when(
          'FollowEstablishmentCorrection',
          follow(ESTABLISHED, { correctedEffectiveAt: '2015-01-02' }),
          '2016-02-01',
        )
        .thenRefused('EST-8').message,
    ).toMatch(/they must lie between the start and 2015-01-01/);
  });
});
