import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { startServices, type RunningService } from '#libs/http';
import { openEmbeddedBus } from '#libs/messaging';
import { establishmentService } from '../apps/community-establishment/src/main';
import { facilityConstructionService } from '../apps/facility-construction/src/main';
import { staffingElectionsService } from '../apps/staffing-elections/src/main';
import { demoTokens } from '../scripts/demo';
import { RegistryClient } from '../scripts/demo-story';
import { history, SCALES, type SeedCommand } from '../scripts/seed';
import { buildDist, ROOT } from './support/build';

/*
 * `npm run seed -- --scale small` as a user runs it (node dist/scripts/seed.js): every command it
 * sends is accepted, by the services and by their reactions; two seeds give the same history; a
 * seed stopped twice and resumed ends with the same history as one run straight through; and the
 * stores and read models of the three services hold what the generator decided.
 */

const SEED = 'dist/scripts/seed.js';
const SERVICES = ['community-establishment', 'staffing-elections', 'facility-construction'] as const;

interface Row {
  stream_id: string;
  stream_revision: number;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
}

function seed(dataDir: string, ...args: string[]): string {
  const run = spawnSync('node', [SEED, '--scale', 'small', '--data-dir', dataDir, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'silent' },
  });
  if (run.status !== 0)
    throw new Error(`seed ${args.join(' ')} exited ${run.status}:\n${run.stdout}\n${run.stderr}`);
  return run.stdout;
}

function rows(dataDir: string, service: string): Row[] {
  const db = new DatabaseSync(join(dataDir, `${service}.sqlite`), { readOnly: true });
  try {
    return db
      .prepare(
        'SELECT stream_id, stream_revision, event_id, type, data, metadata FROM events ORDER BY stream_id, stream_revision',
      )
      .all() as unknown as Row[];
  } finally {
    db.close();
  }
}

/**
 * Each stream's events in order: the type, and for the seed's own decisions (they carry its
 * idempotency key) the event id and the data. The reactions' events get ids of their own and copy
 * the wall-clock time a correction was recorded, so of those the type and place are compared.
 */
function streams(dataDir: string, service: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const r of rows(dataDir, service)) {
    const keyed = (JSON.parse(r.metadata) as { idempotencyKey?: string }).idempotencyKey !== undefined;
    (out[r.stream_id] ??= []).push(keyed ? `${r.type} ${r.event_id} ${r.data}` : r.type);
  }
  return out;
}

const count = (commands: readonly SeedCommand[], type: string, district?: string) =>
  commands.filter((c) => c.type === type && (district === undefined || c.district === district)).length;

