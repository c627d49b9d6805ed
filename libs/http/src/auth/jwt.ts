import { createSecretKey, type KeyObject } from 'node:crypto';
import { decodeJwt, errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import type { Actor } from '#libs/event-sourcing';
import { findDistrict } from '#libs/contracts';
import { unauthorizedProblem } from '../problem/problem';
import { ROLES, Role } from './roles';
import { setting, type Environment } from '#libs/settings';

export const JWT_ISSUER = 'lanzhou-community-registry';
export const JWT_AUDIENCE = 'registry-api';
/**
 * Known to everyone who reads this file: only for the embedded profile on a developer machine.
 * Production sets REGISTRY_JWT_SECRET (see jwtSettingsFromEnv).
 */
export const DEV_JWT_SECRET = 'lanzhou-registry-dev-secret-change-me';
export const CITY_WIDE = '*';

export interface JwtSettings {
  readonly secret: string;
  readonly issuer: string;
  readonly audience: string;
  /** Tolerated clock skew between the token issuer and us. */
  readonly clockToleranceSeconds: number;
}

export function jwtSettingsFromEnv(env: Environment = process.env): JwtSettings {
  const secret = setting('REGISTRY_JWT_SECRET', env);
  if (!secret && setting('NODE_ENV', env) === 'production') {
    // A well-known default key in production would let anyone mint an admin token.
    throw new Error('REGISTRY_JWT_SECRET must be set when NODE_ENV=production');
  }
  return {
    secret: secret || DEV_JWT_SECRET,
    issuer: JWT_ISSUER,
    audience: JWT_AUDIENCE,
    clockToleranceSeconds: 5,
  };
}

/** District claim: a district name ('城关区'), its code ('chengguan'), or '*' for city-wide staff. */
const districtClaim = z
  .string()
  .refine((d) => d === CITY_WIDE || findDistrict(d) !== undefined, 'not a district of Lanzhou');

const claimsSchema = z.object({
  sub: z.string().min(1),
  name: z.string().optional(),
  roles: z.array(z.enum(ROLES)).min(1),
  district: districtClaim,
});

export interface AccessTokenClaims {
  readonly sub: string;
  readonly name?: string;
  readonly roles: readonly Role[];
  readonly district: string;
}

export interface Principal {
  readonly actor: Actor;
  readonly name?: string;
}

/** The actor's scope is the district's name (what the envelope records) or '*'. */
export function districtScopeOf(district: string): string {
  return district === CITY_WIDE ? CITY_WIDE : (findDistrict(district)?.name ?? district);
}

export async function signAccessToken(
  claims: AccessTokenClaims,
  settings: Pick<JwtSettings, 'secret' | 'issuer' | 'audience'>,
  options: { readonly ttl?: string | number; readonly issuedAt?: Date } = {},
): Promise<string> {
  const parsed = claimsSchema.parse(claims);
  const issuedAt = Math.floor((options.issuedAt ?? new Date()).getTime() / 1000);
  const ttl = options.ttl ?? '8h';
  return new SignJWT({ name: parsed.name, roles: parsed.roles, district: parsed.district })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(parsed.sub)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds(ttl))
    .sign(keyOf(settings.secret));
}

// A client sends the same token with every request until it expires; its signature and claims
// were checked the first time. Remembering the answer until the token's expiry removed a
// thread-pool round trip per request (npm run bench). Bounded; the oldest entries go first.
const verified = new Map<string, { principal: Principal; expiresAtMs: number }>();
const MAX_VERIFIED = 10_000;

/** Verifies signature, algorithm, issuer, audience, expiry and claims; any failure is a 401 problem. */
export async function verifyAccessToken(token: string, settings: JwtSettings): Promise<Principal> {
  const cacheKey = `${settings.secret}\n${settings.issuer}\n${settings.audience}\n${token}`;
  const known = verified.get(cacheKey);
  if (known && Date.now() < known.expiresAtMs) return known.principal;
  verified.delete(cacheKey);
  const principal = await verifyUncached(token, settings);
  const exp = decodeJwt(token).exp;
  if (typeof exp === 'number') {
    if (verified.size >= MAX_VERIFIED) verified.delete(verified.keys().next().value as string);
    verified.set(cacheKey, { principal, expiresAtMs: exp * 1000 });
  }
  return principal;
}

async function verifyUncached(token: string, settings: JwtSettings): Promise<Principal> {
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, keyOf(settings.secret), {
      algorithms: ['HS256'],
      issuer: settings.issuer,
      audience: settings.audience,
      clockTolerance: settings.clockToleranceSeconds,
      requiredClaims: ['sub', 'exp'],
    }));
  } catch (error) {
    throw unauthorizedProblem(reasonOf(error));
  }
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) {
    const fields = [...new Set(claims.error.issues.map((i) => String(i.path[0])))].join(', ');
    throw unauthorizedProblem(`The access token has invalid claims: ${fields}.`);
  }
  const { sub, name, roles, district } = claims.data;
  return {
    actor: { subject: sub, roles: [...new Set(roles)], districtScope: districtScopeOf(district) },
    name,
  };
}

function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The access token has expired.';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'The access token signature is invalid.';
  if (error instanceof errors.JWTClaimValidationFailed)
    return `The access token claim "${error.claim}" is invalid.`;
  if (error instanceof errors.JOSEAlgNotAllowed) return 'The access token is not signed with HS256.';
  return 'The access token is malformed.';
}

const TTL_UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400 };

/** '90' or '90s', '30m', '8h', '2d'; computed here so that `issuedAt` can be set for tests. */
export function ttlSeconds(ttl: string | number): number {
  if (typeof ttl === 'number') return ttl;
  const match = /^(\d+)\s*([smhd]?)$/.exec(ttl.trim());
  if (!match) throw new Error(`invalid ttl "${ttl}": use e.g. 3600, 30m, 8h or 2d`);
  return Number(match[1]) * TTL_UNITS[match[2] || 's'];
}

// Imported once per secret: re-importing the HMAC key on every request was a measurable share
// of a command's CPU (npm run bench).
const keys = new Map<string, KeyObject>();
function keyOf(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    key = createSecretKey(new TextEncoder().encode(secret));
    keys.set(secret, key);
  }
  return key;
}
