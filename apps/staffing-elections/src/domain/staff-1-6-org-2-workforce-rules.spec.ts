import { history, type History } from './testing/given-when-then';

/**
 * STAFF-1..6 and ORG-2 stated further: the edges of each workforce rule, what each
 * decision records with its rule ids, and refusals that say which rule, which person and which year.
 */

const ALL = ['pension', 'medical', 'unemployment', 'work-injury', 'maternity'] as const;

/** 王芳 (w-wang) hired into 东方红's service station on 2014-03-01, a college graduate. */
const hired = (): History => {
  const h = history();
  h.do(
    'HireWorker',
    { personId: 'w-wang', communityId: 'dongfanghong', post: '社区工作者', collegeGraduate: true },
    '2014-03-01',
  );
  return h;
};

/** The average wages of 2015 to 2018 (STAFF-3 input data), each recorded early the next year. */
const withWages = (h: History): History => {
  for (const year of [2015, 2016, 2017, 2018])
    h.do(
      'RecordAverageWage',
      { year, averageAnnualWageYuan: 40000 + (year - 2015) * 1000 },
      `${year + 1}-01-10`,
    );
  return h;
};

const pay = (year: number, annualPayYuan = 60000) => ({
  personId: 'w-wang',
  year,
  annualPayYuan,
  insurances: [...ALL],
  housingFund: true,
});

describe('STAFF-1 the worker in one service station at a time', () => {
  it('STAFF-1 STAFF-5 the hire records the station, the post, the graduate flag and its date', () => {
    const [hire] = history()
      .when(
        'HireWorker',
        { personId: 'w-li', communityId: 'gaolanlu', post: '社区工作者', collegeGraduate: false },
        '2014-04-01',
      )
      .thenTypes('STAFF-1', ['WorkerHired']);
    expect(hire.ruleIds).toEqual(['STAFF-1', 'STAFF-5']);
    expect(hire.data).toEqual({
      personId: 'w-li',
      communityId: 'gaolanlu',
      post: '社区工作者',
      collegeGraduate: false,
      hiredOn: '2014-04-01',
    });
  });

  it('STAFF-1 a second hire is refused naming the station the worker is in', () => {
    const v = hired()
      .when(
        'HireWorker',
        { personId: 'w-wang', communityId: 'gaolanlu', post: '社区工作者', collegeGraduate: true },
        '2015-01-01',
      )
      .thenRefused('STAFF-1', { communityId: 'dongfanghong' });
    expect(v.message).toMatch(/w-wang already works in the service station of dongfanghong/);
  });

  it('STAFF-1 a transfer may give the worker a new post in the new station', () => {
    const [t] = hired()
      .when('TransferWorker', { personId: 'w-wang', toCommunityId: 'gaolanlu', post: '站长' }, '2016-01-01')
      .thenTypes('STAFF-1', ['WorkerTransferred']);
    expect(t.ruleIds).toEqual(['STAFF-1']);
    expect(t.data).toEqual({
      personId: 'w-wang',
      fromCommunityId: 'dongfanghong',
      toCommunityId: 'gaolanlu',
      post: '站长',
    });
  });

  it('STAFF-1 a transfer to the station the worker is in, or of a worker who left, is refused saying why', () => {
    const h = hired();
    expect(
      h
        .when('TransferWorker', { personId: 'w-wang', toCommunityId: 'dongfanghong' }, '2016-01-01')
        .thenRefused('STAFF-1').message,
    ).toMatch(/w-wang already works in dongfanghong/);
    h.do('WorkerLeaves', { personId: 'w-wang', reason: 'resigned' }, '2017-01-01');
    expect(
      h
        .when('TransferWorker', { personId: 'w-wang', toCommunityId: 'gaolanlu' }, '2017-02-01')
        .thenRefused('STAFF-1').message,
    ).toMatch(/w-wang does not work in a service station \(left on 2017-01-01\)/);
  });

  it('STAFF-1 STAFF-6 leaving for a civil-service or leadership post cites STAFF-6; other reasons STAFF-1 only', () => {
    const left = (reason: 'resigned' | 'recruited-civil-servant' | 'selected-leadership-post') =>
      hired().when('WorkerLeaves', { personId: 'w-wang', reason }, '2019-01-01').eventOf('WorkerLeft');
    expect(left('resigned').ruleIds).toEqual(['STAFF-1']);
    expect(left('recruited-civil-servant').ruleIds).toEqual(['STAFF-1', 'STAFF-6']);
    const leader = left('selected-leadership-post');
    expect(leader.ruleIds).toEqual(['STAFF-1', 'STAFF-6']);
    expect(leader.data).toEqual({
      personId: 'w-wang',
      communityId: 'dongfanghong',
      reason: 'selected-leadership-post',
    });
  });

  it('STAFF-1 a decision dated before one recorded on the worker is refused naming the worker and that date', () => {
    const h = hired();
    h.do('TransferWorker', { personId: 'w-wang', toCommunityId: 'gaolanlu' }, '2016-01-01');
    const v = h
      .when('WorkerLeaves', { personId: 'w-wang', reason: 'resigned' }, '2015-12-31')
      .thenRefused('STAFF-1', { entity: 'person:w-wang', latestEffectiveAt: '2016-01-01' });
    expect(v.message).toMatch(
      /person:w-wang has a decision effective 2016-01-01; a later decision cannot take effect earlier \(2015-12-31\)/,
    );
    // On the same date it is in order.
    h.when('WorkerLeaves', { personId: 'w-wang', reason: 'resigned' }, '2016-01-01').thenTypes('STAFF-1', [
      'WorkerLeft',
    ]);
  });
});

