import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { createServiceApp, jwtSettingsFromEnv, signAccessToken, type RunningService } from '#libs/http';
import { StaffingElectionsModule } from '../apps/staffing-elections/src/staffing-elections.module';
import { staffingElectionsService } from '../apps/staffing-elections/src/main';
import { RegistryClient } from '../scripts/demo-story';
import { demoTokens } from '../scripts/demo';
import { bodyWithInvalidUtf8, NATIONAL_ID_NUMBER, rawRequest, undocumentedEdges } from './support/edge';
import type { DemoTokens } from '../scripts/demo-story';

/**
 * The staffing and elections service through HTTP on its embedded SQLite default: an election and
 * the workforce of 城关区 told through the API, answered at past dates, and refusals that store
 * nothing (neither events nor idempotency records).
 */
describe('staffing and elections over HTTP (embedded default)', () => {
  let dataDir: string;
  let service: RunningService;
  let api: RegistryClient;
  let tokens: DemoTokens;
  let dbFile: string;
  const CG = '/api/districts/chengguan';

  const rows = (): { events: number; idempotency: number } => {
    const db = new DatabaseSync(dbFile);
    try {
      const n = (table: string) =>
        Number((db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n);
      return { events: n('events'), idempotency: n('idempotency') };
    } finally {
      db.close();
    }
  };

  const members = ['chair', 'vice-chair', 'member', 'member', 'member', 'member', 'member'].map(
    (role, i) => ({
      personId: `cg-p-${i + 1}`,
      role,
      woman: i === 1,
      ethnicMinority: i === 2,
    }),
  );
  const candidates = [
    ...members.map((m) => ({ personId: m.personId, votes: 700 })),
    { personId: 'cg-p-x', votes: 90 },
  ];

  const post = async (
    path: string,
    body: unknown,
    token = tokens.chengguan,
    headers?: Record<string, string>,
  ) => {
    const res = await api.post(`${CG}${path}`, token, body, headers);
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'staffing-e2e-'));
    process.env.REGISTRY_DATA_DIR = dataDir;
    dbFile = join(dataDir, 'staffing-elections.sqlite');
    service = await createServiceApp(StaffingElectionsModule, {
      ...staffingElectionsService(),
      port: 0,
      logLevels: false,
    });
    api = new RegistryClient(service.url);
    tokens = await demoTokens();

    const basis = { legalBasis: '雁南街道办〔2013〕5号' };
    await post('/elections', {
      ...basis,
      effectiveAt: '2013-04-01',
      electionId: 'yn-e1',
      committeeId: 'cg-yannan-rc',
      communityId: 'cg-yannan',
      reason: 'new-committee',
    });
    await post('/elections/yn-e1/electorate', {
      ...basis,
      effectiveAt: '2013-04-01',
      mode: 'household-representatives',
      registeredVoters: 480,
      households: 500,
    });
    await post('/elections/yn-e1/results', {
      ...basis,
      effectiveAt: '2013-05-20',
      votesCast: 400,
      candidates: candidates.map((c) => ({ ...c, votes: Math.min(c.votes, 390) })),
      elected: members,
      multiEthnicArea: true,
    });
    await post('/workers', {
      ...basis,
      effectiveAt: '2014-03-01',
      personId: 'cg-w-1',
      communityId: 'cg-yannan',
      post: '社区工作者',
      collegeGraduate: true,
    });
    await post('/workers', {
      ...basis,
      effectiveAt: '2014-03-01',
      personId: 'cg-w-2',
      communityId: 'cg-yannan',
      post: '社区工作者',
      collegeGraduate: false,
    });
    await post('/workers/cg-w-1/qualifications', {
      ...basis,
      effectiveAt: '2016-07-01',
      level: 'assistant-social-worker',
      obtainedOn: '2016-06-20',
    });
    await post('/average-wages', {
      ...basis,
      effectiveAt: '2016-02-01',
      year: 2015,
      averageAnnualWageYuan: 48000,
    });
    await post('/workers/cg-w-2/pay', {
      ...basis,
      effectiveAt: '2017-01-10',
      year: 2016,
      annualPayYuan: 40000,
      insurances: ['pension', 'medical'],
      housingFund: false,
    });
    await post('/workers/cg-w-1/welfare', {
      ...basis,
      effectiveAt: '2016-09-01',
      year: 2016,
      kind: 'hardship-subsidy',
      amountYuan: 3000,
    });
    await post('/persons/cg-p-1/posts', {
      ...basis,
      effectiveAt: '2014-01-01',
      communityId: 'cg-yannan',
      body: 'party-organization',
      post: '书记',
    });
    await post('/elections', {
      ...basis,
      effectiveAt: '2016-03-01',
      electionId: 'yn-e2',
      committeeId: 'cg-yannan-rc',
      communityId: 'cg-yannan',
      reason: 'schedule',
    });
    await post('/elections/yn-e2/electorate', {
      ...basis,
      effectiveAt: '2016-03-01',
      mode: 'all-voters',
      registeredVoters: 1000,
    });
    await post('/elections/yn-e2/results', {
      ...basis,
      effectiveAt: '2016-05-15',
      votesCast: 800,
      candidates,
      elected: members,
    });
  }, 60_000);

  afterAll(async () => {
    await service?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('ELECT-1/ELECT-2 answers the composition at two dates, with the term of the law in force', async () => {
    const first = await api.get(`${CG}/committees/cg-yannan-rc/composition?on=2014-01-01`, tokens.auditor);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      termId: 'term-yn-e1',
      endsOn: '2016-05-20',
      termYears: 3,
      size: 7,
      regimeId: 'organic-law-1989',
    });
    const second = await api.get(`${CG}/committees/cg-yannan-rc/composition?on=2017-01-01`, tokens.auditor);
    expect(second.body).toMatchObject({ termId: 'term-yn-e2', endsOn: '2019-05-15' });
    const none = await api.get(`${CG}/committees/cg-yannan-rc/composition?on=2013-01-01`, tokens.auditor);
    expect(none.status).toBe(404);
  });

  it('ELECT-2 the calendar shows the term ending, then overdue', async () => {
    const ending = await api.get(`${CG}/election-calendar?on=2019-01-01`, tokens.auditor);
    expect(ending.body.entries).toEqual([
      expect.objectContaining({ kind: 'term-end', dueOn: '2019-05-15', status: 'ending' }),
    ]);
    const overdue = await api.get(`${CG}/election-calendar?on=2019-06-01`, tokens.auditor);
    expect(overdue.body.entries[0].status).toBe('overdue');
  });

  it('ELECT-2/ELECT-4 the calendar is answered a page at a time by committee id, now and ?on=', async () => {
    // Two more committees with an election called in 2020: three entries, two pages of two.
    for (const c of ['a', 'b'])
      await post('/elections', {
        legalBasis: '雁南街道办〔2020〕1号',
        effectiveAt: '2020-02-01',
        electionId: `paging-${c}-e1`,
        committeeId: `cg-paging-${c}-rc`,
        communityId: `cg-paging-${c}`,
        reason: 'new-committee',
      });
    for (const on of ['2020-03-01', undefined]) {
      const q = on === undefined ? '' : `on=${on}&`;
      const whole = await api.get(
        `${CG}/election-calendar${on === undefined ? '' : `?on=${on}`}`,
        tokens.auditor,
      );
      expect(whole.body.entries.map((e: { committeeId: string }) => e.committeeId)).toEqual([
        'cg-paging-a-rc',
        'cg-paging-b-rc',
        'cg-yannan-rc',
      ]);
      expect(whole.body.next).toBeUndefined();
      expect(whole.headers.get('link')).toBeNull();

      const first = await api.get(`${CG}/election-calendar?${q}limit=2`, tokens.auditor);
      expect(first.body).toEqual({
        on: whole.body.on,
        entries: whole.body.entries.slice(0, 2),
        next: 'cg-paging-b-rc',
      });
      expect(first.headers.get('link')).toBe(
        `<${CG}/election-calendar?${q}limit=2&after=cg-paging-b-rc>; rel="next"`,
      );
      const last = await api.get(
        `${CG}/election-calendar?${q}limit=2&after=${first.body.next}`,
        tokens.auditor,
      );
      expect(last.body).toEqual({ on: whole.body.on, entries: whole.body.entries.slice(2) });
      expect(last.headers.get('link')).toBeNull();
      const beyond = await api.get(`${CG}/election-calendar?${q}after=cg-yannan-rc`, tokens.auditor);
      expect(beyond.body).toEqual({ on: whole.body.on, entries: [] });
    }
    for (const [query, field] of [
      ['limit=0', 'query.limit'],
      ['limit=1001', 'query.limit'],
      ['limit=ten', 'query.limit'],
      ['on=2020-03-01&limit=2.5', 'query.limit'],
      ['after=', 'query.after'],
    ]) {
      const res = await api.get(`${CG}/election-calendar?${query}`, tokens.auditor);
      expect([query, res.status, res.body.errors?.map((e: { field: string }) => e.field)]).toEqual([
        query,
        400,
        [field],
      ]);
    }
  });

  it('ELECT-4 the timeline of the committee traces each decision to its basis, actor and rules', async () => {
    const res = await api.get(`${CG}/committees/cg-yannan-rc/timeline`, tokens.auditor);
    expect(res.body.entries.map((e: any) => e.type)).toEqual([
      'ElectionCalled',
      'ElectorateRegistered',
      'ElectionHeld',
      'TermStarted',
      'ElectionCalled',
      'ElectorateRegistered',
      'ElectionHeld',
      'TermEnded',
      'TermStarted',
    ]);
    const started = res.body.entries.filter((e: any) => e.type === 'TermStarted');
    expect(started).toHaveLength(2);
    expect(started[0]).toMatchObject({
      legalBasis: '雁南街道办〔2013〕5号',
      actor: { subject: 'official-li-cg' },
    });
    expect(started[0].ruleIds).toContain('ELECT-2');
  });

  it('ELECT-4 the timeline of the committee is answered a page at a time: ?limit=, then ?after= the next', async () => {
    const all = (await api.get(`${CG}/committees/cg-yannan-rc/timeline`, tokens.auditor)).body.entries;
    const first = await api.get(`${CG}/committees/cg-yannan-rc/timeline?limit=4`, tokens.auditor);
    expect(first.body.entries).toEqual(all.slice(0, 4));
    const second = await api.get(
      `${CG}/committees/cg-yannan-rc/timeline?limit=4&after=${first.body.next}`,
      tokens.auditor,
    );
    expect(second.body.entries).toEqual(all.slice(4, 8));
    const last = await api.get(
      `${CG}/committees/cg-yannan-rc/timeline?limit=4&after=${second.body.next}`,
      tokens.auditor,
    );
    expect(last.body).toEqual({ committeeId: 'cg-yannan-rc', entries: all.slice(8) });
    const bad = await api.get(`${CG}/committees/cg-yannan-rc/timeline?limit=1001`, tokens.auditor);
    expect([bad.status, bad.body.errors?.map((e: { field: string }) => e.field)]).toEqual([
      400,
      ['query.limit'],
    ]);
  });

  it('STAFF-1/STAFF-3/STAFF-4/STAFF-5/ORG-2 answers roster, indicators, pay findings and posts', async () => {
    const roster = await api.get(`${CG}/communities/cg-yannan/roster?on=2015-01-01`, tokens.auditor);
    expect(roster.body.workers.map((w: any) => w.personId)).toEqual(['cg-w-1', 'cg-w-2']);
    const ratio = await api.get(`${CG}/indicators/qualifications?on=2017-01-01`, tokens.auditor);
    expect(ratio.body).toMatchObject({ workers: 2, qualified: 1, ratio: 0.5, meetsTarget: true });
    const before = await api.get(`${CG}/indicators/qualifications?on=2016-01-01`, tokens.auditor);
    expect(before.body).toMatchObject({ workers: 2, qualified: 0, meetsTarget: false });
    const city = await api.get('/api/indicators/qualifications?on=2017-01-01', tokens.auditor);
    expect(city.body.cityWide).toMatchObject({ workers: 2, qualified: 1 });
    expect(city.body.districts).toHaveLength(9);
    const grads = await api.get(
      `${CG}/indicators/communities-without-graduate?on=2015-01-01`,
      tokens.auditor,
    );
    expect(grads.body.communityIds).toEqual([]);
    const pay = await api.get(`${CG}/indicators/pay-findings?year=2016`, tokens.auditor);
    expect(pay.body.findings).toEqual([
      expect.objectContaining({ personId: 'cg-w-2', belowFloor: true, housingFundMissing: true }),
    ]);
    const posts = await api.get(`${CG}/persons/cg-p-1/posts?on=2015-01-01`, tokens.auditor);
    expect(posts.body.posts.map((p: any) => p.body)).toEqual(['residents-committee', 'party-organization']);
  });

  it('stores no national id number anywhere', () => {
    const db = new DatabaseSync(dbFile);
    try {
      const all = db.prepare('SELECT data, metadata FROM events').all() as {
        data: string;
        metadata: string;
      }[];
      for (const r of all) expect(`${r.data}${r.metadata}`).not.toMatch(/[0-9]{17}[0-9Xx]/);
    } finally {
      db.close();
    }
  });

  describe('refusals: the right status and problem body, and nothing stored', () => {
    const d = { effectiveAt: '2020-01-01', legalBasis: '测试文件' };
    const hire = {
      ...d,
      personId: 'cg-w-9',
      communityId: 'cg-yannan',
      post: '社区工作者',
      collegeGraduate: true,
    };
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
      { name: 'no token', path: `${CG}/workers`, body: hire, token: () => undefined, status: 401 },
      {
        name: 'token signed with another key',
        path: `${CG}/workers`,
        body: hire,
        token: () =>
          signAccessToken(
            { sub: 'x', roles: ['officer'], district: '城关区' },
            { ...jwtSettingsFromEnv(), secret: 'not-the-key-not-the-key-not-the-key' },
          ),
        status: 401,
      },
      {
        name: 'auditor may not command',
        path: `${CG}/workers`,
        body: hire,
        token: () => tokens.auditor,
        status: 403,
      },
      {
        name: 'officer of 七里河区 acting in 城关区',
        path: `${CG}/workers`,
        body: hire,
        token: () => tokens.qilihe,
        status: 403,
      },
      {
        name: 'unknown district',
        path: '/api/districts/atlantis/workers',
        body: hire,
        token: () => signAccessToken({ sub: 'city', roles: ['admin'], district: '*' }, jwtSettingsFromEnv()),
        status: 404,
      },
      {
        name: 'missing legal basis',
        path: `${CG}/workers`,
        body: { ...hire, legalBasis: undefined },
        status: 400,
        field: 'body.legalBasis',
      },
      {
        name: 'effective date in the future',
        path: `${CG}/workers`,
        body: { ...hire, effectiveAt: '2999-01-01' },
        status: 400,
        field: 'body.effectiveAt',
      },
      {
        name: 'unknown field',
        path: `${CG}/workers`,
        body: { ...hire, name: '王芳' },
        status: 400,
        field: 'body.name',
      },
      {
        name: 'PERSONAL-DATA national id as person id (check digit X)',
        path: `${CG}/workers`,
        body: { ...hire, personId: '11010519491231002x' },
        status: 400,
        ruleId: 'PERSONAL-DATA',
        field: 'body.personId',
      },
      {
        name: 'PERSONAL-DATA national id in a text',
        path: `${CG}/workers`,
        body: { ...hire, post: NATIONAL_ID_NUMBER },
        status: 400,
        ruleId: 'PERSONAL-DATA',
        field: 'body.post',
      },
      {
        name: 'PERSONAL-DATA national id in the legal basis',
        path: `${CG}/workers`,
        body: { ...hire, legalBasis: `聘用人 ${NATIONAL_ID_NUMBER}` },
        status: 400,
        ruleId: 'PERSONAL-DATA',
        field: 'body.legalBasis',
      },
      {
        name: 'PERSONAL-DATA a birth date in a text',
        path: `${CG}/workers`,
        body: { ...hire, post: '社区工作者 生于1990年1月1日' },
        status: 400,
        ruleId: 'PERSONAL-DATA',
        field: 'body.post',
      },
      {
        name: 'a lone surrogate in a text (was a 500 while hashing)',
        path: `${CG}/workers`,
        body: { ...hire, post: '\udc00社区工作者' },
        status: 400,
        field: 'body.post',
      },
      {
        name: 'a NUL character in a text',
        path: `${CG}/workers`,
        body: { ...hire, post: '社区\u0000工作者' },
        status: 400,
        field: 'body.post',
      },
      { name: 'malformed JSON', path: `${CG}/workers`, body: '{"personId": ', status: 400 },
      {
        name: 'bad id in the path',
        path: `${CG}/workers/NOT_AN_ID/transfer`,
        body: { ...d, toCommunityId: 'cg-x' },
        status: 400,
        field: 'params.personId',
      },
      {
        name: 'election reason outside ELECT-4',
        path: `${CG}/elections`,
        body: { ...d, electionId: 'e-x', committeeId: 'c-rc', communityId: 'c-x', reason: 'whim' },
        status: 400,
        field: 'body.reason',
      },
      {
        name: 'STAFF-1 hiring a worker already employed',
        path: `${CG}/workers`,
        body: { ...hire, personId: 'cg-w-1' },
        status: 422,
        ruleId: 'STAFF-1',
      },
      {
        name: 'unknown worker',
        path: `${CG}/workers/cg-nobody/transfer`,
        body: { ...d, toCommunityId: 'cg-x' },
        status: 404,
      },
      {
        name: 'unknown election',
        path: `${CG}/elections/e-none/electorate`,
        body: { ...d, mode: 'all-voters', registeredVoters: 10 },
        status: 404,
      },
      {
        name: 'ELECT-4 second first election',
        path: `${CG}/elections`,
        body: {
          ...d,
          electionId: 'yn-e9',
          committeeId: 'cg-yannan-rc',
          communityId: 'cg-yannan',
          reason: 'new-committee',
        },
        status: 422,
        ruleId: 'ELECT-4',
      },
      {
        name: 'ELECT-5 results of an election already held',
        path: `${CG}/elections/yn-e2/results`,
        body: { ...d, votesCast: 800, candidates, elected: members },
        status: 422,
        ruleId: 'ELECT-5',
      },
      {
        name: 'STAFF-3 pay without the previous average wage',
        path: `${CG}/workers/cg-w-1/pay`,
        body: { ...d, year: 2019, annualPayYuan: 50000, insurances: [], housingFund: true },
        status: 422,
        ruleId: 'STAFF-3',
      },
      {
        name: 'STAFF-2 paid leave without days',
        path: `${CG}/workers/cg-w-1/welfare`,
        body: { ...d, year: 2019, kind: 'paid-leave' },
        status: 422,
        ruleId: 'STAFF-2',
      },
      {
        name: 'STAFF-4 certificate from the future',
        path: `${CG}/workers/cg-w-1/qualifications`,
        body: { ...d, level: 'social-worker', obtainedOn: '2020-06-01' },
        status: 422,
        ruleId: 'STAFF-4',
      },
      {
        name: 'STAFF-6 reserved post for a commendation',
        path: `${CG}/workers/cg-w-1/career-events`,
        body: { ...d, kind: 'commended', organization: '城关区', reservedPost: true },
        status: 422,
        ruleId: 'STAFF-6',
      },
      {
        name: 'ORG-2 ending a post never held',
        path: `${CG}/persons/cg-p-1/posts/end`,
        body: { ...d, communityId: 'cg-yannan', body: 'party-organization', post: '委员' },
        status: 422,
        ruleId: 'ORG-2',
      },
      {
        name: 'ELECT-4 ending the terms of an unknown committee',
        path: `${CG}/committees/cg-nobody-rc/terms/end`,
        body: { ...d, reason: 'dissolution' },
        status: 404,
      },
      {
        name: 'ELECT-4 terms end only by dissolution without an election',
        path: `${CG}/committees/cg-yannan-rc/terms/end`,
        body: { ...d, reason: 'whim' },
        status: 400,
        field: 'body.reason',
      },
      {
        name: 'stale If-Match revision',
        path: `${CG}/workers`,
        body: hire,
        headers: { 'if-match': '"0"' },
        status: 409,
      },
    ];

    it.each(cases)('$name → $status', async (c) => {
      const before = rows();
      const token = c.token ? await c.token() : tokens.chengguan;
      const res = await api.post(c.path, token, c.body, {
        'idempotency-key': `refused-${cases.indexOf(c)}`,
        ...c.headers,
      });
      expect(res.status).toBe(c.status);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({
        status: c.status,
        type: expect.any(String),
        title: expect.any(String),
      });
      if (c.ruleId) expect(res.body.ruleId).toBe(c.ruleId);
      if (c.field) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(c.field);
      expect(JSON.stringify(res.body)).not.toMatch(/[0-9]{17}[0-9Xx]/);
      expect(rows()).toEqual(before);
    });

    it('bytes that are not UTF-8 in a text → 400 naming the field, nothing stored (never U+FFFD)', async () => {
      const before = rows();
      const res = await rawRequest(service.url, {
        method: 'POST',
        path: `${CG}/workers`,
        headers: { authorization: `Bearer ${tokens.chengguan}` },
        body: bodyWithInvalidUtf8(hire, 'post'),
      });
      expect(res.status).toBe(400);
      expect(res.contentType).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toEqual([{ field: 'body.post', message: expect.stringContaining('UTF-8') }]);
      expect(rows()).toEqual(before);
    });

    it('PERSONAL-DATA a national identity number as a path id of a read → 400', async () => {
      const res = await api.get(`${CG}/workers/${NATIONAL_ID_NUMBER}`, tokens.auditor);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ ruleId: 'PERSONAL-DATA', errors: [{ field: 'params.personId' }] });
    });

    it("Fastify's refusals answer problem+json: malformed URL 400, over-long id 414, huge headers 431", async () => {
      const auth = { authorization: `Bearer ${tokens.auditor}` };
      const badUrl = await rawRequest(service.url, { path: `${CG}/workers/%E0%A4%A`, headers: auth });
      const longId = await rawRequest(service.url, {
        path: `${CG}/workers/a${'b'.repeat(150)}`,
        headers: auth,
      });
      const huge = await rawRequest(service.url, {
        path: `${CG}/workers`,
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
        `${CG}/committees/cg-yannan-rc/composition?on=0000-01-01`,
        `${CG}/election-calendar?on=9999-12-31`,
        '/api/indicators/qualifications?on=0000-01-01',
      ]) {
        const res = await api.get(path, tokens.auditor);
        expect([path, res.status, res.body.errors?.map((e: { field: string }) => e.field)]).toEqual([
          path,
          400,
          ['query.on'],
        ]);
      }
    });

    it('replays a repeated Idempotency-Key and refuses the key with another body (422)', async () => {
      const headers = { 'idempotency-key': 'staffing-idem-1' };
      const body = {
        ...d,
        personId: 'cg-w-9',
        communityId: 'cg-yannan',
        post: '社区工作者',
        collegeGraduate: false,
      };
      const first = await api.post(`${CG}/workers`, tokens.chengguan, body, headers);
      expect(first.status).toBe(201);
      const count = rows();
      const again = await api.post(`${CG}/workers`, tokens.chengguan, body, headers);
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(rows()).toEqual(count);
      const other = await api.post(`${CG}/workers`, tokens.chengguan, { ...body, post: '站长' }, headers);
      expect(other.status).toBe(422);
      expect(rows()).toEqual(count);
    });
  });

  describe('PERSONAL-DATA: who reads a person’s pay and welfare (http/personal-data.ts)', () => {
    const admin = () =>
      signAccessToken({ sub: 'city-admin', roles: ['admin'], district: '*' }, jwtSettingsFromEnv());

    it('an officer of the district and an admin read pay amounts and welfare records', async () => {
      for (const token of [tokens.chengguan, await admin()]) {
        const pay = await api.get(`${CG}/workers/cg-w-2/pay`, token);
        expect(pay.status).toBe(200);
        expect(pay.body.pay).toEqual([
          expect.objectContaining({ year: 2016, annualPayYuan: 40000, belowFloor: true, housingFund: false }),
        ]);
        const welfare = await api.get(`${CG}/workers/cg-w-1/welfare`, token);
        expect(welfare.body.welfare).toEqual([
          expect.objectContaining({ year: 2016, kind: 'hardship-subsidy', amountYuan: 3000 }),
        ]);
        const findings = await api.get(`${CG}/indicators/pay-findings?year=2016`, token);
        expect(findings.body).toMatchObject({
          personalData: 'full',
          findings: [expect.objectContaining({ personId: 'cg-w-2', annualPayYuan: 40000 })],
        });
      }
    });

    it('an auditor reads the worker’s record and the findings without amounts, and the aggregates', async () => {
      const record = await api.get(`${CG}/workers/cg-w-2`, tokens.auditor);
      expect(record.status).toBe(200);
      expect(record.body).toMatchObject({
        personId: 'cg-w-2',
        status: 'employed',
        communityId: 'cg-yannan',
        pay: [{ year: 2016, belowFloor: true, housingFund: false, missingInsurances: expect.any(Array) }],
      });
      const welfare = await api.get(`${CG}/workers/cg-w-1`, tokens.auditor);
      expect(welfare.body.welfare).toEqual([{ year: 2016, kind: 'hardship-subsidy', records: 1 }]);
      const findings = await api.get(`${CG}/indicators/pay-findings?year=2016`, tokens.auditor);
      expect(findings.body).toMatchObject({
        personalData: 'aggregated',
        findings: [{ personId: 'cg-w-2', belowFloor: true, housingFundMissing: true }],
      });
      for (const body of [record.body, welfare.body, findings.body]) {
        expect(JSON.stringify(body)).not.toMatch(/annualPayYuan|amountYuan|40000|3000\b/);
      }
      // Fewer than three persons: counts, never an average or a total that names someone's pay.
      const aggregate = await api.get(`${CG}/indicators/pay-and-welfare?year=2016`, tokens.auditor);
      expect(aggregate.status).toBe(200);
      expect(aggregate.body).toMatchObject({
        year: 2016,
        workers: 2,
        pay: { records: 1, belowFloor: 1, withoutHousingFund: 1, averageAnnualPayYuan: null },
        welfare: { hardshipSubsidies: { persons: 1, amountYuan: null } },
      });
    });

    type Refusal = {
      name: string;
      path: string;
      token: () => string | undefined | Promise<string>;
      status: number;
      ruleId?: string;
      detail?: RegExp;
    };
    const refusals: Refusal[] = [
      {
        name: 'an auditor reading a worker’s pay amounts',
        path: `${CG}/workers/cg-w-2/pay`,
        token: () => tokens.auditor,
        status: 403,
        ruleId: 'PERSONAL-DATA',
        detail: /pay amounts are personal data/,
      },
      {
        name: 'an auditor reading a worker’s welfare records',
        path: `${CG}/workers/cg-w-1/welfare`,
        token: () => tokens.auditor,
        status: 403,
        ruleId: 'PERSONAL-DATA',
        detail: /welfare records are personal data/,
      },
      {
        name: 'an auditor reading the raw events (they carry pay and welfare)',
        path: `${CG}/events`,
        token: () => tokens.auditor,
        status: 403,
        ruleId: 'PERSONAL-DATA',
      },
      {
        name: 'an officer of 七里河区 reading a worker of 城关区',
        path: `${CG}/workers/cg-w-2`,
        token: () => tokens.qilihe,
        status: 403,
        detail: /七里河区/,
      },
      {
        name: 'an officer of 七里河区 reading the pay of a worker of 城关区',
        path: `${CG}/workers/cg-w-2/pay`,
        token: () => tokens.qilihe,
        status: 403,
        detail: /七里河区/,
      },
      {
        name: 'an officer of 七里河区 reading the pay findings of 城关区',
        path: `${CG}/indicators/pay-findings?year=2016`,
        token: () => tokens.qilihe,
        status: 403,
      },
      { name: 'no token', path: `${CG}/workers/cg-w-2/pay`, token: () => undefined, status: 401 },
      {
        name: 'an unknown worker',
        path: `${CG}/workers/cg-nobody/pay`,
        token: () => tokens.chengguan,
        status: 404,
      },
    ];

    it.each(refusals)('$name → $status, with a problem body and no personal data', async (c) => {
      const res = await api.get(c.path, await c.token());
      expect(res.status).toBe(c.status);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({
        status: c.status,
        type: expect.any(String),
        title: expect.any(String),
      });
      if (c.ruleId) expect(res.body).toMatchObject({ ruleId: c.ruleId, requiredRoles: ['officer', 'admin'] });
      if (c.detail) expect(res.body.detail).toMatch(c.detail);
      expect(JSON.stringify(res.body)).not.toMatch(/40000|3000\b|[0-9]{17}[0-9Xx]/);
    });
  });
});
