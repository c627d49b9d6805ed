import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import {
  handleCommand,
  StateCache,
  type CommandRequest,
  type EventStore,
  type RecordedEvent,
} from '#libs/event-sourcing';
import type { CommandContext } from '#libs/decider';
import {
  COMMAND_SCHEMAS,
  districtStreamId,
  establishmentDecider,
  type DistrictState,
  type EstablishmentCommand,
} from '../../apps/community-establishment/src/domain';

/** Shared by the crash, kcat tests (and the same load shape as scripts/bench-relay.ts). */

export const ROOT = resolve(__dirname, '../..');
export const SERVICE = 'community-establishment';
const DECIDER = establishmentDecider();
const AREAS_PER_DISTRICT = 3;
const ON = '2014-01-01';

export const CONTEXT: CommandContext = {
  effectiveAt: ON,
  actor: { subject: 'clerk-crash-test', roles: ['district-clerk'], districtScope: '620102' },
};

function request(command: EstablishmentCommand): CommandRequest<EstablishmentCommand> {
  return {
    command,
    context: CONTEXT,
    legalBasis: '城关区政发〔2013〕47号',
    correlationId: randomUUID(),
  };
}

const cmd = <T extends keyof typeof COMMAND_SCHEMAS>(type: T, data: unknown): EstablishmentCommand =>
  ({ type, data: COMMAND_SCHEMAS[type].parse(data) }) as EstablishmentCommand;

export const districtCodes = (n: number): string[] => Array.from({ length: n }, (_, i) => `crash${i}`);
const areaId = (district: string, i: number) => `a-${district}-${i}`;

/** One EstablishCommittee per district, with AREAS_PER_DISTRICT new areas. */
export async function seedDistricts(store: EventStore, districts: readonly string[]): Promise<void> {
  for (const d of districts) {
    await handleCommand(
      store,
      DECIDER,
      districtStreamId(d),
      request(
        cmd('EstablishCommittee', {
          communityId: `c-${d}`,
          committeeId: `rc-${d}`,
          name: `${d} 社区居民委员会`,
          newAreas: Array.from({ length: AREAS_PER_DISTRICT }, (_, i) => ({
            areaId: areaId(d, i),
            name: `${d} 小区 ${i}`,
            kind: 'existing-town-area',
            subDistrict: '东岗西路街道',
            households: 600,
          })),
        }),
      ),
    );
  }
}

/** One single-event command (AreaHouseholdsUpdated) on a random district and area. */
export async function householdsCommand(
  store: EventStore,
  districts: readonly string[],
  stateCache: StateCache<DistrictState> = new StateCache<DistrictState>(),
): Promise<RecordedEvent[]> {
  const d = districts[Math.floor(Math.random() * districts.length)];
  const households = 300 + Math.floor(Math.random() * 1500);
  const result = await handleCommand(
    store,
    DECIDER,
    districtStreamId(d),
    request(
      cmd('UpdateAreaHouseholds', {
        areaId: areaId(d, Math.floor(Math.random() * AREAS_PER_DISTRICT)),
        households,
      }),
    ),
    { maxRetries: 20, stateCache },
  );
  return result.events;
}

export interface Load {
  /** Stops issuing commands and waits for those in flight. */
  stop(): Promise<{ commands: number; failures: number }>;
}

/** A steady load: `perTick` commands every `tickMs`, concurrently within a tick. */
export function startLoad(
  store: EventStore,
  districts: readonly string[],
  perTick: number,
  tickMs: number,
  onEvents: (events: RecordedEvent[]) => void = () => undefined,
): Load {
  let commands = 0;
  let failures = 0;
  const inFlight = new Set<Promise<void>>();
  const stateCache = new StateCache<DistrictState>();
  const timer = setInterval(() => {
    for (let i = 0; i < perTick; i++) {
      const p = householdsCommand(store, districts, stateCache)
        .then((events) => {
          commands++;
          onEvents(events);
        })
        .catch((error: unknown) => {
          failures++;
          console.error('load: command failed', error);
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
  }, tickMs);
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all([...inFlight]);
      return { commands, failures };
    },
  };
}

/** Newest mtime (ms) of the .ts sources under the given dirs (tests excluded). */
function newestSource(dirs: string[]): number {
  let newest = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'testing') walk(path);
      } else if (entry.name.endsWith('.ts') && !/\.(int-|e2e-)?spec\.ts$/.test(entry.name)) {
        newest = Math.max(newest, statSync(path).mtimeMs);
      }
    }
  };
  for (const d of dirs) if (existsSync(d)) walk(d);
  return newest;
}

