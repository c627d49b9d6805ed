import 'reflect-metadata';
import { Command, InvalidArgumentError } from 'commander';
import { spawn, type ChildProcess } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { createInterface } from 'node:readline';
import { SqliteEventStore, upcastingEventStore } from '#libs/event-sourcing';
import { rebuildProjection, SqliteReadStore } from '#libs/read-store';
import {
  auditorToken,
  KeepAliveClient,
  machineInfo,
  msSince,
  nowNs,
  officerTokens,
  percentile,
  positiveInt,
  type HttpAnswer,
} from './bench-kit';
import {
  COMMAND_CONCURRENCY,
  curvesOf,
  curvesTable,
  growthSvg,
  verdictsOf,
  verdictsTable,
  type CommandMeasure,
  type QuestionMeasure,
  type RebuildMeasure,
  type SizeMeasures,
  type Stat,
} from './bench-growth-report';
import { historySize, isScaleName, PROGRESS_FILE, SCALES, type ScaleName } from './seed';
import { PROJECTIONS, READ_INDEXES, readFileOf } from './read-models';
import { upcastersOf } from './upcasters';

/*
 * `npm run bench:growth -- [--sizes lanzhou-10,lanzhou-40,lanzhou] [--data-root data/growth]
 *    [--commands N] [--questions Q] [--svg F] [--json [F]]`
 *
 * A benchmark, not a test: the cost of the same commands and questions of the three services at
 * several sizes of a seeded registry, as curves, with the growth targets' verdicts. For each size:
 *   1. the seeded data directory <data-root>/<scale> (`npm run seed`, run here when it is missing
 *      or unfinished; it resumes), copied to a scratch directory: every measure runs on the copy,
 *      so the seeded history stays as seeded and a rerun measures the same data;
 *   2. `npm start` (dist/apps/registry/main.js, the embedded default, on free ports) spawned on the
 *      copy: the start-up time until every service answers /health/ready, and until every read
 *      model is current (projection lag 0 in /metrics);
 *   3. the questions through HTTP, one at a time, in 城关区 about entities every size has (block 0);
 *   4. the commands through HTTP, one at a time and 16 in flight, in 城关区, dated after the seeded
 *      history; a refused command or any answer but the expected one fails the benchmark;
 *   5. the registry's VmRSS and VmHWM (/proc), then it is stopped;
 *   6. the rebuild of every service's read models (into its SQLite read store on the copy, as
 *      `npm run rebuild` does by default) beside a raw read and JSON.parse of the data and
 *      metadata of the same rows.
 * Then the curves (a row per measure, a column per size), the targets with their verdicts, and
 * the plot (--svg). The exit code is 0 whether targets are met or not; non-zero when the benchmark
 * itself fails.
 */

const ROOT = resolve(__dirname, '../..');
const SERVICES = ['community-establishment', 'staffing-elections', 'facility-construction'] as const;
type Service = (typeof SERVICES)[number];

/** 城关区: the largest district; block 0 of it is founded in 2005 at every size. */
const DISTRICT = 'chengguan';
const BLOCK = `${DISTRICT}-c0`;
/** Town areas of block 0 that every scale has (the small scale founds 3 per block). */
const AREAS = [0, 1, 2].map((a) => `${BLOCK}-a${a}`);
/** After the seed's last date (2026-05), not after today. */
const COMMAND_DATE = '2026-07-01';
/** The past date of the `?on=` and `?asOf=` questions: block 0 is ten years old then. */
const PAST = '2015-06-30';
const ROUNDS = 4;

const log = (line = '') => console.log(line);

interface Options {
  sizes: string[];
  dataRoot: string;
  commands: number;
  questions: number;
  svg: string;
  json?: string | boolean;
}

// ---- 1. the seeded data directory ----------------------------------------------------------------

/** Whether a directory holds the whole seeded history of a scale. */
export function seeded(dir: string, scale: ScaleName): boolean {
  const file = join(dir, PROGRESS_FILE);
  if (!existsSync(file)) return false;
  const progress = JSON.parse(readFileSync(file, 'utf8')) as { scale: string; done: number };
  if (progress.scale !== scale)
    throw new Error(`${dir} holds a seed of scale ${progress.scale}, not ${scale}`);
  return progress.done === historySize(SCALES[scale]);
}

