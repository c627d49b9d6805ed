import 'reflect-metadata';
import { Command, InvalidArgumentError } from 'commander';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { DISTRICTS } from '#libs/contracts';
import {
  dataFileFor,
  foldEvents,
  handleCommand,
  SqliteEventStore,
  StateCache,
  type NewEvent,
  type RecordedEvent,
} from '#libs/event-sourcing';
import { createServiceApp, jwtSettingsFromEnv, signAccessToken, type RunningService } from '#libs/http';
import {
  CommunityEstablishmentModule,
  policyFromEnv,
  SERVICE_NAME,
} from '../apps/community-establishment/src/community-establishment.module';
import {
  districtStreamId,
  establishmentDecider,
  type DistrictState,
  type EstablishmentCommand,
} from '../apps/community-establishment/src/domain';
import { establishmentService } from '../apps/community-establishment/src/main';
import { FlowGenerator, type EstablishmentDecider } from './bench-flows';
import { RegistryClient, type ApiResponse } from './demo-story';

/*
 * `npm run bench -- [--commands N] [--concurrency C] [--replay-events E] [--json]`
 *
 * A benchmark, not a test: from one run it prints
 *   1. commands through HTTP (the establishment service in-process on a fresh data directory),
 *      sequential and with C requests in flight, against a raw node:sqlite baseline of one-row
 *      INSERT transactions under the same pragmas (target: commands/s >= 40% of raw inserts/s);
 *      beside them the same single-event commands without HTTP and bare appends, to show where
 *      the time goes;
 *   2. replay: rebuilding every district's state from the log written in 1, topped up with
 *      realistic command flows to E events, against a raw SELECT * + JSON.parse of every row
 *      (target: events/s >= 50% of raw).
 * With --json it also writes bench-results.json in the current directory.
 */

const COMMAND_TARGET = 0.4;
const REPLAY_TARGET = 0.5;
const WARMUP_OPS = 300;
const REPLAY_RUNS = 5;
/** Districts the HTTP workload spreads over, each one stream with one committee of AREAS areas. */
const HTTP_DISTRICTS = DISTRICTS.slice(0, 6);
const AREAS = 4;
/**
 * Effective dates of the phases. Each phase uses one date, so requests in flight together can never
 * arrive out of date order (EST-8 would refuse a decision dated before a later one on the same area);
 * phases move forward, so evolve always takes its incremental path.
 */
const DATES = {
  setup: '2005-01-01',
  sequential: '2005-02-01',
  concurrent: '2005-03-01',
  inProcess: '2005-04-01',
  flows: '2006-01-01',
};

interface Options {
  commands: number;
  concurrency: number;
  replayEvents: number;
  json: boolean;
}

interface Throughput {
  readonly name: string;
  readonly ops: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
}

interface ReplayMeasurement {
  readonly name: string;
  readonly events: number;
  readonly medianMs: number;
  readonly eventsPerSecond: number;
}

// ---- measuring ---------------------------------------------------------------------------------

const nowNs = (): bigint => process.hrtime.bigint();
const msSince = (start: bigint): number => Number(nowNs() - start) / 1e6;

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

function summarise(name: string, latencies: Float64Array, totalMs: number): Throughput {
  const sorted = Float64Array.from(latencies).sort();
  let sum = 0;
  for (const l of latencies) sum += l;
  return {
    name,
    ops: latencies.length,
    seconds: totalMs / 1000,
    perSecond: latencies.length / (totalMs / 1000),
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    meanMs: sum / latencies.length,
  };
}

/** Runs op(0..n-1) one after the other, timing each. */
async function sequential(name: string, n: number, op: (i: number) => unknown): Promise<Throughput> {
  const latencies = new Float64Array(n);
  const start = nowNs();
  for (let i = 0; i < n; i++) {
    const t = nowNs();
    await op(i);
    latencies[i] = msSince(t);
  }
  return summarise(name, latencies, msSince(start));
}

