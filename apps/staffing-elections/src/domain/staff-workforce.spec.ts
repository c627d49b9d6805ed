import { COMMAND_SCHEMAS } from './commands';
import { decide, PERSONAL_DATA_RULE } from './decide';
import { postsOfPerson } from './queries';
import { electedCommittee, history, type History } from './testing/given-when-then';

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

describe('STAFF-1 workers hired into a service station, transferred, leaving', () => {
  it('STAFF-1 hires a worker into a community’s service station', () => {
    hired()
      .when(
        'HireWorker',
        { personId: 'w-li', communityId: 'gaolanlu', post: '社区工作者', collegeGraduate: false },
        '2014-04-01',
      )
      .thenTypes('STAFF-1', ['WorkerHired']);
  });

  it('STAFF-1 refuses to hire a worker already employed in a station', () => {
    hired()
      .when(
        'HireWorker',
        { personId: 'w-wang', communityId: 'gaolanlu', post: '社区工作者', collegeGraduate: true },
        '2015-01-01',
      )
      .thenRefused('STAFF-1', { communityId: 'dongfanghong' });
  });

  it('STAFF-1 transfers a worker to another community, not to the same one', () => {
    const h = hired();
    const [t] = h
      .when('TransferWorker', { personId: 'w-wang', toCommunityId: 'gaolanlu' }, '2016-01-01')
      .thenTypes('STAFF-1', ['WorkerTransferred']);
    expect(t.data).toMatchObject({
      fromCommunityId: 'dongfanghong',
      toCommunityId: 'gaolanlu',
      post: '社区工作者',
    });
    h.when('TransferWorker', { personId: 'w-wang', toCommunityId: 'dongfanghong' }, '2016-01-01').thenRefused(
      'STAFF-1',
    );
  });

  it('STAFF-1 a worker who left is neither transferred nor leaves again; may be hired again', () => {
    const h = hired();
    h.do('WorkerLeaves', { personId: 'w-wang', reason: 'resigned' }, '2017-01-01');
    h.when('TransferWorker', { personId: 'w-wang', toCommunityId: 'gaolanlu' }, '2017-02-01').thenRefused(
      'STAFF-1',
    );
    h.when('WorkerLeaves', { personId: 'w-wang', reason: 'resigned' }, '2017-02-01').thenRefused('STAFF-1');
    h.when(
      'HireWorker',
      { personId: 'w-wang', communityId: 'gaolanlu', post: '社区工作者', collegeGraduate: true },
      '2018-01-01',
    ).thenTypes('STAFF-1', ['WorkerHired']);
  });

  it('STAFF-1 a decision on a worker may not be dated before one already recorded', () => {
    const h = hired();
    h.do('TransferWorker', { personId: 'w-wang', toCommunityId: 'gaolanlu' }, '2016-01-01');
    h.when('WorkerLeaves', { personId: 'w-wang', reason: 'resigned' }, '2015-06-01').thenRefused('STAFF-1');
  });

  it('STAFF-1 an unknown worker is not found', () => {
    history()
      .when('TransferWorker', { personId: 'w-none', toCommunityId: 'gaolanlu' }, '2016-01-01')
      .thenNotFound('worker');
  });
});

describe('STAFF-2 welfare: annual health check, paid leave, hardship subsidy', () => {
  it('STAFF-2 records each kind with what it needs', () => {
    const h = hired();
    h.when('RecordWelfare', { personId: 'w-wang', year: 2014, kind: 'health-check' }, '2014-10-01').thenTypes(
      'STAFF-2',
      ['WelfareRecorded'],
    );
    h.when(
      'RecordWelfare',
      { personId: 'w-wang', year: 2014, kind: 'paid-leave', days: 5 },
      '2014-10-01',
    ).thenTypes('STAFF-2', ['WelfareRecorded']);
    h.when(
      'RecordWelfare',
      { personId: 'w-wang', year: 2014, kind: 'hardship-subsidy', amountYuan: 2000 },
      '2014-10-01',
    ).thenTypes('STAFF-2', ['WelfareRecorded']);
  });

  it('STAFF-2 refuses paid leave without days, a subsidy without amount, a second health check in a year', () => {
    const h = hired();
    h.when('RecordWelfare', { personId: 'w-wang', year: 2014, kind: 'paid-leave' }, '2014-10-01').thenRefused(
      'STAFF-2',
    );
    h.when(
      'RecordWelfare',
      { personId: 'w-wang', year: 2014, kind: 'hardship-subsidy' },
      '2014-10-01',
    ).thenRefused('STAFF-2');
    h.do('RecordWelfare', { personId: 'w-wang', year: 2014, kind: 'health-check' }, '2014-10-01');
    h.when(
      'RecordWelfare',
      { personId: 'w-wang', year: 2014, kind: 'health-check' },
      '2014-11-01',
    ).thenRefused('STAFF-2');
  });

  it('STAFF-2 refuses a year before the hire or after the effective date', () => {
    hired()
      .when('RecordWelfare', { personId: 'w-wang', year: 2013, kind: 'health-check' }, '2014-10-01')
      .thenRefused('STAFF-2');
    hired()
      .when('RecordWelfare', { personId: 'w-wang', year: 2015, kind: 'health-check' }, '2014-10-01')
      .thenRefused('STAFF-2');
  });
});