/**
 * Seeds (or resumes seeding) a scale with `npm run seed` in a process of its own, printing its
 * progress: the seed starts the three services in its process, which the measures must not share.
 */
export function ensureSeeded(dir: string, scale: ScaleName): Promise<void> {
  if (seeded(dir, scale)) return Promise.resolve();
  log(`   seeding ${scale} into ${dir} (resumable: rerun to continue) …`);
  const child = spawn(
    process.execPath,
    [join(ROOT, 'dist/scripts/seed.js'), '--scale', scale, '--data-dir', dir],
    { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'error' }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  createInterface({ input: child.stdout! }).on('line', (line) => log(`   │ ${line}`));
  return new Promise((resolveSeed, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`npm run seed -- --scale ${scale} exited ${code}`));
      else if (!seeded(dir, scale)) reject(new Error(`the seed of ${scale} in ${dir} did not finish`));
      else resolveSeed();
    });
  });
}

function directoryBytes(dir: string): number {
  return readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
}

function eventCount(file: string): number {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return Number(db.prepare('SELECT count(*) AS n FROM events').get()!.n);
  } finally {
    db.close();
  }
}

// ---- 2. the registry -----------------------------------------------------------------------------

interface Registry {
  readonly child: ChildProcess;
  readonly urls: Record<Service, string>;
  readonly startup: SizeMeasures['startup'];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function answers(url: string, path: string): Promise<HttpAnswer | undefined> {
  const client = new KeepAliveClient(url);
  try {
    return await client.request('GET', path, '');
  } catch {
    return undefined;
  } finally {
    client.close();
  }
}

/**
 * Every read model of a service caught up with its store (projection lag 0 in /metrics). The
 * relay's lag is not asked: with nobody subscribed to a service's events it never moves.
 */
async function current(url: string): Promise<boolean> {
  const metrics = await answers(url, '/metrics');
  if (metrics?.status !== 200) return false;
  const lags = [...metrics.text.matchAll(/^\w*projection_lag(?:\{[^}]*\})?\s+(\S+)$/gm)];
  return lags.length > 0 && lags.every((m) => Number(m[1]) === 0);
}

/**
 * `npm start` on a data directory, as a user starts it (the build is done), on free ports and the
 * embedded default: no Kafka, no MongoDB, whatever this shell has set.
 */
async function startRegistry(dataDir: string): Promise<Registry> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    REGISTRY_DATA_DIR: dataDir,
    ESTABLISHMENT_PORT: '0',
    STAFFING_PORT: '0',
    FACILITY_PORT: '0',
    LOG_LEVEL: 'error',
  };
  for (const v of ['KAFKA_BROKERS', 'MONGODB_URL', 'REGISTRY_PROFILE', 'REGISTRY_RELAY']) delete env[v];
  const started = nowNs();
  const child = spawn(process.execPath, [join(ROOT, 'dist/apps/registry/main.js')], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const urls = await new Promise<Record<Service, string>>((resolveUrls, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const found = Object.fromEntries(
        [...out.matchAll(/^\s+(\S+)\s+(http:\/\/\S+)\s+docs:/gm)].map((m) => [m[1], m[2]]),
      );
      if (SERVICES.every((s) => found[s])) resolveUrls(found as Record<Service, string>);
    });
    child.on('exit', (code) =>
      reject(new Error(`the registry exited (${code}) before it listened:\n${out}\n${err}`)),
    );
  });
  const until = async (test: (url: string) => Promise<boolean>): Promise<number> => {
    for (const s of SERVICES)
      while (!(await test(urls[s]))) {
        if (child.exitCode !== null) throw new Error(`the registry exited (${child.exitCode}):\n${err}`);
        if (msSince(started) > 90 * 60_000) throw new Error(`${s} was not ready after 90 minutes`);
        await sleep(5);
      }
    return msSince(started);
  };
  const readyMs = await until(async (url) => (await answers(url, '/health/ready'))?.status === 200);
  const currentMs = await until(current);
  return { child, urls, startup: { readyMs, currentMs } };
}

