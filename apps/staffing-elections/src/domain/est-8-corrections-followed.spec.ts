import { committeeTimeline, compositionOn, electionCalendar } from './queries';
import { viewAsOf } from './state';
import { type History } from './testing/given-when-then';
import {
  CORRECTION,
  DISSOLVED,
  elected,
  ESTABLISHED,
  established,
  follow,
  MERGED,
} from './testing/corrections';

/**
 * EST-8 followed here: when the establishment service corrects the date of
 * a decision this service reacted to (ELECT-4), every date derived from it here moves with it, as
 * of every date asked: before, between and after the original and the corrected date. The
 * correction shows in the committee's timeline as its own entry beside the entries it corrected.
 */

const calendarOn = (h: History, on: string) =>
  electionCalendar(viewAsOf(h.state.facts, on), on).map((e) => [e.committeeId, e.dueOn, e.status]);

describe('EST-8 ELECT-4 the first election of a committee follows a correction of its establishment date', () => {
  it('ELECT-4 EST-8 given an establishment moved from 2015-01-01 to 2015-03-01, then calledOn, dueOn and overdue status follow as of dates before, between and after both', () => {
    const h = established();
    // As recorded: called 2015-01-01, due 90 days later (2015-04-01).
    expect(calendarOn(h, '2015-04-15')).toEqual([['dfh-rc', '2015-04-01', 'overdue']]);

    const [followed] = h
      .when(
        'FollowEstablishmentCorrection',
        follow(ESTABLISHED, 'CommitteeEstablished', { correctedEffectiveAt: '2015-03-01' }),
        '2016-02-01',
      )
      .thenTypes('EST-8', ['EstablishmentCorrectionFollowed']);
    expect(followed.data).toMatchObject({
      correctsEventId: ESTABLISHED,
      correctedEffectiveAt: '2015-03-01',
      followed: [{ type: 'ElectionCalled', effectiveAt: '2015-01-01' }],
      committeeIds: ['dfh-rc'],
      electionIds: ['dfh-e1'],
    });
    h.record('2016-02-01', [followed], CORRECTION);

    // Before both dates: no election.
    expect(calendarOn(h, '2014-12-31')).toEqual([]);
    // Between them: the committee was not yet established, so no election was called either.
    expect(calendarOn(h, '2015-01-01')).toEqual([]);
    expect(calendarOn(h, '2015-02-28')).toEqual([]);
    expect(viewAsOf(h.state.facts, '2015-02-28').elections['dfh-e1']).toBeUndefined();
    // From the corrected date: called 2015-03-01, due 90 days later, 2015-05-30.
    expect(viewAsOf(h.state.facts, '2015-03-01').elections['dfh-e1']).toMatchObject({
      calledOn: '2015-03-01',
      dueOn: '2015-05-30',
    });
    // The original due date passed is no longer overdue; the corrected one is, after it.
    expect(calendarOn(h, '2015-04-15')).toEqual([['dfh-rc', '2015-05-30', 'due']]);
    expect(calendarOn(h, '2015-05-30')).toEqual([['dfh-rc', '2015-05-30', 'due']]);
    expect(calendarOn(h, '2015-05-31')).toEqual([['dfh-rc', '2015-05-30', 'overdue']]);
    // And the current view agrees with the fold as of today.
    expect(h.view.elections['dfh-e1']).toMatchObject({ calledOn: '2015-03-01', dueOn: '2015-05-30' });
  });

  it('ELECT-4 EST-8 given an establishment moved earlier (2015-01-01 to 2014-11-01), then the election is due from the earlier date', () => {
    const h = established();
    h.do(
      'FollowEstablishmentCorrection',
      follow(ESTABLISHED, 'CommitteeEstablished', { correctedEffectiveAt: '2014-11-01' }),
      '2016-02-01',
      CORRECTION,
    );
    expect(calendarOn(h, '2014-10-31')).toEqual([]);
    expect(calendarOn(h, '2014-12-01')).toEqual([['dfh-rc', '2015-01-30', 'due']]);
    expect(calendarOn(h, '2015-02-01')).toEqual([['dfh-rc', '2015-01-30', 'overdue']]);
    expect(calendarOn(h, '2015-04-02')).toEqual([['dfh-rc', '2015-01-30', 'overdue']]);
  });

  it('ELECT-4 EST-8 a correction followed once: the same correction again, or one of a decision nothing here derives from, decides nothing', () => {
    const h = established();
    const input = follow(ESTABLISHED, 'CommitteeEstablished', { correctedEffectiveAt: '2015-03-01' });
    h.do('FollowEstablishmentCorrection', input, '2016-02-01', CORRECTION);
    expect(h.when('FollowEstablishmentCorrection', input, '2016-02-01').events).toEqual([]);
    const other = follow(
      'e0000000-0000-4000-8000-0000000000ff',
      'AreaRegistered',
      {
        correctedEffectiveAt: '2015-03-01',
      },
      'c0000000-0000-4000-8000-0000000000b2',
    );
    expect(h.when('FollowEstablishmentCorrection', other, '2016-02-01').events).toEqual([]);
  });

  it('EST-8 refuses to move the call past a decision recorded here that builds on it (its electorate), naming the field', () => {
    const h = established();
    h.do(
      'RegisterElectorate',
      { electionId: 'dfh-e1', mode: 'all-voters', registeredVoters: 1000 },
      '2015-02-01',
    );
    h.when(
      'FollowEstablishmentCorrection',
      follow(ESTABLISHED, 'CommitteeEstablished', { correctedEffectiveAt: '2015-03-01' }),
      '2016-02-01',
    ).thenRefused('EST-8', { field: 'correctedEffectiveAt', electionIds: ['dfh-e1'] });
    h.when(
      'FollowEstablishmentCorrection',
      follow(ESTABLISHED, 'CommitteeEstablished', { annulled: true }),
      '2016-02-01',
    ).thenRefused('EST-8');
  });

  it('ELECT-4 EST-8 an annulled establishment annuls the election called for it, as of every date', () => {
    const h = established();
    h.do(
      'FollowEstablishmentCorrection',
      follow(ESTABLISHED, 'CommitteeEstablished', { annulled: true }),
      '2016-02-01',
      CORRECTION,
    );
    for (const on of ['2015-01-01', '2015-04-15', '2016-03-01']) expect(calendarOn(h, on)).toEqual([]);
    expect(h.view.committees['dfh-rc']?.electionIds ?? []).toEqual([]);
  });
});

