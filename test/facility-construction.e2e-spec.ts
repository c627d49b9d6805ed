import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { createServiceApp, jwtSettingsFromEnv, signAccessToken, type RunningService } from '#libs/http';
import { FacilityConstructionModule } from '../apps/facility-construction/src/facility-construction.module';
import { facilityConstructionService } from '../apps/facility-construction/src/main';
import { RegistryClient } from '../scripts/demo-story';
import { bodyWithInvalidUtf8, NATIONAL_ID_NUMBER, rawRequest, undocumentedEdges } from './support/edge';

/**
 * The facility construction service through HTTP on its embedded SQLite default: a project from
 * registration to hand-over, the auditor's questions at two dates, and refusals that store nothing.
 */
describe('facility construction over HTTP (embedded default)', () => {
  let dataDir: string;
  let service: RunningService;
  let api: RegistryClient;
  let dbFile: string;
  const tokens: Record<string, string> = {};
  const API = '/api/districts/chengguan';
  const decision = { effectiveAt: '2013-01-01', legalBasis: '城关区民发〔2013〕1号' };
  const at = (effectiveAt: string) => ({
    effectiveAt,
    legalBasis: `城关区民发〔${effectiveAt.slice(0, 4)}〕号`,
  });

  const eventCount = (): number => {
    const db = new DatabaseSync(dbFile);
    try {
      return Number((db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n);
    } finally {
      db.close();
    }
  };

  const ok = async (path: string, body: unknown, token = tokens.officer) => {
    const res = await api.post(path, token, body);
    if (res.status !== 201) throw new Error(`${path} → ${res.status} ${JSON.stringify(res.body)}`);
    return res;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'facility-e2e-'));
    process.env.REGISTRY_DATA_DIR = dataDir;
    dbFile = join(dataDir, 'facility-construction.sqlite');
    service = await createServiceApp(FacilityConstructionModule, {
      ...facilityConstructionService(),
      port: 0,
      logLevels: false,
    });
    api = new RegistryClient(service.url);
    const s = jwtSettingsFromEnv();
    tokens.officer = await signAccessToken(
      { sub: 'official-li-cg', roles: ['officer'], district: '城关区' },
      s,
    );
    tokens.qilihe = await signAccessToken(
      { sub: 'official-zhao', roles: ['officer'], district: '七里河区' },
      s,
    );
    tokens.auditor = await signAccessToken({ sub: 'auditor-chen', roles: ['auditor'], district: '*' }, s);
    tokens.city = await signAccessToken({ sub: 'city-finance', roles: ['officer'], district: '*' }, s);

    // The story: 雁滩新苑, a new estate of 2,000 households (FAC-1: 400 m²), fails acceptance in
    // 2014 with 300 m² built, passes in 2015 with 420 m² and hands the centre over.
    await ok(`${API}/projects`, {
      ...at('2012-03-01'),
      projectId: 'p-ytxy',
      name: '雁滩新苑住宅小区',
      developer: '兰州雁滩置业有限公司',
      communityId: 'yantan-xinyuan',
      plannedHouseholds: 2000,
      plannedSpaceM2: 420,
    });
    for (const consultee of ['civil-affairs', 'sub-district-office'])
      await ok(`${API}/projects/p-ytxy/consultations`, {
        ...at('2012-05-01'),
        stage: 'review',
        consultee,
        opinion: 'favourable',
        summary: '同意',
      });
    await ok(`${API}/projects/p-ytxy/planning-reviews`, { ...at('2012-06-01'), reviewer: '兰州市规划局' });
    await ok(`${API}/projects/p-ytxy/construction-start`, at('2012-09-01'));
    for (const consultee of ['civil-affairs', 'sub-district-office'])
      await ok(`${API}/projects/p-ytxy/consultations`, {
        ...at('2014-05-01'),
        stage: 'acceptance',
        consultee,
        opinion: 'favourable',
        summary: '验收意见',
      });
    await ok(`${API}/projects/p-ytxy/acceptance-inspections`, {
      ...at('2014-06-01'),
      builtSpaceM2: 300,
      inspector: '城关区民政局',
    });
    await ok(`${API}/projects/p-ytxy/acceptance-inspections`, {
      ...at('2015-03-01'),
      builtSpaceM2: 420,
      inspector: '城关区民政局',
    });
    await ok(`${API}/projects/p-ytxy/hand-over`, {
      ...at('2015-04-01'),
      facilityId: 'f-ytxy-centre',
      useRightHolder: 'residents-committee',
      manager: 'sub-district-office',
      functions: ['affairs-hall', 'office'],
    });
    // An old community short of space: 1,000 households (350 m²) with 150 m².
    await ok(`${API}/communities/dongfanghong/requirement-recomputations`, {
      ...at('2005-03-01'),
      households: 1000,
      reason: 'community-established',
      sourceEventId: 'est-1',
    });
    await ok(`${API}/communities/dongfanghong/facilities`, {
      ...at('2005-03-01'),
      facilityId: 'f-dfh-office',
      areaM2: 150,
      useRightHolder: 'residents-committee',
      manager: 'sub-district-office',
    });
    await ok(`${API}/funding/urban-population`, {
      ...at('2013-01-15'),
      year: 2013,
      urbanPopulation: 1_000_000,
      source: '统计年鉴',
    });
  }, 60_000);

  afterAll(async () => {
    await service?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('FAC-3 answers the naming refusals in force at two dates, and the project as it stood', async () => {
    const in2014 = await api.get(`${API}/naming-refusals?on=2014-12-31`, tokens.auditor);
    expect(in2014.status).toBe(200);
    expect(in2014.body.refusals).toEqual([
      expect.objectContaining({ projectId: 'p-ytxy', refusedOn: '2014-06-01' }),
    ]);
    const in2015 = await api.get(`${API}/naming-refusals?on=2015-12-31`, tokens.auditor);
    expect(in2015.body.refusals).toEqual([]);
    const project = await api.get(`${API}/projects/p-ytxy?on=2014-12-31`, tokens.auditor);
    expect(project.body.project).toMatchObject({ status: 'acceptance-failed', builtSpaceM2: 300 });
    expect(project.body.history.map((h: any) => h.type)).toContain('NamingAndNumberingRefused');
    const refusal = project.body.history.find((h: any) => h.type === 'NamingAndNumberingRefused');
    expect(refusal).toMatchObject({
      ruleIds: ['FAC-3'],
      actor: { subject: 'official-li-cg' },
      effectiveAt: '2014-06-01',
    });
  });

  it('FAC-1..3 a history is answered a page at a time: ?limit=, then ?after= the next of the page before', async () => {
    type Entry = { eventId: string; type: string };
    for (const on of ['', '&on=2016-01-01']) {
      const whole = await api.get(`${API}/projects/p-ytxy?limit=1000${on}`, tokens.auditor);
      expect(whole.status).toBe(200);
      expect(whole.body.next).toBeUndefined();
      const all = whole.body.history as Entry[];
      expect(all.length).toBeGreaterThan(8);
      // Without paging parameters, the first 100: the whole history of this project.
      expect((await api.get(`${API}/projects/p-ytxy?${on.slice(1)}`, tokens.auditor)).body.history).toEqual(
        all,
      );

      const pages: Entry[][] = [];
      let after = '';
      for (;;) {
        const res = await api.get(`${API}/projects/p-ytxy?limit=4${after}${on}`, tokens.auditor);
        expect(res.status).toBe(200);
        expect(res.body.project).toMatchObject({ projectId: 'p-ytxy' });
        pages.push(res.body.history as Entry[]);
        if (res.body.next === undefined) break;
        after = `&after=${encodeURIComponent(res.body.next as string)}`;
      }
      expect(pages.map((p) => p.length)).toEqual([4, 4, all.length - 8].filter((n) => n > 0));
      expect(pages.flat()).toEqual(all);
    }
    const community = await api.get(`${API}/communities/dongfanghong?limit=1`, tokens.auditor);
    expect(community.body.history).toEqual([expect.objectContaining({ type: 'RequirementRecomputed' })]);
    expect(community.body.next).toEqual(expect.stringMatching(/^2005-03-01\.\d{10}$/));
    const rest = await api.get(
      `${API}/communities/dongfanghong?after=${community.body.next}`,
      tokens.auditor,
    );
    expect(rest.body.history).toEqual([expect.objectContaining({ type: 'FacilityAcquired' })]);
    expect(rest.body.next).toBeUndefined();
  });

  it('a bad page is refused with the field named: ?limit= 0, 1001 or not a number, ?after= not a position', async () => {
    for (const [query, field] of [
      ['limit=0', 'query.limit'],
      ['limit=1001', 'query.limit'],
      ['limit=all', 'query.limit'],
      ['after=p-ytxy', 'query.after'],
    ]) {
      for (const path of [`${API}/projects/p-ytxy?${query}`, `${API}/communities/dongfanghong?${query}`]) {
        const res = await api.get(path, tokens.auditor);
        expect([path, res.status, res.body.errors?.map((e: { field: string }) => e.field)]).toEqual([
          path,
          400,
          [field],
        ]);
      }
    }
  });

  it('FAC-4 lists the communities short of space, and FAC-6 compliance', async () => {
    const short = await api.get(`${API}/space-shortfalls?on=2016-01-01`, tokens.auditor);
    expect(short.body.communities).toEqual([
      {
        communityId: 'dongfanghong',
        households: 1000,
        requiredM2: 350,
        standard: 'basic',
        spaceM2: 150,
        shortfallM2: 200,
      },
    ]);
    const functions = await api.get(
      `${API}/communities/yantan-xinyuan/functions?on=2016-01-01`,
      tokens.auditor,
    );
    expect(functions.body).toMatchObject({ compliant: false, present: ['affairs-hall', 'office'] });
    const district = await api.get(`${API}/function-compliance?on=2016-01-01`, tokens.auditor);
    expect(district.body).toMatchObject({ total: 2, compliant: 0 });
  });

  it('FAC-1/FAC-4 the shortfalls are answered a page at a time by community id, now and ?on=', async () => {
    const names = (body: { communities: Array<{ communityId: string }> }) =>
      body.communities.map((c) => c.communityId);
    // On 2014-07-01 雁滩新苑 has no space yet (the centre is handed over in 2015): two short.
    const first = await api.get(`${API}/space-shortfalls?on=2014-07-01&limit=1`, tokens.auditor);
    expect(first.body).toMatchObject({ on: '2014-07-01', next: 'dongfanghong' });
    expect(names(first.body)).toEqual(['dongfanghong']);
    expect(first.headers.get('link')).toBe(
      `<${API}/space-shortfalls?on=2014-07-01&limit=1&after=dongfanghong>; rel="next"`,
    );
    const last = await api.get(
      `${API}/space-shortfalls?on=2014-07-01&limit=1&after=${first.body.next}`,
      tokens.auditor,
    );
    expect(names(last.body)).toEqual(['yantan-xinyuan']);
    expect(last.body.next).toBeUndefined();
    expect(last.headers.get('link')).toBeNull();

    // Now: two more communities in 2020, one short of space and one not, between the others.
    for (const [id, households, areaM2] of [
      ['dongfanghong-dong', 300, 500],
      ['dongfanghong-xi', 800, 0],
    ] as const) {
      await ok(`${API}/communities/${id}/requirement-recomputations`, {
        ...at('2020-01-01'),
        households,
        reason: 'community-established',
        sourceEventId: `est-${id}`,
      });
      if (areaM2 > 0)
        await ok(`${API}/communities/${id}/facilities`, {
          ...at('2020-01-01'),
          facilityId: `f-${id}`,
          areaM2,
          useRightHolder: 'residents-committee',
          manager: 'sub-district-office',
        });
    }
    const whole = await api.get(`${API}/space-shortfalls`, tokens.auditor);
    expect(names(whole.body)).toEqual(['dongfanghong', 'dongfanghong-xi']);
    expect(whole.headers.get('link')).toBeNull();
    const now = await api.get(`${API}/space-shortfalls?limit=1`, tokens.auditor);
    expect(now.body).toEqual({
      on: whole.body.on,
      communities: whole.body.communities.slice(0, 1),
      next: 'dongfanghong',
    });
    expect(now.headers.get('link')).toBe(`<${API}/space-shortfalls?limit=1&after=dongfanghong>; rel="next"`);
    const nowLast = await api.get(`${API}/space-shortfalls?limit=1&after=dongfanghong`, tokens.auditor);
    expect(nowLast.body).toEqual({ on: whole.body.on, communities: whole.body.communities.slice(1) });
    expect(nowLast.headers.get('link')).toBeNull();

    for (const [query, field] of [
      ['limit=0', 'query.limit'],
      ['limit=1001', 'query.limit'],
      ['on=2014-07-01&limit=all', 'query.limit'],
      ['after=', 'query.after'],
    ]) {
      const res = await api.get(`${API}/space-shortfalls?${query}`, tokens.auditor);
      expect([query, res.status, res.body.errors?.map((e: { field: string }) => e.field)]).toEqual([
        query,
        400,
        [field],
      ]);
    }
  });

  it('FUND-1/FUND-2 records a district budget and the city budget and compares them', async () => {
    await ok(`${API}/funding/budgets`, {
      ...at('2013-02-01'),
      year: 2013,
      lines: {
        infrastructure: 40_000,
        serviceOrganisations: 20_000,
        workerSubsidies: 30_000,
        operatingFunds: 5_000,
      },
    });
    const district = await api.get(`${API}/funding/2013?on=2013-12-31`, tokens.auditor);
    expect(district.body).toMatchObject({
      requiredYuan: 100_000,
      budgetedYuan: 95_000,
      shortfallYuan: 5_000,
      compliant: false,
    });
    await ok(
      '/api/city/funding/budgets',
      { ...at('2013-03-01'), year: 2013, amountYuan: 100_000 },
      tokens.city,
    );
    const city = await api.get('/api/city/funding/2013?on=2013-12-31', tokens.auditor);
    expect(city.body).toMatchObject({ urbanPopulation: 1_000_000, requiredYuan: 100_000, compliant: true });
  });

  describe('bad or unauthorized requests are answered with a problem and store nothing', () => {
    const project = {
      ...decision,
      projectId: 'p-new',
      name: '新项目',
      developer: '某开发商',
      communityId: 'c-new',
      plannedHouseholds: 1000,
      plannedSpaceM2: 350,
    };
    interface Case {
      name: string;
      path: string;
      body: unknown;
      token?: () => string | Promise<string>;
      status: number;
      ruleId?: string;
      field?: string;
    }
    const cases: Case[] = [
      { name: 'no token', path: `${API}/projects`, body: project, token: () => '', status: 401 },
      {
        name: 'token signed with another key',
        path: `${API}/projects`,
        body: project,
        token: () =>
          signAccessToken(
            { sub: 'x', roles: ['officer'], district: '城关区' },
            { ...jwtSettingsFromEnv(), secret: 'not-the-key-not-the-key-not-the-key' },
          ),
        status: 401,
      },
      {
        name: 'auditor may not command',
        path: `${API}/projects`,
        body: project,
        token: () => tokens.auditor,
        status: 403,
      },
      {
        name: 'officer of 七里河区 acting in 城关区',
        path: `${API}/projects`,
        body: project,
        token: () => tokens.qilihe,
        status: 403,
      },
      {
        name: 'district officer recording the city budget',
        path: '/api/city/funding/budgets',
        body: { ...decision, year: 2013, amountYuan: 1 },
        status: 403,
      },
      {
        name: 'unknown district',
        path: '/api/districts/atlantis/projects',
        body: project,
        token: () => tokens.city,
        status: 404,
      },
      {
        name: 'missing effective date',
        path: `${API}/projects`,
        body: { ...project, effectiveAt: undefined },
        status: 400,
        field: 'body.effectiveAt',
      },
      {
        name: 'effective date in the future',
        path: `${API}/projects`,
        body: { ...project, effectiveAt: '2999-01-01' },
        status: 400,
        field: 'body.effectiveAt',
      },
      {
        name: 'missing legal basis',
        path: `${API}/projects`,
        body: { ...project, legalBasis: '' },
        status: 400,
        field: 'body.legalBasis',
      },
      {
        name: 'negative planned space',
        path: `${API}/projects`,
        body: { ...project, plannedSpaceM2: -1 },
        status: 400,
        field: 'body.plannedSpaceM2',
      },
      {
        name: 'unknown field',
        path: `${API}/projects`,
        body: { ...project, colour: 'red' },
        status: 400,
        field: 'body.colour',
      },
      {
        name: 'consultee outside FAC-2',
        path: `${API}/projects/p-ytxy/consultations`,
        body: { ...decision, stage: 'review', consultee: 'developer', opinion: 'favourable', summary: 'x' },
        status: 400,
        field: 'body.consultee',
      },
      {
        name: 'bad id in the path',
        path: `${API}/projects/NOT_AN_ID/construction-start`,
        body: decision,
        status: 400,
        field: 'params.projectId',
      },
      { name: 'malformed JSON', path: `${API}/projects`, body: '{"projectId": ', status: 400 },
      {
        name: 'unknown project',
        path: `${API}/projects/p-nowhere/construction-start`,
        body: decision,
        status: 404,
      },
      {
        name: 'FAC-1 project registered twice',
        path: `${API}/projects`,
        body: { ...project, projectId: 'p-ytxy', effectiveAt: '2016-01-01' },
        status: 422,
        ruleId: 'FAC-1',
      },
      {
        name: 'FAC-2 construction started twice',
        path: `${API}/projects/p-ytxy/construction-start`,
        body: { ...decision, effectiveAt: '2016-01-01' },
        status: 422,
        ruleId: 'FAC-2',
      },
      {
        name: 'FAC-3 second acceptance of an accepted project',
        path: `${API}/projects/p-ytxy/acceptance-inspections`,
        body: { ...decision, effectiveAt: '2016-01-01', builtSpaceM2: 500, inspector: 'x' },
        status: 422,
        ruleId: 'FAC-3',
      },
      {
        name: 'FAC-5 use right to the developer',
        path: `${API}/communities/dongfanghong/facilities`,
        body: {
          ...decision,
          facilityId: 'f-dfh-2',
          areaM2: 50,
          useRightHolder: 'developer',
          manager: 'sub-district-office',
        },
        status: 422,
        ruleId: 'FAC-5',
      },
      {
        name: 'FAC-4 lease without its end date',
        path: `${API}/communities/dongfanghong/space-remedies`,
        body: { ...decision, facilityId: 'f-dfh-lease', kind: 'lease', areaM2: 200 },
        status: 422,
        ruleId: 'FAC-4',
      },
      {
        name: 'FAC-7 conversion to a shop',
        path: `${API}/facilities/f-dfh-office/use-changes`,
        body: { ...decision, newUse: '商铺出租', profitMaking: true },
        status: 422,
        ruleId: 'FAC-7',
      },
      {
        name: 'FUND-2 district budget without its operating funds',
        path: `${API}/funding/budgets`,
        body: {
          ...decision,
          year: 2013,
          lines: { infrastructure: 1, serviceOrganisations: 1, workerSubsidies: 1 },
        },
        status: 422,
        ruleId: 'FUND-2',
      },
      {
        name: 'chronology: a decision on a project dated before its last one',
        path: `${API}/projects/p-ytxy/building-names`,
        body: { ...decision, effectiveAt: '2015-01-01', buildingNames: ['1号楼'] },
        status: 422,
      },
    ];

    // PERSONAL-DATA and Unicode: personal data and text that is not Unicode, refused at the edge.
    cases.push(
      {
        name: 'PERSONAL-DATA a national identity number as the developer',
        path: `${API}/projects`,
        body: { ...project, developer: `个人 ${NATIONAL_ID_NUMBER}` },
        status: 400,
        ruleId: 'PERSONAL-DATA',
        field: 'body.developer',
      },
      {
        name: 'PERSONAL-DATA a national identity number in the project name',
        path: `${API}/projects`,
        body: { ...project, name: `${NATIONAL_ID_NUMBER}号项目` },
        status: 400,
        ruleId: 'PERSONAL-DATA',
        field: 'body.name',
      },
      {
        name: 'PERSONAL-DATA a national identity number in the legal basis',
        path: `${API}/projects`,
        body: { ...project, legalBasis: `身份证号码 ${NATIONAL_ID_NUMBER}` },
        status: 400,
        ruleId: 'PERSONAL-DATA',
        field: 'body.legalBasis',
      },
      {
        name: 'PERSONAL-DATA a national identity number as the community id',
        path: `${API}/projects`,
        body: { ...project, communityId: NATIONAL_ID_NUMBER },
        status: 400,
        ruleId: 'PERSONAL-DATA',
        field: 'body.communityId',
      },
      {
        name: 'PERSONAL-DATA a birth date in the developer',
        path: `${API}/projects`,
        body: { ...project, developer: '张三（出生日期：1970-02-03）' },
        status: 400,
        ruleId: 'PERSONAL-DATA',
        field: 'body.developer',
      },
      {
        name: 'a lone surrogate in the developer (was a 500 while hashing)',
        path: `${API}/projects`,
        body: { ...project, developer: '某开发商\ud800' },
        status: 400,
        field: 'body.developer',
      },
      {
        name: 'a NUL character in the name',
        path: `${API}/projects`,
        body: { ...project, name: '新\u0000项目' },
        status: 400,
        field: 'body.name',
      },
    );

    it('has at least 15 cases', () => expect(cases.length).toBeGreaterThanOrEqual(15));

    it.each(cases)('$name → $status', async (c) => {
      const before = eventCount();
      const token = c.token ? await c.token() : tokens.officer;
      const res = await api.post(c.path, token || undefined, c.body);
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

    it('bytes that are not UTF-8 in a text → 400 naming the field, nothing stored (never U+FFFD)', async () => {
      const before = eventCount();
      const res = await rawRequest(service.url, {
        method: 'POST',
        path: `${API}/projects`,
        headers: { authorization: `Bearer ${tokens.officer}` },
        body: bodyWithInvalidUtf8(project, 'developer'),
      });
      expect(res.status).toBe(400);
      expect(res.contentType).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toEqual([
        { field: 'body.developer', message: expect.stringContaining('UTF-8') },
      ]);
      expect(eventCount()).toEqual(before);
    });

    it('PERSONAL-DATA a national identity number as a path id of a read → 400', async () => {
      const res = await api.get(`${API}/communities/${NATIONAL_ID_NUMBER}`, tokens.auditor);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ ruleId: 'PERSONAL-DATA', errors: [{ field: 'params.communityId' }] });
    });

    it("Fastify's refusals answer problem+json: malformed URL 400, over-long id 414, huge headers 431", async () => {
      const auth = { authorization: `Bearer ${tokens.auditor}` };
      const badUrl = await rawRequest(service.url, { path: `${API}/projects/%E0%A4%A`, headers: auth });
      const longId = await rawRequest(service.url, {
        path: `${API}/projects/a${'b'.repeat(150)}`,
        headers: auth,
      });
      const huge = await rawRequest(service.url, {
        path: `${API}/projects`,
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

    it('?on= is bounded like effectiveAt: 0000-01-01 and 9999-12-31 → 400', async () => {
      for (const path of [
        `${API}/projects?on=0000-01-01`,
        `${API}/communities/yantan-xinyuan?on=9999-12-31`,
        '/api/city/funding/2013?on=0000-01-01',
      ]) {
        const res = await api.get(path, tokens.auditor);
        expect([path, res.status, res.body.errors?.map((e: { field: string }) => e.field)]).toEqual([
          path,
          400,
          ['query.on'],
        ]);
      }
    });

    it('replays the first answer for a repeated Idempotency-Key and stores nothing more', async () => {
      const body = {
        ...at('2016-02-01'),
        utility: 'electricity',
        rateCategory: 'non-residential',
        pricePerUnitYuan: 0.86,
        unit: 'kWh',
      };
      const headers = { 'idempotency-key': 'fac-idem-1' };
      const first = await api.post(`${API}/facilities/f-dfh-office/tariffs`, tokens.officer, body, headers);
      expect(first.status).toBe(201);
      expect(first.body.events[0].ruleIds).toEqual(['FAC-8']);
      const count = eventCount();
      const again = await api.post(`${API}/facilities/f-dfh-office/tariffs`, tokens.officer, body, headers);
      expect(again.body).toEqual(first.body);
      expect(eventCount()).toBe(count);
      const flags = await api.get(`${API}/tariff-flags?on=2016-03-01`, tokens.auditor);
      expect(flags.body.flagged).toEqual([
        expect.objectContaining({ facilityId: 'f-dfh-office', flagged: true }),
      ]);
    });
  });
});