async function stopRegistry(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** VmRSS and VmHWM of a process, MiB. */
function memoryOf(pid: number): SizeMeasures['memory'] {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    if (!m) throw new Error(`no ${field} in /proc/${pid}/status`);
    return Number(m[1]) / 1024;
  };
  return { rssMiB: kb('VmRSS'), hwmMiB: kb('VmHWM') };
}

// ---- 3. and 4. questions and commands through HTTP -----------------------------------------------

interface Timed {
  latencies: number[];
  totalMs: number;
  bytes: number[];
}

interface Call {
  readonly path: string;
  readonly body?: Record<string, unknown>;
  readonly key?: string;
}

/**
 * Sends the calls with `concurrency` in flight and times each one; a GET must answer 200, a POST
 * 201 with at least one event: anything else is a broken benchmark, not a data point.
 */
async function send(
  client: KeepAliveClient,
  token: string,
  calls: readonly Call[],
  concurrency: number,
  into: Timed,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let k = next++; k < calls.length; k = next++) {
      const call = calls[k];
      const t = nowNs();
      const answer = call.body
        ? await client.request('POST', call.path, token, JSON.stringify(call.body), {
            'idempotency-key': call.key!,
          })
        : await client.request('GET', call.path, token);
      into.latencies.push(msSince(t));
      into.bytes.push(answer.text.length);
      const events: unknown = call.body ? KeepAliveClient.json(answer)?.events : undefined;
      if (
        call.body
          ? answer.status !== 201 || !Array.isArray(events) || events.length === 0
          : answer.status !== 200
      )
        throw new Error(
          `${call.body ? 'POST' : 'GET'} ${call.path}${call.body ? ` ${JSON.stringify(call.body)}` : ''}: HTTP ${answer.status} ${answer.text.slice(0, 500)}`,
        );
    }
  };
  const t0 = nowNs();
  await Promise.all(Array.from({ length: Math.min(concurrency, calls.length) }, worker));
  into.totalMs += msSince(t0);
}

function statOf(t: Timed): Stat {
  const sorted = [...t.latencies].sort((a, b) => a - b);
  return {
    ops: sorted.length,
    perSecond: sorted.length / (t.totalMs / 1000),
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
  };
}

const api = (path: string) => `/api/districts/${DISTRICT}${path}`;

interface Question {
  readonly name: string;
  readonly service: Service;
  readonly path: string;
}

/** The questions: current state, `?on=` and `?asOf=`, timelines, responsibility, district-wide lists. */
export const QUESTIONS: readonly Question[] = [
  // Lists are answered a page at a time (keyset, `?limit=`): the first page of 50, as a screen asks.
  ['areas of the district, now (a page of 50)', 'community-establishment', '/areas?limit=50'],
  ['communities of the district, now (a page of 50)', 'community-establishment', '/communities?limit=50'],
  ['an area, now', 'community-establishment', `/areas/${AREAS[0]}`],
  ['a community, now', 'community-establishment', `/communities/${BLOCK}`],
  [
    `areas of the district ?asOf=${PAST} (a page of 50)`,
    'community-establishment',
    `/areas?asOf=${PAST}&limit=50`,
  ],
  [`an area ?asOf=${PAST}`, 'community-establishment', `/areas/${AREAS[0]}?asOf=${PAST}`],
  [`a community ?asOf=${PAST}`, 'community-establishment', `/communities/${BLOCK}?asOf=${PAST}`],
  [
    `responsibility of an area ?on=${PAST}`,
    'community-establishment',
    `/areas/${AREAS[0]}/responsibility?on=${PAST}`,
  ],
  ['timeline of an area', 'community-establishment', `/areas/${AREAS[0]}/timeline`],
  ['timeline of a community', 'community-establishment', `/communities/${BLOCK}/timeline`],
  ['coverage findings of the district', 'community-establishment', '/coverage/findings'],
  ['a committee, now', 'staffing-elections', `/committees/${BLOCK}-rc/composition`],
  [`a committee ?on=${PAST}`, 'staffing-elections', `/committees/${BLOCK}-rc/composition?on=${PAST}`],
  [`roster of a community ?on=${PAST}`, 'staffing-elections', `/communities/${BLOCK}/roster?on=${PAST}`],
  ['timeline of a committee', 'staffing-elections', `/committees/${BLOCK}-rc/timeline`],
  // The district-wide reports, paged by id too: their first page of 50, as the lists above.
  ['election calendar, now (a page of 50)', 'staffing-elections', '/election-calendar?limit=50'],
  [
    `election calendar ?on=${PAST} (a page of 50)`,
    'staffing-elections',
    `/election-calendar?on=${PAST}&limit=50`,
  ],
  ['a project, now', 'facility-construction', `/projects/${BLOCK}-pj`],
  [`a project ?on=${PAST}`, 'facility-construction', `/projects/${BLOCK}-pj?on=${PAST}`],
  ["a community's space, now", 'facility-construction', `/communities/${BLOCK}`],
  [`a community's space ?on=${PAST}`, 'facility-construction', `/communities/${BLOCK}?on=${PAST}`],
  ['space shortfalls, now (a page of 50)', 'facility-construction', '/space-shortfalls?limit=50'],
  [
    `space shortfalls ?on=${PAST} (a page of 50)`,
    'facility-construction',
    `/space-shortfalls?on=${PAST}&limit=50`,
  ],
].map(([name, service, path]) => ({ name, service: service as Service, path: api(path) }));

