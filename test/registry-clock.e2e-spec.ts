import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Type } from '@nestjs/common';
import {
  createServiceApp,
  jwtSettingsFromEnv,
  signAccessToken,
  type RunningService,
  type ServiceAppOptions,
} from '#libs/http';
import { CommunityEstablishmentModule } from '../apps/community-establishment/src/community-establishment.module';
import { establishmentService } from '../apps/community-establishment/src/main';
import { StaffingElectionsModule } from '../apps/staffing-elections/src/staffing-elections.module';
import { staffingElectionsService } from '../apps/staffing-elections/src/main';
import { FacilityConstructionModule } from '../apps/facility-construction/src/facility-construction.module';
import { facilityConstructionService } from '../apps/facility-construction/src/main';
import { RegistryClient } from '../scripts/demo-story';
import { buildDist, ROOT } from './support/build';

/*
 * "Today" is the date in Lanzhou (REGISTRY_TIME_ZONE, default Asia/Shanghai), not in UTC. The
 * process's clock is pinned to 2026-03-10T17:00:00Z, which is 01:00 on 2026-03-11 in Lanzhou and
 * still 2026-03-10 in UTC: in all three services a decision effective on 2026-03-11 is accepted,
 * one on 2026-03-12 is refused as future, and a question without `?on=` is about 2026-03-11.
 */

const INSTANT = new Date('2026-03-10T17:00:00Z');
const LOCAL_TODAY = '2026-03-11';
const LOCAL_TOMORROW = '2026-03-12';

// Only Date is pinned (and moves on from INSTANT with real time); timers stay real for the servers.
const REAL_TIMERS = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'requestIdleCallback',
  'cancelIdleCallback',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
] as const;

const basis = { legalBasis: '兰州市民政局〔2026〕3号' };

describe('the registry clock: today at 01:00 in Lanzhou', () => {
  let dataDir: string;
  const running: RunningService[] = [];
  let officer: string;
  let auditor: string;

  async function start(module: Type<unknown>, descriptor: ServiceAppOptions) {
    const service = await createServiceApp(module, { ...descriptor, port: 0, logLevels: false });
    running.push(service);
    return new RegistryClient(service.url);
  }

  beforeAll(async () => {
    jest.useFakeTimers({ now: INSTANT, advanceTimers: true, doNotFake: [...REAL_TIMERS] });
    dataDir = mkdtempSync(join(tmpdir(), 'registry-clock-'));
    process.env.REGISTRY_DATA_DIR = dataDir;
    delete process.env.REGISTRY_TIME_ZONE; // the default: Asia/Shanghai
    const s = jwtSettingsFromEnv();
    officer = await signAccessToken({ sub: 'official-li-cg', roles: ['officer'], district: '城关区' }, s);
    auditor = await signAccessToken({ sub: 'auditor-chen', roles: ['auditor'], district: '*' }, s);
  });

  afterAll(async () => {
    await Promise.allSettled(running.map((s) => s.close()));
    jest.useRealTimers();
    delete process.env.REGISTRY_TIME_ZONE;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('the process clock is pinned at 01:00 local, the day before in UTC', () => {
    expect(new Date().toISOString().slice(0, 10)).toBe('2026-03-10');
  });

  it('community establishment: a committee established on the local date is accepted, the next day refused', async () => {
    const api = await start(CommunityEstablishmentModule, establishmentService());
    const committee = (effectiveAt: string, n: number) => ({
      ...basis,
      effectiveAt,
      communityId: `cg-clock-${n}`,
      committeeId: `cg-clock-${n}-rc`,
      name: `时钟${n}社区居民委员会`,
      newAreas: [
        {
          areaId: `cg-clock-${n}-area`,
          name: `时钟${n}街区`,
          kind: 'existing-town-area',
          subDistrict: '雁南街道',
          households: 500,
        },
      ],
    });
    const accepted = await api.post(
      '/api/districts/chengguan/committees',
      officer,
      committee(LOCAL_TODAY, 1),
    );
    expect(accepted.body).toMatchObject({ revision: expect.any(Number) });
    expect(accepted.status).toBe(201);

    const refused = await api.post(
      '/api/districts/chengguan/committees',
      officer,
      committee(LOCAL_TOMORROW, 2),
    );
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain(`must not lie after today (${LOCAL_TODAY})`);
  });

  it('staffing and elections: an average wage recorded on the local date is accepted; without ?on= the answer is about the local date', async () => {
    const api = await start(StaffingElectionsModule, staffingElectionsService());
    const wage = (effectiveAt: string) => ({
      ...basis,
      effectiveAt,
      year: 2025,
      averageAnnualWageYuan: 61000,
    });
    const accepted = await api.post('/api/districts/chengguan/average-wages', officer, wage(LOCAL_TODAY));
    expect(accepted.status).toBe(201);
    expect(
      (await api.post('/api/districts/chengguan/average-wages', officer, wage(LOCAL_TOMORROW))).status,
    ).toBe(400);

    for (const path of [
      '/api/districts/chengguan/indicators/qualifications',
      '/api/indicators/qualifications',
    ]) {
      const answer = await api.get(path, auditor);
      expect(answer.status).toBe(200);
      expect(answer.body.on).toBe(LOCAL_TODAY);
    }
  });

  it('facility construction: a population recorded on the local date is accepted; without ?on= the answer is about the local date', async () => {
    const api = await start(FacilityConstructionModule, facilityConstructionService());
    const population = (effectiveAt: string) => ({
      ...basis,
      effectiveAt,
      year: 2026,
      urbanPopulation: 1_300_000,
      source: '城关区统计局',
    });
    const accepted = await api.post(
      '/api/districts/chengguan/funding/urban-population',
      officer,
      population(LOCAL_TODAY),
    );
    expect(accepted.status).toBe(201);
    const refused = await api.post(
      '/api/districts/chengguan/funding/urban-population',
      officer,
      population(LOCAL_TOMORROW),
    );
    expect(refused.status).toBe(400);

    const funding = await api.get('/api/districts/chengguan/funding/2026', auditor);
    expect(funding.status).toBe(200);
    expect(funding.body.on).toBe(LOCAL_TODAY);
  });

  it('REGISTRY_TIME_ZONE is honoured: in UTC the same instant is still 2026-03-10', async () => {
    process.env.REGISTRY_TIME_ZONE = 'UTC';
    try {
      const api = await start(FacilityConstructionModule, { ...facilityConstructionService() });
      const funding = await api.get('/api/districts/chengguan/funding/2026', auditor);
      expect(funding.body.on).toBe('2026-03-10');
    } finally {
      delete process.env.REGISTRY_TIME_ZONE;
    }
  });

  it('an unknown REGISTRY_TIME_ZONE stops npm start with a clear error, before any store is opened', () => {
    buildDist('dist/apps/registry/main.js');
    const emptyDir = mkdtempSync(join(tmpdir(), 'registry-clock-bad-zone-'));
    try {
      const run = spawnSync(process.execPath, ['dist/apps/registry/main.js'], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, REGISTRY_DATA_DIR: emptyDir, REGISTRY_TIME_ZONE: 'Asia/Lanzhou' },
      });
      expect(run.stderr).toContain(
        'REGISTRY_TIME_ZONE=Asia/Lanzhou is not a time zone; give an IANA name such as Asia/Shanghai',
      );
      expect(run.status).toBe(1);
      expect(readdirSync(emptyDir)).toEqual([]);
    } finally {
      rmSync(emptyDir, { recursive: true, force: true });
    }
  }, 180_000);
});
