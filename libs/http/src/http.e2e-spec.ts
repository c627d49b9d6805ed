import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  type AccessTokenClaims,
  JWT_AUDIENCE,
  JWT_ISSUER,
  type JwtSettings,
  signAccessToken,
} from './auth/jwt';
import { buildServiceApp, createServiceApp } from './bootstrap/create-service-app';
import { InMemoryIdempotencyStore } from './testing/in-memory-idempotency-store';
import { CommandLog, TestCommitteesModule } from './testing/test-committees.module';

const jwt: JwtSettings = {
  secret: 'e2e-secret-of-at-least-thirty-two-bytes',
  issuer: JWT_ISSUER,
  audience: JWT_AUDIENCE,
  clockToleranceSeconds: 0,
};

const PROBLEMS = 'https://registry.lanzhou.example/problems/';
const valid = { name: '东岗西路社区', households: 2400, effectiveAt: '2013-06-01' };

let app: NestFastifyApplication;
let officer: string;

const tokenFor = (claims: Partial<AccessTokenClaims>, secret = jwt.secret): Promise<string> =>
  signAccessToken(
    { sub: 'official-zhang', roles: ['officer'], district: '城关区', ...claims },
    { ...jwt, secret },
  );

interface Call {
  method?: 'GET' | 'POST';
  url: string;
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

async function call({ method = 'GET', url, token, body, headers = {} }: Call) {
  const response = await app.inject({
    method,
    url,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    ...(body === undefined ? {} : { payload: body as object }),
  });
  const json = response.body ? (JSON.parse(response.body) as Record<string, unknown>) : undefined;
  return { status: response.statusCode, headers: response.headers, json };
}

const post = (
  body: unknown,
  token: string | undefined,
  headers?: Record<string, string>,
  district = 'chengguan',
) => call({ method: 'POST', url: `/api/districts/${district}/committees`, token, body, headers });

beforeAll(async () => {
  app = await buildServiceApp(TestCommitteesModule, {
    name: 'test-committees',
    port: 0,
    title: 'Test committees',
    description: 'libs/http e2e',
    jwt,
    logLevels: false,
  });
  officer = await tokenFor({});
});

afterAll(async () => {
  await app?.close();
});

describe('open routes', () => {
  it('answers /health without a token', async () => {
    const res = await call({ url: '/health' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'ok', service: 'test-committees' });
    expect(typeof res.json?.uptime).toBe('number');
  });

  it('serves the OpenAPI document with the route, its body schema and bearer auth', async () => {
    const res = await call({ url: '/docs-json' });
    expect(res.status).toBe(200);
    interface Operation {
      parameters: unknown[];
      security: unknown;
      requestBody: { content: Record<string, { schema: unknown }> };
      responses: Record<string, { content: Record<string, unknown> }>;
    }
    const doc = res.json as {
      paths: Record<string, Record<string, Operation>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    const post = doc.paths['/api/districts/{district}/committees']?.post;
    expect(post).toBeDefined();
    const schema = post.requestBody.content['application/json'].schema;
    expect(schema).toMatchObject({
      type: 'object',
      required: expect.arrayContaining(['name', 'households', 'effectiveAt']),
      additionalProperties: false,
      properties: { households: { type: 'integer' }, effectiveAt: { type: 'string', format: 'date' } },
    });
    expect(post.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }),
        expect.objectContaining({ name: 'district', in: 'path' }),
      ]),
    );
    expect(post.security).toEqual([{ bearer: [] }]);
    expect(post.responses['422'].content['application/problem+json']).toBeDefined();
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const list = doc.paths['/api/districts/{district}/committees'].get;
    expect(list.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'page', in: 'query' })]),
    );
  });

  it('serves the Swagger UI at /docs', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs' });
    expect([200, 301, 302]).toContain(res.statusCode);
  });
});

