import { addDays, addYears, LEGAL_REGIMES } from './policy';
import {
  candidatesFor,
  electedCommittee,
  history,
  sevenMembers,
  type History,
} from './testing/given-when-then';

/**
 * ELECT-1, ELECT-2 and ELECT-5 stated further: what an election's results record, the
 * law each decision records as applied, the counts refused before any threshold, by-elections, and
 * refusals that name the rule, the person and the numbers.
 */

/** 东方红's first election called and 1,000 voters registered on `on`. */
function ready(on = '2013-05-01', reason: 'new-committee' = 'new-committee'): History {
  const h = history();
  h.do(
    'CallElection',
    { electionId: 'dfh-e1', committeeId: 'dfh-rc', communityId: 'dongfanghong', reason },
    on,
  );
  h.do('RegisterElectorate', { electionId: 'dfh-e1', mode: 'all-voters', registeredVoters: 1000 }, on);
  return h;
}

const members = sevenMembers();
const results = (extra: Record<string, unknown> = {}) => ({
  electionId: 'dfh-e1',
  votesCast: 800,
  candidates: candidatesFor(members),
  elected: members,
  ...extra,
});

describe('ELECT-2 the law applied is recorded with the decision', () => {
  it.each([
    ['2013-05-01', 'organic-law-1989', 'Organic Law of Urban Residents’ Committees 1989', '1990-01-01', 3],
    ['2019-05-01', 'organic-law-2018-amendment', 'Organic Law, amendment of 2018-12-29', '2018-12-29', 5],
    ['2026-05-01', 'organic-law-2025-revision', 'Organic Law, revision of 2025-10-28', '2026-01-01', 5],
  ])(
    'ELECT-2 a decision on %s records %s by name, date in force, term and committee size',
    (on, regimeId, name, inForceFrom, termYears) => {
      const expected = { regimeId, name, inForceFrom, termYears, committeeSize: { min: 5, max: 9 } };
      const h = history();
      h.do(
        'CallElection',
        { electionId: 'dfh-e1', committeeId: 'dfh-rc', communityId: 'dongfanghong', reason: 'new-committee' },
        on,
      );
      const registered = h
        .when('RegisterElectorate', { electionId: 'dfh-e1', mode: 'all-voters', registeredVoters: 1000 }, on)
        .andRecord()[0];
      expect(registered.type === 'ElectorateRegistered' && registered.data.regime).toEqual(expected);
      const outcome = h.when('RecordElectionResults', results(), on);
      expect(outcome.eventOf('ElectionHeld').data.regime).toEqual(expected);
      expect(outcome.eventOf('TermStarted').data.regime).toEqual(expected);
    },
  );

  it('ELECT-2 before the 1989 law came into force the registry applies the 1989 law', () => {
    expect(
      ready('1989-06-01').when('RecordElectionResults', results(), '1989-07-01').eventOf('TermStarted').data,
    ).toMatchObject({
      termYears: 3,
      endsOn: '1992-07-01',
      regime: { regimeId: 'organic-law-1989' },
    });
  });

  it('ELECT-2 a term started records who, when, until when and why, with its rule ids', () => {
    const started = ready().when('RecordElectionResults', results(), '2013-05-20').eventOf('TermStarted');
    expect(started.ruleIds).toEqual(['ELECT-1', 'ELECT-2', 'ELECT-4']);
    expect(started.data).toEqual({
      termId: 'term-dfh-e1',
      committeeId: 'dfh-rc',
      communityId: 'dongfanghong',
      electionId: 'dfh-e1',
      startsOn: '2013-05-20',
      endsOn: '2016-05-20',
      termYears: 3,
      regime: expect.objectContaining({ regimeId: 'organic-law-1989' }),
      members,
      reElectedPersonIds: [],
    });
  });

  it('ELECT-2 a scheduled election ends the term in office (ELECT-2) and starts the next without citing ELECT-4', () => {
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
    const [, ended, started] = h
      .when('RecordElectionResults', results({ electionId: 'dfh-e2' }), '2016-05-10')
      .thenTypes('ELECT-2', ['ElectionHeld', 'TermEnded', 'TermStarted']);
    expect(ended).toEqual({
      type: 'TermEnded',
      ruleIds: ['ELECT-2'],
      data: {
        termId: 'term-dfh-e1',
        committeeId: 'dfh-rc',
        endedOn: '2016-05-10',
        reason: 'succeeded',
        byElectionId: 'dfh-e2',
      },
    });
    expect(started.ruleIds).toEqual(['ELECT-1', 'ELECT-2']);
  });
});

