import { DEFAULT_POLICY } from './policy';
import { obligationsOn } from './queries';
import { viewAsOf } from './state';
import { chengguan, idOf, withNewEstate, type History } from './testing/given-when-then';

/** EST-2: a new residential estate that reaches 50% occupancy owes a committee by a due date. */

const yantanXinyuanCommittee = {
  communityId: 'yantan-xinyuan',
  committeeId: 'ytxy-rc',
  name: '雁滩新苑社区居民委员会',
  areaIds: ['a-ytxy'],
};

describe('EST-2 given the new estate 雁滩新苑 (800 households) under a residents group', () => {
  let h: History;
  beforeEach(() => {
    h = withNewEstate(chengguan());
  });

  it('EST-2 opens an establishment obligation when occupancy reaches 50%', () => {
    h.when('ReportOccupancy', { areaId: 'a-ytxy', occupiedHouseholds: 400 }, '2012-09-01').thenEvents(
      'EST-2',
      [
        {
          type: 'OccupancyReported',
          data: { areaId: 'a-ytxy', occupiedHouseholds: 400, households: 800, occupancyRate: 0.5 },
          ruleIds: ['EST-2'],
        },
        {
          type: 'EstablishmentObligationOpened',
          data: {
            areaId: 'a-ytxy',
            reason: 'occupancy-threshold',
            dueDays: 180,
            occupancyThreshold: 0.5,
          },
          ruleIds: ['EST-2'],
        },
      ],
    );
  });

  it('EST-2 opens the obligation due after the policy’s obligationDueDays (30 days)', () => {
    const strict = withNewEstate(chengguan({ ...DEFAULT_POLICY, obligationDueDays: 30 }));
    const opened = strict
      .when('ReportOccupancy', { areaId: 'a-ytxy', occupiedHouseholds: 560 }, '2012-09-01')
      .eventOf('EstablishmentObligationOpened');
    expect(opened.data).toEqual({
      areaId: 'a-ytxy',
      reason: 'occupancy-threshold',
      dueDays: 30,
      occupancyThreshold: 0.5,
    });
    expect(opened.ruleIds).toContain('EST-2');
    strict.do('ReportOccupancy', { areaId: 'a-ytxy', occupiedHouseholds: 560 }, '2012-09-01');
    expect(strict.view.areas['a-ytxy'].obligation).toMatchObject({
      openedOn: '2012-09-01',
      dueOn: '2012-10-01',
    });
  });

  it('EST-2 opens no obligation below 50% occupancy', () => {
    h.when('ReportOccupancy', { areaId: 'a-ytxy', occupiedHouseholds: 399 }, '2012-09-01').thenEvents(
      'EST-2',
      [
        {
          type: 'OccupancyReported',
          data: { areaId: 'a-ytxy', occupiedHouseholds: 399, households: 800, occupancyRate: 399 / 800 },
        },
      ],
    );
  });

  it('EST-2 opens the obligation when a later report crosses 50%', () => {
    h.do('ReportOccupancy', { areaId: 'a-ytxy', occupiedHouseholds: 240 }, '2012-06-01');
    const events = h
      .when('ReportOccupancy', { areaId: 'a-ytxy', occupiedHouseholds: 480 }, '2012-10-01')
      .thenAccepted();
    expect(events.map((e) => e.type)).toEqual(['OccupancyReported', 'EstablishmentObligationOpened']);
    h.record('2012-10-01', events);
    expect(h.view.areas['a-ytxy'].obligation).toMatchObject({ openedOn: '2012-10-01', dueOn: '2013-03-30' });
  });

  it('EST-2 refuses more occupied households than the area has', () => {
    h.when('ReportOccupancy', { areaId: 'a-ytxy', occupiedHouseholds: 801 }, '2012-09-01').thenRefused(
      'EST-2',
      {
        field: 'occupiedHouseholds',
        households: 800,
      },
    );
  });

  it('EST-2 answers NotFound for occupancy of an unregistered area', () => {
    h.when('ReportOccupancy', { areaId: 'a-nowhere', occupiedHouseholds: 1 }, '2012-09-01').thenNotFound(
      'area',
      'a-nowhere',
    );
  });

  it('EST-2 a later report on an estate with an open obligation opens no second one', () => {
    h.do('ReportOccupancy', { areaId: 'a-ytxy', occupiedHouseholds: 400 }, '2012-09-01');
    h.when('ReportOccupancy', { areaId: 'a-ytxy', occupiedHouseholds: 700 }, '2012-12-01').thenEvents(
      'EST-2',
      [
        {
          type: 'OccupancyReported',
          data: { areaId: 'a-ytxy', occupiedHouseholds: 700, households: 800, occupancyRate: 0.875 },
        },
      ],
    );
  });
});

