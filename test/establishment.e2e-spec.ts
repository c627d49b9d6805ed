import 'reflect-metadata';
import { CommunityEstablishmentModule } from '../apps/community-establishment/src/community-establishment.module';
import { establishmentService } from '../apps/community-establishment/src/main';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { createServiceApp, jwtSettingsFromEnv, signAccessToken, type RunningService } from '#libs/http';
import { RegistryClient, runDemoStory, type DemoResult, type DemoTokens } from '../scripts/demo-story';
import { demoTokens } from '../scripts/demo';
import { bodyWithInvalidUtf8, NATIONAL_ID_NUMBER, rawRequest, undocumentedEdges } from './support/edge';

/**
 * The community establishment service through HTTP, on its embedded SQLite default: the demo
 * story, the auditor's questions about it, tampering detection, and refusals that change nothing.
 */
describe('community establishment over HTTP (embedded default)', () => {
  let dataDir: string;
  let service: RunningService;
  let api: RegistryClient;
  let tokens: DemoTokens;
  let story: DemoResult;
  let dbFile: string;

  const eventCount = (): number => {
    const db = new DatabaseSync(dbFile);
    try {
      return Number((db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n);
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'registry-e2e-'));
    process.env.REGISTRY_DATA_DIR = dataDir;
    dbFile = join(dataDir, 'community-establishment.sqlite');
    service = await createServiceApp(CommunityEstablishmentModule, {
      ...establishmentService(),
      port: 0,
      logLevels: false,
    });
    api = new RegistryClient(service.url);
    tokens = await demoTokens();
    story = await runDemoStory(api, tokens);
  }, 60_000);

  afterAll(async () => {
    await service?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const responsible = async (district: string, areaId: string, on: string) => {
    const res = await api.get(
      `/api/districts/${district}/areas/${areaId}/responsibility?on=${on}`,
      tokens.auditor,
    );
    expect(res.status).toBe(200);
    return res.body.bodies.map((b: { body: { kind: string; communityId?: string; groupId?: string } }) =>
      b.body.kind === 'residents-group' ? `group:${b.body.groupId}` : `${b.body.kind}:${b.body.communityId}`,
    );
  };

  it('records every step of the story', () => {
    expect(story.steps.length).toBeGreaterThanOrEqual(20);
    expect(story.steps.every((s) => s.status === 201)).toBe(true);
  });

  it('EST-3/EST-7 answers who was responsible for an estate before, during and after its proxy period', async () => {
    expect(await responsible('chengguan', 'cg-dongfang-garden', '2012-03-31')).toEqual([]);
    expect(await responsible('chengguan', 'cg-dongfang-garden', '2012-06-01')).toEqual([
      'group:cg-dongfang-group',
    ]);
    expect(await responsible('chengguan', 'cg-dongfang-garden', '2013-01-01')).toEqual(['proxy:cg-donggang']);
    expect(await responsible('chengguan', 'cg-dongfang-garden', '2013-07-01')).toEqual([
      'own-committee:cg-dongfang',
    ]);
  });

  it('EST-7/EST-8 answers who was responsible before and after the merger and the split', async () => {
    expect(await responsible('chengguan', 'cg-baiyinlu-east', '2010-01-01')).toEqual([
      'own-committee:cg-baiyinlu',
    ]);
    expect(await responsible('chengguan', 'cg-jingning-north', '2015-06-30')).toEqual([
      'own-committee:cg-jingning',
    ]);
    expect(await responsible('chengguan', 'cg-baiyinlu-east', '2015-07-01')).toEqual([
      'own-committee:cg-baiyin-jingning',
    ]);
    expect(await responsible('chengguan', 'cg-jingning-north', '2016-01-01')).toEqual([
      'own-committee:cg-baiyin-jingning',
    ]);
    expect(await responsible('chengguan', 'cg-baiyinlu-east', '2018-03-01')).toEqual([
      'own-committee:cg-baiyinlu-east-c',
    ]);
    expect(await responsible('chengguan', 'cg-jingning-north', '2019-01-01')).toEqual([
      'own-committee:cg-baiyin-jingning',
    ]);
  });

  it('traces the answer to the decision, its official, legal basis and rule ids', async () => {
    const res = await api.get(
      '/api/districts/chengguan/areas/cg-dongfang-garden/responsibility?on=2013-01-01',
      tokens.auditor,
    );
    const decision = res.body.bodies[0].decision;
    expect(decision.type).toBe('ProxyManagementStarted');
    expect(decision.actor.subject).toBe('official-li-cg');
    expect(decision.legalBasis).toBe('东岗西路街道办〔2012〕9号');
    expect(decision.ruleIds).toContain('EST-3');
    expect(decision.effectiveAt).toBe('2012-10-15');
    expect(decision.recordedAt.slice(0, 4)).toBe(new Date().toISOString().slice(0, 4));
  });

  it('answers the state of a community as of past dates', async () => {
    const in2014 = await api.get(
      '/api/districts/chengguan/communities/cg-baiyinlu?asOf=2014-12-31',
      tokens.auditor,
    );
    expect(in2014.body).toMatchObject({
      status: 'active',
      areaIds: ['cg-baiyinlu-east', 'cg-baiyinlu-west'],
    });
    const now = await api.get('/api/districts/chengguan/communities/cg-baiyinlu', tokens.auditor);
    expect(now.body).toMatchObject({
      status: 'merged',
      endedOn: '2015-07-01',
      successorCommunityIds: ['cg-baiyin-jingning'],
    });
    const before = await api.get(
      '/api/districts/chengguan/communities/cg-baiyin-jingning?asOf=2015-06-30',
      tokens.auditor,
    );
    expect(before.status).toBe(404);
    const split = await api.get(
      '/api/districts/chengguan/communities/cg-baiyin-jingning?asOf=2018-03-01',
      tokens.auditor,
    );
    expect(split.body.areaIds.sort()).toEqual(['cg-baiyinlu-west', 'cg-jingning-north']);
  });

  it('EST-8 places a backfilled decision at its corrected effective date, keeping the original on record', async () => {
    expect(await responsible('chengguan', 'cg-wuquan-a', '2009-04-01')).toEqual(['own-committee:cg-wuquan']);
    expect(await responsible('chengguan', 'cg-wuquan-a', '2009-03-14')).toEqual([]);
    const timeline = await api.get('/api/districts/chengguan/communities/cg-wuquan/timeline', tokens.auditor);
    const established = timeline.body.entries.find(
      (e: { type: string }) => e.type === 'CommitteeEstablished',
    );
    expect(established).toMatchObject({
      eventId: story.backfilledEventId,
      effectiveAt: '2009-03-15',
      originalEffectiveAt: '2009-05-01',
      corrected: true,
    });
    expect(established.correctedBy).toHaveLength(1);
  });

  it('EST-2/EST-5 reports the overdue obligation of the converted village and the closed one of 东方花园', async () => {
    const overdue = await api.get(
      '/api/districts/anning/obligations?on=2021-01-01&status=overdue',
      tokens.auditor,
    );
    expect(overdue.body).toEqual([
      expect.objectContaining({
        areaId: 'an-shajingyi',
        dueOn: '2020-11-28',
        reason: 'village-to-residence-conversion',
      }),
    ]);
    const cg = await api.get('/api/districts/chengguan/obligations?on=2013-07-01', tokens.auditor);
    expect(cg.body).toEqual([
      expect.objectContaining({ areaId: 'cg-dongfang-garden', status: 'closed', closedOn: '2013-06-01' }),
    ]);
  });

  it('ORG-1/ORG-2 shows the trinity bodies and all concurrent posts of a person', async () => {
    const posts = await api.get('/api/districts/chengguan/persons/p-dongfang-0001/posts', tokens.auditor);
    expect(posts.body.posts.map((p: { body: string }) => p.body).sort()).toEqual([
      'party-organization',
      'residents-committee',
      'service-station',
    ]);
    const c = await api.get('/api/districts/chengguan/communities/cg-dongfang', tokens.auditor);
    expect(c.body.missingBodies).toEqual([]);
    expect(c.body.tasks[0]).toMatchObject({ fundingYuanPerYear: 36000 });
  });

  it('EST-4 records the village committee the fringe community coexists with', async () => {
    const c = await api.get('/api/districts/qilihe/communities/ql-xiguoyuan', tokens.auditor);
    expect(c.body.coexistingVillageCommittees).toEqual(['西果园村民委员会']);
  });

  it('EST-7 lists no gap or overlap for the story', async () => {
    const res = await api.get('/api/districts/chengguan/coverage/findings', tokens.auditor);
    expect(res.body.findings).toEqual([]);
  });

  it('names the event changed by raw SQL when the hash chains are verified', async () => {
    const ok = await api.get('/api/integrity', tokens.auditor);
    expect(ok.body.ok).toBe(true);
    const db = new DatabaseSync(dbFile);
    const victim = db
      .prepare(
        "SELECT event_id, stream_id, stream_revision FROM events WHERE type = 'ProxyManagementStarted' LIMIT 1",
      )
      .get() as { event_id: string; stream_id: string; stream_revision: number };
    const original = (
      db.prepare('SELECT data FROM events WHERE event_id = ?').get(victim.event_id) as { data: string }
    ).data;
    db.prepare(
      "UPDATE events SET data = json_set(data, '$.byCommunityId', 'cg-forged') WHERE event_id = ?",
    ).run(victim.event_id);
    try {
      const broken = await api.get('/api/integrity', tokens.auditor);
      expect(broken.body.ok).toBe(false);
      expect(broken.body.firstBroken).toMatchObject({
        eventId: victim.event_id,
        streamId: victim.stream_id,
        streamRevision: victim.stream_revision,
        reason: 'hash-mismatch',
      });
    } finally {
      db.prepare('UPDATE events SET data = ? WHERE event_id = ?').run(original, victim.event_id);
      db.close();
    }
    expect((await api.get('/api/integrity', tokens.auditor)).body.ok).toBe(true);
  });

  describe('refusals: the right status and problem body, and the store unchanged', () => {
    const officer = (): string => tokens.chengguan;
    const area = {
      effectiveAt: '2024-01-01',
      legalBasis: 'test',
      areaId: 'cg-refused',
      name: '测试小区',
      kind: 'new-residential-estate',
      subDistrict: '东岗西路街道',
      households: 100,
      adjacentAreaIds: ['cg-donggang-old'],
      responsibility: { kind: 'proxy', communityId: 'cg-donggang' },
    };
    const decision = { effectiveAt: '2024-01-01', legalBasis: '测试文件' };
    type Case = {
      name: string;
      path: string;
      body: unknown;
      token?: () => string | undefined | Promise<string>;
      headers?: Record<string, string>;
      status: number;
      ruleId?: string;
      field?: string;
    };
    const cases: Case[] = [
      {
        name: 'no token',
        path: '/api/districts/chengguan/areas',
        body: area,
        token: () => undefined,
        status: 401,
      },
      {
        name: 'token signed with another key',
        path: '/api/districts/chengguan/areas',
        body: area,
        token: () =>
          signAccessToken(
            { sub: 'x', roles: ['officer'], district: '城关区' },
            { ...jwtSettingsFromEnv(), secret: 'not-the-key-not-the-key-not-the-key' },
          ),
        status: 401,
      },
      {
        name: 'expired token',
        path: '/api/districts/chengguan/areas',
        body: area,
        token: () =>
          signAccessToken({ sub: 'x', roles: ['officer'], district: '城关区' }, jwtSettingsFromEnv(), {
            ttl: 60,
            issuedAt: new Date(Date.now() - 3_600_000),
          }),
        status: 401,
      },
      {
        name: 'auditor may not command',
        path: '/api/districts/chengguan/areas',
        body: area,
        token: () => tokens.auditor,
        status: 403,
      },
      {
        name: 'officer of 七里河区 acting in 城关区',
        path: '/api/districts/chengguan/areas',
        body: area,
        token: () => tokens.qilihe,
        status: 403,
      },
      {
        name: 'unknown district',
        path: '/api/districts/atlantis/areas',
        body: area,
        token: () => signAccessToken({ sub: 'city', roles: ['admin'], district: '*' }, jwtSettingsFromEnv()),
        status: 404,
      },
      {
        name: 'missing effective date',
        path: '/api/districts/chengguan/areas',
        body: { ...area, effectiveAt: undefined },
        status: 400,
        field: 'body.effectiveAt',
      },
      {
        name: 'households not a number',
        path: '/api/districts/chengguan/areas',
        body: { ...area, households: 'many' },
        status: 400,
        field: 'body.households',
      },
      {
        name: 'unknown field',
        path: '/api/districts/chengguan/areas',
        body: { ...area, colour: 'red' },
        status: 400,
        field: 'body.colour',
      },
      {
        name: 'area kind outside EST-1',
        path: '/api/districts/chengguan/areas',
        body: { ...area, kind: 'castle' },
        status: 400,
        field: 'body.kind',
      },
      {
        name: 'effective date in the future',
        path: '/api/districts/chengguan/areas',
        body: { ...area, effectiveAt: '2999-01-01' },
        status: 400,
        field: 'body.effectiveAt',
      },
      { name: 'malformed JSON', path: '/api/districts/chengguan/areas', body: '{"areaId": ', status: 400 },
      {
        name: 'bad id in the path',
        path: '/api/districts/chengguan/areas/NOT_AN_ID/occupancy-reports',
        body: { ...decision, occupiedHouseholds: 1 },
        status: 400,
        field: 'params.areaId',
      },
      {
        name: 'unknown area',
        path: '/api/districts/chengguan/areas/cg-nowhere/occupancy-reports',
        body: { ...decision, occupiedHouseholds: 1 },
        status: 404,
      },
      {
        name: 'EST-2 more occupied than households',
        path: '/api/districts/chengguan/areas/cg-dongfang-garden/occupancy-reports',
        body: { ...decision, occupiedHouseholds: 801 },
        status: 422,
        ruleId: 'EST-2',
      },
      {
        name: 'EST-3 proxy by a non-adjacent community',
        path: '/api/districts/chengguan/areas',
        body: { ...area, responsibility: { kind: 'proxy', communityId: 'cg-wuquan' } },
        status: 422,
        ruleId: 'EST-3',
      },
      {
        name: 'EST-4 fringe area without its village committee',
        path: '/api/districts/chengguan/areas',
        body: { ...area, kind: 'urban-rural-fringe' },
        status: 422,
        ruleId: 'EST-4',
      },
      {
        name: 'EST-5 conversion registered as a plain area',
        path: '/api/districts/chengguan/areas',
        body: { ...area, kind: 'village-to-residence-conversion' },
        status: 422,
        ruleId: 'EST-5',
      },
      {
        name: 'EST-6 small migrant area under proxy',
        path: '/api/districts/chengguan/areas',
        body: { ...area, kind: 'migrant-population-concentration' },
        status: 422,
        ruleId: 'EST-6',
      },
      {
        name: 'EST-8 split naming an area of another community',
        path: '/api/districts/chengguan/communities/cg-baiyin-jingning/split',
        body: {
          ...decision,
          parts: [
            { communityId: 'cg-p1', committeeId: 'cg-p1-rc', name: 'P1', areaIds: ['cg-baiyinlu-west'] },
            { communityId: 'cg-p2', committeeId: 'cg-p2-rc', name: 'P2', areaIds: ['cg-baiyinlu-west-x'] },
          ],
        },
        status: 422,
        ruleId: 'EST-8',
      },
      {
        name: 'EST-7 split that covers an area twice',
        path: '/api/districts/chengguan/communities/cg-baiyin-jingning/split',
        body: {
          ...decision,
          parts: [
            {
              communityId: 'cg-p1',
              committeeId: 'cg-p1-rc',
              name: 'P1',
              areaIds: ['cg-baiyinlu-west', 'cg-jingning-north'],
            },
            { communityId: 'cg-p2', committeeId: 'cg-p2-rc', name: 'P2', areaIds: ['cg-baiyinlu-west'] },
          ],
        },
        status: 422,
        ruleId: 'EST-7',
      },
      {
        name: 'EST-7 dissolution leaving its areas uncovered',
        path: '/api/districts/chengguan/communities/cg-donggang/dissolution',
        body: { ...decision, areaSuccessors: [], reason: '撤并' },
        status: 422,
        ruleId: 'EST-7',
      },
      {
        name: 'EST-8 renaming a merged committee',
        path: '/api/districts/chengguan/communities/cg-baiyinlu/rename',
        body: { ...decision, name: '新名' },
        status: 422,
        ruleId: 'EST-8',
      },
      {
        name: 'ORG-1 a second Party organization',
        path: '/api/districts/chengguan/communities/cg-dongfang/party-organization',
        body: { ...decision, name: '又一个' },
        status: 422,
        ruleId: 'ORG-1',
      },
      {
        name: 'ORG-3 a task delegated without funding',
        path: '/api/districts/chengguan/communities/cg-dongfang/task-delegations',
        body: {
          ...decision,
          taskId: 'task-unfunded',
          department: '某局',
          description: '无经费任务',
          fundingYuanPerYear: 0,
        },
        status: 422,
        ruleId: 'ORG-3',
      },
      {
        name: 'ORG-3 a task delegated to the committee',
        path: '/api/districts/chengguan/communities/cg-dongfang/task-delegations',
        body: {
          ...decision,
          taskId: 'task-committee',
          department: '某局',
          description: '行政任务',
          toBody: 'residents-committee',
          fundingYuanPerYear: 100,
          fundingSource: '区财政',
          workingConditions: '办公室',
        },
        status: 422,
        ruleId: 'ORG-3',
      },
      {
        name: 'stale If-Match revision',
        path: '/api/districts/chengguan/communities/cg-dongfang/rename',
        body: { ...decision, name: '东方新社区' },
        headers: { 'if-match': '"0"' },
        status: 409,
      },
      {
        name: 'correction of an unknown event',
        path: '/api/districts/chengguan/corrections',
        body: {
          ...decision,
          correctsEventId: '00000000-0000-4000-8000-000000000000',
          reason: 'x',
          annul: true,
        },
        status: 404,
      },
      {
        name: 'correction that corrects nothing',
        path: '/api/districts/chengguan/corrections',
        body: { ...decision, correctsEventId: '00000000-0000-4000-8000-000000000000', reason: 'x' },
        status: 400,
      },
    ];

    // PERSONAL-DATA and Unicode: personal data and text that is not Unicode, refused at the edge.
    const post = { ...decision, personId: 'p-edge-1', body: 'residents-committee', post: '委员' };
    cases.push(
      {
        name: 'PERSONAL-DATA a national identity number in an area name',
        path: '/api/districts/chengguan/areas',
        body: { ...area, name: `测试小区 ${NATIONAL_ID_NUMBER}` },
        status: 400,
        ruleId: 'PERSONAL-DATA',
        field: 'body.name',
      },
      {
        name: 'PERSONAL-DATA a national identity number in the legal basis',
        path: '/api/districts/chengguan/areas',
        body: { ...area, legalBasis: `申请人身份证号 ${NATIONAL_ID_NUMBER}` },
        status: 400,
        ruleId: 'PERSONAL-DATA',
        field: 'body.legalBasis',
      },
      {
        name: 'PERSONAL-DATA a national identity number as the person id of a post',
        path: '/api/districts/chengguan/communities/cg-yanbei/posts',
        body: { ...post, personId: NATIONAL_ID_NUMBER },
        status: 400,
        ruleId: 'PERSONAL-DATA',
        field: 'body.personId',
      },
      {
        name: 'PERSONAL-DATA the 15-digit form in a post title',
        path: '/api/districts/chengguan/communities/cg-yanbei/posts',
        body: { ...post, post: '委员 620102900101123' },
        status: 400,
        ruleId: 'PERSONAL-DATA',
        field: 'body.post',
      },
      {
        name: 'PERSONAL-DATA a birth date in a committee name',
        path: '/api/districts/chengguan/communities/cg-yanbei/rename',
        body: { ...decision, name: '雁北社区（主任出生日期1960年5月1日）' },
        status: 400,
        ruleId: 'PERSONAL-DATA',
        field: 'body.name',
      },
      {
        name: 'PERSONAL-DATA a national identity number as the correlation id (kept in the metadata)',
        path: '/api/districts/chengguan/areas',
        body: area,
        headers: { 'x-correlation-id': NATIONAL_ID_NUMBER },
        status: 400,
        ruleId: 'PERSONAL-DATA',
        field: 'headers.x-correlation-id',
      },
      {
        name: 'PERSONAL-DATA a national identity number as the Idempotency-Key',
        path: '/api/districts/chengguan/areas',
        body: area,
        headers: { 'idempotency-key': `key-${NATIONAL_ID_NUMBER}` },
        status: 400,
        ruleId: 'PERSONAL-DATA',
        field: 'headers.idempotency-key',
      },
      {
        name: 'a lone surrogate in a name (was a 500 while hashing)',
        path: '/api/districts/chengguan/areas',
        body: { ...area, name: '测试\ud800小区' },
        status: 400,
        field: 'body.name',
      },
      {
        name: 'a NUL character in the legal basis',
        path: '/api/districts/chengguan/areas',
        body: { ...area, legalBasis: 'test\u0000' },
        status: 400,
        field: 'body.legalBasis',
      },
    );

    it.each(cases)('$name → $status', async (c) => {
      const before = eventCount();
      const token = c.token ? await c.token() : officer();
      const res = await api.post(c.path, token, c.body, c.headers);
      expect(res.status).toBe(c.status);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({
        status: c.status,
        type: expect.any(String),
        title: expect.any(String),
      });
      if (c.ruleId) expect(res.body.ruleId).toBe(c.ruleId);
      if (c.field) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(c.field);
      expect(eventCount()).toBe(before);
    });

    it('bytes that are not UTF-8 in a name → 400 naming the field, nothing stored (never U+FFFD)', async () => {
      const before = eventCount();
      const res = await rawRequest(service.url, {
        method: 'POST',
        path: '/api/districts/chengguan/areas',
        headers: { authorization: `Bearer ${officer()}` },
        body: bodyWithInvalidUtf8(area, 'name'),
      });
      expect(res.status).toBe(400);
      expect(res.contentType).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toEqual([{ field: 'body.name', message: expect.stringContaining('UTF-8') }]);
      expect(eventCount()).toBe(before);
    });

    it('PERSONAL-DATA a national identity number as a path id of a read → 400', async () => {
      const res = await api.get(
        `/api/districts/chengguan/persons/${NATIONAL_ID_NUMBER}/posts`,
        tokens.auditor,
      );
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ ruleId: 'PERSONAL-DATA', errors: [{ field: 'params.personId' }] });
    });

    it("Fastify's refusals answer problem+json: malformed URL 400, over-long id 414, huge headers 431", async () => {
      const auth = { authorization: `Bearer ${tokens.auditor}` };
      const badUrl = await rawRequest(service.url, {
        path: '/api/districts/chengguan/areas/%E0%A4%A',
        headers: auth,
      });
      const longId = await rawRequest(service.url, {
        path: `/api/districts/chengguan/areas/a${'b'.repeat(150)}`,
        headers: auth,
      });
      const huge = await rawRequest(service.url, {
        path: '/api/districts/chengguan/areas',
        headers: { ...auth, 'x-padding': 'x'.repeat(20_000) },
      });
      for (const [res, status] of [
        [badUrl, 400],
        [longId, 414],
        [huge, 431],
      ] as const) {
        expect([res.status, res.contentType]).toEqual([
          status,
          expect.stringMatching(/^application\/problem\+json/),
        ]);
        expect(res.body).toMatchObject({ status, title: expect.any(String), type: expect.any(String) });
      }
    });

    it('the OpenAPI document gives every path id its pattern and every operation 414 and 431', async () => {
      const doc = await api.get('/docs-json');
      expect(undocumentedEdges(doc.body)).toEqual([]);
    });

    it('?on= and ?asOf= are bounded like effectiveAt: 0000-01-01 and 9999-12-31 → 400', async () => {
      for (const [path, field] of [
        ['/api/districts/chengguan/areas/cg-yanbei-garden/responsibility?on=0000-01-01', 'query.on'],
        ['/api/districts/chengguan/obligations?on=9999-12-31', 'query.on'],
        ['/api/districts/chengguan/communities?asOf=0000-01-01', 'query.asOf'],
        ['/api/districts/chengguan/communities/cg-yanbei?asOf=9999-12-31', 'query.asOf'],
      ]) {
        const res = await api.get(path!, tokens.auditor);
        expect([path, res.status, res.body.errors?.map((e: { field: string }) => e.field)]).toEqual([
          path,
          400,
          [field],
        ]);
      }
      expect(
        (await api.get('/api/districts/chengguan/obligations?on=1990-01-01', tokens.auditor)).status,
      ).toBe(200);
    });

    it('replays the first answer for a repeated Idempotency-Key and refuses the key with another body (422)', async () => {
      const body = { ...decision, personId: 'p-idem-0001', body: 'residents-committee', post: '委员' };
      const headers = { 'idempotency-key': 'e2e-idem-1' };
      const first = await api.post(
        '/api/districts/chengguan/communities/cg-dongfang/posts',
        officer(),
        body,
        headers,
      );
      expect(first.status).toBe(201);
      const count = eventCount();
      const again = await api.post(
        '/api/districts/chengguan/communities/cg-dongfang/posts',
        officer(),
        body,
        headers,
      );
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(eventCount()).toBe(count);
      const other = await api.post(
        '/api/districts/chengguan/communities/cg-dongfang/posts',
        officer(),
        { ...body, post: '副主任' },
        headers,
      );
      expect(other.status).toBe(422);
      expect(other.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(eventCount()).toBe(count);
    });
  });
});