async function measureQuestions(urls: Record<Service, string>, count: number): Promise<QuestionMeasure[]> {
  const token = await auditorToken();
  const clients = Object.fromEntries(SERVICES.map((s) => [s, new KeepAliveClient(urls[s])])) as Record<
    Service,
    KeepAliveClient
  >;
  try {
    const timed = QUESTIONS.map((): Timed => ({ latencies: [], totalMs: 0, bytes: [] }));
    const calls = (q: Question, n: number) => Array.from({ length: n }, () => ({ path: q.path }));
    // Warm-up (JIT, caches), then rounds in which every question takes its turn.
    for (const q of QUESTIONS)
      await send(clients[q.service], token, calls(q, 2), 1, { latencies: [], totalMs: 0, bytes: [] });
    for (let r = 0; r < ROUNDS; r++)
      for (const [k, q] of QUESTIONS.entries()) {
        const n = Math.floor((count * (r + 1)) / ROUNDS) - Math.floor((count * r) / ROUNDS);
        await send(clients[q.service], token, calls(q, n), 1, timed[k]);
      }
    return QUESTIONS.map((q, k) => ({
      name: q.name,
      service: q.service,
      path: q.path,
      stat: statOf(timed[k]),
      bytes: percentile(
        [...timed[k].bytes].sort((a, b) => a - b),
        0.5,
      ),
    }));
  } finally {
    for (const c of Object.values(clients)) c.close();
  }
}

interface CommandWorkload {
  readonly name: string;
  readonly service: Service;
  /** Its share of --commands (a committee with ten new areas grows the district by ten areas). */
  readonly share: number;
  /** The i-th command of a run (run: a prefix that keeps the ids of runs apart). */
  call(run: string, i: number): Call;
}

const decision = (legalBasis: string) => ({ effectiveAt: COMMAND_DATE, legalBasis });

/**
 * The commands, in the order each round runs them: a worker leaves only after the same round
 * hired him. Every command is valid after the seeded history at every size.
 */
