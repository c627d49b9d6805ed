import {
  cityQualificationRatio,
  committeeTimeline,
  communitiesWithoutGraduate,
  compositionOn,
  electionCalendar,
  payFindings,
  membersByCommunity,
  rosterOn,
} from './queries';
import { viewAsOf } from './state';
import { electedCommittee, history, type History } from './testing/given-when-then';

/**
 * Workforce fixture, two districts.
 *
 * 城关区 (chengguan):
 *   w1 hired 2018-01-01 into dongfanghong, college graduate; certificate obtained 2019-06-01 (recorded then)
 *   w2 hired 2018-01-01 into dongfanghong; leaves 2020-03-01
 *   w3 hired 2018-01-01 into gaolanlu
 *   w4 hired 2019-03-01 into gaolanlu; certificate obtained 2020-05-01 (recorded then)
 * 七里河区 (qilihe):
 *   q1 hired 2018-06-01 into xiguoyuan, college graduate; certificate 2018-09-01; transferred to lanyuan 2020-01-01
 *   q2, q3, q4 hired 2018-06-01 into xiguoyuan
 *
 * By hand, on 2019-01-01:
 *   chengguan: employed w1 w2 w3 = 3, qualified none (w1's certificate comes 2019-06-01) = 0 → 0/3 = 0, below 20%
 *   qilihe:    employed q1..q4 = 4, qualified q1 = 1 → 1/4 = 25%, meets 20%
 *   city:      1/7 = 14.29%, below 20%
 *   without a college graduate: chengguan [gaolanlu] (w3 only); qilihe [] (q1 in xiguoyuan)
 * By hand, on 2020-12-31:
 *   chengguan: employed w1 w3 w4 = 3 (w2 left), qualified w1 w4 = 2 → 2/3 = 66.67%, meets
 *   qilihe:    employed 4, qualified q1 = 1 → 25%, meets
 *   city:      3/7 = 42.86%, meets
 *   without a college graduate: chengguan [gaolanlu]; qilihe [xiguoyuan] (q1 moved to lanyuan)
 */
function fixture(): { chengguan: History; qilihe: History } {
  const cg = history();
  const hire = (h: History, personId: string, communityId: string, collegeGraduate: boolean, on: string) =>
    h.do('HireWorker', { personId, communityId, post: '社区工作者', collegeGraduate }, on);
  hire(cg, 'w1', 'dongfanghong', true, '2018-01-01');
  hire(cg, 'w2', 'dongfanghong', false, '2018-01-01');
  hire(cg, 'w3', 'gaolanlu', false, '2018-01-01');
  hire(cg, 'w4', 'gaolanlu', false, '2019-03-01');
  cg.do(
    'RecordQualification',
    { personId: 'w1', level: 'assistant-social-worker', obtainedOn: '2019-06-01' },
    '2019-06-01',
  );
  cg.do('WorkerLeaves', { personId: 'w2', reason: 'resigned' }, '2020-03-01');
  cg.do(
    'RecordQualification',
    { personId: 'w4', level: 'social-worker', obtainedOn: '2020-05-01' },
    '2020-05-01',
  );
  const ql = history();
  hire(ql, 'q1', 'xiguoyuan', true, '2018-06-01');
  for (const id of ['q2', 'q3', 'q4']) hire(ql, id, 'xiguoyuan', false, '2018-06-01');
  ql.do(
    'RecordQualification',
    { personId: 'q1', level: 'social-worker', obtainedOn: '2018-09-01' },
    '2018-09-01',
  );
  ql.do('TransferWorker', { personId: 'q1', toCommunityId: 'lanyuan' }, '2020-01-01');
  return { chengguan: cg, qilihe: ql };
}

describe('STAFF-4/STAFF-5 workforce indicators at two dates match the hand-computed fixture', () => {
  // Built in each test, not while collecting them: a decision run outside a test makes every
  // mutant it reaches "static" for mutation testing, and the run endless.
  let f: ReturnType<typeof fixture>;
  beforeEach(() => {
    f = fixture();
  });
  const at = (on: string) => ({
    ratio: cityQualificationRatio(
      { chengguan: viewAsOf(f.chengguan.state.facts, on), qilihe: viewAsOf(f.qilihe.state.facts, on) },
      on,
    ),
    withoutGraduate: {
      chengguan: communitiesWithoutGraduate(viewAsOf(f.chengguan.state.facts, on), on),
      qilihe: communitiesWithoutGraduate(viewAsOf(f.qilihe.state.facts, on), on),
    },
  });

  it('STAFF-4 STAFF-5 on 2019-01-01', () => {
    const { ratio, withoutGraduate } = at('2019-01-01');
    expect(ratio.districts).toEqual([
      { district: 'chengguan', workers: 3, qualified: 0, ratio: 0, target: 0.2, meetsTarget: false },
      { district: 'qilihe', workers: 4, qualified: 1, ratio: 0.25, target: 0.2, meetsTarget: true },
    ]);
    expect(ratio.cityWide).toMatchObject({ workers: 7, qualified: 1, meetsTarget: false });
    expect(ratio.cityWide.ratio).toBeCloseTo(1 / 7);
    expect(withoutGraduate).toEqual({ chengguan: ['gaolanlu'], qilihe: [] });
  });

  it('STAFF-4 STAFF-5 on 2020-12-31', () => {
    const { ratio, withoutGraduate } = at('2020-12-31');
    expect(ratio.districts.map((d) => [d.district, d.workers, d.qualified, d.meetsTarget])).toEqual([
      ['chengguan', 3, 2, true],
      ['qilihe', 4, 1, true],
    ]);
    expect(ratio.districts[0].ratio).toBeCloseTo(2 / 3);
    expect(ratio.cityWide).toMatchObject({ workers: 7, qualified: 3, meetsTarget: true });
    expect(ratio.cityWide.ratio).toBeCloseTo(3 / 7);
    expect(withoutGraduate).toEqual({ chengguan: ['gaolanlu'], qilihe: ['xiguoyuan'] });
  });

  it('STAFF-1 the roster of a community at two dates', () => {
    const ids = (on: string) =>
      rosterOn(viewAsOf(f.chengguan.state.facts, on), 'dongfanghong', on).workers.map((w) => w.personId);
    expect(ids('2019-01-01')).toEqual(['w1', 'w2']);
    expect(ids('2020-12-31')).toEqual(['w1']);
    expect(ids('2017-12-31')).toEqual([]);
  });

  it("STAFF-1 a roster from the district's members by community is the roster of a scan", () => {
    let withWorkers = 0;
    for (const on of ['2017-12-31', '2019-01-01', '2020-12-31', '2026-12-31']) {
      const view = viewAsOf(f.chengguan.state.facts, on);
      const members = membersByCommunity(view);
      const communities = new Set([
        ...Object.values(view.workers).map((w) => w.communityId),
        ...Object.values(view.committees).map((c) => c.communityId),
      ]);
      for (const c of communities) {
        if (c === null) continue;
        const indexed = rosterOn(view, c, on, members.get(c) ?? { workers: [], committees: [] });
        expect(indexed).toEqual(rosterOn(view, c, on));
        if (indexed.workers.length > 0) withWorkers++;
      }
    }
    expect(withWorkers).toBeGreaterThan(2);
  });
});

