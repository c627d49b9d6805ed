import { DEFAULT_STAFFING_POLICY } from './policy';
import { candidatesFor, electedCommittee, history, sevenMembers } from './testing/given-when-then';

const called = (on = '2013-05-01', reason: 'new-committee' | 'merger' = 'new-committee') => {
  const h = history();
  h.do(
    'CallElection',
    { electionId: 'dfh-e1', committeeId: 'dfh-rc', communityId: 'dongfanghong', reason },
    on,
  );
  return h;
};

describe('ELECT-3 electorate: all voters, one per household, or 2–3 per residents’ group', () => {
  it('ELECT-3 registers all voters and records the regime', () => {
    const e = called()
      .when(
        'RegisterElectorate',
        { electionId: 'dfh-e1', mode: 'all-voters', registeredVoters: 1200 },
        '2013-05-01',
      )
      .eventOf('ElectorateRegistered');
    expect(e.data).toMatchObject({
      mode: 'all-voters',
      registeredVoters: 1200,
      regime: { regimeId: 'organic-law-1989' },
    });
    expect(e.ruleIds).toEqual(['ELECT-3']);
  });

  it('ELECT-3 one representative per household: no more representatives than households', () => {
    called()
      .when(
        'RegisterElectorate',
        { electionId: 'dfh-e1', mode: 'household-representatives', registeredVoters: 600, households: 600 },
        '2013-05-01',
      )
      .thenTypes('ELECT-3', ['ElectorateRegistered']);
    called()
      .when(
        'RegisterElectorate',
        { electionId: 'dfh-e1', mode: 'household-representatives', registeredVoters: 601, households: 600 },
        '2013-05-01',
      )
      .thenRefused('ELECT-3', { registeredVoters: 601, households: 600 });
    called()
      .when(
        'RegisterElectorate',
        { electionId: 'dfh-e1', mode: 'household-representatives', registeredVoters: 601 },
        '2013-05-01',
      )
      .thenRefused('ELECT-3');
  });

  it('ELECT-3 group representatives: 2 or 3 per group, adding up to the electorate', () => {
    const groups = [
      { groupId: 'g-1', representatives: 2 },
      { groupId: 'g-2', representatives: 3 },
    ];
    called()
      .when(
        'RegisterElectorate',
        { electionId: 'dfh-e1', mode: 'group-representatives', registeredVoters: 5, groups },
        '2013-05-01',
      )
      .thenTypes('ELECT-3', ['ElectorateRegistered']);
    called()
      .when(
        'RegisterElectorate',
        { electionId: 'dfh-e1', mode: 'group-representatives', registeredVoters: 6, groups },
        '2013-05-01',
      )
      .thenRefused('ELECT-3');
    called()
      .when(
        'RegisterElectorate',
        {
          electionId: 'dfh-e1',
          mode: 'group-representatives',
          registeredVoters: 5,
          groups: [
            { groupId: 'g-1', representatives: 1 },
            { groupId: 'g-2', representatives: 4 },
          ],
        },
        '2013-05-01',
      )
      .thenRefused('ELECT-3', { groupIds: ['g-1', 'g-2'] });
  });

  it('ELECT-3 results need a registered electorate', () => {
    const members = sevenMembers();
    called()
      .when(
        'RecordElectionResults',
        { electionId: 'dfh-e1', votesCast: 800, candidates: candidatesFor(members), elected: members },
        '2013-05-20',
      )
      .thenRefused('ELECT-3');
  });

  it('ELECT-3 an unknown election is not found', () => {
    history()
      .when(
        'RegisterElectorate',
        { electionId: 'nope', mode: 'all-voters', registeredVoters: 1 },
        '2013-05-01',
      )
      .thenNotFound('election');
  });
});

