import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The test servers' ports. They are picked by binding, below the kernel's
 * ephemeral range (where outgoing connections take their local ports), and a start that fails
 * (another process took the port first) is retried on new ports, the log shown when it gives up.
 * FerretDB is played here by a stand-in binary in a private cache dir, so the failures are exact.
 */
const DIR = __dirname;
const bash = (script: string, env: Record<string, string> = {}) =>
  spawnSync('bash', ['-c', script], {
    cwd: DIR,
    encoding: 'utf8',
    env: { ...process.env, SERVER_NAME: 'ports-spec', ...env },
    timeout: 60_000,
  });

const [ephemeralLow] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
  .trim()
  .split(/\s+/)
  .map(Number);

const listening = (port = 0): Promise<Server> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1' }, () => resolve(server));
  });
const portOf = (server: Server) => (server.address() as { port: number }).port;
const close = (server: Server) => new Promise<void>((r) => server.close(() => r()));

/** A port below the ephemeral range that binds now. */
function someFreePort(): number {
  const out = bash('. ./lib.sh; free_port');
  expect(out.status).toBe(0);
  return Number(out.stdout.trim());
}

describe('test server ports', () => {
  it('picks ports below the kernel ephemeral range, from 10000 up', () => {
    const out = bash('. ./lib.sh; for i in $(seq 1 20); do free_port; done');
    expect(out.status).toBe(0);
    const ports = out.stdout.trim().split(/\s+/).map(Number);
    expect(ports).toHaveLength(20);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(10000);
      expect(port).toBeLessThan(Math.min(ephemeralLow, 32768));
    }
  });

  it('never picks a port an outgoing connection holds, though nothing answers a connect there', async () => {
    const target = await listening();
    // An outgoing connection: the kernel gives it a local port of the ephemeral range.
    const client: Socket = await new Promise((resolve, reject) => {
      const s = connect({ port: portOf(target), host: '127.0.0.1' });
      s.once('connect', () => resolve(s));
      s.once('error', reject);
    });
    const held = client.localPort!;
    try {
      // The old connect probe took it for free.
      expect(bash(`. ./lib.sh; port_in_use ${held}`).status).not.toBe(0);
      const out = bash('. ./lib.sh; free_port', { REGISTRY_PORT_RANGE: `${held}-${held}` });
      expect(out.stdout).toBe('');
      expect(out.stderr).toContain(`could not find 1 free loopback ports in ${held}-${held}`);
      expect(out.status).not.toBe(0);
    } finally {
      client.destroy();
      await close(target);
    }
  });

  describe('ferretdb.sh start on a stand-in server', () => {
    let cache: string;
    let runDir: string;
    let attempts: string;
    const env = (failTimes: number, extra: Record<string, string> = {}) => ({
      REGISTRY_CACHE_DIR: cache,
      STAND_IN_FAIL_TIMES: String(failTimes),
      STAND_IN_ATTEMPTS: attempts,
      ...extra,
    });
    const attemptedPorts = () =>
      readFileSync(attempts, 'utf8')
        .trim()
        .split('\n')
        .map((l) => Number(/127\.0\.0\.1:(\d+)/.exec(l)![1]));

    beforeEach(() => {
      cache = mkdtempSync(join(tmpdir(), 'registry-ports-spec-'));
      runDir = join(cache, 'run');
      attempts = join(cache, 'attempts');
      const bin = join(cache, 'ferretdb-v1.24.2', 'bin');
      mkdirSync(bin, { recursive: true });
      // Fails its first STAND_IN_FAIL_TIMES starts as FerretDB does on a taken port, then listens.
      writeFileSync(
        join(bin, 'ferretdb'),
        `#!/usr/bin/env node
const fs = require('node:fs');
const addr = process.argv.find((a) => a.startsWith('--listen-addr=')).slice('--listen-addr='.length);
fs.appendFileSync(process.env.STAND_IN_ATTEMPTS, addr + '\\n');
const n = fs.readFileSync(process.env.STAND_IN_ATTEMPTS, 'utf8').trim().split('\\n').length;
if (n <= Number(process.env.STAND_IN_FAIL_TIMES)) {
  console.error('stand-in: listen tcp ' + addr + ': bind: address already in use');
  process.exit(1);
}
const [host, port] = addr.split(':');
require('node:net').createServer().listen(Number(port), host);
`,
      );
      chmodSync(join(bin, 'ferretdb'), 0o755);
    });
    afterEach(() => {
      bash(`bash ./ferretdb.sh stop ${runDir}`, { REGISTRY_CACHE_DIR: cache });
      rmSync(cache, { recursive: true, force: true });
    });

    it('retries a start that failed on "address already in use" on new ports', () => {
      const out = bash(`bash ./ferretdb.sh start ${runDir}`, env(1));
      expect(out.stderr).toContain('start attempt 1 of 3 failed');
      expect(out.stderr).toContain('address already in use');
      expect(out.status).toBe(0);
      const [first, second] = attemptedPorts();
      expect(second).not.toBe(first);
      expect(out.stdout.trim()).toBe(`MONGODB_URL=mongodb://127.0.0.1:${second}/`);
    });

    it('gives up after REGISTRY_START_ATTEMPTS, showing the last log and cleaning up', () => {
      const out = bash(`bash ./ferretdb.sh start ${runDir}`, env(99, { REGISTRY_START_ATTEMPTS: '2' }));
      expect(out.status).not.toBe(0);
      expect(attemptedPorts()).toHaveLength(2);
      expect(out.stderr).toContain('start attempt 2 of 2 failed');
      expect(out.stderr).toMatch(/stand-in: listen tcp 127\.0\.0\.1:\d+: bind: address already in use/);
      expect(out.stderr).toContain('2 attempts');
      expect(out.stdout).not.toContain('MONGODB_URL');
    });

    it('does not take another process listening on its port for FerretDB being ready', async () => {
      const squatter = await listening(someFreePort());
      try {
        const out = bash(
          `bash ./ferretdb.sh start ${runDir}`,
          env(99, { FERRETDB_PORT: String(portOf(squatter)) }),
        );
        expect(out.stdout).not.toContain('MONGODB_URL');
        expect(out.status).not.toBe(0);
        // A port of one's choosing is not changed: one attempt.
        expect(attemptedPorts()).toEqual([portOf(squatter)]);
      } finally {
        await close(squatter);
      }
    });
  });
});