/** Runs op(0..n-1) with `concurrency` calls in flight, timing each from its start. */
async function concurrent(
  name: string,
  n: number,
  concurrency: number,
  op: (i: number) => Promise<unknown>,
): Promise<Throughput> {
  const latencies = new Float64Array(n);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < n; i = next++) {
      const t = nowNs();
      await op(i);
      latencies[i] = msSince(t);
    }
  };
  const start = nowNs();
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return summarise(name, latencies, msSince(start));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// ---- the single-event command workload -------------------------------------------------------

interface SingleEventCommand {
  readonly district: string;
  readonly path: string;
  readonly body: Record<string, unknown>;
  readonly command: EstablishmentCommand;
}

const areaOf = (district: string, k: number): string => `${district}-bench-a${k}`;

/**
 * The i-th command: round-robin over the districts, then over their areas; alternately an occupancy
 * report (OccupancyReported) and a household update (AreaHouseholdsUpdated), one event each.
 */
function singleEventCommand(i: number, effectiveAt: string): SingleEventCommand {
  const d = HTTP_DISTRICTS[i % HTTP_DISTRICTS.length];
  const round = Math.floor(i / HTTP_DISTRICTS.length);
  const areaId = areaOf(d.code, round % AREAS);
  const base = `/api/districts/${d.code}/areas/${areaId}`;
  if (round % 2 === 0) {
    const occupiedHouseholds = 100 + (i % 100);
    return {
      district: d.code,
      path: `${base}/occupancy-reports`,
      body: {
        effectiveAt,
        legalBasis: `${d.name}街道办入住率报告${effectiveAt.slice(0, 7)}`,
        occupiedHouseholds,
      },
      command: { type: 'ReportOccupancy', data: { areaId, occupiedHouseholds } },
    };
  }
  const households = 400 + (i % 200);
  return {
    district: d.code,
    path: `${base}/households`,
    body: {
      effectiveAt,
      legalBasis: `${d.name}民政局〔${effectiveAt.slice(0, 4)}〕${100 + (i % 900)}号`,
      households,
    },
    command: { type: 'UpdateAreaHouseholds', data: { areaId, households } },
  };
}

// ---- 1. commands through HTTP ----------------------------------------------------------------

