import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDist, ROOT } from './support/build';
import { lex, readmeSessionScript, runReadmeSession, type SessionRequest } from './support/readme-session';

/*
 * `npm run demo` and the README's curl session on one fresh registry, in either order: the
 * registry runs as `npm start` runs it (dist/apps/registry/main.js, all three services, the embedded bus), the demo as `npm run demo` runs it, told where the registry is by
 * ESTABLISHMENT_PORT alone, and the README session is read from README.md itself.
 */

const SERVICES = ['community-establishment', 'staffing-elections', 'facility-construction'] as const;
const README_ORIGINS = ['http://127.0.0.1:3001', 'http://127.0.0.1:3002', 'http://127.0.0.1:3003'];

interface Registry {
  readonly child: ChildProcess;
  readonly dataDir: string;
  readonly urls: Record<(typeof SERVICES)[number], string>;
}

/** npm start on a fresh data directory, on free ports; resolves once it lists its services. */
function startRegistry(): Promise<Registry> {
  const dataDir = mkdtempSync(join(tmpdir(), 'registry-demo-readme-'));
  const child = spawn(process.execPath, ['dist/apps/registry/main.js'], {
    cwd: ROOT,
    env: {
      ...process.env,
      REGISTRY_DATA_DIR: dataDir,
      ESTABLISHMENT_PORT: '0',
      STAFFING_PORT: '0',
      FACILITY_PORT: '0',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const urls = Object.fromEntries(
        [...out.matchAll(/^\s+(\S+)\s+(http:\/\/\S+)\s+docs:/gm)].map((m) => [m[1], m[2]]),
      );
      if (SERVICES.every((s) => urls[s])) resolve({ child, dataDir, urls: urls as Registry['urls'] });
    });
    child.on('exit', (code) =>
      reject(new Error(`the registry exited (${code}) before it listened:\n${out}\n${err}`)),
    );
  });
}

async function stopRegistry(registry: Registry | undefined): Promise<void> {
  if (!registry) return;
  if (registry.child.exitCode === null) {
    const exited = new Promise((resolve) => registry.child.once('exit', resolve));
    registry.child.kill('SIGTERM');
    await exited;
  }
  rmSync(registry.dataDir, { recursive: true, force: true });
}

/** `npm run demo` against the registry, told only its establishment port. */
function runDemo(registry: Registry): Promise<{ code: number | null; out: string }> {
  const port = new URL(registry.urls['community-establishment']).port;
  const env: NodeJS.ProcessEnv = { ...process.env, ESTABLISHMENT_PORT: port };
  delete env.ESTABLISHMENT_URL;
  const child = spawn(process.execPath, ['dist/scripts/demo.js'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
}

const readmeSession = (registry: Registry) =>
  runReadmeSession(readmeSessionScript(), {
    urls: Object.fromEntries(README_ORIGINS.map((origin, i) => [origin, registry.urls[SERVICES[i]]])),
    reactionBoundMs: 15_000,
  });

const failed = (requests: SessionRequest[]) =>
  requests
    .filter((r) => r.status < 200 || r.status > 299)
    .map((r) => `${r.method} ${r.url} → ${r.status} ${r.body}`);

async function expectDemoTold(registry: Registry): Promise<void> {
  const demo = await runDemo(registry);
  expect(demo.out).not.toContain('No registry at');
  expect(demo.out).not.toContain('already recorded');
  // It told its own story on this registry rather than showing answers of another one.
  expect(demo.out).toContain('✔ 2001-03-01 白银路社区 established');
  expect(demo.out).toContain('=== Hash chains of the store ===');
  expect(demo.code).toBe(0);
}

function expectReadmeSessionSucceeded(requests: SessionRequest[]): void {
  expect(failed(requests)).toEqual([]);
  // Every curl of the three sections ran: 6 establishment, 8 staffing (the calendar read may be
  // repeated while the election is being called), 10 facility (the loop's curl twice).
  expect(requests.length).toBeGreaterThanOrEqual(24);
}

describe('npm run demo and the README curl session on one fresh registry', () => {
  let registry: Registry | undefined;

  beforeAll(
    () => buildDist('dist/apps/registry/main.js', 'dist/scripts/demo.js', 'dist/scripts/token.js'),
    180_000,
  );
  afterEach(async () => {
    await stopRegistry(registry);
    registry = undefined;
  });

  it('the test reads every curl of the README session', () => {
    const curls = lex(readmeSessionScript()).filter((c) =>
      c[0].some((p) => p.kind === 'lit' && p.text === 'curl'),
    );
    const inSubstitution = readmeSessionScript().match(/\$\(curl /g) ?? [];
    const written = readmeSessionScript().match(/\bcurl /g) ?? [];
    expect(curls.length + inSubstitution.length).toBe(written.length);
  });

  it('the demo first, then the README session: both succeed', async () => {
    registry = await startRegistry();
    await expectDemoTold(registry);
    expectReadmeSessionSucceeded(await readmeSession(registry));
  }, 180_000);

  it('the README session first, then the demo: both succeed, and the demo tells its whole story', async () => {
    registry = await startRegistry();
    expectReadmeSessionSucceeded(await readmeSession(registry));
    await expectDemoTold(registry);
  }, 180_000);
});
