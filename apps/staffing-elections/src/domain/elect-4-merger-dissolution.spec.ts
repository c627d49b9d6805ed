import { electionCalendar } from './queries';
import {
  candidatesFor,
  electedCommittee,
  history,
  sevenMembers,
  type History,
} from './testing/given-when-then';

/**
 * ELECT-4 beyond calling elections: a merger supersedes the merged committees' elections still
 * open, and a dissolution ends the committee's term without an election in its place.
 */

/** 东方红 (dfh-rc) and 皋兰路 (glr-rc) established, each with its first election called, never held. */
const twoNewCommittees = (): History => {
  const h = history();
  h.do(
    'CallElection',
    { electionId: 'dfh-e1', committeeId: 'dfh-rc', communityId: 'dongfanghong', reason: 'new-committee' },
    '2015-03-01',
  );
  h.do(
    'CallElection',
    { electionId: 'glr-e1', committeeId: 'glr-rc', communityId: 'gaolanlu', reason: 'new-committee' },
    '2015-03-01',
  );
  return h;
};

const calendarOf = (h: History, on: string) =>
  electionCalendar(h.view, on).map((e) => [e.committeeId, e.kind, e.electionId]);

describe('ELECT-4 a merger supersedes the merged committees’ open elections', () => {
  it('ELECT-4 given two committees whose first elections are still open, when merged into a new one, then both are cancelled and only the merger election is due', () => {
    const h = twoNewCommittees();
    expect(calendarOf(h, '2015-06-30')).toEqual([
      ['dfh-rc', 'called-election', 'dfh-e1'],
      ['glr-rc', 'called-election', 'glr-e1'],
    ]);
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
      .thenTypes('ELECT-4', ['ElectionCancelled', 'ElectionCancelled', 'ElectionCalled']);
    expect(events.slice(0, 2).map((e) => e.data)).toEqual([
      {
        electionId: 'dfh-e1',
        committeeId: 'dfh-rc',
        cancelledOn: '2015-07-01',
        reason: 'merger',
        supersededByElectionId: 'dg-e1',
      },
      expect.objectContaining({ electionId: 'glr-e1', reason: 'merger', supersededByElectionId: 'dg-e1' }),
    ]);
    h.record('2015-07-01', events);
    expect(calendarOf(h, '2015-07-02')).toEqual([['dg-rc', 'called-election', 'dg-e1']]);
    // Long after: the superseded elections are not overdue either.
    expect(calendarOf(h, '2016-07-01')).toEqual([['dg-rc', 'called-election', 'dg-e1']]);
    expect(h.view.elections['dfh-e1']).toMatchObject({ status: 'cancelled', cancelledOn: '2015-07-01' });
  });

  it('ELECT-4 given an absorbing committee with its own open election, when the merger names it, then the merger election replaces it', () => {
    const h = twoNewCommittees();
    const events = h
      .when(
        'CallElection',
        {
          electionId: 'dfh-e2',
          committeeId: 'dfh-rc',
          communityId: 'dongfanghong',
          reason: 'merger',
          endsTermsOfCommitteeIds: ['dfh-rc', 'glr-rc'],
        },
        '2015-07-01',
      )
      .thenTypes('ELECT-4', ['ElectionCancelled', 'ElectionCancelled', 'ElectionCalled']);
    h.record('2015-07-01', events);
    expect(calendarOf(h, '2015-07-02')).toEqual([['dfh-rc', 'called-election', 'dfh-e2']]);
  });

  it('ELECT-4 a cancelled election takes no electorate and no results', () => {
    const h = twoNewCommittees();
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
    );
    h.when(
      'RegisterElectorate',
      { electionId: 'dfh-e1', mode: 'all-voters', registeredVoters: 900 },
      '2015-08-01',
    ).thenRefused('ELECT-4', { electionId: 'dfh-e1' });
    const m = sevenMembers();
    h.when(
      'RecordElectionResults',
      { electionId: 'glr-e1', votesCast: 800, candidates: candidatesFor(m), elected: m },
      '2015-08-01',
    ).thenRefused('ELECT-4');
  });

  it('ELECT-4 a committee not named by the merger keeps its open election', () => {
    const h = twoNewCommittees();
    h.do(
      'CallElection',
      { electionId: 'ytxy-e1', committeeId: 'ytxy-rc', communityId: 'yantan', reason: 'new-committee' },
      '2015-03-01',
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
    );
    // Sorted by due date: 90 days after each call.
    expect(calendarOf(h, '2015-07-02')).toEqual([
      ['ytxy-rc', 'called-election', 'ytxy-e1'],
      ['dg-rc', 'called-election', 'dg-e1'],
    ]);
  });
});