describe('STAFF-2 welfare: one health check a year, leave with its days, a subsidy with its amount', () => {
  it('STAFF-2 each kind records what it needs and nothing else', () => {
    const h = hired();
    expect(
      h
        .when('RecordWelfare', { personId: 'w-wang', year: 2014, kind: 'paid-leave', days: 5 }, '2014-10-01')
        .eventOf('WelfareRecorded'),
    ).toEqual({
      type: 'WelfareRecorded',
      ruleIds: ['STAFF-2'],
      data: { personId: 'w-wang', year: 2014, kind: 'paid-leave', days: 5, amountYuan: null },
    });
    expect(
      h
        .when(
          'RecordWelfare',
          { personId: 'w-wang', year: 2014, kind: 'hardship-subsidy', amountYuan: 2000 },
          '2014-10-01',
        )
        .eventOf('WelfareRecorded').data,
    ).toEqual({ personId: 'w-wang', year: 2014, kind: 'hardship-subsidy', days: null, amountYuan: 2000 });
  });

  it('STAFF-2 the health check is once a year; other welfare of that year, and the next year’s check, are not limited by it', () => {
    const h = hired();
    h.do('RecordWelfare', { personId: 'w-wang', year: 2014, kind: 'paid-leave', days: 5 }, '2014-06-01');
    // Leave first does not count as the year's health check.
    h.when('RecordWelfare', { personId: 'w-wang', year: 2014, kind: 'health-check' }, '2014-10-01').thenTypes(
      'STAFF-2',
      ['WelfareRecorded'],
    );
    h.do('RecordWelfare', { personId: 'w-wang', year: 2014, kind: 'health-check' }, '2014-10-01');
    // More leave in the year of a health check is fine.
    h.when(
      'RecordWelfare',
      { personId: 'w-wang', year: 2014, kind: 'paid-leave', days: 3 },
      '2014-11-01',
    ).thenTypes('STAFF-2', ['WelfareRecorded']);
    h.when('RecordWelfare', { personId: 'w-wang', year: 2015, kind: 'health-check' }, '2015-10-01').thenTypes(
      'STAFF-2',
      ['WelfareRecorded'],
    );
    expect(
      h
        .when('RecordWelfare', { personId: 'w-wang', year: 2014, kind: 'health-check' }, '2014-11-01')
        .thenRefused('STAFF-2').message,
    ).toMatch(/the annual health check of 2014 is already recorded/);
  });

  it('STAFF-2 refusals say what is missing or which year is wrong', () => {
    const h = hired();
    expect(
      h
        .when('RecordWelfare', { personId: 'w-wang', year: 2014, kind: 'paid-leave' }, '2014-10-01')
        .thenRefused('STAFF-2').message,
    ).toMatch(/paid leave is recorded with its days/);
    expect(
      h
        .when('RecordWelfare', { personId: 'w-wang', year: 2014, kind: 'hardship-subsidy' }, '2014-10-01')
        .thenRefused('STAFF-2').message,
    ).toMatch(/a hardship subsidy is recorded with its amount/);
    expect(
      h
        .when('RecordWelfare', { personId: 'w-wang', year: 2013, kind: 'health-check' }, '2014-10-01')
        .thenRefused('STAFF-2').message,
    ).toMatch(/2013 is not a year w-wang worked in up to 2014-10-01/);
  });
});