async function httpCommands(options: Options): Promise<{ sequential: Throughput; concurrent: Throughput }> {
  const service: RunningService = await createServiceApp(CommunityEstablishmentModule, {
    ...establishmentService(),
    port: 0,
    logLevels: false,
  });
  try {
    const api = new RegistryClient(service.url);
    const settings = jwtSettingsFromEnv();
    const tokens = new Map<string, string>();
    for (const d of HTTP_DISTRICTS)
      tokens.set(
        d.code,
        await signAccessToken(
          { sub: `official-bench-${d.code}`, name: '基准测试', roles: ['officer'], district: d.code },
          settings,
          { ttl: '2h' },
        ),
      );
    const expectCreated = (what: string, res: ApiResponse, events?: number): void => {
      if (res.status !== 201) throw new Error(`${what}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
      if (events !== undefined && res.body.events.length !== events)
        throw new Error(`${what}: expected ${events} event(s), got ${res.body.events.length}`);
    };

    // One committee with AREAS existing town areas per district stream.
    for (const d of HTTP_DISTRICTS) {
      const res = await api.post(`/api/districts/${d.code}/committees`, tokens.get(d.code), {
        effectiveAt: DATES.setup,
        legalBasis: `${d.name}政发〔2005〕1号`,
        communityId: `${d.code}-bench`,
        committeeId: `${d.code}-bench-rc`,
        name: `${d.name.slice(0, 2)}基准社区居民委员会`,
        newAreas: Array.from({ length: AREAS }, (_, k) => ({
          areaId: areaOf(d.code, k),
          name: `基准片区${k + 1}`,
          kind: 'existing-town-area',
          subDistrict: `${d.name.slice(0, 2)}街道`,
          households: 400,
          adjacentAreaIds: k > 0 ? [areaOf(d.code, k - 1)] : [],
        })),
      });
      expectCreated(`committee of ${d.code}`, res, 1 + AREAS);
    }

    const send = async (i: number, date: string): Promise<void> => {
      const c = singleEventCommand(i, date);
      expectCreated(`command ${i} ${c.path}`, await api.post(c.path, tokens.get(c.district), c.body), 1);
    };
    // Indexes keep counting across phases so that each area sees a fresh mix.
    let offset = 0;
    await sequential('warm-up', WARMUP_OPS, (i) => send(offset + i, DATES.sequential));
    offset += WARMUP_OPS;
    const seq = await sequential('HTTP POST, sequential (1 keep-alive conn)', options.commands, (i) =>
      send(offset + i, DATES.sequential),
    );
    offset += options.commands;
    await concurrent('warm-up', WARMUP_OPS, options.concurrency, (i) => send(offset + i, DATES.concurrent));
    offset += WARMUP_OPS;
    const conc = await concurrent(
      `HTTP POST, ${options.concurrency} in flight`,
      options.commands,
      options.concurrency,
      (i) => send(offset + i, DATES.concurrent),
    );
    return { sequential: seq, concurrent: conc };
  } finally {
    await service.close();
  }
}

// ---- in-process: the same commands without HTTP, and bare appends ---------------------------

async function inProcessCommands(
  store: SqliteEventStore,
  decider: EstablishmentDecider,
  n: number,
): Promise<Throughput> {
  const cache = new StateCache<DistrictState>({ maxEntries: 64 });
  const run = async (i: number): Promise<void> => {
    const c = singleEventCommand(i, DATES.inProcess);
    const d = HTTP_DISTRICTS.find((x) => x.code === c.district)!;
    const result = await handleCommand(
      store,
      decider,
      districtStreamId(c.district),
      {
        command: c.command,
        context: {
          effectiveAt: DATES.inProcess,
          actor: { subject: `official-bench-${d.code}`, roles: ['officer'], districtScope: d.name },
        },
        legalBasis: c.body.legalBasis as string,
        correlationId: randomUUID(),
        causationId: null,
      },
      { stateCache: cache },
    );
    if (result.events.length !== 1)
      throw new Error(`in-process command ${i}: ${result.events.length} events`);
  };
  for (let i = 0; i < WARMUP_OPS; i++) await run(i);
  return sequential('handleCommand in-process (no HTTP)', n, (i) => run(WARMUP_OPS + i));
}

async function bareAppends(file: string, sample: RecordedEvent, n: number): Promise<Throughput> {
  const store = await SqliteEventStore.open({ file });
  try {
    const event = (): NewEvent => ({
      eventId: randomUUID(),
      type: sample.type,
      schemaVersion: sample.schemaVersion,
      data: sample.data,
      metadata: { ...sample.metadata, correlationId: randomUUID() },
    });
    let revision = -1;
    const append = async (): Promise<void> => {
      const r = await store.appendToStream(sample.streamId, [event()], {
        expectedRevision: revision < 0 ? 'no_stream' : revision,
      });
      revision = r.nextExpectedRevision;
    };
    for (let i = 0; i < WARMUP_OPS; i++) await append();
    return await sequential('store.appendToStream, 1 event', n, append);
  } finally {
    await store.close();
  }
}

// ---- 2. raw baseline: one-row INSERT transactions --------------------------------------------

interface SampleRow {
  stream_id: string;
  type: string;
  schema_version: number;
  data: string;
  metadata: string;
  recorded_at: string;
  previous_hash: string;
  hash: string;
}

function rawInserts(file: string, row: SampleRow, n: number): Throughput {
  const db = new DatabaseSync(file);
  try {
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = FULL');
    db.exec(`CREATE TABLE events (
      global_position INTEGER PRIMARY KEY AUTOINCREMENT,
      event_id        TEXT    NOT NULL UNIQUE,
      stream_id       TEXT    NOT NULL,
      stream_revision INTEGER NOT NULL,
      type            TEXT    NOT NULL,
      schema_version  INTEGER NOT NULL,
      data            TEXT    NOT NULL,
      metadata        TEXT    NOT NULL,
      recorded_at     TEXT    NOT NULL,
      previous_hash   TEXT    NOT NULL,
      hash            TEXT    NOT NULL,
      UNIQUE (stream_id, stream_revision)
    )`);
    const begin = db.prepare('BEGIN');
    const commit = db.prepare('COMMIT');
    const insert = db.prepare(
      'INSERT INTO events (event_id, stream_id, stream_revision, type, schema_version, data, metadata, recorded_at, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    let revision = 0;
    const once = (): void => {
      begin.run();
      insert.run(
        randomUUID(),
        row.stream_id,
        revision++,
        row.type,
        row.schema_version,
        row.data,
        row.metadata,
        row.recorded_at,
        row.previous_hash,
        row.hash,
      );
      commit.run();
    };
    for (let i = 0; i < WARMUP_OPS; i++) once();
    const latencies = new Float64Array(n);
    const start = nowNs();
    for (let i = 0; i < n; i++) {
      const t = nowNs();
      once();
      latencies[i] = msSince(t);
    }
    return summarise('raw node:sqlite BEGIN; INSERT; COMMIT', latencies, msSince(start));
  } finally {
    db.close();
  }
}

// ---- 3. replay ---------------------------------------------------------------------------------

let sink = 0;

/** What a rebuild does: read the whole log, group it by stream, fold every district stream. */
async function rebuild(
  store: SqliteEventStore,
  decider: EstablishmentDecider,
): Promise<{ readMs: number; foldMs: number; events: number; states: Map<string, DistrictState> }> {
  const t0 = nowNs();
  const events = await store.readAll();
  const readMs = msSince(t0);
  const t1 = nowNs();
  const byStream = new Map<string, RecordedEvent[]>();
  for (const e of events) {
    let list = byStream.get(e.streamId);
    if (!list) byStream.set(e.streamId, (list = []));
    list.push(e);
  }
  const states = new Map<string, DistrictState>();
  for (const [streamId, list] of byStream)
    states.set(streamId, foldEvents(decider, decider.initialState(), list));
  return { readMs, foldMs: msSince(t1), events: events.length, states };
}

function rawReplay(db: DatabaseSync): { ms: number; events: number } {
  const t0 = nowNs();
  const rows = db.prepare('SELECT * FROM events ORDER BY global_position').all();
  for (const row of rows) {
    const data: unknown = JSON.parse(row.data as string);
    const metadata: unknown = JSON.parse(row.metadata as string);
    if (data === null || metadata === null) sink++;
  }
  sink += rows.length;
  return { ms: msSince(t0), events: rows.length };
}

async function replay(
  file: string,
  decider: EstablishmentDecider,
): Promise<{
  raw: ReplayMeasurement;
  readAll: ReplayMeasurement;
  rebuild: ReplayMeasurement;
  streams: number;
}> {
  const store = await SqliteEventStore.open({ file, readOnly: true });
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    // Warm up both (page cache, JIT), then alternate so that drift hits both alike.
    const check = await rebuild(store, decider);
    for (const [streamId, state] of check.states) {
      const count = (await store.readStream(streamId)).length;
      if (state.facts.length !== count)
        throw new Error(`${streamId}: ${state.facts.length} facts, ${count} events`);
    }
    rawReplay(db);
    const raws: number[] = [];
    const reads: number[] = [];
    const totals: number[] = [];
    let events = 0;
    for (let r = 0; r < REPLAY_RUNS; r++) {
      raws.push(rawReplay(db).ms);
      const ours = await rebuild(store, decider);
      reads.push(ours.readMs);
      totals.push(ours.readMs + ours.foldMs);
      events = ours.events;
    }
    const m = (name: string, runs: number[]): ReplayMeasurement => {
      const medianMs = median(runs);
      return { name, events, medianMs, eventsPerSecond: events / (medianMs / 1000) };
    };
    return {
      raw: m('raw SELECT * + JSON.parse(data, metadata)', raws),
      readAll: m('store.readAll() only (rows → envelopes)', reads),
      rebuild: m('rebuild: readAll + group by stream + foldEvents', totals),
      streams: check.states.size,
    };
  } finally {
    db.close();
    await store.close();
  }
}

// ---- output ------------------------------------------------------------------------------------

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const pct = (ratio: number): string => `${(ratio * 100).toFixed(1)}%`;
const verdict = (ratio: number, target: number): string =>
  `${pct(ratio)}  (target ≥ ${pct(target)}: ${ratio >= target ? 'MET' : 'NOT MET'})`;

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const throughputRow = (t: Throughput): string[] => [
  t.name,
  fmt(t.ops),
  fmt(t.perSecond),
  fmt(t.p50Ms, 3),
  fmt(t.p99Ms, 3),
  fmt(t.meanMs, 3),
];

// ---- main --------------------------------------------------------------------------------------

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a positive integer');
  return n;
}

async function main(options: Options): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'registry-bench-'));
  const rawDir = mkdtempSync(join(tmpdir(), 'registry-bench-raw-'));
  const log = (line = '') => console.log(line);
  try {
    process.env.REGISTRY_DATA_DIR = dataDir;
    const file = dataFileFor(SERVICE_NAME);
    const decider = establishmentDecider(policyFromEnv());
    const probe = new DatabaseSync(':memory:');
    const sqliteVersion = String(probe.prepare('SELECT sqlite_version() AS v').get()?.v);
    probe.close();
    const cpu = cpus();
    const machine = {
      cpu: cpu[0]?.model ?? 'unknown',
      cores: cpu.length,
      node: process.version,
      sqlite: sqliteVersion,
      os: `${platform()} ${release()}`,
      memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
      tmpdir: tmpdir(),
    };
    log('Lanzhou community registry: benchmark of the community-establishment service');
    log(
      `CPU ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB; Node ${machine.node}; SQLite ${machine.sqlite}; ${machine.os}`,
    );
    log(
      `--commands ${options.commands} --concurrency ${options.concurrency} --replay-events ${options.replayEvents}; warm-up ${WARMUP_OPS} ops; data under ${machine.tmpdir}`,
    );
    log();

    log(`1. Commands: ${HTTP_DISTRICTS.length} district streams × ${AREAS} areas, one event per command …`);
    const http = await httpCommands(options);

    const store = await SqliteEventStore.open({ file });
    let inProcess: Throughput;
    let sample: RecordedEvent;
    try {
      const last = await store.readStream(districtStreamId(HTTP_DISTRICTS[0].code), {
        direction: 'backwards',
        maxCount: 1,
      });
      sample = last[0];
      inProcess = await inProcessCommands(store, decider, options.commands);
    } finally {
      await store.close();
    }
    const sampleRow = new DatabaseSync(file, { readOnly: true });
    const row = sampleRow
      .prepare('SELECT * FROM events WHERE event_id = ?')
      .get(sample.eventId) as unknown as SampleRow;
    sampleRow.close();
    const rowBytes = Object.values(row).reduce<number>((sum, v) => sum + Buffer.byteLength(String(v)), 0);

    log(`2. Raw baseline and bare appends (row copied from a stored ${row.type}, ${rowBytes} bytes) …`);
    const raw = rawInserts(join(rawDir, 'raw.sqlite'), row, options.commands);
    const appends = await bareAppends(join(rawDir, 'port.sqlite'), sample, options.commands);

    log(`3. Replay: topping the log up to ${fmt(options.replayEvents)} events with command flows …`);
    const generation = await (async () => {
      const s = await SqliteEventStore.open({ file });
      try {
        const existing = s.db.prepare('SELECT count(*) AS n FROM events').get()?.n as number;
        // Not measured: fsync per command only slows the set-up down.
        s.db.exec('PRAGMA synchronous = NORMAL');
        const t = nowNs();
        const flows = await new FlowGenerator(s, decider, DATES.flows).appendAtLeast(
          Math.max(0, options.replayEvents - existing),
        );
        const ms = msSince(t);
        s.db.exec('PRAGMA synchronous = FULL');
        const types = s.db
          .prepare('SELECT type, count(*) AS n FROM events GROUP BY type ORDER BY n DESC')
          .all() as Array<{ type: string; n: number }>;
        return { existing, ...flows, ms, types };
      } finally {
        await s.close();
      }
    })();
    const replayed = await replay(file, decider);
    log();

    // ---- report ----
    const commandRatio = http.sequential.perSecond / raw.perSecond;
    const concurrentRatio = http.concurrent.perSecond / raw.perSecond;
    const replayRatio = replayed.rebuild.eventsPerSecond / replayed.raw.eventsPerSecond;

    log('Commands (durable: WAL, synchronous=FULL; latency per operation)');
    log(
      table(
        ['workload', 'ops', 'ops/s', 'p50 ms', 'p99 ms', 'mean ms'],
        [raw, appends, inProcess, http.sequential, http.concurrent].map(throughputRow),
      ),
    );
    log();
    log(`HTTP sequential ÷ raw inserts:      ${verdict(commandRatio, COMMAND_TARGET)}`);
    log(`HTTP ${options.concurrency} in flight ÷ raw inserts:   ${verdict(concurrentRatio, COMMAND_TARGET)}`);
    log(`in-process handleCommand ÷ raw:     ${pct(inProcess.perSecond / raw.perSecond)}`);
    log(`store.appendToStream ÷ raw:         ${pct(appends.perSecond / raw.perSecond)}`);
    log();
    log(
      `Replay: ${fmt(replayed.rebuild.events)} events in ${replayed.streams} district streams ` +
        `(${fmt(generation.existing)} from step 1, ${fmt(generation.events)} from ${fmt(generation.commands)} commands ` +
        `of the flows, generated at ${fmt(generation.commands / (generation.ms / 1000))} commands/s with synchronous=NORMAL)`,
    );
    log(
      `  event types: ${generation.types
        .slice(0, 8)
        .map((t) => `${t.type} ${fmt(t.n)}`)
        .join(', ')}${generation.types.length > 8 ? `, +${generation.types.length - 8} more` : ''}`,
    );
    log(
      table(
        ['workload', 'events', 'events/s', `median ms of ${REPLAY_RUNS}`],
        [replayed.raw, replayed.readAll, replayed.rebuild].map((r) => [
          r.name,
          fmt(r.events),
          fmt(r.eventsPerSecond),
          fmt(r.medianMs, 1),
        ]),
      ),
    );
    log();
    log(`rebuild ÷ raw read+parse:           ${verdict(replayRatio, REPLAY_TARGET)}`);

    if (options.json) {
      const results = {
        machine,
        options,
        date: new Date().toISOString(),
        commands: {
          raw,
          appendToStream: appends,
          inProcess,
          httpSequential: http.sequential,
          httpConcurrent: http.concurrent,
          sampleRow: { type: row.type, bytes: rowBytes },
          ratio: { sequential: commandRatio, concurrent: concurrentRatio, target: COMMAND_TARGET },
        },
        replay: {
          ...replayed,
          generation,
          ratio: { rebuild: replayRatio, target: REPLAY_TARGET },
        },
      };
      writeFileSync('bench-results.json', `${JSON.stringify(results, null, 2)}\n`);
      log('Wrote bench-results.json');
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(rawDir, { recursive: true, force: true });
  }
  if (sink < 0) log('');
}

new Command()
  .name('npm run bench --')
  .description('Benchmark commands (HTTP) and replay of the community-establishment service.')
  .option('--commands <n>', 'single-event commands per measured phase', positiveInt, 2000)
  .option('--concurrency <c>', 'HTTP requests in flight in the concurrent phase', positiveInt, 8)
  .option(
    '--replay-events <n>',
    'events in the log replayed (topped up with command flows)',
    positiveInt,
    20000,
  )
  .option('--json', 'also write bench-results.json in the current directory', false)
  .action(main)
  .parseAsync()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