describe('authentication and authorisation', () => {
  it('401 without a token, as problem+json with WWW-Authenticate', async () => {
    const res = await call({ url: '/api/districts/chengguan/committees' });
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(res.json).toMatchObject({
      type: `${PROBLEMS}unauthorized`,
      status: 401,
      instance: '/api/districts/chengguan/committees',
    });
  });

  it('401 with a token signed by another key', async () => {
    const forged = await tokenFor(
      { roles: ['admin'], district: '*' },
      'another-secret-of-thirty-two-bytes!!',
    );
    const res = await call({ url: '/api/districts/chengguan/committees', token: forged });
    expect(res.status).toBe(401);
    expect(res.json?.detail).toMatch(/signature/);
  });

  it('any role may read', async () => {
    const auditor = await tokenFor({ roles: ['auditor'] });
    const res = await call({ url: '/api/districts/chengguan/committees', token: auditor });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ page: 1, items: [] });
  });

  it('403 for an auditor on a command', async () => {
    const auditor = await tokenFor({ roles: ['auditor'], district: '*' });
    const res = await post(valid, auditor);
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({ type: `${PROBLEMS}forbidden`, requiredRoles: ['officer', 'admin'] });
  });

  it('403 for an officer of 七里河区 on a chengguan route, before any validation', async () => {
    const qilihe = await tokenFor({ district: '七里河区' });
    const res = await post({}, qilihe);
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({ districtScope: '七里河区', district: 'chengguan' });
  });

  it('a city-wide admin may act in any district; a token may name its district by code', async () => {
    const admin = await tokenFor({ roles: ['admin'], district: '*', sub: 'admin-li' });
    expect((await post(valid, admin, {}, 'anning')).status).toBe(201);
    const byCode = await tokenFor({ district: 'anning', sub: 'official-wang' });
    expect((await post(valid, byCode, {}, 'anning')).status).toBe(201);
  });

  it('404 for a district code that does not exist', async () => {
    const admin = await tokenFor({ roles: ['admin'], district: '*' });
    const res = await call({ url: '/api/districts/atlantis/committees', token: admin });
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ entity: 'district', id: 'atlantis' });
  });
});

describe('validation', () => {
  it('400 naming every failing field, unknown ones included', async () => {
    const res = await post({ name: '', households: 'many', extra: true }, officer);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json?.type).toBe(`${PROBLEMS}validation`);
    const fields = (res.json?.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['body.effectiveAt', 'body.extra', 'body.households', 'body.name']);
  });

  it('400 for invalid path and query parameters', async () => {
    const params = await call({ url: '/api/districts/chengguan/committees/xyz', token: officer });
    expect(params.status).toBe(400);
    expect(params.json?.errors).toEqual([{ field: 'params.committeeId', message: expect.any(String) }]);
    const query = await call({ url: '/api/districts/chengguan/committees?page=0', token: officer });
    expect(query.status).toBe(400);
    expect(query.json?.errors).toEqual([{ field: 'query.page', message: expect.any(String) }]);
  });

  it('400 problem for malformed JSON', async () => {
    const res = await post('{"name":', officer, { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

describe('text the edge refuses', () => {
  const raw = (payload: string | Buffer) =>
    app.inject({
      method: 'POST',
      url: '/api/districts/chengguan/committees',
      headers: { authorization: `Bearer ${officer}`, 'content-type': 'application/json' },
      payload,
    });
  const refusal = (res: Awaited<ReturnType<typeof raw>>) => ({
    status: res.statusCode,
    contentType: res.headers['content-type'],
    body: JSON.parse(res.body) as {
      type: string;
      ruleId?: string;
      errors: { field: string; message: string }[];
    },
  });

  it('400 naming the field for a lone surrogate (not a 500 from the hash chain)', async () => {
    const res = refusal(await raw('{"name":"东岗\\ud800","households":2400,"effectiveAt":"2013-06-01"}'));
    expect(res.status).toBe(400);
    expect(res.contentType).toMatch(/^application\/problem\+json/);
    expect(res.body.type).toBe(`${PROBLEMS}validation`);
    expect(res.body.errors).toEqual([
      { field: 'body.name', message: expect.stringContaining('lone surrogate') },
    ]);
  });

  it('400 naming the field for a NUL character', async () => {
    const res = refusal(await raw(JSON.stringify({ ...valid, name: 'a\u0000b' })));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'body.name', message: expect.stringContaining('NUL') }]);
  });

  it('400 naming the field for bytes that are not UTF-8 (never stored as U+FFFD)', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"name":"东岗'),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from('","households":2400,"effectiveAt":"2013-06-01"}'),
    ]);
    const res = refusal(await raw(bytes));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'body.name', message: expect.stringContaining('UTF-8') }]);
  });

  it('accepts a U+FFFD sent as valid UTF-8, and a paired surrogate (an emoji)', async () => {
    expect((await raw(JSON.stringify({ ...valid, name: '东岗\ufffd🏠' }))).statusCode).toBe(201);
  });

  it('PERSONAL-DATA: 400 with the rule and the field for a national identity number in any field', async () => {
    const res = refusal(await raw(JSON.stringify({ ...valid, name: '申请人 620102199001011233' })));
    expect(res.status).toBe(400);
    expect(res.body.ruleId).toBe('PERSONAL-DATA');
    expect(res.body.errors).toEqual([
      {
        field: 'body.name',
        message: expect.stringContaining('national identity number'),
        ruleId: 'PERSONAL-DATA',
      },
    ]);
    const param = await call({
      url: '/api/districts/chengguan/committees/620102199001011233',
      token: officer,
    });
    expect(param.status).toBe(400);
    expect(param.json?.ruleId).toBe('PERSONAL-DATA');
  });

  it('PERSONAL-DATA: refused only after the guard (401 without a token)', async () => {
    const res = await post({ ...valid, name: '620102199001011233' }, undefined);
    expect(res.status).toBe(401);
  });
});

