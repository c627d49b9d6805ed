import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { jwtSettingsFromEnv, signAccessToken } from '#libs/http';

/*
 * Start-up of `npm start` on an existing data directory, and the cost of the district lists:
 *   npm run build && node dist/scripts/bench-start.js --data-dir /tmp/seeded [--district chengguan]
 * Starts dist/apps/registry/main.js on the directory (ports 4301-4303, so it can run beside a
 * registry), times until the services listen and until every projection's lag is 0 (the read
 * models answer for everything in the logs), prints the process RSS then, and times GET /areas,
 * /communities (establishment) and /projects (facility) of the district, whole and by pages.
 */

interface Options {
  dataDir: string;
  district: string;
  requests: string;
  readStore?: string;
}

const PORTS = { establishment: 4301, staffing: 4302, facility: 4303 };

const rssMiB = (pid: number, field: 'VmRSS' | 'VmHWM'): number => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  return Math.round(Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) / 1024);
};

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];

async function lagsZero(): Promise<boolean> {
  for (const port of Object.values(PORTS)) {
    const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
    const lags = [...text.matchAll(/^\w*projection_lag\{[^}]*\} (\d+)/gm)].map((m) => Number(m[1]));
    if (lags.length === 0 || lags.some((l) => l > 0)) return false;
  }
  return true;
}

async function timeGets(url: string, token: string, requests: number) {
  const times: number[] = [];
  let rows = 0;
  let status = 0;
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    const body = (await response.json()) as unknown;
    times.push(performance.now() - started);
    status = response.status;
    rows = Array.isArray(body) ? body.length : 0;
  }
  times.sort((a, b) => a - b);
  return { status, rows, p50: percentile(times, 50).toFixed(2), p99: percentile(times, 99).toFixed(2) };
}

const program = new Command()
  .name('node dist/scripts/bench-start.js')
  .requiredOption('--data-dir <dir>', 'a seeded data directory (npm run seed)')
  .option('--district <code>', 'the district whose lists are timed', 'chengguan')
  .option('--requests <n>', 'requests per list', '50')
  .option('--read-store <kind>', 'REGISTRY_READ_STORE for the run (memory or sqlite)')
  .action(async (options: Options) => {
    const main = resolve(__dirname, '../apps/registry/main.js');
    const started = performance.now();
    const child = spawn(process.execPath, [main], {
      env: {
        ...process.env,
        REGISTRY_DATA_DIR: resolve(options.dataDir),
        ESTABLISHMENT_PORT: String(PORTS.establishment),
        STAFFING_PORT: String(PORTS.staffing),
        FACILITY_PORT: String(PORTS.facility),
        ...(options.readStore ? { REGISTRY_READ_STORE: options.readStore } : {}),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    // Never leave the registry running when this script ends early (a closed pipe, Ctrl-C).
    process.once('exit', () => child.kill('SIGTERM'));
    try {
      await new Promise<void>((done, fail) => {
        child.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('Lanzhou community registry')) done();
        });
        child.on('exit', (code) => fail(new Error(`the registry exited with ${code}`)));
      });
      const listening = performance.now() - started;
      while (!(await lagsZero())) await new Promise((r) => setTimeout(r, 50));
      const ready = performance.now() - started;
      console.log(
        `start-up on ${options.dataDir}: listening after ${(listening / 1000).toFixed(2)} s, read models current after ${(ready / 1000).toFixed(2)} s; RSS ${rssMiB(child.pid!, 'VmRSS')} MiB (peak ${rssMiB(child.pid!, 'VmHWM')} MiB)`,
      );
      const token = await signAccessToken(
        { sub: 'bench', roles: ['auditor'], district: '*' },
        jwtSettingsFromEnv(),
        { ttl: '1h' },
      );
      const requests = Number(options.requests);
      const lists = [
        ['areas', PORTS.establishment],
        ['communities', PORTS.establishment],
        ['projects', PORTS.facility],
      ] as const;
      for (const [list, port] of lists)
        for (const query of ['', '?limit=100']) {
          const url = `http://127.0.0.1:${port}/api/districts/${options.district}/${list}${query}`;
          const r = await timeGets(url, token, requests);
          console.log(
            `GET /${list}${query}: ${r.status}, ${r.rows} rows, p50 ${r.p50} ms, p99 ${r.p99} ms (${requests} requests)`,
          );
        }
      console.log(`RSS after the reads ${rssMiB(child.pid!, 'VmRSS')} MiB`);
      // The first command of a district after the start folds its stream (the write side's state
      // cache), and the projection folds it when it sees the event: timed apart from the next ones.
      const officer = await signAccessToken(
        { sub: 'bench', roles: ['officer'], district: '*' },
        jwtSettingsFromEnv(),
        { ttl: '1h' },
      );
      const base = `http://127.0.0.1:${PORTS.establishment}/api/districts/${options.district}`;
      const auth = { authorization: `Bearer ${token}` };
      const [area] = (await fetch(`${base}/areas`, { headers: auth }).then((r) => r.json())) as Array<{
        areaId: string;
        households: number;
      }>;
      const today = new Date().toISOString().slice(0, 10);
      for (const round of [1, 2, 3]) {
        const households = area.households + round;
        const t0 = performance.now();
        const posted = await fetch(`${base}/areas/${area.areaId}/households`, {
          method: 'POST',
          headers: { authorization: `Bearer ${officer}`, 'content-type': 'application/json' },
          body: JSON.stringify({ effectiveAt: today, legalBasis: 'bench-start', households }),
        });
        const t1 = performance.now();
        const read = (await fetch(`${base}/areas/${area.areaId}`, { headers: auth }).then((r) =>
          r.json(),
        )) as {
          households: number;
        };
        const t2 = performance.now();
        console.log(
          `command ${round} on ${area.areaId}: ${posted.status} in ${(t1 - t0).toFixed(0)} ms, then read ${read.households === households ? 'with' : 'WITHOUT'} it in ${(t2 - t1).toFixed(0)} ms`,
        );
      }
      console.log(`RSS after the commands ${rssMiB(child.pid!, 'VmRSS')} MiB`);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });

program.parseAsync().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
