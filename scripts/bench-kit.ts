import { InvalidArgumentError } from 'commander';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import { jwtSettingsFromEnv, signAccessToken } from '#libs/http';
import type { HttpChunkReply, HttpChunkRequest, HttpRequest } from './bench-http-client';

/*
 * Helpers shared by the benchmarks (scripts/bench*.ts): timing, workloads run in interleaved
 * rounds, the raw node:sqlite baseline, percentiles and tables, tokens, machine facts, a private
 * Kafka broker. Benchmarks, not tests: nothing here asserts, it measures and prints.
 */

// ---- timing ------------------------------------------------------------------------------------

export const nowNs = (): bigint => process.hrtime.bigint();
export const msSince = (start: bigint): number => Number(nowNs() - start) / 1e6;

/** Operations before the measured rounds of each workload (JIT, page cache, connections). */
export const WARMUP_OPS = 300;
/** Measured rounds: the workloads take turns ROUNDS times, so that disk drift hits all alike. */
export const ROUNDS = 10;

export interface Throughput {
  readonly name: string;
  readonly ops: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  /** Appends per commit (fsync) of the store under test, where the workload counts them. */
  readonly appendsPerCommit?: number;
}

export interface Chunk {
  readonly latencies: Float64Array;
  readonly totalMs: number;
  /** Commits and appends of the store under test during the chunk, where known. */
  readonly commits?: number;
  readonly appends?: number;
}

/** A workload measured in chunks (rounds); latencies and wall time add up over the chunks. */
export interface Workload {
  readonly name: string;
  /** Runs operations start..start+count-1. */
  chunk(start: number, count: number): Promise<Chunk>;
}

/** The q-quantile (0..1) of ascending values, nearest rank; NaN when there are none. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export class Measured {
  private readonly latencies: number[] = [];
  private totalMs = 0;
  private commits = 0;
  private appends = 0;
  constructor(readonly workload: Workload) {}

  async run(start: number, count: number): Promise<void> {
    const chunk = await this.workload.chunk(start, count);
    for (const l of chunk.latencies) this.latencies.push(l);
    this.totalMs += chunk.totalMs;
    this.commits += chunk.commits ?? 0;
    this.appends += chunk.appends ?? 0;
  }

  result(): Throughput {
    const sorted = Float64Array.from(this.latencies).sort();
    const sum = sorted.reduce((a, b) => a + b, 0);
    return {
      name: this.workload.name,
      ops: sorted.length,
      seconds: this.totalMs / 1000,
      perSecond: sorted.length / (this.totalMs / 1000),
      p50Ms: percentile(sorted, 0.5),
      p99Ms: percentile(sorted, 0.99),
      meanMs: sum / sorted.length,
      ...(this.commits > 0 ? { appendsPerCommit: this.appends / this.commits } : {}),
    };
  }
}

/** Warms every workload up, then runs `total` operations of each in `rounds` interleaved rounds. */
export async function interleaved(
  workloads: readonly Workload[],
  total: number,
  { warmup = WARMUP_OPS, rounds = ROUNDS }: { warmup?: number; rounds?: number } = {},
): Promise<Throughput[]> {
  for (const w of workloads) await w.chunk(0, warmup);
  const measured = workloads.map((w) => new Measured(w));
  let done = 0;
  for (let r = 0; r < rounds; r++) {
    const count = Math.floor((total * (r + 1)) / rounds) - done;
    // Rotated, so that no workload always follows the same one (a checkpoint, a flush).
    for (let k = 0; k < measured.length; k++)
      await measured[(r + k) % measured.length].run(warmup + done, count);
    done += count;
  }
  return measured.map((m) => m.result());
}

/** A synchronous or sequential operation timed one call at a time. */
export function sequentialWorkload(name: string, op: (i: number) => unknown): Workload {
  return {
    name,
    async chunk(start, count) {
      const latencies = new Float64Array(count);
      const t0 = nowNs();
      for (let k = 0; k < count; k++) {
        const t = nowNs();
        await op(start + k);
        latencies[k] = msSince(t);
      }
      return { latencies, totalMs: msSince(t0) };
    },
  };
}