describe("Fastify's own refusals as problems", () => {
  it('400 problem+json for a malformed URL (FST_ERR_BAD_URL)', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/districts/chengguan/committees/%E0%A4%A' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.body)).toMatchObject({ status: 400, type: `${PROBLEMS}bad-request` });
  });

  it('414 problem+json for an over-long path parameter', async () => {
    const res = await app.inject({
      method: 'GET',
      url: `/api/districts/chengguan/committees/c-${'1'.repeat(200)}`,
      headers: { authorization: `Bearer ${officer}` },
    });
    expect(res.statusCode).toBe(414);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.body)).toMatchObject({ status: 414, type: `${PROBLEMS}uri-too-long` });
  });

  it('documents 414 and 431 on every API operation', async () => {
    const doc = (await call({ url: '/docs-json' })).json as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    for (const [path, item] of Object.entries(doc.paths).filter(([p]) => p.startsWith('/api')))
      for (const [method, operation] of Object.entries(item))
        expect([path, method, Object.keys(operation.responses)]).toEqual([
          path,
          method,
          expect.arrayContaining(['400', '414', '431']),
        ]);
  });
});

describe('domain errors', () => {
  it('422 with the rule id and its details', async () => {
    const res = await post({ ...valid, households: 300 }, officer);
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({
      type: `${PROBLEMS}rule-violation`,
      status: 422,
      ruleId: 'EST-2',
      details: { households: 300, minimum: 1000 },
    });
  });

  it('409 with the expected and actual revisions', async () => {
    const res = await post({ ...valid, name: 'stale' }, officer);
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ type: `${PROBLEMS}revision-conflict`, expected: 3, actual: 4 });
  });

  it('404 for NotFound with entity and id', async () => {
    const res = await call({ url: '/api/districts/chengguan/committees/c-99', token: officer });
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ type: `${PROBLEMS}not-found`, entity: 'committee', id: 'c-99' });
  });

  it('404 problem for an unknown route', async () => {
    const res = await call({ url: '/nowhere?x=1' });
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json).toMatchObject({ status: 404, instance: '/nowhere' });
  });

  it('500 without leaking internals', async () => {
    const res = await post({ ...valid, name: 'crash' }, officer);
    expect(res.status).toBe(500);
    expect(res.json).toMatchObject({ type: `${PROBLEMS}internal-error`, status: 500 });
    expect(JSON.stringify(res.json)).not.toMatch(/sqlite|secret|disk/);
  });
});