describe('EST-2 given areas of other kinds', () => {
  it('EST-2 a fully occupied industrial or mining site opens no obligation', () => {
    const h = chengguan();
    h.do(
      'RegisterArea',
      {
        areaId: 'a-lanlian',
        name: '兰炼生活区',
        kind: 'industrial-mining-site',
        subDistrict: '雁滩街道',
        households: 300,
        adjacentAreaIds: ['a-dfh'],
        responsibility: { kind: 'proxy', communityId: 'dongfanghong' },
      },
      '2012-03-01',
    );
    h.when('ReportOccupancy', { areaId: 'a-lanlian', occupiedHouseholds: 300 }, '2012-09-01').thenEvents(
      'EST-2',
      [
        {
          type: 'OccupancyReported',
          data: { areaId: 'a-lanlian', occupiedHouseholds: 300, households: 300, occupancyRate: 1 },
        },
      ],
    );
  });

  it('EST-2 a new estate that already has its own committee opens no obligation', () => {
    const h = chengguan();
    h.do(
      'RegisterArea',
      {
        areaId: 'a-dfh-new',
        name: '东方红新村',
        kind: 'new-residential-estate',
        subDistrict: '雁滩街道',
        households: 200,
        responsibility: { kind: 'own-committee', communityId: 'dongfanghong' },
      },
      '2012-03-01',
    );
    const events = h
      .when('ReportOccupancy', { areaId: 'a-dfh-new', occupiedHouseholds: 200 }, '2012-09-01')
      .thenAccepted();
    expect(events.map((e) => e.type)).toEqual(['OccupancyReported']);
  });
});

describe('EST-2 given an open obligation on 雁滩新苑 (opened 2012-09-01, due 2013-02-28)', () => {
  let h: History;
  beforeEach(() => {
    h = withNewEstate(chengguan());
    h.do('ReportOccupancy', { areaId: 'a-ytxy', occupiedHouseholds: 400 }, '2012-09-01');
  });

  it('EST-2 a committee covering the area by the due date closes the obligation on time', () => {
    h.when('EstablishCommittee', yantanXinyuanCommittee, '2013-02-28').thenEvents('EST-2', [
      {
        type: 'ResidentsGroupDisbanded',
        data: { groupId: 'g-ytxy', areaId: 'a-ytxy', reason: 'own committee ytxy-rc established' },
      },
      {
        type: 'CommitteeEstablished',
        data: expect.objectContaining({ communityId: 'yantan-xinyuan', areaIds: ['a-ytxy'] }),
        ruleIds: ['EST-2', 'EST-8'],
      },
      {
        type: 'EstablishmentObligationClosed',
        data: {
          areaId: 'a-ytxy',
          communityId: 'yantan-xinyuan',
          committeeId: 'ytxy-rc',
        },
        ruleIds: ['EST-2'],
      },
    ]);
    h.when('EstablishCommittee', yantanXinyuanCommittee, '2013-02-28').andRecord();
    expect(obligationsOn(h.view, '2013-06-01')).toEqual([
      expect.objectContaining({ areaId: 'a-ytxy', closedOn: '2013-02-28', status: 'closed' }),
    ]);
  });

  it('EST-2 a committee established after the due date closes the obligation overdue', () => {
    h.when('EstablishCommittee', yantanXinyuanCommittee, '2013-03-01').andRecord();
    expect(obligationsOn(h.view, '2013-03-01')).toEqual([
      expect.objectContaining({ areaId: 'a-ytxy', closedOn: '2013-03-01', status: 'closed-late' }),
    ]);
  });

  it('EST-2 obligationsOn reports the obligation open up to its due date and overdue after it', () => {
    expect(obligationsOn(viewAsOf(h.facts, '2013-02-28'), '2013-02-28')).toEqual([
      {
        areaId: 'a-ytxy',
        areaName: '雁滩新苑',
        reason: 'occupancy-threshold',
        openedOn: '2012-09-01',
        dueOn: '2013-02-28',
        closedOn: null,
        status: 'open',
      },
    ]);
    expect(obligationsOn(viewAsOf(h.facts, '2013-03-01'), '2013-03-01')).toEqual([
      expect.objectContaining({ areaId: 'a-ytxy', status: 'overdue' }),
    ]);
    expect(obligationsOn(viewAsOf(h.facts, '2012-08-31'), '2012-08-31')).toEqual([]);
  });

  it('EST-2 obligationsOn reports a late closure as closed-late, and overdue before it', () => {
    h.do('EstablishCommittee', yantanXinyuanCommittee, '2013-06-01');
    expect(obligationsOn(h.view, '2013-06-01')).toEqual([
      expect.objectContaining({ areaId: 'a-ytxy', closedOn: '2013-06-01', status: 'closed-late' }),
    ]);
    expect(obligationsOn(viewAsOf(h.facts, '2013-05-31'), '2013-05-31')).toEqual([
      expect.objectContaining({ areaId: 'a-ytxy', closedOn: null, status: 'overdue' }),
    ]);
  });

  it('EST-2 a committee that does not cover the area leaves the obligation open', () => {
    h.do(
      'RegisterArea',
      {
        areaId: 'a-ytc',
        name: '雁滩村片区',
        kind: 'existing-town-area',
        subDistrict: '雁滩街道',
        households: 300,
        adjacentAreaIds: ['a-dfh'],
        responsibility: { kind: 'proxy', communityId: 'dongfanghong' },
      },
      '2012-10-01',
    );
    const events = h
      .when(
        'EstablishCommittee',
        {
          communityId: 'yantan-cun',
          committeeId: 'ytc-rc',
          name: '雁滩村社区居民委员会',
          areaIds: ['a-ytc'],
        },
        '2012-12-01',
      )
      .thenAccepted();
    expect(events.map((e) => e.type)).not.toContain('EstablishmentObligationClosed');
  });
});

