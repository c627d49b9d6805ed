import { LEGAL_REGIMES, regimeOn } from './policy';
import {
  candidatesFor,
  electedCommittee,
  history,
  sevenMembers,
  type History,
} from './testing/given-when-then';

/** An election called and its electorate registered on `on`, ready for its results. */
function ready(on: string, electionId = 'dfh-e1'): History {
  const h = history();
  h.do(
    'CallElection',
    { electionId, committeeId: 'dfh-rc', communityId: 'dongfanghong', reason: 'new-committee' },
    on,
  );
  h.do('RegisterElectorate', { electionId, mode: 'all-voters', registeredVoters: 1000 }, on);
  return h;
}

const results = (members: ReturnType<typeof sevenMembers>, extra: Record<string, unknown> = {}) => ({
  electionId: 'dfh-e1',
  votesCast: 800,
  candidates: candidatesFor(members),
  elected: members,
  ...extra,
});

describe('ELECT-1 composition: a chair, vice-chairs and members, 5 to 9 in all', () => {
  it('ELECT-1 accepts seven members and starts their term', () => {
    const events = ready('2013-05-01')
      .when('RecordElectionResults', results(sevenMembers()), '2013-05-20')
      .thenTypes('ELECT-1', ['ElectionHeld', 'TermStarted']);
    expect(events[1].data).toMatchObject({ members: sevenMembers() });
  });

  it.each([5, 9])('ELECT-1 accepts %i members', (n) => {
    const members = [
      ...sevenMembers(),
      ...sevenMembers('q').map((m) => ({ ...m, role: 'member' as const })),
    ].slice(0, n);
    ready('2013-05-01')
      .when('RecordElectionResults', results(members), '2013-05-20')
      .thenTypes('ELECT-1', ['ElectionHeld', 'TermStarted']);
  });

  it.each([4, 10])('ELECT-1 refuses %i members', (n) => {
    const members = [
      ...sevenMembers(),
      ...sevenMembers('q').map((m) => ({ ...m, role: 'member' as const })),
    ].slice(0, n);
    ready('2013-05-01')
      .when('RecordElectionResults', results(members), '2013-05-20')
      .thenRefused('ELECT-1', { members: n, min: 5, max: 9 });
  });

  it('ELECT-1 refuses a committee without a chair, or with two', () => {
    const none = sevenMembers().map((m) => ({
      ...m,
      role: m.role === 'chair' ? ('member' as const) : m.role,
    }));
    ready('2013-05-01')
      .when('RecordElectionResults', results(none), '2013-05-20')
      .thenRefused('ELECT-1', { chairs: 0 });
    const two = sevenMembers().map((m, i) => ({ ...m, role: i < 2 ? ('chair' as const) : m.role }));
    ready('2013-05-01')
      .when('RecordElectionResults', results(two), '2013-05-20')
      .thenRefused('ELECT-1', { chairs: 2 });
  });

  it('ELECT-1 refuses one person elected to two seats', () => {
    const members = sevenMembers();
    members[6] = { ...members[6], personId: members[5].personId };
    ready('2013-05-01')
      .when(
        'RecordElectionResults',
        { ...results(members), candidates: candidatesFor(sevenMembers()) },
        '2013-05-20',
      )
      .thenRefused('ELECT-1');
  });

  it('ELECT-1 flags, not refuses, a multi-ethnic area without a member of a smaller ethnic group', () => {
    const members = sevenMembers().map((m) => ({ ...m, ethnicMinority: false }));
    const held = ready('2013-05-01')
      .when('RecordElectionResults', results(members, { multiEthnicArea: true }), '2013-05-20')
      .eventOf('ElectionHeld');
    expect(held.data.warnings).toEqual([
      expect.objectContaining({ ruleId: 'ELECT-1', code: 'no-ethnic-minority-member' }),
    ]);
    const withMinority = ready('2013-05-01')
      .when('RecordElectionResults', results(sevenMembers(), { multiEthnicArea: true }), '2013-05-20')
      .eventOf('ElectionHeld');
    expect(withMinority.data.warnings).toEqual([]);
  });

  it('ELECT-1 flags a committee without a woman member from 2026-01-01 only (Gansu rules, as reported)', () => {
    const men = sevenMembers().map((m) => ({ ...m, woman: false }));
    const before = ready('2025-12-01')
      .when('RecordElectionResults', results(men), '2025-12-31')
      .eventOf('ElectionHeld');
    expect(before.data.warnings).toEqual([]);
    const after = ready('2025-12-01')
      .when('RecordElectionResults', results(men), '2026-01-01')
      .eventOf('ElectionHeld');
    expect(after.data.warnings).toEqual([expect.objectContaining({ code: 'no-woman-member' })]);
  });
});