describe('ELECT-4 elections called by a new committee, a merger, a split, vacancies', () => {
  it('ELECT-4 a new committee gets its first election, due within the policy period', () => {
    const e = history()
      .when(
        'CallElection',
        { electionId: 'dfh-e1', committeeId: 'dfh-rc', communityId: 'dongfanghong', reason: 'new-committee' },
        '2013-05-01',
      )
      .eventOf('ElectionCalled');
    expect(e.data).toMatchObject({ dueOn: '2013-07-30', dueDays: DEFAULT_STAFFING_POLICY.electionDueDays });
    expect(e.ruleIds).toContain('ELECT-4');
  });

  it('ELECT-4 a committee already elected has no second first election', () => {
    electedCommittee(history(), '2013-05-20')
      .when(
        'CallElection',
        { electionId: 'dfh-e2', committeeId: 'dfh-rc', communityId: 'dongfanghong', reason: 'new-committee' },
        '2014-01-01',
      )
      .thenRefused('ELECT-4');
  });

  it('ELECT-4 a merger ends the terms of the merged committees and calls the election', () => {
    const h = electedCommittee(history(), '2013-05-20');
    h.do(
      'CallElection',
      { electionId: 'glr-e1', committeeId: 'glr-rc', communityId: 'gaolanlu', reason: 'new-committee' },
      '2013-06-01',
    );
    h.do(
      'RegisterElectorate',
      { electionId: 'glr-e1', mode: 'all-voters', registeredVoters: 1000 },
      '2013-06-01',
    );
    const m = sevenMembers('g');
    h.do(
      'RecordElectionResults',
      { electionId: 'glr-e1', votesCast: 900, candidates: candidatesFor(m), elected: m },
      '2013-06-20',
    );
    const events = h
      .when(
        'CallElection',
        {
          electionId: 'dg-e1',
          committeeId: 'dg-rc',
          communityId: 'dongfang-gaolan',
          reason: 'merger',
          endsTermsOfCommitteeIds: ['dfh-rc', 'glr-rc'],
        },
        '2015-07-01',
      )
      .thenTypes('ELECT-4', ['TermEnded', 'TermEnded', 'ElectionCalled']);
    expect(events.slice(0, 2).map((e) => e.data)).toEqual([
      expect.objectContaining({
        termId: 'term-dfh-e1',
        reason: 'merger',
        endedOn: '2015-07-01',
        byElectionId: 'dg-e1',
      }),
      expect.objectContaining({ termId: 'term-glr-e1', reason: 'merger' }),
    ]);
  });

  it('ELECT-4 a merger names at least two merged committees', () => {
    history()
      .when(
        'CallElection',
        {
          electionId: 'dg-e1',
          committeeId: 'dg-rc',
          communityId: 'dg-c',
          reason: 'merger',
          endsTermsOfCommitteeIds: ['dfh-rc'],
        },
        '2015-07-01',
      )
      .thenRefused('ELECT-4');
  });

  it('ELECT-4 a split ends the term of the split committee and calls an election for a new one', () => {
    electedCommittee(history(), '2013-05-20')
      .when(
        'CallElection',
        {
          electionId: 'p1-e1',
          committeeId: 'p1-rc',
          communityId: 'p1',
          reason: 'split',
          endsTermsOfCommitteeIds: ['dfh-rc'],
        },
        '2015-01-01',
      )
      .thenTypes('ELECT-4', ['TermEnded', 'ElectionCalled']);
  });

  it('ELECT-4 a by-election for vacancies fills seats of the term in office, whose end does not move', () => {
    const members = sevenMembers();
    const h = electedCommittee(history(), '2013-05-20');
    h.do(
      'CallElection',
      { electionId: 'dfh-by1', committeeId: 'dfh-rc', communityId: 'dongfanghong', reason: 'vacancies' },
      '2014-03-01',
    );
    h.do(
      'RegisterElectorate',
      { electionId: 'dfh-by1', mode: 'all-voters', registeredVoters: 1000 },
      '2014-03-01',
    );
    const newcomers = [{ personId: 'by-1', role: 'member' as const, woman: true, ethnicMinority: false }];
    h.when(
      'RecordElectionResults',
      { electionId: 'dfh-by1', votesCast: 700, candidates: candidatesFor(newcomers), elected: newcomers },
      '2014-04-01',
    )
      .thenTypes('ELECT-4', ['ElectionHeld', 'MembersJoinedTerm'])
      .slice(0);
    // Already nine with two more: refused (ELECT-1).
    const tooMany = [
      ...newcomers,
      { personId: 'by-2', role: 'member' as const, woman: false, ethnicMinority: false },
      { personId: 'by-3', role: 'member' as const, woman: false, ethnicMinority: false },
    ];
    h.when(
      'RecordElectionResults',
      { electionId: 'dfh-by1', votesCast: 700, candidates: candidatesFor(tooMany), elected: tooMany },
      '2014-04-01',
    ).thenRefused('ELECT-1');
    expect(members).toHaveLength(7);
  });

  it('ELECT-4 a by-election needs a term in office, and one open election at a time', () => {
    history()
      .when(
        'CallElection',
        { electionId: 'x-by', committeeId: 'x-rc', communityId: 'xx', reason: 'vacancies' },
        '2014-03-01',
      )
      .thenRefused('ELECT-4');
    called()
      .when(
        'CallElection',
        { electionId: 'dfh-e9', committeeId: 'dfh-rc', communityId: 'dongfanghong', reason: 'new-committee' },
        '2013-05-02',
      )
      .thenRefused('ELECT-4', { openElectionId: 'dfh-e1' });
  });
});