/**
 * EST-2 with EST-8: the obligation's dates are derived from the effective dates of the decisions
 * that opened and closed it, as corrected, so a correction moves them as of every date asked.
 */
describe('EST-2/EST-8 given 雁滩新苑’s obligation (opened 2012-09-01, due 2013-02-28), then a correction', () => {
  let h: History;
  let opening: string;
  beforeEach(() => {
    h = withNewEstate(chengguan());
    opening = idOf(
      h.do('ReportOccupancy', { areaId: 'a-ytxy', occupiedHouseholds: 400 }, '2012-09-01'),
      'EstablishmentObligationOpened',
    );
  });

  const askedOn = (on: string) =>
    obligationsOn(viewAsOf(h.facts, on), on).find((o) => o.areaId === 'a-ytxy') ?? null;

  it('EST-2/EST-8 a committee establishment corrected from 2013-06-01 to 2013-01-15 moves closedOn and the status', () => {
    const established = idOf(
      h.do('EstablishCommittee', yantanXinyuanCommittee, '2013-06-01'),
      'CommitteeEstablished',
    );
    expect(askedOn('2013-07-01')).toMatchObject({ closedOn: '2013-06-01', status: 'closed-late' });
    h.do(
      'CorrectDecision',
      {
        correctsEventId: established,
        reason: '档案显示2013年1月15日成立',
        correctedEffectiveAt: '2013-01-15',
      },
      '2026-03-01',
    );
    // Before both dates: open, and due on the date derived from the opening.
    expect(askedOn('2013-01-14')).toMatchObject({ dueOn: '2013-02-28', closedOn: null, status: 'open' });
    // Between the corrected and the original date, before and after the due date: closed on time.
    expect(askedOn('2013-01-15')).toMatchObject({ closedOn: '2013-01-15', status: 'closed' });
    expect(askedOn('2013-04-01')).toMatchObject({ closedOn: '2013-01-15', status: 'closed' });
    // After both: still the corrected date, never the one recorded at decision time.
    expect(askedOn('2013-07-01')).toMatchObject({ closedOn: '2013-01-15', status: 'closed' });
    expect(h.view.areas['a-ytxy'].obligation).toMatchObject({
      closedOn: '2013-01-15',
      closedByCommunityId: 'yantan-xinyuan',
    });
  });

  it('EST-2/EST-8 a closure corrected from on time (2013-02-01) to late (2013-03-15) becomes closed-late', () => {
    const established = idOf(
      h.do('EstablishCommittee', yantanXinyuanCommittee, '2013-02-01'),
      'CommitteeEstablished',
    );
    h.do(
      'CorrectDecision',
      { correctsEventId: established, reason: '成立文件日期录入错误', correctedEffectiveAt: '2013-03-15' },
      '2026-03-01',
    );
    expect(askedOn('2013-01-31')).toMatchObject({ closedOn: null, status: 'open' });
    expect(askedOn('2013-03-01')).toMatchObject({ closedOn: null, status: 'overdue' });
    expect(askedOn('2013-03-15')).toMatchObject({ closedOn: '2013-03-15', status: 'closed-late' });
    expect(askedOn('2014-01-01')).toMatchObject({ closedOn: '2013-03-15', status: 'closed-late' });
  });

  it('EST-2/EST-8 an occupancy report corrected from 2012-09-01 to 2012-07-01 moves openedOn, dueOn and overdue', () => {
    h.do(
      'CorrectDecision',
      { correctsEventId: opening, reason: '入住率报告日期为7月1日', correctedEffectiveAt: '2012-07-01' },
      '2026-03-01',
    );
    // Before both dates: no obligation yet.
    expect(askedOn('2012-06-30')).toBeNull();
    // Between the corrected and the original opening date.
    expect(askedOn('2012-08-01')).toEqual({
      areaId: 'a-ytxy',
      areaName: '雁滩新苑',
      reason: 'occupancy-threshold',
      openedOn: '2012-07-01',
      dueOn: '2012-12-28',
      closedOn: null,
      status: 'open',
    });
    // After both opening dates, between the corrected and the original due date: overdue.
    expect(askedOn('2013-01-15')).toMatchObject({
      openedOn: '2012-07-01',
      dueOn: '2012-12-28',
      status: 'overdue',
    });
    // A committee on 2013-02-01 would have been on time by the recorded dates; it is late now.
    h.do('EstablishCommittee', yantanXinyuanCommittee, '2013-02-01');
    expect(askedOn('2013-06-01')).toMatchObject({
      openedOn: '2012-07-01',
      dueOn: '2012-12-28',
      closedOn: '2013-02-01',
      status: 'closed-late',
    });
    expect(h.view.areas['a-ytxy'].obligation).toMatchObject({ openedOn: '2012-07-01', dueOn: '2012-12-28' });
  });

  it('EST-2/EST-8 dates an older event froze at decision time are not read: the fold derives them', () => {
    // An event as recorded before the dates were derived, with dates the decision never had.
    h.record('2013-05-01', [
      {
        type: 'EstablishmentObligationClosed',
        ruleIds: ['EST-2'],
        data: {
          areaId: 'a-ytxy',
          communityId: 'dongfanghong',
          committeeId: 'dfh-rc',
          closedOn: '2012-12-31',
          overdue: false,
        },
      },
    ]);
    expect(askedOn('2013-04-30')).toMatchObject({ closedOn: null, status: 'overdue' });
    expect(askedOn('2013-05-01')).toMatchObject({ closedOn: '2013-05-01', status: 'closed-late' });
  });
});