describe('STAFF-3 pay of a year, in the station of that year, judged against the previous year’s wage', () => {
  it('STAFF-3 an average wage is recorded once, for a year up to the effective date', () => {
    const h = history();
    expect(
      h
        .when('RecordAverageWage', { year: 2015, averageAnnualWageYuan: 48000 }, '2015-12-31')
        .eventOf('AverageWageRecorded'),
    ).toEqual({
      type: 'AverageWageRecorded',
      ruleIds: ['STAFF-3'],
      data: { year: 2015, averageAnnualWageYuan: 48000 },
    });
    expect(
      h
        .when('RecordAverageWage', { year: 2016, averageAnnualWageYuan: 48000 }, '2015-12-31')
        .thenRefused('STAFF-3').message,
    ).toMatch(/the average wage of 2016 cannot be known on 2015-12-31/);
    h.do('RecordAverageWage', { year: 2015, averageAnnualWageYuan: 48000 }, '2016-01-10');
    expect(
      h
        .when('RecordAverageWage', { year: 2015, averageAnnualWageYuan: 1 }, '2016-02-01')
        .thenRefused('STAFF-3', { year: 2015 }).message,
    ).toMatch(/the average wage of 2015 is already recorded/);
  });

  it('STAFF-3 pay is recorded for a year up to the effective date, once a year, with the insurances paid once each', () => {
    const h = withWages(hired());
    expect(h.when('RecordPay', pay(2017), '2016-12-31').thenRefused('STAFF-3').message).toMatch(
      /pay of 2017 cannot be recorded on 2016-12-31/,
    );
    const [recorded] = h
      .when(
        'RecordPay',
        { ...pay(2016, 41000), insurances: ['pension', 'pension', 'medical'], housingFund: false },
        '2016-12-31',
      )
      .thenTypes('STAFF-3', ['PayRecorded']);
    expect(recorded).toEqual({
      type: 'PayRecorded',
      ruleIds: ['STAFF-3'],
      data: {
        personId: 'w-wang',
        communityId: 'dongfanghong',
        year: 2016,
        annualPayYuan: 41000,
        insurances: ['pension', 'medical'],
        housingFund: false,
        floor: { wageYear: 2015, averageAnnualWageYuan: 40000 },
        belowFloor: false,
        missingInsurances: ['unemployment', 'work-injury', 'maternity'],
      },
    });
    h.do('RecordPay', pay(2016), '2017-01-15');
    h.when('RecordPay', pay(2017), '2018-01-15').thenTypes('STAFF-3', ['PayRecorded']);
    expect(h.when('RecordPay', pay(2016), '2018-01-15').thenRefused('STAFF-3').message).toMatch(
      /the pay of w-wang for 2016 is already recorded/,
    );
  });

  it('STAFF-3 pay goes to the station the worker was in that year (the first one in a year of transfer); none outside employment', () => {
    const h = withWages(hired());
    h.do('TransferWorker', { personId: 'w-wang', toCommunityId: 'gaolanlu' }, '2016-07-01');
    h.do('WorkerLeaves', { personId: 'w-wang', reason: 'resigned' }, '2018-03-01');
    const stationOf = (year: number) =>
      h.when('RecordPay', pay(year), '2019-02-01').eventOf('PayRecorded').data.communityId;
    expect(stationOf(2014)).toBe('dongfanghong');
    expect(stationOf(2016)).toBe('dongfanghong');
    expect(stationOf(2017)).toBe('gaolanlu');
    expect(stationOf(2018)).toBe('gaolanlu');
    expect(h.when('RecordPay', pay(2019), '2019-02-01').thenRefused('STAFF-3').message).toMatch(
      /w-wang did not work in a service station in 2019/,
    );
    expect(h.when('RecordPay', pay(2013), '2019-02-01').thenRefused('STAFF-3').message).toMatch(
      /w-wang did not work in a service station in 2013/,
    );
  });

  it('STAFF-3 pay from 2015 needs the previous year’s average wage, as recorded on the pay’s own date', () => {
    const h = hired();
    expect(
      h.when('RecordPay', pay(2015), '2016-01-15').thenRefused('STAFF-3', { wageYear: 2014 }).message,
    ).toMatch(/record the average wage of 2014 before pay of 2015/);
    // Recorded as of 2017-03-01: a pay decision backdated to 2017-01-15 is judged without it.
    h.do('RecordAverageWage', { year: 2015, averageAnnualWageYuan: 48000 }, '2017-03-01');
    h.when('RecordPay', pay(2016), '2017-01-15').thenRefused('STAFF-3', { wageYear: 2015 });
    h.when('RecordPay', pay(2016), '2017-03-01').thenTypes('STAFF-3', ['PayRecorded']);
  });
});