/**
 * dist/scripts/relay.js (or another `output`), compiled: reused when newer than every source it is
 * built from (libs, scripts/relay.ts, and `sourceDirs`), otherwise `npm run build` runs once. A
 * build that reports type errors elsewhere (another change in progress) still emits; it only fails
 * here when the output is missing.
 */
export function ensureBuilt(output = 'dist/scripts/relay.js', sourceDirs: readonly string[] = []): string {
  const relayJs = join(ROOT, output);
  const buildInfo = join(ROOT, 'dist/.tsbuildinfo-build');
  const mtime = (path: string) => (existsSync(path) ? statSync(path).mtimeMs : 0);
  // tsc -b is incremental: it rewrites only the outputs that changed, and its build info each time.
  const built = existsSync(relayJs) ? Math.max(mtime(relayJs), mtime(buildInfo)) : 0;
  const sources = Math.max(
    newestSource([join(ROOT, 'libs'), ...sourceDirs.map((d) => join(ROOT, d))]),
    mtime(join(ROOT, 'scripts/relay.ts')),
  );
  if (built > sources) return relayJs;
  const started = Date.now();
  const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, encoding: 'utf8' });
  console.log(`npm run build: exit ${build.status} in ${Date.now() - started} ms`);
  if (build.status !== 0) console.warn(`npm run build reported:\n${build.stdout}\n${build.stderr}`);
  if (!existsSync(relayJs))
    throw new Error(`npm run build did not produce ${relayJs}:\n${build.stdout}\n${build.stderr}`);
  return relayJs;
}

/** A broker of its own (test/servers/kafka.sh on a private RUN_DIR) that can be stopped and restarted. */
export class DedicatedBroker {
  readonly runDir = mkdtempSync(join(tmpdir(), 'registry-crash-kafka-'));
  brokers = '';

  private run(script: string, cmd: string): Promise<string> {
    return new Promise((resolvePromise, reject) => {
      const child = spawn('bash', [script, cmd, this.runDir], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('close', (code) =>
        code === 0 ? resolvePromise(out) : reject(new Error(`${script} ${cmd} failed (${code}):\n${err}`)),
      );
    });
  }

  async start(): Promise<string> {
    const out = await this.run('test/servers/kafka.sh', 'start');
    this.brokers = /^KAFKA_BROKERS=(.+)$/m.exec(out)![1].trim();
    return this.brokers;
  }
  /** Stops the broker, keeping its data (test/crash/kafka-restart.sh pause). */
  pause = () => this.run('test/crash/kafka-restart.sh', 'pause');
  /** Starts it again on the same port and data (test/crash/kafka-restart.sh resume). */
  resume = () => this.run('test/crash/kafka-restart.sh', 'resume');

  stop(): void {
    spawnSync('bash', ['test/servers/kafka.sh', 'stop', this.runDir], { cwd: ROOT, stdio: 'ignore' });
    rmSync(this.runDir, { recursive: true, force: true });
  }
}

export const kafkaClient = (brokers: string, clientId = 'crash-test'): Kafka =>
  new Kafka({ clientId, brokers: brokers.split(','), logLevel: logLevel.NOTHING });

export interface TopicRecord {
  readonly partition: number;
  readonly offset: string;
  readonly message: KafkaMessage;
}

/** Every record of the topic up to its current end offsets, read from the beginning. */
export async function readWholeTopic(
  kafka: Kafka,
  topic: string,
  timeoutMs = 60_000,
): Promise<TopicRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const end = new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
  const total = offsets.reduce((n, o) => n + Number(BigInt(o.high) - BigInt(o.low)), 0);
  const records: TopicRecord[] = [];
  if (total === 0) return records;
  const consumer = kafka.consumer({ groupId: `crash-reader-${randomUUID()}`, maxBytes: 10 * 1024 * 1024 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let done!: () => void;
    const finished = new Promise<void>((r) => (done = r));
    const reached = new Set<number>();
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        records.push({ partition, offset: message.offset, message });
        if (BigInt(message.offset) + 1n >= end.get(partition)!) reached.add(partition);
        if (records.length >= total || [...end].every(([p, high]) => high === 0n || reached.has(p))) done();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      finished,
      new Promise<void>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(new Error(`read ${records.length} of ${total} records of ${topic} in ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    return records;
  } finally {
    await consumer.disconnect();
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const randomBetween = (min: number, max: number) => min + Math.random() * (max - min);