describe('idempotency', () => {
  const log = () => app.get(CommandLog);
  const store = () => app.get(InMemoryIdempotencyStore);

  it('replays the first answer for a retry and runs nothing', async () => {
    const before = log().calls.length;
    const first = await post(valid, officer, { 'idempotency-key': 'est-001' });
    expect(first.status).toBe(201);
    expect(first.headers['idempotency-replayed']).toBeUndefined();
    expect(log().calls.at(-1)?.idempotencyKey).toBe('est-001');

    const retry = await post(
      { effectiveAt: valid.effectiveAt, households: 2400, name: valid.name },
      officer,
      {
        'idempotency-key': 'est-001',
      },
    );
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotency-replayed']).toBe('true');
    expect(retry.json).toEqual(first.json);
    expect(log().calls.length).toBe(before + 1);
  });

  it('422 when the key is reused with another body', async () => {
    await post(valid, officer, { 'idempotency-key': 'est-002' });
    const res = await post({ ...valid, households: 2500 }, officer, { 'idempotency-key': 'est-002' });
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ type: `${PROBLEMS}idempotency-key-reused`, idempotencyKey: 'est-002' });
  });

  it('keys are per actor: another officer with the same key runs the command', async () => {
    const before = log().calls.length;
    const other = await tokenFor({ sub: 'official-chen' });
    await post(valid, officer, { 'idempotency-key': 'est-003' });
    const res = await post(valid, other, { 'idempotency-key': 'est-003' });
    expect(res.headers['idempotency-replayed']).toBeUndefined();
    expect(log().calls.length).toBe(before + 2);
  });

  it('serialises concurrent requests with the same key: the command runs once', async () => {
    const before = log().calls.length;
    const answers = await Promise.all(
      [1, 2, 3].map(() => post(valid, officer, { 'idempotency-key': 'est-concurrent' })),
    );
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    expect(answers.filter((a) => a.headers['idempotency-replayed'] === 'true')).toHaveLength(2);
    expect(log().calls.length).toBe(before + 1);
  });

  it('does not remember refusals: a retry runs again', async () => {
    const saved = store().saved.length;
    const refused = await post({ ...valid, households: 10 }, officer, { 'idempotency-key': 'est-004' });
    expect(refused.status).toBe(422);
    const again = await post({ ...valid, households: 10 }, officer, { 'idempotency-key': 'est-004' });
    expect(again.json?.ruleId).toBe('EST-2');
    expect(store().saved.length).toBe(saved);
  });

  it('400 for a key longer than 200 characters', async () => {
    const res = await post(valid, officer, { 'idempotency-key': 'k'.repeat(201) });
    expect(res.status).toBe(400);
    expect(res.json?.errors).toEqual([{ field: 'headers.idempotency-key', message: expect.any(String) }]);
  });
});

describe('a clean stop', () => {
  it('after stopIntake every new request gets a 503 problem document and the connection closes', async () => {
    const running = await createServiceApp(TestCommitteesModule, {
      name: 'test-committees-stopping',
      port: 0,
      title: 'Test committees',
      description: 'libs/http e2e',
      jwt,
      logLevels: false,
    });
    try {
      await running.stopIntake();
      const res = await fetch(`${running.url}/api/districts/chengguan/committees`, {
        method: 'POST',
        headers: { authorization: `Bearer ${officer}`, 'content-type': 'application/json' },
        body: JSON.stringify(valid),
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.headers.get('connection')).toBe('close');
      expect(await res.json()).toMatchObject({
        status: 503,
        type: `${PROBLEMS}closing`,
        instance: '/api/districts/chengguan/committees',
      });
      expect(running.app.get(CommandLog).calls).toEqual([]);
    } finally {
      await running.close();
    }
  });
});