describe('EST-8 ELECT-4 terms ended by a merger or dissolution follow a correction of its date', () => {
  it('ELECT-4 EST-8 given a merger moved from 2015-07-01 to 2015-09-01, then the merged committee’s term ends, and the merger election is called and due, on the corrected dates', () => {
    const h = elected();
    h.do(
      'CallElection',
      {
        electionId: `el-${MERGED}-0`,
        committeeId: 'dg-rc',
        communityId: 'dongfang-gaolan',
        reason: 'merger',
        endsTermsOfCommitteeIds: ['dfh-rc', 'glr-rc'],
      },
      '2015-07-01',
      MERGED,
    );
    h.do(
      'FollowEstablishmentCorrection',
      follow(MERGED, 'CommitteesMerged', { correctedEffectiveAt: '2015-09-01' }),
      '2016-02-01',
      CORRECTION,
    );

    const at = (on: string) => viewAsOf(h.state.facts, on);
    // Before both: in office, no merger election.
    expect(compositionOn(at('2015-06-30'), 'dfh-rc', '2015-06-30')?.termId).toBe('term-dfh-e1');
    // Between: still in office (the merger took effect later), no merger election yet.
    expect(compositionOn(at('2015-08-01'), 'dfh-rc', '2015-08-01')?.termId).toBe('term-dfh-e1');
    expect(at('2015-08-01').elections[`el-${MERGED}-0`]).toBeUndefined();
    // After: the term ended on the corrected date, the election due 90 days after it.
    const after = at('2015-09-01');
    expect(compositionOn(after, 'dfh-rc', '2015-09-01')).toBeNull();
    expect(after.terms['term-dfh-e1']).toMatchObject({ endedOn: '2015-09-01', endReason: 'merger' });
    expect(after.elections[`el-${MERGED}-0`]).toMatchObject({ calledOn: '2015-09-01', dueOn: '2015-11-30' });
    expect(h.view.terms['term-dfh-e1'].endedOn).toBe('2015-09-01');
  });

  it('ELECT-2 ELECT-4 EST-8 given a dissolution moved from 2016-04-15 to 2016-04-01, then the term ends and the open election is cancelled on the corrected date', () => {
    const h = elected();
    h.do(
      'CallElection',
      { electionId: 'dfh-e2', committeeId: 'dfh-rc', communityId: 'dongfanghong', reason: 'schedule' },
      '2016-03-01',
    );
    h.do('EndTerms', { committeeId: 'dfh-rc', reason: 'dissolution' }, '2016-04-15', DISSOLVED);
    h.do(
      'FollowEstablishmentCorrection',
      follow(DISSOLVED, 'CommitteeDissolved', { correctedEffectiveAt: '2016-04-01' }),
      '2016-06-01',
      CORRECTION,
    );

    const at = (on: string) => viewAsOf(h.state.facts, on);
    // Before both: in office, the scheduled election due at the term's end (ELECT-2).
    expect(calendarOn(h, '2016-03-31')).toEqual([['dfh-rc', '2016-05-20', 'due']]);
    expect(compositionOn(at('2016-03-31'), 'dfh-rc', '2016-03-31')?.termId).toBe('term-dfh-e1');
    // Between the corrected and the original date: dissolved already.
    expect(compositionOn(at('2016-04-08'), 'dfh-rc', '2016-04-08')).toBeNull();
    expect(calendarOn(h, '2016-04-08')).toEqual([]);
    expect(at('2016-04-08').elections['dfh-e2']).toMatchObject({
      status: 'cancelled',
      cancelledOn: '2016-04-01',
    });
    // After both: ended on the corrected date.
    expect(calendarOn(h, '2016-04-16')).toEqual([]);
    expect(at('2016-04-16').terms['term-dfh-e1']).toMatchObject({
      endedOn: '2016-04-01',
      endReason: 'dissolution',
    });
  });

  it('EST-8 refuses a dissolution moved before the election it cancels was called', () => {
    const h = elected();
    h.do(
      'CallElection',
      { electionId: 'dfh-e2', committeeId: 'dfh-rc', communityId: 'dongfanghong', reason: 'schedule' },
      '2016-03-01',
    );
    h.do('EndTerms', { committeeId: 'dfh-rc', reason: 'dissolution' }, '2016-04-15', DISSOLVED);
    h.when(
      'FollowEstablishmentCorrection',
      follow(DISSOLVED, 'CommitteeDissolved', { correctedEffectiveAt: '2016-02-01' }),
      '2016-06-01',
    ).thenRefused('EST-8', { field: 'correctedEffectiveAt' });
  });
});

