import 'reflect-metadata';
import { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { DISTRICTS } from '#libs/contracts';
import type { EventStore, RecordedEvent, SqliteEventStore } from '#libs/event-sourcing';
import { STORAGE, type StorageProfile } from '#libs/hosting';
import { startServices, type RunningService } from '#libs/http';
import { openEmbeddedBus } from '#libs/messaging';
import { establishmentService } from '../apps/community-establishment/src/main';
import { facilityConstructionService } from '../apps/facility-construction/src/main';
import { staffingElectionsService } from '../apps/staffing-elections/src/main';
import type { HttpRequest } from './bench-http-client';
import {
  auditorToken,
  fmt,
  HttpClientWorker,
  httpWorkload,
  interleaved,
  KeepAliveClient,
  latestEventRow,
  loadAverage,
  machineInfo,
  nonNegativeInt,
  officerTokens,
  pct,
  percentile,
  positiveInt,
  rawInsertWorkload,
  ROUNDS,
  rowBytes,
  startBroker,
  table,
  tempDir,
  throughputTable,
  WARMUP_OPS,
  type Throughput,
} from './bench-kit';
import { setting } from '#libs/settings';

/*
 * `npm run bench:services -- [--commands N] [--concurrency C] [--establishments E] [--mergers M]
 *    [--kafka] [--json]`
 *
 * A benchmark, not a test, of the staffing-elections and facility-construction services and of
 * the reactions between the services, on the embedded default: all three services in this process
 * as `npm start` runs them (the same service descriptors as apps/registry/main.ts, on free ports),
 * each on its SQLite file (WAL, synchronous=FULL) in a fresh temporary data directory, read models
 * in memory, the in-process bus between them. From one run it prints:
 *   1. Commands: single-event commands through HTTP, the client in a worker thread, one at a time
 *      and C in flight (round-robin over six district streams), of the staffing service (hire a
 *      worker, record pay, assign a post) and of the facility service (register a project, record
 *      a consultation, record a utility tariff), beside raw node:sqlite one-row INSERT transactions
 *      under the same pragmas, in interleaved rounds as scripts/bench.ts does; commands/s ÷ raw.
 *   2. Cross-service reaction latency, on fresh services: from the 201 of the establishment service
 *      to a command that establishes a committee (E of them) or merges two (M), one at a time, until
 *      (a) the staffing service has the ElectionCalled in its log and its election calendar shows
 *      the election due, and (b) the facility service has the RequirementRecomputed in its log and
 *      the community's space requirement shows. The log is watched in process (a read of the
 *      service's store every millisecond while something is awaited); the queries (about now, so
 *      answered from the read models) go through HTTP from the moment the event is in the log,
 *      every millisecond until they show it.
 * With --kafka it measures 2 again over a real Kafka broker (KAFKA_BROKERS, or one started with
 * test/servers/kafka.sh): the establishment service relays to Kafka and the others consume there.
 * The services use their own topics and consumer groups: use a broker no other registry uses.
 * With --json it also writes bench-services-results.json in the current directory.
 */

/** The district streams of both workloads, as in scripts/bench.ts. */
const BENCH_DISTRICTS = DISTRICTS.slice(0, 6);
/** Effective dates: set-up first, then every measured command on one date (chronology, EST-8). */
const DATES = {
  hires: '1995-01-01',
  wages: '2024-01-01',
  facilities: '2012-01-01',
  commands: '2024-06-01',
  establishments: '2005-01-01',
  mergers: '2015-07-01',
};
/** Pay is recorded for the years 1995..2023 of the workers hired at set-up (STAFF-3: one per year). */
const PAY_YEARS = 29;
/** Projects of each district that the consultations are spread over. */
const PROJECTS = 4;
const REACTION_TIMEOUT_MS = { embedded: 30_000, kafka: 60_000 };

interface Options {
  commands: number;
  concurrency: number;
  establishments: number;
  mergers: number;
  kafka: boolean;
  json: boolean;
}

type District = (typeof BENCH_DISTRICTS)[number];
type Body = Record<string, unknown>;

const log = (line = '') => console.log(line);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- the registry ------------------------------------------------------------------------------

interface Registry {
  readonly establishment: RunningService;
  readonly staffing: RunningService;
  readonly facility: RunningService;
  readonly transport: string;
  close(): Promise<void>;
}

/**
 * The three services in this process on a fresh data directory, as apps/registry/main.ts starts
 * them (ports: free ones, so that a running `npm start` is no obstacle). `kafkaBrokers` switches
 * the relays and the consumers to Kafka; otherwise they use the embedded bus.
 */
async function startRegistry(kafkaBrokers?: string): Promise<Registry> {
  const data = tempDir('registry-bench-services-');
  process.env.REGISTRY_DATA_DIR = data.dir;
  if (kafkaBrokers) process.env.KAFKA_BROKERS = kafkaBrokers;
  else delete process.env.KAFKA_BROKERS;
  const [establishment, staffing, facility] = await startServices(
    [establishmentService(), staffingElectionsService(), facilityConstructionService()].map((d) => ({
      ...d,
      port: 0,
      logLevels: false as const,
    })),
  );
  // Every service has subscribed: the relays of the embedded bus may publish (once per process).
  openEmbeddedBus();
  return {
    establishment,
    staffing,
    facility,
    transport: kafkaBrokers ? `Kafka at ${kafkaBrokers}` : 'embedded in-process bus',
    async close() {
      for (const s of [facility, staffing, establishment]) await s.close();
      data.remove();
    },
  };
}

/** The SQLite event store of a running service (libs/hosting's STORAGE, the embedded family). */
function storeOf(service: RunningService): SqliteEventStore {
  const storage = service.app.get<StorageProfile>(STORAGE, { strict: false });
  if (storage.kind !== 'embedded')
    throw new Error(`${service.name} does not run on SQLite (${storage.kind})`);
  return storage.sqlite;
}

async function post(api: KeepAliveClient, path: string, token: string, body: Body): Promise<any> {
  const res = await api.request('POST', path, token, JSON.stringify(body));
  if (res.status !== 201) throw new Error(`POST ${path}: HTTP ${res.status} ${res.text.slice(0, 500)}`);
  return KeepAliveClient.json(res);
}

// ---- 1. commands -------------------------------------------------------------------------------

const basis = (d: District, date: string, i: number) => ({
  effectiveAt: date,
  legalBasis: `${d.name}民政局〔${date.slice(0, 4)}〕${100 + (i % 900)}号`,
});

/** Set-up of the staffing workload: workers whose pay is recorded, and the STAFF-3 average wages. */
async function setUpStaffing(url: string, tokens: Record<string, string>, workers: number): Promise<void> {
  const api = new KeepAliveClient(url);
  for (const d of BENCH_DISTRICTS) {
    const at = `/api/districts/${d.code}`;
    for (let k = 0; k < workers; k++)
      await post(api, `${at}/workers`, tokens[d.code], {
        ...basis(d, DATES.hires, k),
        personId: `bench-w-${k}`,
        communityId: `bench-c-${k % 4}`,
        post: '社区工作者',
        collegeGraduate: k % 2 === 0,
      });
    for (let year = 1994; year < 1995 + PAY_YEARS; year++)
      await post(api, `${at}/average-wages`, tokens[d.code], {
        ...basis(d, DATES.wages, year),
        year,
        averageAnnualWageYuan: 30_000 + (year - 1994) * 1_500,
      });
  }
  api.close();
}

/**
 * The i-th staffing command: round-robin over the districts, then hire a worker (WorkerHired),
 * record a year's pay of a worker hired at set-up (PayRecorded), assign a post (PostAssigned).
 * Pay takes the next (worker, year) of its district, so it is never recorded twice.
 */
function staffingCommands(tokens: Record<string, string>, workers: number) {
  const payNext = new Map<string, number>();
  return (i: number): HttpRequest => {
    const d = BENCH_DISTRICTS[i % BENCH_DISTRICTS.length];
    const round = Math.floor(i / BENCH_DISTRICTS.length);
    const at = `/api/districts/${d.code}`;
    const common = basis(d, DATES.commands, i);
    const request = (path: string, body: Body): HttpRequest => ({
      path: `${at}${path}`,
      token: tokens[d.code],
      body: JSON.stringify({ ...common, ...body }),
    });
    switch (round % 3) {
      case 0:
        return request('/workers', {
          personId: `bh-${i}`,
          communityId: `bench-c-${i % 4}`,
          post: '社区工作者',
          collegeGraduate: i % 3 === 0,
        });
      case 1: {
        const n = payNext.get(d.code) ?? 0;
        payNext.set(d.code, n + 1);
        const worker = Math.floor(n / PAY_YEARS);
        if (worker >= workers) throw new Error(`set-up hired too few workers for ${n + 1} pay records`);
        return request(`/workers/bench-w-${worker}/pay`, {
          year: 1995 + (n % PAY_YEARS),
          annualPayYuan: 36_000 + (i % 50) * 400,
          insurances: ['pension', 'medical', 'unemployment', 'work-injury', 'maternity'],
          housingFund: i % 5 !== 0,
        });
      }
      default:
        return request(`/persons/bp-${i}/posts`, {
          communityId: `bench-c-${i % 4}`,
          body: ['residents-committee', 'party-organization', 'service-station'][i % 3],
          post: '委员',
        });
    }
  };
}

/** Set-up of the facility workload: a community with its requirement and a facility, and projects. */
async function setUpFacility(url: string, tokens: Record<string, string>): Promise<void> {
  const api = new KeepAliveClient(url);
  for (const d of BENCH_DISTRICTS) {
    const at = `/api/districts/${d.code}`;
    const b = basis(d, DATES.facilities, 1);
    await post(api, `${at}/communities/bench-c/requirement-recomputations`, tokens[d.code], {
      ...b,
      households: 1500,
      reason: 'community-established',
      sourceEventId: `bench-${d.code}`,
    });
    await post(api, `${at}/communities/bench-c/facilities`, tokens[d.code], {
      ...b,
      facilityId: 'bench-f',
      areaM2: 400,
      useRightHolder: 'residents-committee',
      manager: 'sub-district-office',
    });
    for (let k = 0; k < PROJECTS; k++)
      await post(api, `${at}/projects`, tokens[d.code], {
        ...b,
        projectId: `bench-p-${k}`,
        name: `基准住宅小区${k}`,
        developer: '兰州基准置业有限公司',
        communityId: 'bench-c',
        plannedHouseholds: 1500,
        plannedSpaceM2: 400,
      });
  }
  api.close();
}

/**
 * The i-th facility command: round-robin over the districts, then register a project
 * (ConstructionProjectRegistered), record a design-stage opinion on a project of the set-up
 * (ConsultationRecorded), record a utility tariff of the set-up facility (UtilityTariffRecorded).
 */
function facilityCommands(tokens: Record<string, string>) {
  const utilities = ['heating', 'water', 'electricity', 'gas', 'telecom'];
  return (i: number): HttpRequest => {
    const d = BENCH_DISTRICTS[i % BENCH_DISTRICTS.length];
    const round = Math.floor(i / BENCH_DISTRICTS.length);
    const at = `/api/districts/${d.code}`;
    const common = basis(d, DATES.commands, i);
    const request = (path: string, body: Body): HttpRequest => ({
      path: `${at}${path}`,
      token: tokens[d.code],
      body: JSON.stringify({ ...common, ...body }),
    });
    switch (round % 3) {
      case 0:
        return request('/projects', {
          projectId: `fp-${i}`,
          name: `基准新建小区${i}`,
          developer: '兰州基准置业有限公司',
          communityId: 'bench-c',
          plannedHouseholds: 800 + (i % 40) * 50,
          plannedSpaceM2: 400,
        });
      case 1:
        return request(`/projects/bench-p-${i % PROJECTS}/consultations`, {
          stage: 'design',
          consultee: i % 2 === 0 ? 'civil-affairs' : 'sub-district-office',
          opinion: 'favourable',
          summary: '同意',
        });
      default:
        return request('/facilities/bench-f/tariffs', {
          utility: utilities[i % utilities.length],
          rateCategory: i % 7 === 0 ? 'non-residential' : 'residential',
          pricePerUnitYuan: 0.5 + (i % 10) / 10,
          unit: 'kWh',
        });
    }
  };
}

interface CommandResults {
  raw: Throughput;
  staffing: { sequential: Throughput; concurrent: Throughput };
  facility: { sequential: Throughput; concurrent: Throughput };
  sample: { type: string; bytes: number };
}

async function commands(options: Options): Promise<CommandResults> {
  const registry = await startRegistry();
  const scratch = tempDir('registry-bench-services-raw-');
  const raw = new DatabaseSync(join(scratch.dir, 'raw.sqlite'));
  const clients: HttpClientWorker[] = [];
  try {
    const tokens = await officerTokens(BENCH_DISTRICTS);
    // Pay records of the whole run (both workloads, warm-up included) per district, and spare.
    const payPerDistrict = Math.ceil((2 * (WARMUP_OPS + options.commands)) / 3 / BENCH_DISTRICTS.length) + 10;
    const workers = Math.ceil(payPerDistrict / PAY_YEARS) + 1;
    log(
      `   set-up: ${workers} workers and ${PAY_YEARS + 1} average wages, a facility and ${PROJECTS} projects per district …`,
    );
    await setUpStaffing(registry.staffing.url, tokens, workers);
    await setUpFacility(registry.facility.url, tokens);

    const staffingStore = storeOf(registry.staffing);
    const facilityStore = storeOf(registry.facility);
    const staffingClient = HttpClientWorker.start(registry.staffing.url);
    const facilityClient = HttpClientWorker.start(registry.facility.url);
    clients.push(staffingClient, facilityClient);
    const staffingNext = staffingCommands(tokens, workers);
    const facilityNext = facilityCommands(tokens);
    const c = options.concurrency;
    const n = BENCH_DISTRICTS.length;
    const workloads = [
      httpWorkload('staffing POST, sequential', staffingClient, staffingNext, 1, () => staffingStore.stats),
      httpWorkload(
        `staffing POST, ${c} in flight, ${n} districts`,
        staffingClient,
        (i) => staffingNext(1e6 + i),
        c,
        () => staffingStore.stats,
      ),
      httpWorkload('facility POST, sequential', facilityClient, facilityNext, 1, () => facilityStore.stats),
      httpWorkload(
        `facility POST, ${c} in flight, ${n} districts`,
        facilityClient,
        (i) => facilityNext(1e6 + i),
        c,
        () => facilityStore.stats,
      ),
    ];
    // The raw row is a copy of a stored single-event decision of the staffing service.
    const row = latestEventRow(staffingStore.db, 'WorkerHired');
    const sample = { type: row.type, bytes: rowBytes(row) };
    log(
      `   ${ROUNDS} interleaved rounds; raw rows are copies of a stored ${row.type} (${sample.bytes} bytes) …`,
    );
    const [rawResult, staffingSeq, staffingConc, facilitySeq, facilityConc] = await interleaved(
      [rawInsertWorkload(raw, row), ...workloads],
      options.commands,
    );
    return {
      raw: rawResult,
      staffing: { sequential: staffingSeq, concurrent: staffingConc },
      facility: { sequential: facilitySeq, concurrent: facilityConc },
      sample,
    };
  } finally {
    for (const client of clients) await client.close();
    raw.close();
    scratch.remove();
    await registry.close();
  }
}

// ---- 2. reactions ------------------------------------------------------------------------------

/**
 * Watches a service's event log in process: reads what was appended since the last look, every
 * millisecond while something is awaited, and resolves each awaited event with the time it was seen.
 */
class LogWatcher {
  private position = 0;
  private readonly awaited = new Set<{ match: (e: RecordedEvent) => boolean; seen: (at: number) => void }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly store: EventStore) {}

  /** Starts after what is in the log now. */
  async start(): Promise<void> {
    for (;;) {
      const events = await this.store.readAll({ after: this.position, maxCount: 1000 });
      if (events.length === 0) return;
      this.position = events[events.length - 1].globalPosition;
    }
  }

  /** Resolves with performance.now() when an event matching arrives; register before causing it. */
  waitFor(what: string, match: (e: RecordedEvent) => boolean, timeoutMs: number): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const timeout = setTimeout(() => {
        this.awaited.delete(entry);
        reject(new Error(`${what} not in the log within ${timeoutMs} ms`));
      }, timeoutMs);
      const entry = {
        match,
        seen: (at: number) => {
          clearTimeout(timeout);
          resolve(at);
        },
      };
      this.awaited.add(entry);
      this.timer ??= setTimeout(this.look, 1);
    });
  }

  private readonly look = async (): Promise<void> => {
    try {
      const events = await this.store.readAll({ after: this.position, maxCount: 1000 });
      const at = performance.now();
      for (const e of events) {
        this.position = e.globalPosition;
        for (const entry of this.awaited)
          if (entry.match(e)) {
            this.awaited.delete(entry);
            entry.seen(at);
          }
      }
    } finally {
      this.timer = this.awaited.size > 0 ? setTimeout(this.look, 1) : undefined;
    }
  };
}