export const COMMANDS: readonly CommandWorkload[] = [
  {
    name: 'occupancy report of an area',
    service: 'community-establishment',
    share: 1,
    call: (run, i) => ({
      path: api(`/areas/${AREAS[i % AREAS.length]}/occupancy-reports`),
      body: { ...decision(`入住率报告2026-${run}-${i}`), occupiedHouseholds: 100 + (i % 99) },
    }),
  },
  {
    name: 'households of an area',
    service: 'community-establishment',
    share: 1,
    call: (run, i) => ({
      path: api(`/areas/${AREAS[i % AREAS.length]}/households`),
      // At least 200: the occupancy reports above never exceed the households (EST-2).
      body: { ...decision(`城关区民政局〔2026〕${run}${i}号`), households: 200 + (i % 300) },
    }),
  },
  {
    name: 'committee with 10 new areas',
    service: 'community-establishment',
    share: 0.1,
    call: (run, i) => {
      const cid = `gw-${run}-${i}`;
      return {
        path: api('/committees'),
        body: {
          ...decision(`城关区政发〔2026〕${run}${i}号`),
          communityId: cid,
          committeeId: `${cid}-rc`,
          name: `增长基准${run}${i}社区居民委员会`,
          newAreas: Array.from({ length: 10 }, (_, a) => ({
            areaId: `${cid}-a${a}`,
            name: `增长基准${run}${i}社区${a + 1}片`,
            kind: 'existing-town-area',
            subDistrict: '增长基准街道',
            households: 300,
            adjacentAreaIds: a > 0 ? [`${cid}-a${a - 1}`] : [],
          })),
        },
      };
    },
  },
  {
    name: 'hire a worker',
    service: 'staffing-elections',
    share: 1,
    call: (run, i) => ({
      path: api('/workers'),
      body: {
        ...decision(`城关区社区工作者招聘〔2026〕${run}${i}号`),
        personId: `gw-${run}-w${i}`,
        communityId: BLOCK,
        post: '社区工作者',
        collegeGraduate: i % 3 === 0,
      },
    }),
  },
  {
    name: 'a worker leaves',
    service: 'staffing-elections',
    share: 1,
    call: (run, i) => ({
      path: api(`/workers/gw-${run}-w${i}/leaving`),
      body: { ...decision(`城关区民政局〔2026〕${run}${i}号`), reason: 'resigned' },
    }),
  },
  {
    name: 'recompute the space requirement',
    service: 'facility-construction',
    share: 1,
    call: (run, i) => ({
      path: api(`/communities/${BLOCK}/requirement-recomputations`),
      body: {
        ...decision(`城关区住建局〔2026〕${run}${i}号`),
        households: 2000 + (i % 500),
        reason: 'review',
        sourceEventId: `gw-${run}-${i}`,
      },
    }),
  },
  {
    name: 'record a facility',
    service: 'facility-construction',
    share: 1,
    call: (run, i) => ({
      path: api(`/communities/${BLOCK}/facilities`),
      body: {
        ...decision(`城关区住建局〔2026〕${run}${i}号`),
        facilityId: `gw-${run}-f${i}`,
        areaM2: 20 + (i % 30),
        useRightHolder: 'residents-committee',
        manager: 'sub-district-office',
      },
    }),
  },
];

async function measureCommands(urls: Record<Service, string>, count: number): Promise<CommandMeasure[]> {
  const { [DISTRICT]: token } = await officerTokens([{ code: DISTRICT }]);
  const clients = Object.fromEntries(SERVICES.map((s) => [s, new KeepAliveClient(urls[s])])) as Record<
    Service,
    KeepAliveClient
  >;
  const sent = (run: string, w: CommandWorkload, from: number, n: number): Call[] =>
    Array.from({ length: n }, (_, k) => {
      const call = w.call(run, from + k);
      return { ...call, key: `bench-growth-${run}-${COMMANDS.indexOf(w)}-${from + k}` };
    });
  try {
    for (const w of COMMANDS) {
      const warm = Math.max(1, Math.round((count * w.share) / 20));
      await send(clients[w.service], token, sent('w', w, 0, warm), 1, {
        latencies: [],
        totalMs: 0,
        bytes: [],
      });
    }
    const levels = [
      { run: 's', concurrency: 1 },
      { run: 'c', concurrency: COMMAND_CONCURRENCY },
    ];
    const stats = COMMANDS.map(() => [] as Stat[]);
    for (const { run, concurrency } of levels) {
      const timed = COMMANDS.map((): Timed => ({ latencies: [], totalMs: 0, bytes: [] }));
      for (let r = 0; r < ROUNDS; r++)
        for (const [k, w] of COMMANDS.entries()) {
          const total = Math.max(ROUNDS, Math.round(count * w.share));
          const from = Math.floor((total * r) / ROUNDS);
          const n = Math.floor((total * (r + 1)) / ROUNDS) - from;
          await send(clients[w.service], token, sent(run, w, from, n), concurrency, timed[k]);
        }
      timed.forEach((t, k) => stats[k].push(statOf(t)));
    }
    return COMMANDS.map((w, k) => ({
      name: w.name,
      service: w.service,
      sequential: stats[k][0],
      concurrent: stats[k][1],
    }));
  } finally {
    for (const c of Object.values(clients)) c.close();
  }
}