describe('STAFF-4 social-work certificates, one record per level', () => {
  it('STAFF-4 a certificate obtained on the effective date is recorded; a later one is refused naming its date', () => {
    const h = hired();
    expect(
      h
        .when(
          'RecordQualification',
          { personId: 'w-wang', level: 'assistant-social-worker', obtainedOn: '2015-07-01' },
          '2015-07-01',
        )
        .eventOf('QualificationRecorded'),
    ).toEqual({
      type: 'QualificationRecorded',
      ruleIds: ['STAFF-4'],
      data: { personId: 'w-wang', level: 'assistant-social-worker', obtainedOn: '2015-07-01' },
    });
    expect(
      h
        .when(
          'RecordQualification',
          { personId: 'w-wang', level: 'assistant-social-worker', obtainedOn: '2015-07-02' },
          '2015-07-01',
        )
        .thenRefused('STAFF-4').message,
    ).toMatch(/a certificate obtained on 2015-07-02 cannot be recorded on 2015-07-01/);
  });

  it('STAFF-4 a worker with one level may obtain the next; the same level again is refused', () => {
    const h = hired();
    h.do(
      'RecordQualification',
      { personId: 'w-wang', level: 'assistant-social-worker', obtainedOn: '2015-06-20' },
      '2015-07-01',
    );
    h.when(
      'RecordQualification',
      { personId: 'w-wang', level: 'social-worker', obtainedOn: '2017-06-20' },
      '2017-07-01',
    ).thenTypes('STAFF-4', ['QualificationRecorded']);
    h.do(
      'RecordQualification',
      { personId: 'w-wang', level: 'social-worker', obtainedOn: '2017-06-20' },
      '2017-07-01',
    );
    expect(
      h
        .when(
          'RecordQualification',
          { personId: 'w-wang', level: 'assistant-social-worker', obtainedOn: '2015-06-20' },
          '2017-08-01',
        )
        .thenRefused('STAFF-4').message,
    ).toMatch(/w-wang already holds the assistant-social-worker certificate/);
    history()
      .when(
        'RecordQualification',
        { personId: 'w-none', level: 'social-worker', obtainedOn: '2017-06-20' },
        '2017-07-01',
      )
      .thenNotFound('worker');
  });
});