/** Polls `shows` every millisecond until it is true; returns the time it was. */
async function until(what: string, shows: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await shows()) return performance.now();
    if (performance.now() > deadline) throw new Error(`${what} not shown within ${timeoutMs} ms`);
    await sleep(1);
  }
}

interface ReactionCommand {
  readonly kind: 'establishment' | 'merger';
  readonly district: District;
  readonly path: string;
  readonly body: Body;
  readonly communityId: string;
  readonly committeeId: string;
}

/** One sample: ms from the 201 of the establishment service (0 when already there by then). */
interface ReactionSample {
  readonly kind: ReactionCommand['kind'];
  readonly answerMs: number;
  readonly staffingLog: number;
  readonly staffingQuery: number;
  readonly facilityLog: number;
  readonly facilityQuery: number;
}

/**
 * Establishments in adjacent pairs (the second area borders the first), round-robin over the
 * districts; mergers of the first pairs come after every establishment (later effective date).
 */
function reactionCommands(establishments: number, mergers: number, offset: number): ReactionCommand[] {
  const list: ReactionCommand[] = [];
  for (let r = 0; r < establishments; r++) {
    const p = Math.floor(r / 2) + offset;
    const d = BENCH_DISTRICTS[p % BENCH_DISTRICTS.length];
    const id = `rx-${p}-${r % 2}`;
    list.push({
      kind: 'establishment',
      district: d,
      path: `/api/districts/${d.code}/committees`,
      body: {
        ...basis(d, DATES.establishments, r),
        communityId: id,
        committeeId: `${id}-rc`,
        name: `反应基准${p}-${r % 2}社区`,
        newAreas: [
          {
            areaId: `${id}-a`,
            name: `反应基准片区${p}-${r % 2}`,
            kind: 'existing-town-area',
            subDistrict: `${d.name.slice(0, 2)}街道`,
            households: 1000 + (r % 11) * 50,
            adjacentAreaIds: r % 2 === 1 ? [`rx-${p}-0-a`] : [],
          },
        ],
      },
      communityId: id,
      committeeId: `${id}-rc`,
    });
  }
  for (let m = 0; m < Math.min(mergers, Math.floor(establishments / 2)); m++) {
    const p = m + offset;
    const d = BENCH_DISTRICTS[p % BENCH_DISTRICTS.length];
    const id = `rm-${p}`;
    list.push({
      kind: 'merger',
      district: d,
      path: `/api/districts/${d.code}/committee-mergers`,
      body: {
        ...basis(d, DATES.mergers, m),
        sourceCommunityIds: [`rx-${p}-0`, `rx-${p}-1`],
        communityId: id,
        committeeId: `${id}-rc`,
        name: `合并基准${p}社区`,
      },
      communityId: id,
      committeeId: `${id}-rc`,
    });
  }
  return list;
}