// ---- 6. rebuild beside a raw read and parse -------------------------------------------------------

let sink = 0;

function rawReadAndParse(file: string): number {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const t0 = nowNs();
    for (const row of db.prepare('SELECT data, metadata FROM events ORDER BY global_position').iterate()) {
      const data: unknown = JSON.parse(row.data as string);
      const metadata: unknown = JSON.parse(row.metadata as string);
      if (data === null || metadata === null) sink++;
    }
    return msSince(t0);
  } finally {
    db.close();
  }
}

/**
 * As `npm run rebuild -- <service>` does it by default: the service's upcasters and projections,
 * into the SQLite read store beside its log (`<service>.read.sqlite`, the registry's own on the
 * copy: its read models cleared first), until the store is closed (its last group committed).
 */
async function rebuildMs(service: Service, file: string): Promise<{ ms: number; events: number }> {
  const store = upcastingEventStore(
    await SqliteEventStore.open({ file, readOnly: true }),
    upcastersOf(service),
  );
  try {
    const t0 = nowNs();
    const readStore = SqliteReadStore.open({ file: readFileOf(file), indexes: READ_INDEXES[service] });
    let events = 0;
    try {
      for (const projection of PROJECTIONS[service](store))
        events += (await rebuildProjection({ store, readStore, projection })).events;
    } finally {
      await readStore.close();
    }
    return { ms: msSince(t0), events };
  } finally {
    await store.close();
  }
}

async function measureRebuild(dataDir: string): Promise<RebuildMeasure[]> {
  const out: RebuildMeasure[] = [];
  for (const service of SERVICES) {
    const file = join(dataDir, `${service}.sqlite`);
    rawReadAndParse(file); // the page cache, as warm for the rebuild as for the raw read
    const rebuild = await rebuildMs(service, file);
    const rawMs = rawReadAndParse(file);
    out.push({ service, events: eventCount(file), rebuildMs: rebuild.ms, rawMs });
    log(
      `   rebuild ${service}: ${rebuild.events} events in ${(rebuild.ms / 1000).toFixed(2)} s; raw read + parse ${(rawMs / 1000).toFixed(2)} s`,
    );
  }
  return out;
}

// ---- one size ------------------------------------------------------------------------------------

async function countOf(url: string, path: string): Promise<number> {
  const client = new KeepAliveClient(url);
  try {
    const answer = await client.request('GET', path, await auditorToken());
    const body: unknown = KeepAliveClient.json(answer);
    if (answer.status !== 200 || !Array.isArray(body)) throw new Error(`GET ${path}: HTTP ${answer.status}`);
    return body.length;
  } finally {
    client.close();
  }
}