// ---- the raw baseline --------------------------------------------------------------------------

/** A row of the `events` table of SqliteEventStore. */
export interface EventRow {
  stream_id: string;
  type: string;
  schema_version: number;
  data: string;
  metadata: string;
  recorded_at: string;
  previous_hash: string;
  hash: string;
}

/** The latest stored event of a type (or of any type), as the raw baseline copies it. */
export function latestEventRow(db: DatabaseSync, type?: string): EventRow {
  const row = (type
    ? db.prepare('SELECT * FROM events WHERE type = ? ORDER BY global_position DESC LIMIT 1').get(type)
    : db.prepare('SELECT * FROM events ORDER BY global_position DESC LIMIT 1').get()) as unknown as
    EventRow | undefined;
  if (!row) throw new Error(`no stored ${type ?? ''} event to copy for the raw baseline`);
  return row;
}

/** Bytes of a stored row, all columns as text. */
export const rowBytes = (row: EventRow): number =>
  Object.values(row).reduce<number>((sum, v) => sum + Buffer.byteLength(String(v)), 0);

/** The raw baseline: one-row INSERT transactions on a table shaped like `events`. */
export function rawInsertWorkload(db: DatabaseSync, row: EventRow): Workload {
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
  return sequentialWorkload('raw node:sqlite BEGIN; INSERT; COMMIT', () => {
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
  });
}

// ---- HTTP clients ------------------------------------------------------------------------------

export interface HttpAnswer {
  readonly status: number;
  readonly text: string;
}

/**
 * A lean HTTP client: node:http with a keep-alive agent, one connection per request in flight.
 * Global fetch (undici) spends about 1 ms of CPU per request, more than a service's own HTTP stack;
 * on two cores that time is taken from the services and added to every latency measured.
 */