async function measureReaction(
  c: ReactionCommand,
  ctx: {
    establishment: KeepAliveClient;
    staffing: KeepAliveClient;
    facility: KeepAliveClient;
    staffingLog: LogWatcher;
    facilityLog: LogWatcher;
    tokens: Record<string, string>;
    auditor: string;
    timeoutMs: number;
  },
): Promise<ReactionSample> {
  const at = `/api/districts/${c.district.code}`;
  const election = ctx.staffingLog.waitFor(
    `ElectionCalled for ${c.committeeId}`,
    (e) => e.type === 'ElectionCalled' && (e.data as { committeeId?: string }).committeeId === c.committeeId,
    ctx.timeoutMs,
  );
  const requirement = ctx.facilityLog.waitFor(
    `RequirementRecomputed for ${c.communityId}`,
    (e) =>
      e.type === 'RequirementRecomputed' &&
      (e.data as { communityId?: string }).communityId === c.communityId,
    ctx.timeoutMs,
  );
  // Rejected only by their timeouts; awaited below unless the POST fails first.
  for (const p of [election, requirement]) p.catch(() => undefined);
  const sent = performance.now();
  const res = await ctx.establishment.request(
    'POST',
    c.path,
    ctx.tokens[c.district.code],
    JSON.stringify(c.body),
  );
  const answered = performance.now();
  if (res.status !== 201) throw new Error(`POST ${c.path}: HTTP ${res.status} ${res.text.slice(0, 500)}`);
  // ELECT-4: the calendar shows the election called for the new (or merged) committee. Both
  // queries ask about now (no `on`), so the read models answer them, not a fold of the log.
  // The calendar is paged by committee id: followed page by page (`next`) until the committee's.
  const calendarShows = async () => {
    for (let after: string | undefined; ;) {
      const r = await ctx.staffing.request(
        'GET',
        `${at}/election-calendar${after === undefined ? '' : `?after=${encodeURIComponent(after)}`}`,
        ctx.auditor,
      );
      const page = r.status === 200 ? KeepAliveClient.json(r) : undefined;
      if (!page) return false;
      if (
        (page.entries ?? []).some((e: any) => e.committeeId === c.committeeId && e.kind === 'called-election')
      )
        return true;
      if (typeof page.next !== 'string') return false;
      after = page.next;
    }
  };
  // FAC-1: the community shows its recomputed space requirement.
  const requirementShows = async () => {
    const r = await ctx.facility.request('GET', `${at}/communities/${c.communityId}`, ctx.auditor);
    return r.status === 200 && typeof KeepAliveClient.json(r)?.requirement?.requiredM2 === 'number';
  };
  const [staffing, facility] = await Promise.all([
    election.then(async (logAt) => ({
      logAt,
      shownAt: await until(`the election of ${c.committeeId}`, calendarShows, ctx.timeoutMs),
    })),
    requirement.then(async (logAt) => ({
      logAt,
      shownAt: await until(`the requirement of ${c.communityId}`, requirementShows, ctx.timeoutMs),
    })),
  ]);
  const since = (t: number) => Math.max(0, t - answered);
  return {
    kind: c.kind,
    answerMs: answered - sent,
    staffingLog: since(staffing.logAt),
    staffingQuery: since(staffing.shownAt),
    facilityLog: since(facility.logAt),
    facilityQuery: since(facility.shownAt),
  };
}

