import { chengguan, type History } from './testing/given-when-then';

/** ORG-1 the three bodies; ORG-2 cross-appointment; ORG-3 delegated tasks go to the service station, funded. */

const post = (body: 'party-organization' | 'residents-committee' | 'service-station', title: string) => ({
  personId: 'p-wang-li',
  communityId: 'dongfanghong',
  body,
  post: title,
});

const task = {
  taskId: 't-minimum-living',
  communityId: 'dongfanghong',
  department: '城关区民政局',
  description: '城市居民最低生活保障申请受理与入户调查',
  fundingYuanPerYear: 24000,
  fundingSource: '区财政预算',
  workingConditions: '服务站办公室一间、计算机一台',
};

describe('ORG-1 given 东方红 with only its residents committee', () => {
  let h: History;
  beforeEach(() => {
    h = chengguan();
  });

  it('ORG-1 sets up the Party organization', () => {
    h.when(
      'SetUpPartyOrganization',
      { communityId: 'dongfanghong', name: '中共东方红社区委员会' },
      '2013-03-01',
    )
      .thenEvents('ORG-1', [
        {
          type: 'PartyOrganizationSetUp',
          data: { communityId: 'dongfanghong', name: '中共东方红社区委员会' },
        },
      ])
      .andRecord();
    expect(h.view.communities.dongfanghong.partyOrganization).toEqual({
      name: '中共东方红社区委员会',
      setUpOn: '2013-03-01',
      status: 'active',
    });
  });

  it('ORG-1 sets up the service station', () => {
    h.when('SetUpServiceStation', { communityId: 'dongfanghong', name: '东方红社区服务站' }, '2013-03-01')
      .thenEvents('ORG-1', [
        { type: 'ServiceStationSetUp', data: { communityId: 'dongfanghong', name: '东方红社区服务站' } },
      ])
      .andRecord();
    expect(h.view.communities.dongfanghong.serviceStation).toMatchObject({
      setUpOn: '2013-03-01',
      status: 'active',
    });
  });

  it('ORG-1 refuses a post in the Party organization before it is set up', () => {
    h.when('AssignPost', post('party-organization', '书记'), '2013-03-01').thenRefused('ORG-1');
  });

  it('ORG-1 refuses a post in the service station before it is set up', () => {
    h.when('AssignPost', post('service-station', '站长'), '2013-03-01').thenRefused('ORG-1');
  });

  it('ORG-1 accepts a post in the residents committee, which exists with the community', () => {
    h.when('AssignPost', post('residents-committee', '主任'), '2013-03-01').thenEvents('ORG-2', [
      { type: 'PostAssigned', data: { ...post('residents-committee', '主任'), concurrentPosts: 1 } },
    ]);
  });
});

