import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Real servers for integration tests (GUIDE §2): a one-node Kafka 3.9.x broker (KRaft) and
 * FerretDB 1.24.x on SQLite, both on loopback with free ports, started through
 * test/servers/kafka.sh and test/servers/ferretdb.sh (which cache their downloads and builds
 * under ${REGISTRY_CACHE_DIR:-~/.cache/lanzhou-registry}).
 *
 * When KAFKA_BROKERS or MONGODB_URL is already set, that server is taken as given and nothing is
 * started for it. stop() is idempotent, and a process 'exit' hook stops whatever is still running
 * if a caller never got to call it (a crashed test run).
 */
export interface RunningServers {
  kafkaBrokers: string;
  mongodbUrl: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Which servers are needed; default both. */
  kafka?: boolean;
  mongodb?: boolean;
  /** Run a client-level readiness check (kafkajs listTopics, mongoose ping); default true. */
  clientCheck?: boolean;
  log?: (line: string) => void;
}

// __dirname under jest (CommonJS); the repo root's test/servers when loaded as ESM (node type stripping).
const SCRIPTS_DIR = typeof __dirname === 'string' ? __dirname : resolve(process.cwd(), 'test/servers');

interface Started {
  script: string;
  runDir: string;
}

const running = new Set<Started>();
let exitHookInstalled = false;

function stopSync(s: Started): void {
  spawnSync('bash', [join(SCRIPTS_DIR, s.script), 'stop', s.runDir], { stdio: 'ignore' });
  rmSync(s.runDir, { recursive: true, force: true });
  running.delete(s);
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const s of [...running]) stopSync(s);
  });
  // The servers run in their own session (setsid), so Ctrl-C does not reach them: stop them,
  // then die of the same signal as if nothing had been listening.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      for (const s of [...running]) stopSync(s);
      process.removeListener(signal, onSignal);
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

/** Runs `bash <script> <cmd> <runDir>`, passing stderr through to log; resolves with stdout. */
function runScript(script: string, cmd: string, runDir: string, log: (l: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(SCRIPTS_DIR, script), cmd, runDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: process.env,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      for (const line of d.toString().split('\n')) if (line.trim()) log(line);
    });
    child.on('error', (e) => reject(new Error(`${script} ${cmd}: cannot run bash: ${e.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${script} ${cmd} failed (exit ${code}):\n${err.trim()}`));
    });
  });
}

function pick(output: string, key: string): string {
  const m = new RegExp(`^${key}=(.+)$`, 'm').exec(output);
  if (!m) throw new Error(`script output has no ${key}=...:\n${output}`);
  return m[1].trim();
}

async function startOne(
  script: string,
  key: string,
  log: (l: string) => void,
): Promise<{ value: string; handle: Started }> {
  const runDir = mkdtempSync(join(tmpdir(), `registry-${script.replace(/\.sh$/, '')}-`));
  const handle: Started = { script, runDir };
  running.add(handle);
  installExitHook();
  try {
    const out = await runScript(script, 'start', runDir, log);
    return { value: pick(out, key), handle };
  } catch (e) {
    stopSync(handle);
    throw e;
  }
}

async function retry<T>(what: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > deadline)
        throw new Error(`${what} not ready after ${timeoutMs} ms: ${(e as Error).message}`, {
          cause: e,
        });
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** A metadata request through kafkajs (the client the project uses). */
export async function checkKafka(brokers: string, timeoutMs = 30_000): Promise<void> {
  const { Kafka, logLevel } = await import('kafkajs');
  const kafka = new Kafka({
    clientId: 'registry-readiness',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  await retry(`Kafka at ${brokers}`, timeoutMs, async () => {
    const admin = kafka.admin();
    try {
      await admin.connect();
      await admin.listTopics();
    } finally {
      await admin.disconnect();
    }
  });
}

/** A ping through mongoose. */
export async function checkMongo(url: string, timeoutMs = 30_000): Promise<void> {
  const mongoose = (await import('mongoose')).default;
  await retry(`MongoDB at ${url}`, timeoutMs, async () => {
    const conn = mongoose.createConnection(url, { serverSelectionTimeoutMS: 3_000 });
    try {
      await conn.asPromise();
      await conn.db!.admin().ping();
    } finally {
      await conn.close(true);
    }
  });
}

export async function startServers(options: StartOptions = {}): Promise<RunningServers> {
  const log = options.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const wantKafka = options.kafka ?? true;
  const wantMongo = options.mongodb ?? true;
  const handles: Started[] = [];
  const stop = async (): Promise<void> => {
    for (const h of handles.splice(0).reverse()) {
      if (!running.has(h)) continue;
      running.delete(h);
      try {
        await runScript(h.script, 'stop', h.runDir, log);
      } finally {
        rmSync(h.runDir, { recursive: true, force: true });
      }
    }
  };

  try {
    let kafkaBrokers = process.env.KAFKA_BROKERS ?? '';
    let mongodbUrl = process.env.MONGODB_URL ?? '';
    // Start the two in parallel: Kafka is JVM-bound, FerretDB mostly idle while Kafka boots.
    const [k, m] = await Promise.allSettled([
      wantKafka && !kafkaBrokers ? startOne('kafka.sh', 'KAFKA_BROKERS', log) : Promise.resolve(undefined),
      wantMongo && !mongodbUrl ? startOne('ferretdb.sh', 'MONGODB_URL', log) : Promise.resolve(undefined),
    ]);
    for (const r of [k, m]) if (r.status === 'fulfilled' && r.value) handles.push(r.value.handle);
    if (k.status === 'rejected') throw k.reason;
    if (m.status === 'rejected') throw m.reason;
    if (k.value) kafkaBrokers = k.value.value;
    if (m.value) mongodbUrl = m.value.value;

    if (options.clientCheck ?? true) {
      if (wantKafka) await checkKafka(kafkaBrokers);
      if (wantMongo) await checkMongo(mongodbUrl);
    }
    return { kafkaBrokers, mongodbUrl, stop };
  } catch (e) {
    await stop().catch(() => undefined);
    throw e;
  }
}
