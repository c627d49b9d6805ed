import {
  candidatesFor,
  electedCommittee,
  history,
  sevenMembers,
  type History,
} from './testing/given-when-then';

/**
 * ELECT-3 and ELECT-4 stated further: what an electorate may and may not hold under each
 * law, which elections a call may end or supersede, and refusals that name the rule, the election
 * and the committee.
 */

const newCommittee = { committeeId: 'dfh-rc', communityId: 'dongfanghong', reason: 'new-committee' } as const;

/** 东方红's first election called on `on`. */
const called = (on = '2013-05-01'): History => {
  const h = history();
  h.do('CallElection', { electionId: 'dfh-e1', ...newCommittee }, on);
  return h;
};

describe('ELECT-3 the electorate registered for an election', () => {
  it('ELECT-3 all voters: no households and no groups, recorded as none', () => {
    const h = called();
    const e = h
      .when(
        'RegisterElectorate',
        { electionId: 'dfh-e1', mode: 'all-voters', registeredVoters: 900 },
        '2013-05-01',
      )
      .eventOf('ElectorateRegistered');
    expect(e.data).toMatchObject({ electionId: 'dfh-e1', households: null, groups: null });
    for (const extra of [{ households: 900 }, { groups: [{ groupId: 'g-1', representatives: 2 }] }])
      expect(
        h
          .when(
            'RegisterElectorate',
            { electionId: 'dfh-e1', mode: 'all-voters', registeredVoters: 900, ...extra },
            '2013-05-01',
          )
          .thenRefused('ELECT-3').message,
      ).toMatch(/an electorate of all voters has no households or groups/);
  });

  it('ELECT-3 household representatives: the households are recorded; without them, or more representatives than households, refused', () => {
    const h = called();
    const e = h
      .when(
        'RegisterElectorate',
        { electionId: 'dfh-e1', mode: 'household-representatives', registeredVoters: 480, households: 500 },
        '2013-05-01',
      )
      .eventOf('ElectorateRegistered');
    expect(e.data).toMatchObject({ mode: 'household-representatives', households: 500, groups: null });
    expect(
      h
        .when(
          'RegisterElectorate',
          { electionId: 'dfh-e1', mode: 'household-representatives', registeredVoters: 480 },
          '2013-05-01',
        )
        .thenRefused('ELECT-3').message,
    ).toMatch(/one representative per household: give the households/);
    expect(
      h
        .when(
          'RegisterElectorate',
          { electionId: 'dfh-e1', mode: 'household-representatives', registeredVoters: 501, households: 500 },
          '2013-05-01',
        )
        .thenRefused('ELECT-3').message,
    ).toMatch(/501 representatives for 500 households: one per household/);
  });

  it('ELECT-3 group representatives: the groups are recorded; none given, an empty list, or a wrong total is refused', () => {
    const h = called();
    const groups = [
      { groupId: 'g-1', representatives: 2 },
      { groupId: 'g-2', representatives: 3 },
    ];
    const e = h
      .when(
        'RegisterElectorate',
        { electionId: 'dfh-e1', mode: 'group-representatives', registeredVoters: 5, groups },
        '2013-05-01',
      )
      .eventOf('ElectorateRegistered');
    expect(e.data).toMatchObject({ households: null, groups });
    for (const none of [{}, { groups: [] }])
      expect(
        h
          .when(
            'RegisterElectorate',
            { electionId: 'dfh-e1', mode: 'group-representatives', registeredVoters: 5, ...none },
            '2013-05-01',
          )
          .thenRefused('ELECT-3').message,
      ).toMatch(/representatives of residents' groups: give the groups/);
    expect(
      h
        .when(
          'RegisterElectorate',
          { electionId: 'dfh-e1', mode: 'group-representatives', registeredVoters: 6, groups },
          '2013-05-01',
        )
        .thenRefused('ELECT-3').message,
    ).toMatch(/the groups send 5 representatives, not 6/);
  });

  it.each(['2013-05-01', '2019-05-01', '2026-05-01'])(
    'ELECT-3 under the law in force on %s each residents’ group sends 2 to 3 representatives',
    (on) => {
      const register = (representatives: number[]) =>
        called(on).when(
          'RegisterElectorate',
          {
            electionId: 'dfh-e1',
            mode: 'group-representatives',
            registeredVoters: representatives.reduce((a, b) => a + b, 0),
            groups: representatives.map((n, i) => ({ groupId: `g-${i + 1}`, representatives: n })),
          },
          on,
        );
      register([2, 3]).thenTypes('ELECT-3', ['ElectorateRegistered']);
      expect(register([1, 2]).thenRefused('ELECT-3', { groupIds: ['g-1'] }).message).toMatch(
        /each residents' group sends 2 to 3 representatives/,
      );
      register([3, 4]).thenRefused('ELECT-3', { groupIds: ['g-2'] });
    },
  );

  it('ELECT-3 an election already held takes no new electorate', () => {
    expect(
      electedCommittee(history(), '2013-05-20')
        .when(
          'RegisterElectorate',
          { electionId: 'dfh-e1', mode: 'all-voters', registeredVoters: 1000 },
          '2013-06-01',
        )
        .thenRefused('ELECT-3').message,
    ).toMatch(/election dfh-e1 was already held on 2013-05-20/);
  });
});

describe('ELECT-4 calling an election', () => {
  it('ELECT-4 an election id is used once, and a committee belongs to its own community', () => {
    const h = called();
    expect(
      h
        .when(
          'CallElection',
          { electionId: 'dfh-e1', committeeId: 'glr-rc', communityId: 'gaolanlu', reason: 'new-committee' },
          '2013-05-02',
        )
        .thenRefused('ELECT-4').message,
    ).toMatch(/election dfh-e1 already exists/);
    expect(
      h
        .when(
          'CallElection',
          { electionId: 'glr-e1', committeeId: 'dfh-rc', communityId: 'gaolanlu', reason: 'new-committee' },
          '2013-05-02',
        )
        .thenRefused('ELECT-4').message,
    ).toMatch(/committee dfh-rc belongs to dongfanghong/);
  });

  it('ELECT-4 a second election while one is open is refused naming the open one', () => {
    expect(
      called()
        .when('CallElection', { electionId: 'dfh-e9', ...newCommittee }, '2013-05-02')
        .thenRefused('ELECT-4', { openElectionId: 'dfh-e1' }).message,
    ).toMatch(/election dfh-e1 of dfh-rc is still open/);
  });

  it('ELECT-4 a merger into a committee with an open election it does not name as merged is refused', () => {
    const h = called();
    h.when(
      'CallElection',
      {
        electionId: 'dfh-e2',
        ...newCommittee,
        reason: 'merger',
        endsTermsOfCommitteeIds: ['glr-rc', 'ytxy-rc'],
      },
      '2013-06-01',
    ).thenRefused('ELECT-4', { openElectionId: 'dfh-e1' });
  });

  it('ELECT-4 a split that keeps the split committee supersedes its open by-election and ends its term', () => {
    const h = electedCommittee(history(), '2013-05-20');
    h.do('CallElection', { electionId: 'dfh-by1', ...newCommittee, reason: 'vacancies' }, '2014-03-01');
    const events = h
      .when(
        'CallElection',
        { electionId: 'dfh-e2', ...newCommittee, reason: 'split', endsTermsOfCommitteeIds: ['dfh-rc'] },
        '2015-01-01',
      )
      .thenTypes('ELECT-4', ['ElectionCancelled', 'TermEnded', 'ElectionCalled']);
    expect(events.map((e) => e.ruleIds)).toEqual([['ELECT-4'], ['ELECT-4'], ['ELECT-4']]);
    expect(events[0].data).toEqual({
      electionId: 'dfh-by1',
      committeeId: 'dfh-rc',
      cancelledOn: '2015-01-01',
      reason: 'split',
      supersededByElectionId: 'dfh-e2',
    });
    expect(events[1].data).toEqual({
      termId: 'term-dfh-e1',
      committeeId: 'dfh-rc',
      endedOn: '2015-01-01',
      reason: 'split',
      byElectionId: 'dfh-e2',
    });
    expect(events[2].data).toEqual({
      electionId: 'dfh-e2',
      committeeId: 'dfh-rc',
      communityId: 'dongfanghong',
      reason: 'split',
      calledOn: '2015-01-01',
      dueOn: '2015-04-01',
      dueDays: 90,
      endsTermsOfCommitteeIds: ['dfh-rc'],
    });
  });

  it('ELECT-4 a split ends one committee’s term; a merger names two different committees', () => {
    expect(
      history()
        .when(
          'CallElection',
          {
            electionId: 'p1-e1',
            committeeId: 'p1-rc',
            communityId: 'p1',
            reason: 'split',
            endsTermsOfCommitteeIds: ['dfh-rc', 'glr-rc'],
          },
          '2015-01-01',
        )
        .thenRefused('ELECT-4').message,
    ).toMatch(/a split ends the term of one committee, the one split/);
    expect(
      history()
        .when(
          'CallElection',
          {
            electionId: 'dg-e1',
            committeeId: 'dg-rc',
            communityId: 'dg',
            reason: 'merger',
            endsTermsOfCommitteeIds: ['dfh-rc', 'dfh-rc'],
          },
          '2015-07-01',
        )
        .thenRefused('ELECT-4').message,
    ).toMatch(/a merger names at least two merged committees whose terms it ends/);
  });

  it.each(['new-committee', 'schedule', 'vacancies'] as const)(
    'ELECT-4 an election called by %s ends no other committee’s term',
    (reason) => {
      expect(
        electedCommittee(history(), '2013-05-20')
          .when(
            'CallElection',
            {
              electionId: 'x-e1',
              committeeId: reason === 'new-committee' ? 'x-rc' : 'dfh-rc',
              communityId: reason === 'new-committee' ? 'xx' : 'dongfanghong',
              reason,
              endsTermsOfCommitteeIds: ['glr-rc'],
            },
            '2014-03-01',
          )
          .thenRefused('ELECT-4').message,
      ).toMatch(new RegExp(`an election called by ${reason} ends no other committee's term`));
    },
  );

  it('ELECT-4 only a merger or a split supersedes the committee’s own open election', () => {
    const h = electedCommittee(history(), '2013-05-20');
    h.do('CallElection', { electionId: 'dfh-by1', ...newCommittee, reason: 'vacancies' }, '2014-03-01');
    h.when(
      'CallElection',
      { electionId: 'dfh-e2', ...newCommittee, reason: 'schedule', endsTermsOfCommitteeIds: ['dfh-rc'] },
      '2016-03-01',
    ).thenRefused('ELECT-4', { openElectionId: 'dfh-by1' });
  });

  it('ELECT-4 a committee already elected is refused a first election, naming it', () => {
    expect(
      electedCommittee(history(), '2013-05-20')
        .when('CallElection', { electionId: 'dfh-e2', ...newCommittee }, '2014-01-01')
        .thenRefused('ELECT-4').message,
    ).toMatch(/committee dfh-rc was already elected; its first election is past/);
  });

  it('ELECT-2 ELECT-4 a scheduled election or by-election without a term in office is refused naming the date', () => {
    expect(
      history()
        .when(
          'CallElection',
          { electionId: 'x-e1', committeeId: 'x-rc', communityId: 'xx', reason: 'schedule' },
          '2016-03-01',
        )
        .thenRefused('ELECT-2').message,
    ).toMatch(/committee x-rc has no term in office to renew on 2016-03-01/);
    expect(
      history()
        .when(
          'CallElection',
          { electionId: 'x-by', committeeId: 'x-rc', communityId: 'xx', reason: 'vacancies' },
          '2014-03-01',
        )
        .thenRefused('ELECT-4').message,
    ).toMatch(/a by-election needs a term in office; x-rc has none on 2014-03-01/);
  });

  it('ELECT-2 ELECT-4 a due date given in the call is kept, on the call date at the earliest', () => {
    const scheduled = electedCommittee(history(), '2013-05-20')
      .when(
        'CallElection',
        { electionId: 'dfh-e2', ...newCommittee, reason: 'schedule', dueOn: '2016-04-30' },
        '2016-03-01',
      )
      .eventOf('ElectionCalled');
    expect(scheduled.data).toMatchObject({ dueOn: '2016-04-30', dueDays: null });
    const same = history()
      .when('CallElection', { electionId: 'dfh-e1', ...newCommittee, dueOn: '2013-05-01' }, '2013-05-01')
      .eventOf('ElectionCalled');
    expect(same.data).toMatchObject({ calledOn: '2013-05-01', dueOn: '2013-05-01', dueDays: null });
    expect(
      history()
        .when('CallElection', { electionId: 'dfh-e1', ...newCommittee, dueOn: '2013-04-30' }, '2013-05-01')
        .thenRefused('ELECT-4').message,
    ).toMatch(/an election due on 2013-04-30 cannot be called on 2013-05-01/);
  });
});

describe('ELECT-4 ending terms and elections', () => {
  it('ELECT-4 a dissolution cancels the open election as of its date; with nothing to end it is refused naming the date', () => {
    const h = called('2015-03-01');
    const [cancelled] = h
      .when('EndTerms', { committeeId: 'dfh-rc', reason: 'dissolution' }, '2015-05-01')
      .thenTypes('ELECT-4', ['ElectionCancelled']);
    expect(cancelled).toEqual({
      type: 'ElectionCancelled',
      ruleIds: ['ELECT-4'],
      data: {
        electionId: 'dfh-e1',
        committeeId: 'dfh-rc',
        cancelledOn: '2015-05-01',
        reason: 'dissolution',
        supersededByElectionId: null,
      },
    });
    h.record('2015-05-01', [cancelled]);
    expect(
      h
        .when('EndTerms', { committeeId: 'dfh-rc', reason: 'dissolution' }, '2015-06-01')
        .thenRefused('ELECT-4').message,
    ).toMatch(/committee dfh-rc has no term in office and no open election to end on 2015-06-01/);
    const m = sevenMembers();
    expect(
      h
        .when(
          'RecordElectionResults',
          { electionId: 'dfh-e1', votesCast: 800, candidates: candidatesFor(m), elected: m },
          '2015-06-01',
        )
        .thenRefused('ELECT-4', { electionId: 'dfh-e1' }).message,
    ).toMatch(/election dfh-e1 was cancelled on 2015-05-01/);
  });
});
