import 'reflect-metadata';
import type { KafkaMessage } from 'kafkajs';
import { topicOf } from '#libs/contracts';
import { establishmentService } from '../apps/community-establishment/src/main';
import { facilityConstructionService } from '../apps/facility-construction/src/main';
import { staffingElectionsService } from '../apps/staffing-elections/src/main';
import { describeOnRealServers, useServicesOnRealServers } from './support/real-services';

/**
 * Over the real broker, a merger in the establishment service recomputes
 * the space requirement in the facility service (FAC-1) and reports the merged community short of
 * space when it is.
 */
describeOnRealServers(__filename, 'establishment → facility reactions over Kafka', () => {
  const services = useServicesOnRealServers({
    prefix: 'cross',
    boundMs: 20_000,
    services: () => [establishmentService(), facilityConstructionService(), staffingElectionsService()],
  });
  const { within } = services;

  it('FAC-1 and ELECT-4: a merger recomputes the requirement, reports the shortfall and calls an election; a replayed message changes nothing', async () => {
    const est = services.client('community-establishment');
    const fac = services.client('facility-construction');
    const { tokens } = services;
    const town = (areaId: string, households: number, adjacentAreaIds: string[] = []) => ({
      areaId,
      name: areaId,
      kind: 'existing-town-area',
      subDistrict: '张掖路街道',
      households,
      adjacentAreaIds,
    });
    const establish = async (communityId: string, area: ReturnType<typeof town>) => {
      const res = await est.post('/api/districts/chengguan/committees', tokens.chengguan, {
        effectiveAt: '2005-01-01',
        legalBasis: '城关区政发〔2005〕1号',
        communityId,
        committeeId: `${communityId}-rc`,
        name: communityId,
        newAreas: [area],
      });
      expect(res.status).toBe(201);
    };
    await establish('x-east', town('x-east-a', 1500));
    await establish('x-west', town('x-west-a', 1500, ['x-east-a']));

    // Each community got its requirement: max(0.2 × 1500, 350) = 350 m².
    for (const id of ['x-east', 'x-west'])
      await within(`the requirement of ${id}`, async () => {
        const res = await fac.get(`/api/districts/chengguan/communities/${id}`, tokens.auditor);
        return res.status === 200 && res.body.requirement ? res.body : undefined;
      });
    for (const [communityId, areaM2] of [
      ['x-east', 300],
      ['x-west', 250],
    ] as const) {
      const res = await fac.post(
        `/api/districts/chengguan/communities/${communityId}/facilities`,
        tokens.chengguan,
        {
          effectiveAt: '2006-01-01',
          legalBasis: '城关区民政局〔2006〕2号',
          facilityId: `${communityId}-office`,
          areaM2,
          useRightHolder: 'residents-committee',
          manager: 'sub-district-office',
        },
      );
      expect(res.status).toBe(201);
    }

    const merger = await est.post('/api/districts/chengguan/committee-mergers', tokens.chengguan, {
      effectiveAt: '2015-07-01',
      legalBasis: '城关区政发〔2015〕33号',
      sourceCommunityIds: ['x-east', 'x-west'],
      communityId: 'x-merged',
      committeeId: 'x-merged-rc',
      name: '合并社区',
    });
    expect(merger.status).toBe(201);

    // 3,000 households need max(0.2 × 3000, 350) = 600 m²; the two offices give 550 m².
    const merged = await within('the merged community', async () => {
      const res = await fac.get('/api/districts/chengguan/communities/x-merged', tokens.auditor);
      return res.status === 200 && res.body.requirement ? res.body : undefined;
    });
    expect(merged.requirement.requiredM2).toBe(600);
    const shortfalls = await fac.get(
      '/api/districts/chengguan/space-shortfalls?on=2015-07-01',
      tokens.auditor,
    );
    expect(shortfalls.status).toBe(200);
    expect(JSON.stringify(shortfalls.body)).toContain('x-merged');
    const entry = (shortfalls.body.communities as Array<{ communityId: string; shortfallM2: number }>).find(
      (s) => s.communityId === 'x-merged',
    );
    expect(entry?.shortfallM2).toBe(50);

    // ELECT-4 in the staffing service: the new committees got their first elections, and the
    // merger called one for the resulting committee.
    const stf = services.client('staffing-elections');
    const calendar = async () =>
      (await stf.get('/api/districts/chengguan/election-calendar?on=2015-07-02', tokens.auditor)).body as {
        entries: Array<{ committeeId: string; kind: string }>;
      };
    const called = await within('the election called by the merger', async () => {
      const c = await calendar();
      return c.entries?.some((e) => e.committeeId === 'x-merged-rc' && e.kind === 'called-election')
        ? c
        : undefined;
    });
    // The merged committees' own first elections are superseded by the merger's (ELECT-4).
    const ids = called.entries.map((e) => e.committeeId);
    expect(ids).toContain('x-merged-rc');
    expect(ids).not.toContain('x-east-rc');
    expect(ids).not.toContain('x-west-rc');
    // Raw staffing events carry personal data: an officer of the district reads them, not an auditor.
    const eventsBefore = (await stf.get('/api/districts/chengguan/events', tokens.chengguan)).body.length;
    expect(eventsBefore).toBeGreaterThan(0);

    // A replayed message changes nothing: send the merger's record to the topic again.
    const topic = topicOf('community-establishment');
    const isMerger = (m: KafkaMessage) => String(m.headers?.ce_type) === 'CommitteesMerged.v1';
    await services.sendAgain(topic, [await services.findRecord(topic, isMerger, 'the merger record')]);
    await new Promise((r) => setTimeout(r, 3_000));
    expect((await stf.get('/api/districts/chengguan/events', tokens.chengguan)).body.length).toBe(
      eventsBefore,
    );
    expect((await calendar()).entries).toEqual(called.entries);
  }, 120_000);

  it('EST-8 ELECT-4 FAC-1: a corrected establishment date moves the election due date and the requirement, as of every date; the correction replayed changes nothing', async () => {
    const est = services.client('community-establishment');
    const fac = services.client('facility-construction');
    const stf = services.client('staffing-elections');
    const { tokens } = services;
    const CG = '/api/districts/chengguan';
    const established = await est.post(`${CG}/committees`, tokens.chengguan, {
      effectiveAt: '2016-01-01',
      legalBasis: '城关区政发〔2016〕1号',
      communityId: 'xc-south',
      committeeId: 'xc-south-rc',
      name: 'xc-south',
      newAreas: [
        {
          areaId: 'xc-south-a',
          name: 'xc-south-a',
          kind: 'existing-town-area',
          subDistrict: '张掖路街道',
          households: 2000,
        },
      ],
    });
    expect(established.status).toBe(201);
    const establishedId = (established.body.events as { eventId: string; type: string }[]).find(
      (e) => e.type === 'CommitteeEstablished',
    )!.eventId;
    const due = async (on: string) =>
      (
        (await stf.get(`${CG}/election-calendar?on=${on}`, tokens.auditor)).body.entries as Array<{
          committeeId: string;
          dueOn: string;
          status: string;
        }>
      )
        .filter((e) => e.committeeId === 'xc-south-rc')
        .map((e) => [e.dueOn, e.status]);
    const required = async (on: string) =>
      (
        (await fac.get(`${CG}/space-shortfalls?on=${on}`, tokens.auditor)).body.communities as Array<{
          communityId: string;
          requiredM2: number;
        }>
      )
        .filter((c) => c.communityId === 'xc-south')
        .map((c) => c.requiredM2);
    await within('the first election', async () => ((await due('2016-01-02')).length ? true : undefined));
    await within('the requirement', async () => ((await required('2016-01-02')).length ? true : undefined));
    expect(await due('2016-02-01')).toEqual([['2016-03-31', 'due']]);

    const corrected = await est.post(`${CG}/corrections`, tokens.chengguan, {
      effectiveAt: '2016-06-01',
      legalBasis: '城关区政发〔2016〕6号',
      correctsEventId: establishedId,
      reason: '成立文件日期录入错误',
      correctedEffectiveAt: '2016-03-01',
    });
    expect(corrected.status).toBe(201);
    await within('the staffing service following the correction', async () =>
      (await due('2016-02-01')).length === 0 ? true : undefined,
    );
    await within('the facility service following the correction', async () =>
      (await required('2016-02-01')).length === 0 ? true : undefined,
    );
    // Before, between and after the original (2016-01-01) and the corrected date (2016-03-01).
    expect(await due('2015-12-31')).toEqual([]);
    expect(await due('2016-04-15')).toEqual([['2016-05-30', 'due']]);
    expect(await due('2016-06-01')).toEqual([['2016-05-30', 'overdue']]);
    expect(await required('2015-12-31')).toEqual([]);
    expect(await required('2016-03-01')).toEqual([400]);
    const timeline = await stf.get(`${CG}/committees/xc-south-rc/timeline`, tokens.auditor);
    expect(
      timeline.body.entries.map((e: { type: string; effectiveAt: string }) => [e.type, e.effectiveAt]),
    ).toEqual([
      ['ElectionCalled', '2016-03-01'],
      ['EstablishmentCorrectionFollowed', '2016-06-01'],
    ]);

    // The correction's record again: nothing more is decided in either service.
    const staffingEvents = (await stf.get(`${CG}/events`, tokens.chengguan)).body.length;
    const history = async () => (await fac.get(`${CG}/communities/xc-south`, tokens.auditor)).body.history;
    const facilityHistory = await within('the facility history with the correction', async () => {
      const h = (await history()) as Array<{ type: string }>;
      return h.some((e) => e.type === 'EstablishmentCorrectionFollowed') ? h : undefined;
    });
    expect(facilityHistory.map((e) => e.type)).toEqual([
      'RequirementRecomputed',
      'EstablishmentCorrectionFollowed',
    ]);
    const topic = topicOf('community-establishment');
    const isCorrection = (m: KafkaMessage) => String(m.headers?.ce_type) === 'DecisionCorrected.v1';
    await services.sendAgain(topic, [
      await services.findRecord(topic, isCorrection, 'the correction record'),
    ]);
    await new Promise((r) => setTimeout(r, 3_000));
    expect((await stf.get(`${CG}/events`, tokens.chengguan)).body.length).toBe(staffingEvents);
    expect(await history()).toEqual(facilityHistory);
  }, 120_000);
});