describe('STAFF-3 pay findings', () => {
  it('STAFF-3 lists workers paid below the floor or without the insurances and fund', () => {
    const h = history();
    h.do('HireWorker', { personId: 'w1', communityId: 'c1', post: 'x', collegeGraduate: true }, '2018-01-01');
    h.do('HireWorker', { personId: 'w2', communityId: 'c1', post: 'x', collegeGraduate: true }, '2018-01-01');
    h.do('HireWorker', { personId: 'w3', communityId: 'c1', post: 'x', collegeGraduate: true }, '2018-01-01');
    h.do('RecordAverageWage', { year: 2018, averageAnnualWageYuan: 60000 }, '2019-01-10');
    const all = ['pension', 'medical', 'unemployment', 'work-injury', 'maternity'] as const;
    h.do(
      'RecordPay',
      { personId: 'w1', year: 2019, annualPayYuan: 59999, insurances: [...all], housingFund: true },
      '2019-12-31',
    );
    h.do(
      'RecordPay',
      { personId: 'w2', year: 2019, annualPayYuan: 60000, insurances: [...all], housingFund: false },
      '2019-12-31',
    );
    h.do(
      'RecordPay',
      { personId: 'w3', year: 2019, annualPayYuan: 60000, insurances: [...all], housingFund: true },
      '2019-12-31',
    );
    expect(payFindings(h.view, 2019).map((p) => [p.personId, p.belowFloor, p.housingFundMissing])).toEqual([
      ['w1', true, false],
      ['w2', false, true],
    ]);
  });
});

describe('ELECT-1/ELECT-2 composition, calendar and timeline at past dates', () => {
  let h: History;
  beforeEach(() => {
    h = electedCommittee(history(), '2013-05-20', { calledOn: '2013-05-01' });
  });

  it('ELECT-1 the composition at a date, chair first; none before the election', () => {
    const view = (on: string) => viewAsOf(h.state.facts, on);
    expect(compositionOn(view('2013-05-19'), 'dfh-rc', '2013-05-19')).toBeNull();
    const c = compositionOn(view('2014-01-01'), 'dfh-rc', '2014-01-01');
    expect(c).toMatchObject({ size: 7, endsOn: '2016-05-20', expired: false, regimeId: 'organic-law-1989' });
    expect(c!.members[0].role).toBe('chair');
  });

  it('ELECT-2 the calendar: due then overdue election, scheduled, ending and overdue term', () => {
    const cal = (on: string) =>
      electionCalendar(viewAsOf(h.state.facts, on), on).map((e) => [e.kind, e.dueOn, e.status]);
    expect(cal('2013-05-10')).toEqual([['called-election', '2013-07-30', 'due']]);
    expect(cal('2015-01-01')).toEqual([['term-end', '2016-05-20', 'scheduled']]);
    expect(cal('2016-01-01')).toEqual([['term-end', '2016-05-20', 'ending']]);
    expect(cal('2016-06-01')).toEqual([['term-end', '2016-05-20', 'overdue']]);
    const late = history();
    late.do(
      'CallElection',
      { electionId: 'e1', committeeId: 'c1-rc', communityId: 'c1', reason: 'new-committee' },
      '2013-05-01',
    );
    expect(electionCalendar(late.view, '2013-08-01')[0].status).toBe('overdue');
  });

  it('ELECT-4 the timeline of a committee lists its election and term with basis and rule ids', () => {
    const t = committeeTimeline(h.state.facts, 'dfh-rc');
    expect(t.map((e) => e.type)).toEqual([
      'ElectionCalled',
      'ElectorateRegistered',
      'ElectionHeld',
      'TermStarted',
    ]);
    expect(t[3]).toMatchObject({ effectiveAt: '2013-05-20', ruleIds: expect.arrayContaining(['ELECT-2']) });
    expect(t[0].legalBasis).toMatch(/城关区民发/);
  });
});