describe('ORG-1 given 东方红 with its Party organization and service station set up', () => {
  let h: History;
  beforeEach(() => {
    h = chengguan();
    h.do(
      'SetUpPartyOrganization',
      { communityId: 'dongfanghong', name: '中共东方红社区委员会' },
      '2013-03-01',
    );
    h.do('SetUpServiceStation', { communityId: 'dongfanghong', name: '东方红社区服务站' }, '2013-03-01');
  });

  it('ORG-1 refuses a second Party organization', () => {
    h.when(
      'SetUpPartyOrganization',
      { communityId: 'dongfanghong', name: '东方红社区党总支' },
      '2013-04-01',
    ).thenRefused('ORG-1');
  });

  it('ORG-1 refuses a second service station', () => {
    h.when(
      'SetUpServiceStation',
      { communityId: 'dongfanghong', name: '东方红社区第二服务站' },
      '2013-04-01',
    ).thenRefused('ORG-1');
  });

  it('ORG-1 the bodies end with a community that merges', () => {
    h.do(
      'MergeCommittees',
      {
        sourceCommunityIds: ['dongfanghong', 'gaolanlu'],
        communityId: 'dongfang-gaolan',
        committeeId: 'dg-rc',
        name: '东方红皋兰路社区居民委员会',
      },
      '2014-06-01',
    );
    expect(h.view.communities.dongfanghong.partyOrganization?.status).toBe('ended');
    expect(h.view.communities.dongfanghong.serviceStation?.status).toBe('ended');
    expect(h.view.communities['dongfang-gaolan'].serviceStation).toBeNull();
  });

  it('ORG-2 one person holds posts in all three bodies at once', () => {
    h.do('AssignPost', post('residents-committee', '主任'), '2013-04-01');
    h.do('AssignPost', post('party-organization', '书记'), '2013-04-01');
    h.when('AssignPost', post('service-station', '站长'), '2013-04-01')
      .thenEvents('ORG-2', [
        { type: 'PostAssigned', data: { ...post('service-station', '站长'), concurrentPosts: 3 } },
      ])
      .andRecord();
    expect(h.view.posts.filter((p) => p.personId === 'p-wang-li').map((p) => p.body)).toEqual([
      'residents-committee',
      'party-organization',
      'service-station',
    ]);
  });

  it('ORG-2 a post in a community that has since merged is no longer counted as concurrent', () => {
    h.do('AssignPost', post('party-organization', '书记'), '2013-04-01');
    h.do(
      'MergeCommittees',
      {
        sourceCommunityIds: ['dongfanghong', 'gaolanlu'],
        communityId: 'dongfang-gaolan',
        committeeId: 'dg-rc',
        name: '东方红皋兰路社区居民委员会',
      },
      '2014-06-01',
    );
    h.when(
      'AssignPost',
      { ...post('residents-committee', '主任'), communityId: 'dongfang-gaolan' },
      '2014-07-01',
    ).thenEvents('ORG-2', [
      {
        type: 'PostAssigned',
        data: { ...post('residents-committee', '主任'), communityId: 'dongfang-gaolan', concurrentPosts: 1 },
      },
    ]);
  });

  it('ORG-2 refuses the same post twice', () => {
    h.do('AssignPost', post('party-organization', '书记'), '2013-04-01');
    h.when('AssignPost', post('party-organization', '书记'), '2013-05-01').thenRefused('ORG-2');
  });

  it('ORG-2 ends a post held, and the concurrent posts count drops', () => {
    h.do('AssignPost', post('residents-committee', '主任'), '2013-04-01');
    h.do('AssignPost', post('party-organization', '书记'), '2013-04-01');
    h.when('EndPost', post('residents-committee', '主任'), '2016-04-01')
      .thenEvents('ORG-2', [{ type: 'PostEnded', data: post('residents-committee', '主任') }])
      .andRecord();
    h.when('AssignPost', post('service-station', '站长'), '2016-04-01').thenEvents('ORG-2', [
      { type: 'PostAssigned', data: { ...post('service-station', '站长'), concurrentPosts: 2 } },
    ]);
  });

  it('ORG-2 answers NotFound for ending a post the person does not hold', () => {
    h.do('AssignPost', post('residents-committee', '委员'), '2013-04-01');
    h.when('EndPost', post('residents-committee', '主任'), '2016-04-01').thenNotFound(
      'post',
      'p-wang-li/dongfanghong/residents-committee/主任',
    );
  });

  it('ORG-3 delegates a task with funding, its source and working conditions to the service station', () => {
    h.when('DelegateTask', task, '2013-06-01')
      .thenEvents('ORG-3', [
        {
          type: 'TaskDelegated',
          data: {
            taskId: 't-minimum-living',
            communityId: 'dongfanghong',
            department: '城关区民政局',
            description: '城市居民最低生活保障申请受理与入户调查',
            fundingYuanPerYear: 24000,
            fundingSource: '区财政预算',
            workingConditions: '服务站办公室一间、计算机一台',
          },
          ruleIds: ['ORG-3'],
        },
      ])
      .andRecord();
    expect(h.view.communities.dongfanghong.tasks).toEqual([
      expect.objectContaining({
        taskId: 't-minimum-living',
        fundingYuanPerYear: 24000,
        delegatedOn: '2013-06-01',
      }),
    ]);
  });

  it('ORG-3 refuses delegating administrative work to the residents committee', () => {
    h.when('DelegateTask', { ...task, toBody: 'residents-committee' }, '2013-06-01').thenRefused('ORG-3', {
      field: 'toBody',
    });
  });

  it('ORG-3 refuses a task without funding, naming the missing fields', () => {
    h.when(
      'DelegateTask',
      {
        taskId: 't-census',
        communityId: 'dongfanghong',
        department: '城关区统计局',
        description: '人口普查入户登记',
        fundingYuanPerYear: 0,
      },
      '2013-06-01',
    ).thenRefused('ORG-3', { missing: ['fundingYuanPerYear', 'fundingSource', 'workingConditions'] });
  });

  it('ORG-3 refuses a funded task without working conditions', () => {
    h.when('DelegateTask', { ...task, workingConditions: '  ' }, '2013-06-01').thenRefused('ORG-3', {
      missing: ['workingConditions'],
    });
  });

  it('ORG-3 refuses delegating the same task twice', () => {
    h.do('DelegateTask', task, '2013-06-01');
    h.when('DelegateTask', task, '2013-07-01').thenRefused('ORG-3');
  });
});

describe('ORG-3 given 皋兰路 without a service station', () => {
  it('ORG-3 refuses a delegation to a community that has no service station', () => {
    chengguan()
      .when('DelegateTask', { ...task, communityId: 'gaolanlu' }, '2013-06-01')
      .thenRefused('ORG-3');
  });
});