describe('npm run seed: a deterministic, resumable history through the command path', () => {
  const dirs: string[] = [];
  let straight: string;
  let output: string;
  let commands: SeedCommand[];

  beforeAll(() => {
    buildDist(SEED);
    commands = [...history(SCALES.small, (key, type) => `${type}-${key}`)];
    straight = mkdtempSync(join(tmpdir(), 'seed-a-'));
    dirs.push(straight);
    output = seed(straight);
  }, 240_000);

  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('decides every command of the small scale, none refused by a service or a reaction', () => {
    expect(output).toContain(`Done: ${commands.length} of ${commands.length} commands`);
    expect(output).toMatch(/Refused or failed decisions \(the seed's and the reactions'\): 0\n/);
    // The small scale still holds every kind of history the full one does.
    for (const type of ['MergeCommittees', 'SplitCommittee', 'CorrectDecision', 'StartProxyManagement'])
      expect(count(commands, type)).toBeGreaterThan(0);
  });

  it('gives the same history on a second seed', () => {
    const again = mkdtempSync(join(tmpdir(), 'seed-b-'));
    dirs.push(again);
    seed(again);
    for (const service of SERVICES) expect(streams(again, service)).toEqual(streams(straight, service));
  }, 120_000);

  it('ends with the same history when stopped twice and run again', () => {
    const resumed = mkdtempSync(join(tmpdir(), 'seed-c-'));
    dirs.push(resumed);
    expect(seed(resumed, '--stop-after', '400')).toContain(`Stopped: 400 of ${commands.length} commands`);
    expect(seed(resumed, '--stop-after', '500')).toContain(`Stopped: 900 of ${commands.length} commands`);
    expect(seed(resumed)).toContain(`this run ${commands.length - 900} commands`);
    for (const service of SERVICES) expect(streams(resumed, service)).toEqual(streams(straight, service));
  }, 180_000);

  it("holds in each service's store the generator's commands and the reactions they call for", () => {
    for (const service of SERVICES) {
      const keys = new Set(
        rows(straight, service)
          .map((r) => (JSON.parse(r.metadata) as { idempotencyKey?: string }).idempotencyKey)
          .filter((k) => k !== undefined),
      );
      expect(keys.size).toBe(commands.filter((c) => c.service === service).length);
    }
    const types = (service: string) => rows(straight, service).map((r) => r.type);
    const staffing = types('staffing-elections');
    // ELECT-4: an election for every new committee, both parts of a split and a merger's result.
    expect(staffing.filter((t) => t === 'ElectionCalled')).toHaveLength(
      count(commands, 'EstablishCommittee') +
        2 * count(commands, 'SplitCommittee') +
        count(commands, 'MergeCommittees') +
        count(commands, 'CallElection'),
    );
    expect(staffing.filter((t) => t === 'ElectionHeld')).toHaveLength(
      count(commands, 'RecordElectionResults'),
    );
    // EST-8: both reacting services followed every correction.
    for (const service of ['staffing-elections', 'facility-construction'])
      expect(types(service).filter((t) => t === 'EstablishmentCorrectionFollowed')).toHaveLength(
        count(commands, 'CorrectDecision'),
      );
    // The facility service recounted every household update.
    expect(
      types('facility-construction').filter((t) => t === 'RequirementRecomputed').length,
    ).toBeGreaterThanOrEqual(count(commands, 'UpdateAreaHouseholds'));
  });

  describe('read models of the seeded registry', () => {
    let services: RunningService[] = [];
    let auditor: string;

    beforeAll(async () => {
      process.env.REGISTRY_DATA_DIR = straight;
      services = await startServices(
        [establishmentService(), staffingElectionsService(), facilityConstructionService()].map((d) => ({
          ...d,
          port: 0,
          logLevels: false as const,
        })),
      );
      openEmbeddedBus();
      auditor = (await demoTokens()).auditor;
    }, 120_000);

    afterAll(async () => {
      for (const s of [...services].reverse()) await s.close();
    });

    const get = async (service: string, path: string) => {
      const url = services.find((s) => s.name === service)!.url;
      const res = await new RegistryClient(url).get(path, auditor);
      expect(res.status).toBe(200);
      return res.body;
    };

    it.each(SCALES.small.districts.map((d) => d.code))(
      '%s: areas, communities, workers and projects as decided',
      async (district) => {
        const api = `/api/districts/${district}`;
        const mine = commands.filter((c) => c.district === district);
        const areas = mine
          .filter((c) => c.type === 'EstablishCommittee')
          .reduce(
            (n, c) => n + ((c.data.newAreas as unknown[] | undefined)?.length ?? 0),
            count(mine, 'RegisterArea'),
          );
        expect(await get('community-establishment', `${api}/areas`)).toHaveLength(areas);
        const communities = new Set([
          ...mine.filter((c) => c.type === 'EstablishCommittee').map((c) => c.data.communityId),
          ...mine
            .filter((c) => c.type === 'SplitCommittee')
            .flatMap((c) => (c.data.parts as { communityId: string }[]).map((p) => p.communityId)),
          ...mine.filter((c) => c.type === 'MergeCommittees').map((c) => c.data.communityId),
        ]);
        expect(await get('community-establishment', `${api}/communities`)).toHaveLength(communities.size);
        const workers = count(mine, 'HireWorker') - count(mine, 'WorkerLeaves');
        expect(await get('staffing-elections', `${api}/indicators/qualifications`)).toMatchObject({
          workers,
        });
        expect(await get('facility-construction', `${api}/projects`)).toHaveLength(
          count(mine, 'RegisterConstructionProject'),
        );
      },
    );
  });
});