describe('EST-2 given the estate’s open obligation while 东方红 proxy-manages it', () => {
  let h: History;
  beforeEach(() => {
    h = withNewEstate(chengguan());
    h.do('StartProxyManagement', { areaId: 'a-ytxy', byCommunityId: 'dongfanghong' }, '2012-06-01');
    h.do('ReportOccupancy', { areaId: 'a-ytxy', occupiedHouseholds: 400 }, '2012-09-01');
    h.do('RecordAdjacency', { areaId: 'a-ytxy', adjacentAreaIds: ['a-glr'] }, '2012-12-01');
  });

  it('EST-2 handing the estate to an existing committee closes the obligation; a later hand-over closes nothing again', () => {
    h.when(
      'EndProxyManagement',
      { areaId: 'a-ytxy', successor: { kind: 'own-committee', communityId: 'gaolanlu' } },
      '2013-01-01',
    )
      .thenEvents('EST-2', [
        { type: 'ProxyManagementEnded', data: expect.objectContaining({ byCommunityId: 'dongfanghong' }) },
        { type: 'AreaTransferred', data: expect.objectContaining({ toCommunityId: 'gaolanlu' }) },
        {
          type: 'EstablishmentObligationClosed',
          data: { areaId: 'a-ytxy', communityId: 'gaolanlu', committeeId: 'glr-rc' },
          ruleIds: ['EST-2'],
        },
      ])
      .andRecord();
    const events = h
      .when(
        'DissolveCommittee',
        {
          communityId: 'gaolanlu',
          areaSuccessors: [
            { areaId: 'a-glr', successor: { kind: 'own-committee', communityId: 'dongfanghong' } },
            { areaId: 'a-ytxy', successor: { kind: 'own-committee', communityId: 'dongfanghong' } },
          ],
          reason: '辖区调整',
        },
        '2014-01-01',
      )
      .thenAccepted();
    expect(events.map((e) => e.type)).toEqual(['CommitteeDissolved', 'AreaTransferred', 'AreaTransferred']);
  });
});

describe('EST-2 given an estate registered before anyone moved in (0 households)', () => {
  it('EST-2 reports 0% occupancy, not a division by zero, and opens no obligation', () => {
    const h = withNewEstate(chengguan(), '2012-03-01', 0);
    h.when('ReportOccupancy', { areaId: 'a-ytxy', occupiedHouseholds: 0 }, '2012-09-01').thenEvents('EST-2', [
      {
        type: 'OccupancyReported',
        data: { areaId: 'a-ytxy', occupiedHouseholds: 0, households: 0, occupancyRate: 0 },
        ruleIds: ['EST-2'],
      },
    ]);
  });
});
