import 'reflect-metadata';
import { CommunityEstablishmentModule } from '../apps/community-establishment/src/community-establishment.module';
import { establishmentService } from '../apps/community-establishment/src/main';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createServiceApp,
  jwtSettingsFromEnv,
  portFromEnv,
  signAccessToken,
  type RunningService,
} from '#libs/http';
import { RegistryClock } from '#libs/hosting';
import { setting, type Environment } from '#libs/settings';
import { RegistryClient, runDemoStory, type DemoTokens } from './demo-story';

/**
 * `npm run demo`: tells the demo story through the HTTP API of a running registry (the
 * establishment service at ESTABLISHMENT_URL, default http://127.0.0.1:$ESTABLISHMENT_PORT, as
 * `npm start` serves it), or, when none answers, of one started here on a fresh data directory.
 * Then prints the answers an auditor would ask for. Its ids (cg-baiyinlu, cg-donggang,
 * cg-dongfang, ...) are its own, so the README's curl session works before or after it.
 *
 * Environment: ESTABLISHMENT_URL, ESTABLISHMENT_PORT (3001), REGISTRY_JWT_SECRET (the tokens it
 * signs), REGISTRY_TIME_ZONE (today's date); when it starts its own registry, the establishment
 * service's settings too (EST2_OBLIGATION_DUE_DAYS, EST6_LARGE_MIGRANT_AREA_HOUSEHOLDS, LOG_LEVEL).
 */
export async function demoTokens(): Promise<DemoTokens> {
  const settings = jwtSettingsFromEnv();
  const sign = (sub: string, name: string, roles: Array<'officer' | 'auditor'>, district: string) =>
    signAccessToken({ sub, name, roles, district }, settings, { ttl: '1h' });
  return {
    chengguan: await sign('official-li-cg', '李敏', ['officer'], '城关区'),
    qilihe: await sign('official-zhao-qlh', '赵强', ['officer'], '七里河区'),
    anning: await sign('official-sun-an', '孙丽', ['officer'], '安宁区'),
    auditor: await sign('auditor-chen', '陈审计', ['auditor'], '*'),
  };
}

async function reachable(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health`)).ok;
  } catch {
    return false;
  }
}

/** Where `npm start` serves the establishment service: ESTABLISHMENT_URL, else its port on loopback. */
export function establishmentUrl(env: Environment = process.env): string {
  return setting('ESTABLISHMENT_URL', env) ?? `http://127.0.0.1:${portFromEnv('ESTABLISHMENT_PORT', env)}`;
}

async function main(): Promise<void> {
  const wanted = establishmentUrl();
  let url = wanted;
  let own: RunningService | undefined;
  if (!(await reachable(url))) {
    process.env.REGISTRY_DATA_DIR = mkdtempSync(join(tmpdir(), 'registry-demo-'));
    own = await createServiceApp(CommunityEstablishmentModule, { ...establishmentService(), port: 0 });
    url = own.url;
    console.log(`No registry at ${wanted}; started one at ${url} on ${process.env.REGISTRY_DATA_DIR}\n`);
  }
  const api = new RegistryClient(url);
  const tokens = await demoTokens();
  try {
    const already = await api.get('/api/districts/chengguan/communities/cg-dongfang', tokens.auditor);
    if (already.status === 200)
      console.log('The demo story is already recorded here; showing the answers.\n');
    else await runDemoStory(api, tokens, (line) => console.log(line));

    const show = async (title: string, path: string, pick: (body: any) => unknown = (b) => b) => {
      const res = await api.get(path, tokens.auditor);
      console.log(`\n${title}\n  GET ${path} → ${res.status}`);
      console.log(JSON.stringify(pick(res.body), null, 2).replace(/^/gm, '  '));
    };
    const who = (b: any) => ({
      on: b.on,
      responsible: b.bodies.map(
        (x: any) => `${x.body.kind}: ${x.name} (since ${x.since}, ${x.decision?.legalBasis ?? ''})`,
      ),
    });
    console.log('\n=== Who was responsible for 东方花园 (cg-dongfang-garden)? ===');
    for (const on of ['2012-06-01', '2013-01-01', '2013-07-01'])
      await show(
        `on ${on}`,
        `/api/districts/chengguan/areas/cg-dongfang-garden/responsibility?on=${on}`,
        who,
      );
    console.log(
      '\n=== Who was responsible for 白银路东片 (cg-baiyinlu-east), around the merger and the split? ===',
    );
    for (const on of ['2010-01-01', '2016-01-01', '2019-01-01'])
      await show(`on ${on}`, `/api/districts/chengguan/areas/cg-baiyinlu-east/responsibility?on=${on}`, who);
    await show(
      '=== 白银路社区 as of 2014 and now ===',
      '/api/districts/chengguan/communities/cg-baiyinlu?asOf=2014-12-31',
      (b) => ({ name: b.name, status: b.status, areaIds: b.areaIds }),
    );
    await show('', '/api/districts/chengguan/communities/cg-baiyinlu', (b) => ({
      status: b.status,
      endedOn: b.endedOn,
      successors: b.successorCommunityIds,
    }));
    await show(
      '=== Timeline of 五泉社区 (backfilled and corrected) ===',
      '/api/districts/chengguan/communities/cg-wuquan/timeline',
      (b) =>
        b.entries.map(
          (e: any) =>
            `${e.effectiveAt} (first recorded as ${e.originalEffectiveAt}) ${e.type} by ${e.actor.subject}, ${e.legalBasis}, [${e.ruleIds}]`,
        ),
    );
    await show(
      '=== Posts of p-dongfang-0001 across the three bodies (ORG-2) ===',
      '/api/districts/chengguan/persons/p-dongfang-0001/posts',
      (b) => b.posts.map((p: any) => `${p.body}: ${p.post}`),
    );
    await show(
      '=== Overdue establishment obligations in 安宁区 today (EST-2, EST-5) ===',
      `/api/districts/anning/obligations?on=${RegistryClock.fromEnv().today()}&status=overdue`,
    );
    await show('=== Gaps and overlaps in 城关区 (EST-7) ===', '/api/districts/chengguan/coverage/findings');
    await show('=== Hash chains of the store ===', '/api/integrity');
    console.log(`\nOpenAPI: ${url}/docs`);
  } finally {
    await own?.close();
  }
}

if (require.main === module)
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
