import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServices, type RunningService } from '#libs/http';
import { openEmbeddedBus } from '#libs/messaging';
import { establishmentService } from '../apps/community-establishment/src/main';
import { facilityConstructionService } from '../apps/facility-construction/src/main';
import { staffingElectionsService } from '../apps/staffing-elections/src/main';
import { demoTokens } from '../scripts/demo';
import { RegistryClient, type DemoTokens } from '../scripts/demo-story';

/**
 * Corrections followed (EST-8), as `npm start` runs the services (one process, the embedded bus): a
 * committee established on 2015-01-01 gets its first election (ELECT-4) and its FAC-1 requirement;
 * the establishment then corrects the date to 2015-03-01 (EST-8). The staffing and facility
 * services follow: their `?on=` answers before, between and after the two dates, and their current
 * answers, go by the corrected date, and the staffing timeline shows the correction as an entry.
 */
describe('EST-8 corrections followed by the staffing (ELECT-4) and facility (FAC-1) services', () => {
  const CG = '/api/districts/chengguan';
  let dataDir: string;
  let services: RunningService[] = [];
  let tokens: DemoTokens;
  let est: RegistryClient;
  let stf: RegistryClient;
  let fac: RegistryClient;
  let correctionId: string;

  const client = (name: string) => new RegistryClient(services.find((s) => s.name === name)!.url);
  /** The reactions run in the background: look again until `probe` answers. */
  const eventually = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const found = await probe();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`${what} not seen`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  type Entry = { committeeId: string; dueOn: string; status: string };
  const calendar = async (on?: string) => {
    const res = await stf.get(`${CG}/election-calendar${on ? `?on=${on}` : ''}`, tokens.auditor);
    expect(res.status).toBe(200);
    return (res.body.entries as Entry[])
      .filter((e) => e.committeeId === 'cf-east-rc')
      .map((e) => [e.dueOn, e.status]);
  };
  const shortfalls = async (on: string) => {
    const res = await fac.get(`${CG}/space-shortfalls?on=${on}`, tokens.auditor);
    expect(res.status).toBe(200);
    return (res.body.communities as { communityId: string; requiredM2: number }[])
      .filter((s) => s.communityId === 'cf-east')
      .map((s) => s.requiredM2);
  };
  const timeline = async () => {
    const res = await stf.get(`${CG}/committees/cf-east-rc/timeline`, tokens.auditor);
    return res.status === 200 ? (res.body.entries as Array<Record<string, unknown>>) : [];
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'corrections-e2e-'));
    process.env.REGISTRY_DATA_DIR = dataDir;
    services = await startServices(
      [establishmentService(), staffingElectionsService(), facilityConstructionService()].map((d) => ({
        ...d,
        port: 0,
        logLevels: false,
      })),
    );
    tokens = await demoTokens();
    est = client('community-establishment');
    stf = client('staffing-elections');
    fac = client('facility-construction');
    openEmbeddedBus();

    const established = await est.post(`${CG}/committees`, tokens.chengguan, {
      effectiveAt: '2015-01-01',
      legalBasis: '城关区政发〔2015〕1号',
      communityId: 'cf-east',
      committeeId: 'cf-east-rc',
      name: '东岗东社区居民委员会',
      newAreas: [
        {
          areaId: 'cf-east-a',
          name: '东岗东街区',
          kind: 'existing-town-area',
          subDistrict: '东岗西路街道',
          households: 2000,
        },
      ],
    });
    expect(established.status).toBe(201);
    const committeeEstablished = (established.body.events as { eventId: string; type: string }[]).find(
      (e) => e.type === 'CommitteeEstablished',
    )!;
    // As recorded: the election called on 2015-01-01 and due 90 days later; 400 m² required.
    await eventually('the first election', async () =>
      (await calendar('2015-01-02')).length > 0 ? true : undefined,
    );
    await eventually('the FAC-1 requirement', async () =>
      (await shortfalls('2015-01-02')).length > 0 ? true : undefined,
    );
    expect(await calendar('2015-02-01')).toEqual([['2015-04-01', 'due']]);

    const corrected = await est.post(`${CG}/corrections`, tokens.chengguan, {
      effectiveAt: '2016-02-01',
      legalBasis: '城关区政发〔2016〕5号',
      correctsEventId: committeeEstablished.eventId,
      reason: '成立文件日期录入错误',
      correctedEffectiveAt: '2015-03-01',
    });
    expect(corrected.status).toBe(201);
    correctionId = (corrected.body.events as { eventId: string }[])[0].eventId;
    await eventually('the staffing service following the correction', async () =>
      (await timeline()).some((e) => e.type === 'EstablishmentCorrectionFollowed') ? true : undefined,
    );
    await eventually('the facility service following the correction', async () =>
      (await shortfalls('2015-02-01')).length === 0 ? true : undefined,
    );
  }, 90_000);

  afterAll(async () => {
    await Promise.all(services.map((s) => s.close()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('ELECT-4 EST-8 the election calendar answers by the corrected date, before, between and after both dates, and now', async () => {
    expect(await calendar('2014-12-31')).toEqual([]);
    expect(await calendar('2015-02-01')).toEqual([]);
    expect(await calendar('2015-04-15')).toEqual([['2015-05-30', 'due']]);
    expect(await calendar('2015-06-01')).toEqual([['2015-05-30', 'overdue']]);
    // The read model (no date) follows too.
    await eventually('the current calendar', async () => {
      const now = await calendar();
      return now.length === 1 && now[0][0] === '2015-05-30' ? now : undefined;
    });
  }, 20_000);

  it('FAC-1 EST-8 the space shortfalls answer by the corrected date, before, between and after both dates', async () => {
    expect(await shortfalls('2014-12-31')).toEqual([]);
    expect(await shortfalls('2015-02-01')).toEqual([]);
    expect(await shortfalls('2015-03-01')).toEqual([400]);
    expect(await shortfalls('2016-03-01')).toEqual([400]);
  });

  it('EST-8 the staffing timeline shows the correction beside the election it moved', async () => {
    const entries = await timeline();
    const called = entries.find((e) => e.type === 'ElectionCalled')!;
    const correction = entries.find((e) => e.type === 'EstablishmentCorrectionFollowed')!;
    expect(called).toMatchObject({
      effectiveAt: '2015-03-01',
      data: { calledOn: '2015-03-01', dueOn: '2015-05-30' },
      corrected: {
        originalEffectiveAt: '2015-01-01',
        correctedEffectiveAt: '2015-03-01',
        dates: { dueOn: { original: '2015-04-01', corrected: '2015-05-30' } },
        correctedBy: [correction.eventId],
      },
    });
    expect(correction).toMatchObject({
      effectiveAt: '2016-02-01',
      legalBasis: '城关区政发〔2016〕5号',
      actor: { subject: 'system:staffing-elections' },
      data: { correctionEventId: correctionId, reason: '成立文件日期录入错误' },
    });
    expect(correction.recordedAt).toEqual(expect.any(String));
  });

  it('ELECT-4 FAC-1 EST-8 an annulled establishment annuls its election and requirement, in the ?on= answers and the current read models', async () => {
    const established = await est.post(`${CG}/committees`, tokens.chengguan, {
      effectiveAt: '2015-01-01',
      legalBasis: '城关区政发〔2015〕2号',
      communityId: 'cf-west',
      committeeId: 'cf-west-rc',
      name: '东岗西社区居民委员会',
      newAreas: [
        {
          areaId: 'cf-west-a',
          name: '东岗西街区',
          kind: 'existing-town-area',
          subDistrict: '东岗西路街道',
          households: 1500,
        },
      ],
    });
    expect(established.status).toBe(201);
    const eventId = (established.body.events as { eventId: string; type: string }[]).find(
      (e) => e.type === 'CommitteeEstablished',
    )!.eventId;
    const west = async (on?: string) => {
      const q = on ? `?on=${on}` : '';
      const cal = await stf.get(`${CG}/election-calendar${q}`, tokens.auditor);
      const short = await fac.get(`${CG}/space-shortfalls${q}`, tokens.auditor);
      return {
        elections: (cal.body.entries as Entry[]).filter((e) => e.committeeId === 'cf-west-rc').length,
        shortfalls: (short.body.communities as { communityId: string }[]).filter(
          (c) => c.communityId === 'cf-west',
        ).length,
      };
    };
    await eventually('the election and requirement', async () => {
      const now = await west();
      return now.elections === 1 && now.shortfalls === 1 ? now : undefined;
    });
    const annulled = await est.post(`${CG}/corrections`, tokens.chengguan, {
      effectiveAt: '2016-02-01',
      legalBasis: '城关区政发〔2016〕6号',
      correctsEventId: eventId,
      reason: '成立文件被撤销',
      annul: true,
    });
    expect(annulled.status).toBe(201);
    await eventually('the annulment followed in the current answers', async () => {
      const now = await west();
      return now.elections === 0 && now.shortfalls === 0 ? now : undefined;
    });
    for (const on of ['2014-12-31', '2015-02-01', '2016-03-01'])
      expect(await west(on)).toEqual({ elections: 0, shortfalls: 0 });
  }, 40_000);

  it('FAC-1 EST-8 the facility community history shows the correction beside the recomputation it moved', async () => {
    const res = await fac.get(`${CG}/communities/cf-east`, tokens.auditor);
    expect(res.status).toBe(200);
    const history = res.body.history as Array<Record<string, unknown>>;
    expect(history.map((e) => [e.type, e.effectiveAt])).toEqual([
      ['RequirementRecomputed', '2015-03-01'],
      ['EstablishmentCorrectionFollowed', '2016-02-01'],
    ]);
    expect(history[0]).toMatchObject({
      corrected: { originalEffectiveAt: '2015-01-01', correctedEffectiveAt: '2015-03-01' },
    });
    expect(history[1]).toMatchObject({ data: { correctionEventId: correctionId } });
  });
});