export class KeepAliveClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1024 });
  private readonly host: string;
  private readonly port: number;

  constructor(url: string) {
    const u = new URL(url);
    this.host = u.hostname;
    this.port = Number(u.port);
  }

  request(
    method: 'GET' | 'POST',
    path: string,
    token: string,
    body?: string,
    headers: Record<string, string> = {},
  ): Promise<HttpAnswer> {
    const payload = body === undefined ? undefined : Buffer.from(body);
    return new Promise<HttpAnswer>((resolveAnswer, reject) => {
      const req = httpRequest(
        {
          host: this.host,
          port: this.port,
          path,
          method,
          agent: this.agent,
          headers: {
            ...headers,
            authorization: `Bearer ${token}`,
            ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolveAnswer({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** The answer's JSON body, or undefined when it is not JSON. */
  static json(answer: HttpAnswer): any {
    try {
      return JSON.parse(answer.text);
    } catch {
      return undefined;
    }
  }

  close(): void {
    this.agent.destroy();
  }
}

/**
 * The HTTP client of a benchmark in a worker thread (scripts/bench-http-client.ts), so that building
 * requests and parsing answers takes no event-loop time from the services under test, as a client
 * in another process would. Requests are built here, between chunks, and sent over in one message.
 */
export class HttpClientWorker {
  private ids = 0;
  private constructor(private readonly worker: Worker) {}

  static start(url: string): HttpClientWorker {
    const worker = new Worker(join(__dirname, 'bench-http-client.js'), { workerData: { url } });
    worker.on('error', (error) => console.error('client worker:', error));
    return new HttpClientWorker(worker);
  }

  /** Sends the requests with `concurrency` in flight; each must answer 201 with one event. */
  run(requests: readonly HttpRequest[], concurrency: number): Promise<Chunk> {
    const id = this.ids++;
    return new Promise<Chunk>((resolveChunk, reject) => {
      const onMessage = (reply: HttpChunkReply): void => {
        if (reply.id !== id) return;
        this.worker.off('message', onMessage);
        if ('error' in reply) reject(new Error(reply.error));
        else resolveChunk(reply);
      };
      this.worker.on('message', onMessage);
      const message: HttpChunkRequest = { id, requests, concurrency };
      this.worker.postMessage(message);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/**
 * Single-event commands through HTTP; `requestFor(i)` builds the i-th. `counters` reads the group
 * commit counters of the service's store, to show how many appends shared an fsync.
 */
export function httpWorkload(
  name: string,
  client: HttpClientWorker,
  requestFor: (i: number) => HttpRequest,
  concurrency: number,
  counters?: () => { commits: number; appends: number },
): Workload {
  return {
    name,
    async chunk(start, count) {
      const requests = Array.from({ length: count }, (_, k) => requestFor(start + k));
      const before = counters?.();
      const chunk = await client.run(requests, concurrency);
      const after = counters?.();
      return before && after
        ? { ...chunk, commits: after.commits - before.commits, appends: after.appends - before.appends }
        : chunk;
    },
  };
}

// ---- output ------------------------------------------------------------------------------------

export const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
export const pct = (ratio: number): string => `${(ratio * 100).toFixed(1)}%`;

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export const throughputTable = (rows: Throughput[]): string =>
  table(
    ['workload', 'ops', 'ops/s', 'p50 ms', 'p99 ms', 'mean ms', 'appends/fsync'],
    rows.map((t) => [
      t.name,
      fmt(t.ops),
      fmt(t.perSecond),
      fmt(t.p50Ms, 3),
      fmt(t.p99Ms, 3),
      fmt(t.meanMs, 3),
      t.appendsPerCommit === undefined ? '' : fmt(t.appendsPerCommit, 2),
    ]),
  );

// ---- options, tokens, machine ------------------------------------------------------------------

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a positive integer');
  return n;
}

export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('an integer, 0 or more');
  return n;
}

/** An officer token per district code, signed with the configured (or development) secret. */
export async function officerTokens(
  districts: readonly { code: string }[],
  ttl = '2h',
): Promise<Record<string, string>> {
  const settings = jwtSettingsFromEnv();
  const tokens: Record<string, string> = {};
  for (const d of districts)
    tokens[d.code] = await signAccessToken(
      { sub: `official-bench-${d.code}`, name: '基准测试', roles: ['officer'], district: d.code },
      settings,
      { ttl },
    );
  return tokens;
}

/** A city-wide auditor token, for the queries. */
export const auditorToken = (ttl = '2h'): Promise<string> =>
  signAccessToken({ sub: 'auditor-bench', roles: ['auditor'], district: '*' }, jwtSettingsFromEnv(), { ttl });

/** A fresh directory under the OS temp dir, and a function that removes it. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** 1-minute load average; above the core count, other processes share the CPUs and the disk. */
export const loadAverage = (): number => Math.round(loadavg()[0] * 100) / 100;

export function machineInfo() {
  const probe = new DatabaseSync(':memory:');
  const sqlite = String(probe.prepare('SELECT sqlite_version() AS v').get()?.v);
  probe.close();
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    node: process.version,
    sqlite,
    os: `${platform()} ${release()}`,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    tmpdir: tmpdir(),
    loadAverageAtStart: loadAverage(),
  };
}

// ---- a private Kafka broker --------------------------------------------------------------------

const ROOT = resolve(__dirname, '../..');

/** Starts a single-node broker with test/servers/kafka.sh (java needed); stopped on exit. */
export function startBroker(): { brokers: string; stop: () => void } {
  const runDir = mkdtempSync(join(tmpdir(), 'bench-kafka-'));
  const stop = () => {
    spawnSync('bash', [join(ROOT, 'test/servers/kafka.sh'), 'stop', runDir], { stdio: 'ignore' });
    rmSync(runDir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  console.log('KAFKA_BROKERS is unset: starting a broker with test/servers/kafka.sh ...');
  const r = spawnSync('bash', [join(ROOT, 'test/servers/kafka.sh'), 'start', runDir], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const m = /^KAFKA_BROKERS=(.+)$/m.exec(r.stdout ?? '');
  if (r.status !== 0 || !m) {
    stop();
    throw new Error('could not start a Kafka broker (test/servers/kafka.sh start failed)');
  }
  return { brokers: m[1].trim(), stop };
}