interface ReactionResults {
  transport: string;
  samples: ReactionSample[];
  seconds: number;
}

async function reactions(options: Options, kafkaBrokers?: string): Promise<ReactionResults> {
  const registry = await startRegistry(kafkaBrokers);
  const clients = {
    establishment: new KeepAliveClient(registry.establishment.url),
    staffing: new KeepAliveClient(registry.staffing.url),
    facility: new KeepAliveClient(registry.facility.url),
  };
  try {
    const tokens = await officerTokens(BENCH_DISTRICTS);
    const staffingLog = new LogWatcher(storeOf(registry.staffing));
    const facilityLog = new LogWatcher(storeOf(registry.facility));
    await staffingLog.start();
    await facilityLog.start();
    const ctx = {
      ...clients,
      staffingLog,
      facilityLog,
      tokens,
      auditor: await auditorToken(),
      timeoutMs: kafkaBrokers ? REACTION_TIMEOUT_MS.kafka : REACTION_TIMEOUT_MS.embedded,
    };
    // Warm-up, not measured: one pair per district (on Kafka, the consumer groups settle here).
    const warmups = BENCH_DISTRICTS.length * 2;
    for (const c of reactionCommands(warmups, 0, 0))
      await measureReaction(c, { ...ctx, timeoutMs: kafkaBrokers ? 120_000 : ctx.timeoutMs });
    const list = reactionCommands(options.establishments, options.mergers, warmups / 2);
    const samples: ReactionSample[] = [];
    const started = performance.now();
    for (const c of list) samples.push(await measureReaction(c, ctx));
    return { transport: registry.transport, samples, seconds: (performance.now() - started) / 1000 };
  } finally {
    for (const client of Object.values(clients)) client.close();
    await registry.close();
  }
}

