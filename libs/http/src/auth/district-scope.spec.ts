import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { NotFound } from '#libs/event-sourcing';
import { ProblemException } from '../problem/problem';
import { AuthGuard } from './auth.guard';
import { DistrictScoped, Public, Roles } from './decorators';
import { assertDistrictScope, isWithinDistrictScope } from './district-scope';
import { JWT_AUDIENCE, JWT_ISSUER, type JwtSettings, signAccessToken } from './jwt';

describe('isWithinDistrictScope', () => {
  it('a district officer covers her district, by code or by name', () => {
    const actor = { districtScope: '城关区' };
    expect(isWithinDistrictScope(actor, 'chengguan')).toBe(true);
    expect(isWithinDistrictScope(actor, '城关区')).toBe(true);
    expect(isWithinDistrictScope(actor, 'qilihe')).toBe(false);
    expect(isWithinDistrictScope(actor, 'lanzhou-new-area')).toBe(false);
  });

  it("'*' covers every district", () => {
    for (const d of ['chengguan', 'yuzhong', 'lanzhou-new-area', '兰州新区']) {
      expect(isWithinDistrictScope({ districtScope: '*' }, d)).toBe(true);
    }
  });

  it('unknown districts are never within a district scope', () => {
    expect(isWithinDistrictScope({ districtScope: '城关区' }, 'atlantis')).toBe(false);
    expect(isWithinDistrictScope({ districtScope: 'atlantis' }, 'atlantis')).toBe(false);
  });

  it('assertDistrictScope answers 403', () => {
    expect(() => assertDistrictScope({ districtScope: '七里河区' }, 'chengguan')).toThrow(ProblemException);
    expect(() => assertDistrictScope({ districtScope: '七里河区' }, 'qilihe')).not.toThrow();
  });
});

describe('AuthGuard', () => {
  const settings: JwtSettings = {
    secret: 'guard-test-secret-of-thirty-two-bytes',
    issuer: JWT_ISSUER,
    audience: JWT_AUDIENCE,
    clockToleranceSeconds: 0,
  };
  const guard = new AuthGuard(new Reflector(), settings);

  class Routes {
    @DistrictScoped('district')
    command(): void {}
    read(): void {}
    @Roles('admin')
    adminOnly(): void {}
    @Public()
    open(): void {}
  }

  function context(handler: keyof Routes, method: string, token: string | undefined, params = {}) {
    const request: Record<string, unknown> = {
      method,
      params,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    };
    const ctx = {
      getType: () => 'http',
      getHandler: () => Routes.prototype[handler],
      getClass: () => Routes,
      switchToHttp: () => ({ getRequest: () => request }),
    } as unknown as ExecutionContext;
    return { ctx, request };
  }
  const token = (roles: ('officer' | 'auditor' | 'admin')[], district: string) =>
    signAccessToken({ sub: 'u', roles, district }, settings);
  const status = (p: Promise<unknown>) =>
    p.then(
      () => 200,
      (e: unknown) => (e instanceof ProblemException ? e.problem.status : e instanceof NotFound ? 404 : 500),
    );

  it('lets public routes through without a token', async () => {
    await expect(guard.canActivate(context('open', 'GET', undefined).ctx)).resolves.toBe(true);
  });

  it('puts the actor on the request', async () => {
    const { ctx, request } = context('read', 'GET', await token(['auditor'], 'xigu'));
    await guard.canActivate(ctx);
    expect(request.actor).toEqual({ subject: 'u', roles: ['auditor'], districtScope: '西固区' });
  });

  it('by default, reads take any role and other methods need officer or admin', async () => {
    const auditor = await token(['auditor'], '*');
    expect(await status(guard.canActivate(context('read', 'GET', auditor).ctx))).toBe(200);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      expect(await status(guard.canActivate(context('read', method, auditor).ctx))).toBe(403);
    }
    expect(await status(guard.canActivate(context('read', 'POST', await token(['admin'], '*')).ctx))).toBe(
      200,
    );
  });

  it('@Roles replaces the default', async () => {
    const officer = await token(['officer'], '*');
    expect(await status(guard.canActivate(context('adminOnly', 'GET', officer).ctx))).toBe(403);
  });

  it('@DistrictScoped checks the route parameter against the scope', async () => {
    const qilihe = await token(['officer'], '七里河区');
    const run = (district: string) =>
      status(guard.canActivate(context('command', 'POST', qilihe, { district }).ctx));
    expect(await run('qilihe')).toBe(200);
    expect(await run('chengguan')).toBe(403);
    expect(await run('atlantis')).toBe(404);
  });

  it('401 for a missing or malformed Authorization header', async () => {
    expect(await status(guard.canActivate(context('read', 'GET', undefined).ctx))).toBe(401);
    const { ctx, request } = context('read', 'GET', undefined);
    request.headers = { authorization: 'Basic dXNlcjpwdw==' };
    expect(await status(guard.canActivate(ctx))).toBe(401);
  });
});