describe('ELECT-2 term length by the law in force on the election date', () => {
  const termOf = (heldOn: string) =>
    ready('2010-01-01').when('RecordElectionResults', results(sevenMembers()), heldOn).eventOf('TermStarted');

  it('ELECT-2 regimes are data keyed by date', () => {
    expect(LEGAL_REGIMES.map((r) => [r.inForceFrom, r.termYears])).toEqual([
      ['1990-01-01', 3],
      ['2018-12-29', 5],
      ['2026-01-01', 5],
    ]);
    expect(regimeOn('2018-12-28').regimeId).toBe('organic-law-1989');
    expect(regimeOn('2018-12-29').regimeId).toBe('organic-law-2018-amendment');
    expect(regimeOn('2025-12-31').regimeId).toBe('organic-law-2018-amendment');
    expect(regimeOn('2026-01-01').regimeId).toBe('organic-law-2025-revision');
  });

  it('ELECT-2 an election on 2018-12-28 gives a 3-year term under the 1989 law', () => {
    const term = termOf('2018-12-28');
    expect(term.data).toMatchObject({ startsOn: '2018-12-28', endsOn: '2021-12-28', termYears: 3 });
    expect(term.data.regime.regimeId).toBe('organic-law-1989');
    expect(term.ruleIds).toContain('ELECT-2');
  });

  it('ELECT-2 an election on 2018-12-29 gives a 5-year term under the amendment', () => {
    expect(termOf('2018-12-29').data).toMatchObject({
      endsOn: '2023-12-29',
      termYears: 5,
      regime: expect.objectContaining({ regimeId: 'organic-law-2018-amendment' }),
    });
  });

  it('ELECT-2 an election on 2025-12-31 is judged by the amendment, one on 2026-01-01 by the revised law', () => {
    expect(termOf('2025-12-31').data).toMatchObject({
      endsOn: '2030-12-31',
      regime: expect.objectContaining({ regimeId: 'organic-law-2018-amendment' }),
    });
    expect(termOf('2026-01-01').data).toMatchObject({
      endsOn: '2031-01-01',
      termYears: 5,
      regime: expect.objectContaining({ regimeId: 'organic-law-2025-revision' }),
    });
  });

  it('ELECT-2 the election records the regime applied, and a 2013 election the 1989 law', () => {
    expect(termOf('2013-05-20').data).toMatchObject({ endsOn: '2016-05-20', termYears: 3 });
  });

  it('ELECT-2 a 29 February election ends on 28 February', () => {
    expect(termOf('2016-02-29').data.endsOn).toBe('2019-02-28');
  });

  it('ELECT-2 members may be re-elected: the next term lists them and the old term ends', () => {
    const h = electedCommittee(history(), '2013-05-20');
    h.do(
      'CallElection',
      { electionId: 'dfh-e2', committeeId: 'dfh-rc', communityId: 'dongfanghong', reason: 'schedule' },
      '2016-03-01',
    );
    h.do(
      'RegisterElectorate',
      { electionId: 'dfh-e2', mode: 'all-voters', registeredVoters: 1000 },
      '2016-03-01',
    );
    const members = [...sevenMembers().slice(0, 3), ...sevenMembers('n').slice(3)];
    const events = h
      .when('RecordElectionResults', { ...results(members), electionId: 'dfh-e2' }, '2016-05-10')
      .thenTypes('ELECT-2', ['ElectionHeld', 'TermEnded', 'TermStarted']);
    expect(events[1].data).toMatchObject({
      termId: 'term-dfh-e1',
      endedOn: '2016-05-10',
      reason: 'succeeded',
    });
    expect(events[2].data).toMatchObject({ reElectedPersonIds: ['p-1', 'p-2', 'p-3'], endsOn: '2019-05-10' });
  });

  it('ELECT-2 a scheduled election needs a term in office, and is due at its end', () => {
    history()
      .when(
        'CallElection',
        { electionId: 'x-e1', committeeId: 'x-rc', communityId: 'xx', reason: 'schedule' },
        '2016-03-01',
      )
      .thenRefused('ELECT-2');
    const called = electedCommittee(history(), '2013-05-20')
      .when(
        'CallElection',
        { electionId: 'dfh-e2', committeeId: 'dfh-rc', communityId: 'dongfanghong', reason: 'schedule' },
        '2016-03-01',
      )
      .eventOf('ElectionCalled');
    expect(called.data).toMatchObject({ dueOn: '2016-05-20', dueDays: null });
  });
});
