import { SignJWT } from 'jose';
import { ProblemException } from '../problem/problem';
import {
  DEV_JWT_SECRET,
  JWT_AUDIENCE,
  JWT_ISSUER,
  type JwtSettings,
  jwtSettingsFromEnv,
  signAccessToken,
  ttlSeconds,
  verifyAccessToken,
} from './jwt';

const settings: JwtSettings = {
  secret: 'unit-test-secret-of-thirty-two-bytes!',
  issuer: JWT_ISSUER,
  audience: JWT_AUDIENCE,
  clockToleranceSeconds: 5,
};
const claims = { sub: 'official-zhang', name: '张伟', roles: ['officer' as const], district: '城关区' };

async function rejection(token: string, with_ = settings): Promise<ProblemException> {
  const error = await verifyAccessToken(token, with_).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ProblemException))
    throw new Error(`expected a ProblemException, got ${String(error)}`);
  expect(error.problem.status).toBe(401);
  return error;
}

describe('verifyAccessToken', () => {
  it('turns valid claims into an Actor whose scope is the district name', async () => {
    const principal = await verifyAccessToken(await signAccessToken(claims, settings), settings);
    expect(principal).toEqual({
      actor: { subject: 'official-zhang', roles: ['officer'], districtScope: '城关区' },
      name: '张伟',
    });
  });

  it('accepts a district code and a city-wide scope', async () => {
    const byCode = await verifyAccessToken(
      await signAccessToken({ ...claims, district: 'qilihe' }, settings),
      settings,
    );
    expect(byCode.actor.districtScope).toBe('七里河区');
    const city = await verifyAccessToken(
      await signAccessToken({ ...claims, roles: ['admin', 'auditor'], district: '*' }, settings),
      settings,
    );
    expect(city.actor).toMatchObject({ districtScope: '*', roles: ['admin', 'auditor'] });
  });

  it('401 for an expired token', async () => {
    const token = await signAccessToken(claims, settings, {
      ttl: '1h',
      issuedAt: new Date(Date.now() - 7200_000),
    });
    expect((await rejection(token)).problem.detail).toMatch(/expired/);
  });

  it('401 for a token signed with another key', async () => {
    const token = await signAccessToken(claims, {
      ...settings,
      secret: 'some-other-secret-thirty-two-bytes!!',
    });
    expect((await rejection(token)).problem.detail).toMatch(/signature/);
  });

  it('401 for a token meant for another audience or from another issuer', async () => {
    const aud = await signAccessToken(claims, { ...settings, audience: 'payroll-api' });
    expect((await rejection(aud)).problem.detail).toMatch(/"aud"/);
    const iss = await signAccessToken(claims, { ...settings, issuer: 'someone-else' });
    expect((await rejection(iss)).problem.detail).toMatch(/"iss"/);
  });

  it('401 for claims outside the contract: unknown district, unknown role, no roles', async () => {
    const key = new TextEncoder().encode(settings.secret);
    const sign = (payload: Record<string, unknown>) =>
      new SignJWT(payload)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('x')
        .setIssuer(JWT_ISSUER)
        .setAudience(JWT_AUDIENCE)
        .setExpirationTime('1h')
        .sign(key);
    expect((await rejection(await sign({ roles: ['officer'], district: '北京' }))).problem.detail).toMatch(
      /district/,
    );
    expect((await rejection(await sign({ roles: ['mayor'], district: '*' }))).problem.detail).toMatch(
      /roles/,
    );
    expect((await rejection(await sign({ roles: [], district: '*' }))).problem.detail).toMatch(/roles/);
  });

  it('401 for other algorithms and for garbage', async () => {
    const hs512 = await new SignJWT({ roles: ['admin'], district: '*' })
      .setProtectedHeader({ alg: 'HS512' })
      .setSubject('x')
      .setIssuer(JWT_ISSUER)
      .setAudience(JWT_AUDIENCE)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(settings.secret.repeat(2)));
    await rejection(hs512);
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({ sub: 'x', roles: ['admin'], district: '*', iss: JWT_ISSUER, aud: JWT_AUDIENCE }),
    ).toString('base64url')}.`;
    await rejection(unsigned);
    expect((await rejection('not-a-jwt')).problem.detail).toMatch(/malformed/);
  });
});

describe('signAccessToken', () => {
  it('refuses claims a verifier would refuse', async () => {
    await expect(signAccessToken({ ...claims, district: 'Gotham' }, settings)).rejects.toThrow();
  });
});

describe('jwtSettingsFromEnv', () => {
  it('uses REGISTRY_JWT_SECRET, else the documented dev default', () => {
    expect(jwtSettingsFromEnv({ REGISTRY_JWT_SECRET: 's3cret' }).secret).toBe('s3cret');
    expect(jwtSettingsFromEnv({}).secret).toBe(DEV_JWT_SECRET);
    expect(jwtSettingsFromEnv({})).toMatchObject({ issuer: JWT_ISSUER, audience: JWT_AUDIENCE });
  });

  it('refuses the dev default in production', () => {
    expect(() => jwtSettingsFromEnv({ NODE_ENV: 'production' })).toThrow(/REGISTRY_JWT_SECRET/);
  });
});

describe('ttlSeconds', () => {
  it.each([
    ['8h', 28800],
    ['30m', 1800],
    ['2d', 172800],
    ['45', 45],
    [60, 60],
  ] as const)('%s is %d seconds', (ttl, seconds) => expect(ttlSeconds(ttl)).toBe(seconds));

  it('refuses other formats', () => expect(() => ttlSeconds('1 week')).toThrow());
});