export async function measureSize(
  scale: ScaleName,
  options: Pick<Options, 'dataRoot' | 'commands' | 'questions'>,
): Promise<SizeMeasures> {
  const seededDir = resolve(options.dataRoot, scale);
  await ensureSeeded(seededDir, scale);
  const copy = resolve(options.dataRoot, `${scale}.measuring`);
  rmSync(copy, { recursive: true, force: true });
  cpSync(seededDir, copy, { recursive: true });
  try {
    const events = SERVICES.reduce((n, s) => n + eventCount(join(copy, `${s}.sqlite`)), 0);
    const megabytes = directoryBytes(copy) / 1e6;
    log(`   ${scale}: ${events} events, ${Math.round(megabytes)} MB; starting the registry on a copy …`);
    const registry = await startRegistry(copy);
    let memory: SizeMeasures['memory'];
    let questions: QuestionMeasure[];
    let commands: CommandMeasure[];
    let data: SizeMeasures['data'];
    try {
      const { urls, startup } = registry;
      log(
        `   ready in ${(startup.readyMs / 1000).toFixed(1)} s, read models current in ${(startup.currentMs / 1000).toFixed(1)} s`,
      );
      const est = urls['community-establishment'];
      data = {
        districtAreas: await countOf(est, api('/areas')),
        districtCommunities: await countOf(est, api('/communities')),
        events,
        megabytes,
      };
      log(
        `   ${data.districtAreas} areas and ${data.districtCommunities} communities in 城关区; questions …`,
      );
      questions = await measureQuestions(urls, options.questions);
      log('   commands …');
      commands = await measureCommands(urls, options.commands);
      memory = memoryOf(registry.child.pid!);
      log(
        `   RSS ${Math.round(memory.rssMiB)} MiB (peak ${Math.round(memory.hwmMiB)} MiB); stopping, then rebuilds …`,
      );
    } finally {
      await stopRegistry(registry.child);
    }
    const rebuild = await measureRebuild(copy);
    return { scale, data, startup: registry.startup, memory, commands, questions, rebuild };
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

// ---- the run -------------------------------------------------------------------------------------

function parseSizes(value: string): string[] {
  const sizes = value.split(',').map((s) => s.trim());
  for (const s of sizes)
    if (!isScaleName(s))
      throw new InvalidArgumentError(`${s} is not a scale (${Object.keys(SCALES).join(', ')})`);
  return sizes;
}

async function main(): Promise<void> {
  const program = new Command('bench:growth')
    .description(
      'The cost of commands and questions of the three services at growing sizes of a seeded registry',
    )
    .option('--sizes <scales>', 'seed scales, smallest first', parseSizes, [
      'lanzhou-10',
      'lanzhou-40',
      'lanzhou',
    ])
    .option('--data-root <dir>', 'where the seeded data directories are kept', 'data/growth')
    .option(
      '--commands <n>',
      'commands of each workload at each level (a committee: a tenth)',
      positiveInt,
      200,
    )
    .option('--questions <n>', 'answers timed of each question', positiveInt, 40)
    .option('--svg <file>', 'the plot of the curves', 'docs/bench-growth.svg')
    .option('--json [file]', 'also write the results as JSON (default bench-growth-results.json)')
    .parse();
  const options = program.opts<Options>();
  const machine = machineInfo();
  log(
    `bench:growth: ${options.sizes.join(', ')}; ${options.commands} commands a workload and level, ${options.questions} answers a question`,
  );
  log(
    `machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, SQLite ${machine.sqlite}, load ${machine.loadAverageAtStart}`,
  );
  const sizes: SizeMeasures[] = [];
  for (const scale of options.sizes as ScaleName[]) {
    log(`\n== ${scale}`);
    sizes.push(await measureSize(scale, options));
  }
  // The same scale twice is measured twice (the spread of two runs): its columns are told apart.
  const labels = sizes.map((s, i) =>
    sizes.slice(0, i).some((o) => o.scale === s.scale) ? `${s.scale} (${i + 1})` : s.scale,
  );
  const curves = curvesOf(sizes);
  const verdicts = verdictsOf(sizes, curves);
  log('\n== Curves\n');
  log(curvesTable(labels, curves));
  log('\n== Targets\n');
  log(verdictsTable(verdicts));
  const count = (j: string) => verdicts.filter((v) => v.verdict === j).length;
  log(
    `\n${count('met')} of ${verdicts.length} targets met, ${count('NOT met')} not met, ${count('not judged')} not judged.`,
  );
  mkdirSync(dirname(resolve(options.svg)), { recursive: true });
  writeFileSync(options.svg, growthSvg(labels, curves));
  log(`Wrote ${options.svg}`);
  if (options.json) {
    const file = options.json === true ? 'bench-growth-results.json' : options.json;
    writeFileSync(
      file,
      `${JSON.stringify({ date: new Date().toISOString(), machine, options, sizes, curves, verdicts }, null, 2)}\n`,
    );
    log(`Wrote ${file}`);
  }
  if (sink < 0) log(String(sink));
}

if (require.main === module)
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