describe('ELECT-5 validity thresholds (policy parameters: turnout > 50%, elected with > 50% of votes cast)', () => {
  const withElectorate = (voters = 1000) => {
    const h = called();
    h.do(
      'RegisterElectorate',
      { electionId: 'dfh-e1', mode: 'all-voters', registeredVoters: voters },
      '2013-05-01',
    );
    return h;
  };
  const members = sevenMembers();

  it('ELECT-5 a turnout of exactly half is invalid: recorded, nobody elected, the election stays open', () => {
    const h = withElectorate();
    const held = h
      .when(
        'RecordElectionResults',
        { electionId: 'dfh-e1', votesCast: 500, candidates: candidatesFor(members, 400), elected: members },
        '2013-05-20',
      )
      .eventOf('ElectionHeld');
    expect(held.data.validity).toMatchObject({ valid: false, minTurnoutExclusive: 0.5 });
    expect(held.data.elected).toEqual([]);
    h.record('2013-05-20', [held]);
    // A second vote with enough voters is valid.
    h.when(
      'RecordElectionResults',
      { electionId: 'dfh-e1', votesCast: 501, candidates: candidatesFor(members, 400), elected: members },
      '2013-06-01',
    ).thenTypes('ELECT-5', ['ElectionHeld', 'TermStarted']);
  });

  it('ELECT-5 a member needs more than half of the votes cast', () => {
    withElectorate()
      .when(
        'RecordElectionResults',
        { electionId: 'dfh-e1', votesCast: 800, candidates: candidatesFor(members, 400), elected: members },
        '2013-05-20',
      )
      .thenRefused('ELECT-5', { votes: 400, votesCast: 800 });
    withElectorate()
      .when(
        'RecordElectionResults',
        { electionId: 'dfh-e1', votesCast: 800, candidates: candidatesFor(members, 401), elected: members },
        '2013-05-20',
      )
      .thenTypes('ELECT-5', ['ElectionHeld', 'TermStarted']);
  });

  it('ELECT-5 thresholds are policy parameters recorded in the event', () => {
    const h = history({ ...DEFAULT_STAFFING_POLICY, minTurnoutExclusive: 0.8, minVoteShareExclusive: 0.6 });
    h.do(
      'CallElection',
      { electionId: 'dfh-e1', committeeId: 'dfh-rc', communityId: 'dongfanghong', reason: 'new-committee' },
      '2013-05-01',
    );
    h.do(
      'RegisterElectorate',
      { electionId: 'dfh-e1', mode: 'all-voters', registeredVoters: 1000 },
      '2013-05-01',
    );
    const held = h
      .when(
        'RecordElectionResults',
        { electionId: 'dfh-e1', votesCast: 800, candidates: candidatesFor(members), elected: members },
        '2013-05-20',
      )
      .eventOf('ElectionHeld');
    expect(held.data.validity).toMatchObject({
      valid: false,
      minTurnoutExclusive: 0.8,
      minVoteShareExclusive: 0.6,
    });
  });

  it('ELECT-5 refuses inconsistent counts and an elected person who was no candidate', () => {
    withElectorate()
      .when(
        'RecordElectionResults',
        { electionId: 'dfh-e1', votesCast: 1001, candidates: candidatesFor(members), elected: members },
        '2013-05-20',
      )
      .thenRefused('ELECT-5', { votesCast: 1001, registeredVoters: 1000 });
    withElectorate()
      .when(
        'RecordElectionResults',
        { electionId: 'dfh-e1', votesCast: 800, candidates: candidatesFor(members, 900), elected: members },
        '2013-05-20',
      )
      .thenRefused('ELECT-5');
    withElectorate()
      .when(
        'RecordElectionResults',
        {
          electionId: 'dfh-e1',
          votesCast: 800,
          candidates: candidatesFor(members.slice(1)),
          elected: members,
        },
        '2013-05-20',
      )
      .thenRefused('ELECT-5', { personId: 'p-1' });
  });

  it('ELECT-5 an election validly held is not held again', () => {
    electedCommittee(history(), '2013-05-20')
      .when(
        'RecordElectionResults',
        { electionId: 'dfh-e1', votesCast: 800, candidates: candidatesFor(members), elected: members },
        '2013-06-20',
      )
      .thenRefused('ELECT-5');
  });
});