describe('ELECT-1 ELECT-5 the results recorded', () => {
  it('ELECT-1 ELECT-5 a valid election records turnout, each candidate’s share and the thresholds used', () => {
    const held = ready().when('RecordElectionResults', results(), '2013-05-20').eventOf('ElectionHeld');
    expect(held.ruleIds).toEqual(['ELECT-1', 'ELECT-5']);
    expect(held.data).toEqual({
      electionId: 'dfh-e1',
      committeeId: 'dfh-rc',
      communityId: 'dongfanghong',
      heldOn: '2013-05-20',
      registeredVoters: 1000,
      votesCast: 800,
      turnout: 0.8,
      candidates: [
        ...members.map((m) => ({ personId: m.personId, votes: 700, share: 0.875 })),
        { personId: 'loser-1', votes: 100, share: 0.125 },
      ],
      regime: expect.objectContaining({ regimeId: 'organic-law-1989' }),
      validity: { valid: true, minTurnoutExclusive: 0.5, minVoteShareExclusive: 0.5, reason: null },
      elected: members,
      warnings: [],
    });
  });

  it('ELECT-5 an election nobody voted in is invalid, citing ELECT-5 only, with shares of nothing as 0', () => {
    const held = ready()
      .when(
        'RecordElectionResults',
        results({ votesCast: 0, candidates: [{ personId: 'p-1', votes: 0 }] }),
        '2013-05-20',
      )
      .eventOf('ElectionHeld');
    expect(held.ruleIds).toEqual(['ELECT-5']);
    expect(held.data).toMatchObject({
      turnout: 0,
      candidates: [{ personId: 'p-1', votes: 0, share: 0 }],
      validity: {
        valid: false,
        minTurnoutExclusive: 0.5,
        minVoteShareExclusive: 0.5,
        reason: 'turnout 0/1000 is not more than 0.5 of the registered voters',
      },
      elected: [],
      warnings: [],
    });
  });

  it('ELECT-5 every registered voter may vote, and a candidate may get every vote cast', () => {
    ready()
      .when(
        'RecordElectionResults',
        results({ votesCast: 1000, candidates: candidatesFor(members, 1000) }),
        '2013-05-20',
      )
      .thenTypes('ELECT-5', ['ElectionHeld', 'TermStarted']);
  });

  it('ELECT-5 inconsistent counts are refused naming the numbers and the candidates', () => {
    const h = ready();
    expect(
      h.when('RecordElectionResults', results({ votesCast: 1001 }), '2013-05-20').thenRefused('ELECT-5')
        .message,
    ).toMatch(/1001 votes cast by 1000 registered voters/);
    expect(
      h
        .when(
          'RecordElectionResults',
          results({ candidates: [...candidatesFor(members), { personId: 'p-1', votes: 10 }] }),
          '2013-05-20',
        )
        .thenRefused('ELECT-5').message,
    ).toMatch(/a candidate is listed twice/);
    expect(
      h
        .when(
          'RecordElectionResults',
          results({ candidates: [...candidatesFor(members), { personId: 'loser-2', votes: 801 }] }),
          '2013-05-20',
        )
        .thenRefused('ELECT-5', { personIds: ['loser-2'] }).message,
    ).toMatch(/a candidate cannot get more votes than were cast/);
    expect(
      h
        .when('RecordElectionResults', results({ candidates: candidatesFor(members.slice(1)) }), '2013-05-20')
        .thenRefused('ELECT-5').message,
    ).toMatch(/p-1 was not a candidate/);
  });

  it('ELECT-5 a member without more than half the votes cast is refused with the thresholds used', () => {
    const v = ready()
      .when(
        'RecordElectionResults',
        results({ candidates: [...candidatesFor(members.slice(1)), { personId: 'p-1', votes: 400 }] }),
        '2013-05-20',
      )
      .thenRefused('ELECT-5', {
        personId: 'p-1',
        votes: 400,
        votesCast: 800,
        minTurnoutExclusive: 0.5,
        minVoteShareExclusive: 0.5,
      });
    expect(v.message).toMatch(/p-1 got 400 of 800 votes cast, not more than 0.5/);
  });

  it('ELECT-1 refusals of the composition name the rule and the numbers', () => {
    const h = ready();
    const twice = [...members.slice(0, 6), { ...members[6], personId: 'p-6' }];
    expect(
      h.when('RecordElectionResults', results({ elected: twice }), '2013-05-20').thenRefused('ELECT-1')
        .message,
    ).toMatch(/a person is elected to two seats/);
    expect(
      h
        .when('RecordElectionResults', results({ elected: members.slice(0, 4) }), '2013-05-20')
        .thenRefused('ELECT-1', { regimeId: 'organic-law-1989' }).message,
    ).toMatch(/a committee has 5 to 9 members, not 4/);
    const noChair = members.map((m) => ({ ...m, role: m.role === 'chair' ? ('member' as const) : m.role }));
    expect(
      h.when('RecordElectionResults', results({ elected: noChair }), '2013-05-20').thenRefused('ELECT-1')
        .message,
    ).toMatch(/a committee has one chair, not 0/);
  });

  it.each(LEGAL_REGIMES.map((r) => [r.inForceFrom, r.regimeId]))(
    'ELECT-1 under the law in force from %s (%s) a committee has 5 to 9 members',
    (on) => {
      const many = [...sevenMembers(), ...sevenMembers('q').map((m) => ({ ...m, role: 'member' as const }))];
      for (const n of [5, 9])
        ready(on)
          .when(
            'RecordElectionResults',
            results({ elected: many.slice(0, n), candidates: candidatesFor(many) }),
            on,
          )
          .thenTypes('ELECT-1', ['ElectionHeld', 'TermStarted']);
      for (const n of [4, 10])
        ready(on)
          .when(
            'RecordElectionResults',
            results({ elected: many.slice(0, n), candidates: candidatesFor(many) }),
            on,
          )
          .thenRefused('ELECT-1', { members: n, min: 5, max: 9 });
    },
  );

  it('ELECT-1 the warnings say which should-rule the committee misses, and the law that asks for a woman member', () => {
    const noMinorityNoWoman = members.map((m) => ({ ...m, woman: false, ethnicMinority: false }));
    const held = ready('2026-03-01')
      .when(
        'RecordElectionResults',
        results({ elected: noMinorityNoWoman, multiEthnicArea: true }),
        '2026-03-20',
      )
      .eventOf('ElectionHeld');
    expect(held.data.warnings).toEqual([
      {
        ruleId: 'ELECT-1',
        code: 'no-ethnic-minority-member',
        message: 'in a multi-ethnic area the committee should include members of the smaller ethnic groups',
      },
      {
        ruleId: 'ELECT-1',
        code: 'no-woman-member',
        message: 'Organic Law, revision of 2025-10-28: the committee should include a woman member',
      },
    ]);
    // One woman member is enough.
    expect(
      ready('2026-03-01').when('RecordElectionResults', results(), '2026-03-20').eventOf('ElectionHeld').data
        .warnings,
    ).toEqual([]);
    // The 1989 law asks for no woman member, and a single-ethnic area for no minority member.
    expect(
      ready()
        .when('RecordElectionResults', results({ elected: noMinorityNoWoman }), '2013-05-20')
        .eventOf('ElectionHeld').data.warnings,
    ).toEqual([]);
  });

  it('ELECT-5 results are recorded once, and only for a registered electorate, naming the election', () => {
    expect(
      electedCommittee(history(), '2013-05-20')
        .when('RecordElectionResults', results(), '2013-06-20')
        .thenRefused('ELECT-5').message,
    ).toMatch(/election dfh-e1 was already validly held on 2013-05-20/);
    const h = history();
    h.do(
      'CallElection',
      { electionId: 'dfh-e1', committeeId: 'dfh-rc', communityId: 'dongfanghong', reason: 'new-committee' },
      '2013-05-01',
    );
    expect(h.when('RecordElectionResults', results(), '2013-05-20').thenRefused('ELECT-3').message).toMatch(
      /register the electorate of dfh-e1 before its results/,
    );
  });
});