describe('ORG-2 given 王丽 as director of 东方红’s residents committee', () => {
  let h: History;
  beforeEach(() => {
    h = chengguan();
    h.do('AssignPost', post('residents-committee', '主任'), '2013-04-01');
  });

  it('ORG-2 a second, different post in the same body is a concurrent post', () => {
    h.when('AssignPost', post('residents-committee', '委员'), '2013-05-01').thenEvents('ORG-2', [
      {
        type: 'PostAssigned',
        data: { ...post('residents-committee', '委员'), concurrentPosts: 2 },
        ruleIds: ['ORG-2'],
      },
    ]);
  });

  it('ORG-2 the same post in another community is a concurrent post', () => {
    h.when(
      'AssignPost',
      { ...post('residents-committee', '主任'), communityId: 'gaolanlu' },
      '2013-05-01',
    ).thenEvents('ORG-2', [
      {
        type: 'PostAssigned',
        data: { ...post('residents-committee', '主任'), communityId: 'gaolanlu', concurrentPosts: 2 },
        ruleIds: ['ORG-2'],
      },
    ]);
  });

  it('ORG-2 another person’s posts are not counted as hers, and another person may hold the same title', () => {
    h.when(
      'AssignPost',
      { ...post('residents-committee', '主任'), personId: 'p-zhao-min' },
      '2013-05-01',
    ).thenEvents('ORG-2', [
      {
        type: 'PostAssigned',
        data: { ...post('residents-committee', '主任'), personId: 'p-zhao-min', concurrentPosts: 1 },
      },
    ]);
  });

  it('ORG-2 the same title in another body is a concurrent post, and ending it there needs it held there', () => {
    h.do('SetUpServiceStation', { communityId: 'dongfanghong', name: '东方红社区服务站' }, '2013-04-15');
    h.when('EndPost', post('service-station', '主任'), '2013-05-01').thenNotFound(
      'post',
      'p-wang-li/dongfanghong/service-station/主任',
    );
    h.when('AssignPost', post('service-station', '主任'), '2013-05-01').thenEvents('ORG-2', [
      { type: 'PostAssigned', data: { ...post('service-station', '主任'), concurrentPosts: 2 } },
    ]);
  });

  it('ORG-2 answers NotFound for ending a post someone else holds', () => {
    h.when(
      'EndPost',
      { ...post('residents-committee', '主任'), personId: 'p-zhao-min' },
      '2016-04-01',
    ).thenNotFound('post', 'p-zhao-min/dongfanghong/residents-committee/主任');
  });

  it('ORG-2 answers NotFound for ending her post in a community where she does not hold it', () => {
    h.when(
      'EndPost',
      { ...post('residents-committee', '主任'), communityId: 'gaolanlu' },
      '2016-04-01',
    ).thenNotFound('post', 'p-wang-li/gaolanlu/residents-committee/主任');
  });

  it('ORG-2 ending a post records the rule id', () => {
    h.when('EndPost', post('residents-committee', '主任'), '2016-04-01').thenEvents('ORG-2', [
      { type: 'PostEnded', data: post('residents-committee', '主任'), ruleIds: ['ORG-2'] },
    ]);
  });
});

describe('ORG-3 given 东方红 with its service station and one delegated task', () => {
  let h: History;
  beforeEach(() => {
    h = chengguan();
    h.do('SetUpServiceStation', { communityId: 'dongfanghong', name: '东方红社区服务站' }, '2013-03-01');
    h.do('DelegateTask', task, '2013-06-01');
  });

  it('ORG-3 a second task with its own id is delegated too', () => {
    h.when(
      'DelegateTask',
      { ...task, taskId: 't-elderly-care', description: '高龄老人补贴申请受理' },
      '2013-07-01',
    )
      .thenEvents('ORG-3', [
        {
          type: 'TaskDelegated',
          data: expect.objectContaining({ taskId: 't-elderly-care', communityId: 'dongfanghong' }),
          ruleIds: ['ORG-3'],
        },
      ])
      .andRecord();
    expect(h.view.communities.dongfanghong.tasks.map((t) => t.taskId)).toEqual([
      't-minimum-living',
      't-elderly-care',
    ]);
  });

  it('ORG-3 refuses a task whose funding source is only spaces', () => {
    h.when('DelegateTask', { ...task, taskId: 't-census', fundingSource: '   ' }, '2013-07-01').thenRefused(
      'ORG-3',
      { missing: ['fundingSource'] },
    );
  });

  it('ORG-3 refuses a task with working conditions and a source but no funding', () => {
    h.when('DelegateTask', { ...task, taskId: 't-census', fundingYuanPerYear: 0 }, '2013-07-01').thenRefused(
      'ORG-3',
      { missing: ['fundingYuanPerYear'] },
    );
  });

  it('ORG-3 refuses administrative work delegated to the Party organization', () => {
    h.do(
      'SetUpPartyOrganization',
      { communityId: 'dongfanghong', name: '中共东方红社区委员会' },
      '2013-06-15',
    );
    h.when(
      'DelegateTask',
      { ...task, taskId: 't-census', toBody: 'party-organization' },
      '2013-07-01',
    ).thenRefused('ORG-3', { field: 'toBody' });
  });
});