describe('ELECT-4 a dissolution ends terms', () => {
  it('ELECT-4 given a committee in office, when dissolved, then its term ends with no election in its place', () => {
    const h = electedCommittee(history(), '2013-05-20');
    const events = h
      .when('EndTerms', { committeeId: 'dfh-rc', reason: 'dissolution' }, '2015-01-01')
      .thenTypes('ELECT-4', ['TermEnded']);
    expect(events[0].data).toEqual({
      termId: 'term-dfh-e1',
      committeeId: 'dfh-rc',
      endedOn: '2015-01-01',
      reason: 'dissolution',
      byElectionId: null,
    });
    h.record('2015-01-01', events);
    expect(calendarOf(h, '2015-01-02')).toEqual([]);
    expect(h.view.terms['term-dfh-e1']).toMatchObject({ endedOn: '2015-01-01', endReason: 'dissolution' });
  });

  it('ELECT-4 given a committee whose first election is open, when dissolved, then the election is cancelled', () => {
    const h = twoNewCommittees();
    const events = h
      .when('EndTerms', { committeeId: 'glr-rc', reason: 'dissolution' }, '2015-05-01')
      .thenTypes('ELECT-4', ['ElectionCancelled']);
    expect(events[0].data).toMatchObject({ electionId: 'glr-e1', supersededByElectionId: null });
    h.record('2015-05-01', events);
    expect(calendarOf(h, '2015-05-02')).toEqual([['dfh-rc', 'called-election', 'dfh-e1']]);
  });

  it('ELECT-4 given a committee in office with a by-election open, when dissolved, then both end', () => {
    const h = electedCommittee(history(), '2013-05-20');
    h.do(
      'CallElection',
      { electionId: 'dfh-by1', committeeId: 'dfh-rc', communityId: 'dongfanghong', reason: 'vacancies' },
      '2014-03-01',
    );
    h.when('EndTerms', { committeeId: 'dfh-rc', reason: 'dissolution' }, '2014-06-01').thenTypes('ELECT-4', [
      'ElectionCancelled',
      'TermEnded',
    ]);
  });

  it('ELECT-4 a dissolution done once finds nothing to end again: the replay is refused and changes nothing', () => {
    const h = electedCommittee(history(), '2013-05-20');
    h.do('EndTerms', { committeeId: 'dfh-rc', reason: 'dissolution' }, '2015-01-01');
    const facts = h.state.facts.length;
    h.when('EndTerms', { committeeId: 'dfh-rc', reason: 'dissolution' }, '2015-01-01').thenRefused('ELECT-4');
    expect(h.state.facts).toHaveLength(facts);
  });

  it('ELECT-4 an unknown committee is not found', () => {
    history()
      .when('EndTerms', { committeeId: 'nobody-rc', reason: 'dissolution' }, '2015-01-01')
      .thenNotFound('committee');
  });

  it('ELECT-4 a dissolution cannot take effect before a later decision on the committee', () => {
    electedCommittee(history(), '2013-05-20', { calledOn: '2013-04-01' })
      .when('EndTerms', { committeeId: 'dfh-rc', reason: 'dissolution' }, '2013-05-01')
      .thenRefused('ELECT-4');
  });
});