describe('ELECT-1 ELECT-4 a by-election fills seats of the term in office', () => {
  const byElection = (): History => {
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
    return h;
  };
  const newcomer = { personId: 'by-1', role: 'member' as const, woman: true, ethnicMinority: false };

  it('ELECT-1 ELECT-2 ELECT-4 the members elected join the term in office, which keeps its end', () => {
    const [held, joined] = byElection()
      .when(
        'RecordElectionResults',
        { electionId: 'dfh-by1', votesCast: 700, candidates: candidatesFor([newcomer]), elected: [newcomer] },
        '2014-04-01',
      )
      .thenTypes('ELECT-4', ['ElectionHeld', 'MembersJoinedTerm']);
    expect(held.data).toMatchObject({ elected: [newcomer], validity: { valid: true } });
    expect(joined).toEqual({
      type: 'MembersJoinedTerm',
      ruleIds: ['ELECT-1', 'ELECT-2', 'ELECT-4'],
      data: { termId: 'term-dfh-e1', committeeId: 'dfh-rc', electionId: 'dfh-by1', members: [newcomer] },
    });
  });

  it('ELECT-1 a by-election elects at least one member, none of them sitting already', () => {
    const h = byElection();
    expect(
      h
        .when(
          'RecordElectionResults',
          { electionId: 'dfh-by1', votesCast: 700, candidates: candidatesFor([newcomer]), elected: [] },
          '2014-04-01',
        )
        .thenRefused('ELECT-1').message,
    ).toMatch(/a by-election elects at least one member/);
    const sitting = { ...members[3] };
    expect(
      h
        .when(
          'RecordElectionResults',
          {
            electionId: 'dfh-by1',
            votesCast: 700,
            candidates: candidatesFor([newcomer, sitting]),
            elected: [newcomer, sitting],
          },
          '2014-04-01',
        )
        .thenRefused('ELECT-1', { personIds: ['p-4'] }).message,
    ).toMatch(/already a member of the committee/);
  });
});

describe('ELECT-2 ELECT-4 terms and due dates count whole days from the date', () => {
  it('ELECT-2 ELECT-4 a date-time counts from its date, whatever the time of day', () => {
    expect(addYears('2016-02-29T23:30:00.000Z', 3)).toBe('2019-02-28');
    expect(addYears('2013-05-20T08:00:00+08:00', 3)).toBe('2016-05-20');
    expect(addDays('2013-05-01T08:00:00.000Z', 90)).toBe('2013-07-30');
    expect(addDays('2015-12-31T23:59:59.999Z', 1)).toBe('2016-01-01');
  });
});