describe('STAFF-3 pay against the previous year’s average wage, five insurances and the housing fund', () => {
  const all = ['pension', 'medical', 'unemployment', 'work-injury', 'maternity'] as const;
  const withWage = (): History => {
    const h = hired();
    h.do('RecordAverageWage', { year: 2015, averageAnnualWageYuan: 48000 }, '2016-02-01');
    return h;
  };

  it('STAFF-3 flags, not refuses, pay below the 2015 average wage for 2016', () => {
    const e = withWage()
      .when(
        'RecordPay',
        { personId: 'w-wang', year: 2016, annualPayYuan: 42000, insurances: [...all], housingFund: true },
        '2017-01-15',
      )
      .eventOf('PayRecorded');
    expect(e.data).toMatchObject({
      floor: { wageYear: 2015, averageAnnualWageYuan: 48000 },
      belowFloor: true,
      missingInsurances: [],
    });
    expect(e.ruleIds).toEqual(['STAFF-3']);
  });

  it('STAFF-3 pay at the floor with everything paid is not flagged; missing insurances are', () => {
    expect(
      withWage()
        .when(
          'RecordPay',
          { personId: 'w-wang', year: 2016, annualPayYuan: 48000, insurances: [...all], housingFund: true },
          '2017-01-15',
        )
        .eventOf('PayRecorded').data,
    ).toMatchObject({ belowFloor: false, missingInsurances: [] });
    expect(
      withWage()
        .when(
          'RecordPay',
          {
            personId: 'w-wang',
            year: 2016,
            annualPayYuan: 50000,
            insurances: ['pension', 'medical'],
            housingFund: false,
          },
          '2017-01-15',
        )
        .eventOf('PayRecorded').data,
    ).toMatchObject({
      belowFloor: false,
      missingInsurances: ['unemployment', 'work-injury', 'maternity'],
      housingFund: false,
    });
  });

  it('STAFF-3 refuses pay from 2015 without the previous year’s average wage, and applies no floor before', () => {
    hired()
      .when(
        'RecordPay',
        { personId: 'w-wang', year: 2015, annualPayYuan: 30000, insurances: [...all], housingFund: true },
        '2016-01-15',
      )
      .thenRefused('STAFF-3', { wageYear: 2014 });
    expect(
      hired()
        .when(
          'RecordPay',
          { personId: 'w-wang', year: 2014, annualPayYuan: 30000, insurances: [...all], housingFund: true },
          '2015-01-15',
        )
        .eventOf('PayRecorded').data,
    ).toMatchObject({ floor: null, belowFloor: false });
  });

  it('STAFF-3 refuses a second pay record of a year and a second average wage of a year', () => {
    const h = withWage();
    h.do(
      'RecordPay',
      { personId: 'w-wang', year: 2016, annualPayYuan: 50000, insurances: [...all], housingFund: true },
      '2017-01-15',
    );
    h.when(
      'RecordPay',
      { personId: 'w-wang', year: 2016, annualPayYuan: 50000, insurances: [...all], housingFund: true },
      '2017-02-15',
    ).thenRefused('STAFF-3');
    h.when('RecordAverageWage', { year: 2015, averageAnnualWageYuan: 1 }, '2017-02-15').thenRefused(
      'STAFF-3',
    );
  });
});

describe('STAFF-4 social-work qualifications', () => {
  it('STAFF-4 records a certificate, once per level, obtained by the effective date', () => {
    const h = hired();
    h.when(
      'RecordQualification',
      { personId: 'w-wang', level: 'assistant-social-worker', obtainedOn: '2015-06-20' },
      '2015-07-01',
    ).thenTypes('STAFF-4', ['QualificationRecorded']);
    h.when(
      'RecordQualification',
      { personId: 'w-wang', level: 'assistant-social-worker', obtainedOn: '2015-08-20' },
      '2015-07-01',
    ).thenRefused('STAFF-4');
    h.do(
      'RecordQualification',
      { personId: 'w-wang', level: 'assistant-social-worker', obtainedOn: '2015-06-20' },
      '2015-07-01',
    );
    h.when(
      'RecordQualification',
      { personId: 'w-wang', level: 'assistant-social-worker', obtainedOn: '2015-06-20' },
      '2015-07-02',
    ).thenRefused('STAFF-4');
  });
});