// ---- output ------------------------------------------------------------------------------------

function commandReport(r: CommandResults, concurrency: number): void {
  log(`1. Commands through HTTP (WAL, synchronous=FULL; ${ROUNDS} interleaved rounds; latency per command)`);
  log('   staffing: hire a worker, record a year of pay, assign a post, in turn (one event each)');
  log('   facility: register a project, record a consultation, record a utility tariff, in turn');
  log(
    throughputTable([
      r.raw,
      r.staffing.sequential,
      r.staffing.concurrent,
      r.facility.sequential,
      r.facility.concurrent,
    ]),
  );
  log();
  const ratio = (t: Throughput) => pct(t.perSecond / r.raw.perSecond).padStart(6);
  log(`   staffing sequential ÷ raw inserts            ${ratio(r.staffing.sequential)}`);
  log(`   staffing ${concurrency} in flight ÷ raw inserts`.padEnd(47) + ratio(r.staffing.concurrent));
  log(`   facility sequential ÷ raw inserts            ${ratio(r.facility.sequential)}`);
  log(`   facility ${concurrency} in flight ÷ raw inserts`.padEnd(47) + ratio(r.facility.concurrent));
}

interface Stat {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

function stat(values: number[]): Stat {
  const sorted = Float64Array.from(values).sort();
  return {
    n: sorted.length,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
  };
}

function reactionRows(samples: ReactionSample[]) {
  const rows: { name: string; stat: Stat }[] = [];
  for (const kind of ['establishment', 'merger'] as const) {
    const of = samples.filter((s) => s.kind === kind);
    if (of.length === 0) continue;
    const add = (name: string, pick: (s: ReactionSample) => number) =>
      rows.push({ name: `${kind}: ${name}`, stat: stat(of.map(pick)) });
    add('POST answered (201)', (s) => s.answerMs);
    add('staffing: ElectionCalled in log', (s) => s.staffingLog);
    add('staffing: election-calendar shows it', (s) => s.staffingQuery);
    add('facility: RequirementRecomputed in log', (s) => s.facilityLog);
    add('facility: community shows requirement', (s) => s.facilityQuery);
    add('both shown', (s) => Math.max(s.staffingQuery, s.facilityQuery));
  }
  return rows;
}

function reactionReport(title: string, r: ReactionResults): void {
  const counts = ['establishment', 'merger'].map(
    (k) => `${r.samples.filter((s) => s.kind === k).length} ${k}s`,
  );
  log(`${title}: ${counts.join(', ')}, one at a time, over the ${r.transport} (${r.seconds.toFixed(1)} s)`);
  log('   ms from the 201 of the establishment service (the POST row: the request itself)');
  log(
    table(
      ['reaction', 'n', 'p50 ms', 'p99 ms', 'max ms'],
      reactionRows(r.samples).map(({ name, stat: s }) => [
        name,
        fmt(s.n),
        fmt(s.p50, 1),
        fmt(s.p99, 1),
        fmt(s.max, 1),
      ]),
    ),
  );
}

// ---- main --------------------------------------------------------------------------------------

async function main(options: Options): Promise<void> {
  // The embedded default: no broker, no MongoDB, no KurrentDB, the relays on, whatever the shell has.
  const givenBrokers = setting('KAFKA_BROKERS')?.join(',');
  for (const name of ['KAFKA_BROKERS', 'MONGODB_URL', 'REGISTRY_PROFILE', 'REGISTRY_RELAY'])
    delete process.env[name];
  const machine = machineInfo();
  log('Lanzhou community registry: benchmark of the staffing-elections and facility-construction services');
  log(
    `CPU ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB; Node ${machine.node}; ` +
      `SQLite ${machine.sqlite}; ${machine.os}; data under ${machine.tmpdir}`,
  );
  log(
    `--commands ${options.commands} --concurrency ${options.concurrency} --establishments ` +
      `${options.establishments} --mergers ${options.mergers}${options.kafka ? ' --kafka' : ''}` +
      ` (warm-up ${WARMUP_OPS} commands per workload)`,
  );
  log(
    'embedded default: three services in this process, SQLite (WAL, synchronous=FULL) each, ' +
      'read models in memory, the in-process bus',
  );
  log(`load average ${machine.loadAverageAtStart} at start`);
  log();

  let commandResults: CommandResults | undefined;
  if (options.commands > 0) {
    log(`Commands: ${BENCH_DISTRICTS.length} district streams, one event per command …`);
    commandResults = await commands(options);
  }
  log('Reactions on the embedded bus …');
  const embedded = await reactions(options);
  let kafka: ReactionResults | undefined;
  if (options.kafka) {
    const broker = givenBrokers ? { brokers: givenBrokers, stop: () => undefined } : startBroker();
    try {
      log(`Reactions over Kafka (${broker.brokers}) …`);
      kafka = await reactions(options, broker.brokers);
    } finally {
      broker.stop();
    }
  }
  const loadAverageAtEnd = loadAverage();
  log(`load average ${loadAverageAtEnd} at end (${machine.cores} cores)`);
  log();

  if (commandResults) {
    commandReport(commandResults, options.concurrency);
    log();
  }
  reactionReport('2. Cross-service reactions', embedded);
  if (kafka) {
    log();
    reactionReport('2k. The same over Kafka', kafka);
  }

  if (options.json) {
    const summary = (r: ReactionResults) => ({
      transport: r.transport,
      seconds: r.seconds,
      rows: reactionRows(r.samples),
    });
    const out = {
      date: new Date().toISOString(),
      machine: { ...machine, loadAverageAtEnd },
      options,
      commands: commandResults,
      reactions: { embedded: summary(embedded), ...(kafka ? { kafka: summary(kafka) } : {}) },
    };
    writeFileSync('bench-services-results.json', `${JSON.stringify(out, null, 2)}\n`);
    log('\nWrote bench-services-results.json');
  }
}

new Command()
  .name('npm run bench:services --')
  .description('Benchmark the staffing and facility commands (HTTP) and the cross-service reaction latency.')
  .option('--commands <n>', 'single-event commands measured per workload (0: skip)', nonNegativeInt, 1000)
  .option('--concurrency <c>', 'HTTP requests in flight in the concurrent workloads', positiveInt, 8)
  .option('--establishments <n>', 'committees established, one reaction measured each', positiveInt, 400)
  .option('--mergers <n>', 'mergers of two of those committees, measured the same way', nonNegativeInt, 100)
  .option('--kafka', 'also measure the reactions over Kafka (KAFKA_BROKERS, else a broker started here)')
  .option('--json', 'also write bench-services-results.json in the current directory', false)
  .action((o: Omit<Options, 'kafka'> & { kafka?: boolean }) => main({ ...o, kafka: o.kafka === true }))
  .parseAsync()
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