describe('EST-8 the committee timeline shows a correction beside the entries it corrected', () => {
  it('EST-8 the correction is its own entry (recorded date, actor, reason, legal basis), and the corrected entry shows its original and corrected dates', () => {
    const h = established();
    h.do(
      'FollowEstablishmentCorrection',
      follow(ESTABLISHED, 'CommitteeEstablished', {
        correctedEffectiveAt: '2015-03-01',
        correctedLegalBasis: '城关区政发〔2015〕9号',
      }),
      '2016-02-01',
      CORRECTION,
    );
    const timeline = committeeTimeline(h.state.facts, 'dfh-rc');
    expect(timeline.map((e) => [e.type, e.effectiveAt])).toEqual([
      ['ElectionCalled', '2015-03-01'],
      ['EstablishmentCorrectionFollowed', '2016-02-01'],
    ]);
    const [called, correction] = timeline;
    expect(called.data).toMatchObject({ calledOn: '2015-03-01', dueOn: '2015-05-30' });
    expect(called.legalBasis).toBe('城关区政发〔2015〕9号');
    expect(called.corrected).toEqual({
      originalEffectiveAt: '2015-01-01',
      correctedEffectiveAt: '2015-03-01',
      originalLegalBasis: expect.stringMatching(/^城关区民发〔2015〕/),
      annulled: false,
      dates: {
        calledOn: { original: '2015-01-01', corrected: '2015-03-01' },
        dueOn: { original: '2015-04-01', corrected: '2015-05-30' },
      },
      correctedBy: [correction.eventId],
    });
    expect(correction.recordedAt).toEqual(expect.any(String));
    expect(correction.actor.subject).toBe('clerk-chengguan-01');
    expect(correction.legalBasis).toMatch(/^城关区民发〔2016〕/);
    expect(correction.ruleIds).toEqual(['EST-8', 'ELECT-4']);
    expect(correction.data).toMatchObject({
      reason: '成立文件日期录入错误',
      correctedBy: 'clerk-chengguan-02',
      correctionRecordedAt: '2016-02-01T02:00:00.000Z',
      correctsType: 'CommitteeEstablished',
    });
    expect(correction.corrected).toBeUndefined();
  });
});
