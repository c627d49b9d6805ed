import { DEFAULT_POLICY } from './policy';
import { obligationsOn } from './queries';
import { viewAsOf } from './state';
import { chengguan, withNewEstate, type History } from './testing/given-when-then';

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
            openedOn: '2012-09-01',
            dueOn: '2013-02-28',
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
      openedOn: '2012-09-01',
      dueOn: '2012-10-01',
      dueDays: 30,
      occupancyThreshold: 0.5,
    });
    expect(opened.ruleIds).toContain('EST-2');
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
    expect(events[1].data).toMatchObject({ openedOn: '2012-10-01', dueOn: '2013-03-30' });
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
          closedOn: '2013-02-28',
          overdue: false,
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
    const closed = h
      .when('EstablishCommittee', yantanXinyuanCommittee, '2013-03-01')
      .eventOf('EstablishmentObligationClosed');
    expect(closed.data).toMatchObject({ closedOn: '2013-03-01', overdue: true });
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