describe('STAFF-6 careers on the worker’s record', () => {
  it('STAFF-6 a worker commended before joins the Party once; the second time is refused', () => {
    const h = hired();
    h.do(
      'RecordCareerEvent',
      { personId: 'w-wang', kind: 'commended', organization: '城关区' },
      '2015-07-01',
    );
    expect(
      h
        .when(
          'RecordCareerEvent',
          { personId: 'w-wang', kind: 'joined-party', organization: '东方红社区党委' },
          '2016-07-01',
        )
        .eventOf('CareerEventRecorded'),
    ).toEqual({
      type: 'CareerEventRecorded',
      ruleIds: ['STAFF-6'],
      data: { personId: 'w-wang', kind: 'joined-party', organization: '东方红社区党委', reservedPost: false },
    });
    h.do(
      'RecordCareerEvent',
      { personId: 'w-wang', kind: 'joined-party', organization: '东方红社区党委' },
      '2016-07-01',
    );
    expect(
      h
        .when(
          'RecordCareerEvent',
          { personId: 'w-wang', kind: 'joined-party', organization: '东方红社区党委' },
          '2017-07-01',
        )
        .thenRefused('STAFF-6').message,
    ).toMatch(/w-wang already joined the Party/);
    // A member of the Party goes on to other career events.
    h.when(
      'RecordCareerEvent',
      { personId: 'w-wang', kind: 'elected-representative', organization: '城关区人大' },
      '2018-01-01',
    ).thenTypes('STAFF-6', ['CareerEventRecorded']);
  });

  it('STAFF-6 a reserved leadership post is recorded as reserved; a reserved commendation is refused', () => {
    const h = hired();
    expect(
      h
        .when(
          'RecordCareerEvent',
          {
            personId: 'w-wang',
            kind: 'selected-leadership-post',
            organization: '东岗街道',
            reservedPost: true,
          },
          '2019-01-01',
        )
        .eventOf('CareerEventRecorded').data,
    ).toEqual({
      personId: 'w-wang',
      kind: 'selected-leadership-post',
      organization: '东岗街道',
      reservedPost: true,
    });
    expect(
      h
        .when(
          'RecordCareerEvent',
          { personId: 'w-wang', kind: 'commended', organization: '城关区', reservedPost: true },
          '2019-01-01',
        )
        .thenRefused('STAFF-6').message,
    ).toMatch(/only civil-service and leadership posts are reserved for community workers/);
  });
});

describe('ORG-2 concurrent posts: each post held once, ended only when held', () => {
  const post = (body: 'party-organization' | 'service-station', title: string) => ({
    personId: 'p-1',
    communityId: 'dongfanghong',
    body,
    post: title,
  });

  it('ORG-2 a person holding two posts may not be given either again, and ends one that is held', () => {
    const h = history();
    expect(
      h.when('AssignPost', post('party-organization', '书记'), '2014-01-01').eventOf('PostAssigned'),
    ).toEqual({
      type: 'PostAssigned',
      ruleIds: ['ORG-2'],
      data: post('party-organization', '书记'),
    });
    h.do('AssignPost', post('party-organization', '书记'), '2014-01-01');
    h.do('AssignPost', post('service-station', '站长'), '2014-01-01');
    expect(
      h.when('AssignPost', post('party-organization', '书记'), '2015-01-01').thenRefused('ORG-2').message,
    ).toMatch(/p-1 already holds 书记 in the party-organization of dongfanghong/);
    expect(h.when('EndPost', post('service-station', '站长'), '2015-01-01').eventOf('PostEnded')).toEqual({
      type: 'PostEnded',
      ruleIds: ['ORG-2'],
      data: post('service-station', '站长'),
    });
    expect(
      h.when('EndPost', post('party-organization', '委员'), '2015-01-01').thenRefused('ORG-2').message,
    ).toMatch(/p-1 holds no 委员 in the party-organization of dongfanghong/);
  });
});