describe('STAFF-5 college graduates', () => {
  it('STAFF-5 the hire records whether the worker is a college graduate', () => {
    const e = history()
      .when(
        'HireWorker',
        { personId: 'w-li', communityId: 'gaolanlu', post: '社区工作者', collegeGraduate: true },
        '2014-04-01',
      )
      .eventOf('WorkerHired');
    expect(e.data.collegeGraduate).toBe(true);
    expect(e.ruleIds).toContain('STAFF-5');
  });
});

describe('STAFF-6 careers', () => {
  it('STAFF-6 records career events; a reserved post only for civil-service or leadership posts', () => {
    const h = hired();
    h.when(
      'RecordCareerEvent',
      {
        personId: 'w-wang',
        kind: 'recruited-civil-servant',
        organization: '城关区民政局',
        reservedPost: true,
      },
      '2019-01-01',
    ).thenTypes('STAFF-6', ['CareerEventRecorded']);
    h.when(
      'RecordCareerEvent',
      { personId: 'w-wang', kind: 'commended', organization: '城关区', reservedPost: true },
      '2019-01-01',
    ).thenRefused('STAFF-6');
  });

  it('STAFF-6 joins the Party once; leaving for a civil-service post cites STAFF-6', () => {
    const h = hired();
    h.do(
      'RecordCareerEvent',
      { personId: 'w-wang', kind: 'joined-party', organization: '东方红社区党委' },
      '2016-07-01',
    );
    h.when(
      'RecordCareerEvent',
      { personId: 'w-wang', kind: 'joined-party', organization: '东方红社区党委' },
      '2017-07-01',
    ).thenRefused('STAFF-6');
    h.when('WorkerLeaves', { personId: 'w-wang', reason: 'recruited-civil-servant' }, '2019-01-01').thenTypes(
      'STAFF-6',
      ['WorkerLeft'],
    );
  });
});

describe('ORG-2 concurrent posts of a person, seen from the person', () => {
  it('ORG-2 one person sits on the committee, works in the station and holds a Party post at once', () => {
    const h = electedCommittee(history(), '2013-05-20');
    h.do(
      'HireWorker',
      { personId: 'p-1', communityId: 'dongfanghong', post: '站长', collegeGraduate: true },
      '2014-01-01',
    );
    h.do(
      'AssignPost',
      { personId: 'p-1', communityId: 'dongfanghong', body: 'party-organization', post: '书记' },
      '2014-01-01',
    );
    expect(postsOfPerson(h.view, 'p-1', '2014-06-01').map((p) => `${p.body}:${p.post}`)).toEqual([
      'residents-committee:chair',
      'service-station:站长',
      'party-organization:书记',
    ]);
    h.when(
      'AssignPost',
      { personId: 'p-1', communityId: 'dongfanghong', body: 'party-organization', post: '书记' },
      '2015-01-01',
    ).thenRefused('ORG-2');
    h.when(
      'EndPost',
      { personId: 'p-1', communityId: 'dongfanghong', body: 'party-organization', post: '委员' },
      '2015-01-01',
    ).thenRefused('ORG-2');
  });
});

describe('personal data: no national id number enters an event', () => {
  it('the schemas refuse a national id number (check digit right) as person id, or a labelled one in a text', () => {
    expect(
      COMMAND_SCHEMAS.HireWorker.safeParse({
        personId: '11010519491231002x',
        communityId: 'dongfanghong',
        post: 'x',
        collegeGraduate: true,
      }).success,
    ).toBe(false);
    expect(
      COMMAND_SCHEMAS.HireWorker.safeParse({
        personId: 'w-1',
        communityId: 'dongfanghong',
        post: '身份证620102199001011234',
        collegeGraduate: true,
      }).success,
    ).toBe(false);
  });

  it('decide refuses it too, whatever reached it', () => {
    const h = history();
    expect(() =>
      decide(
        {
          type: 'HireWorker',
          data: { personId: '620102199001011233', communityId: 'c1', post: 'x', collegeGraduate: false },
        },
        h.state,
        {
          effectiveAt: '2014-01-01',
          actor: { subject: 's', roles: ['officer'], districtScope: 'chengguan' },
        },
      ),
    ).toThrow(PERSONAL_DATA_RULE);
  });
});
