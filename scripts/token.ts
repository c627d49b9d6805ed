import { Command, InvalidArgumentError } from 'commander';
import { CITY_WIDE, jwtSettingsFromEnv, ROLES, type Role, signAccessToken, ttlSeconds } from '#libs/http';
import { DISTRICTS, findDistrict } from '#libs/contracts';

/*
 * Prints a bearer token signed with REGISTRY_JWT_SECRET (or the documented dev default), so that
 * the curl examples work against `npm start`:
 *   TOKEN=$(npm run -s token -- --role officer --district 城关区)
 *   curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:3001/api/districts/chengguan/...
 */

function collectRoles(value: string, previous: Role[] | undefined): Role[] {
  const roles = value
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  for (const role of roles) {
    if (!(ROLES as readonly string[]).includes(role)) {
      throw new InvalidArgumentError(`"${role}" is not one of ${ROLES.join(', ')}.`);
    }
  }
  return [...new Set([...(previous ?? []), ...(roles as Role[])])];
}

function district(value: string): string {
  if (value !== CITY_WIDE && !findDistrict(value)) {
    const known = DISTRICTS.map((d) => `${d.code} (${d.name})`).join(', ');
    throw new InvalidArgumentError(`not a district of Lanzhou; use '*' or one of: ${known}.`);
  }
  return value;
}

function ttl(value: string): string {
  try {
    ttlSeconds(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
  return value;
}

const program = new Command()
  .name('npm run token --')
  .description('Print a JWT for the registry API (HS256, issuer and audience of the registry).')
  .requiredOption('--role <role>', `role, repeatable or comma-separated: ${ROLES.join(', ')}`, collectRoles)
  .option(
    '--district <district>',
    "district name (城关区) or code (chengguan), or '*' for city-wide",
    district,
    CITY_WIDE,
  )
  .option('--sub <subject>', 'subject: the official id', 'official-dev')
  .option('--name <name>', 'display name, e.g. 张伟')
  .option('--ttl <ttl>', 'lifetime: seconds or 30m, 8h, 2d', ttl, '8h')
  .action(async (options: { role: Role[]; district: string; sub: string; name?: string; ttl: string }) => {
    if (!options.role.length) program.error('at least one --role is needed');
    const token = await signAccessToken(
      { sub: options.sub, name: options.name, roles: options.role, district: options.district },
      jwtSettingsFromEnv(),
      { ttl: options.ttl },
    );
    process.stdout.write(`${token}\n`);
  });

program.parseAsync().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
