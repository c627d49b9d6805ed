import 'reflect-metadata';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { createServiceApp, type RunningService } from '#libs/http';
import { ProjectionHost } from '#libs/hosting';
import { CommunityEstablishmentModule } from '../apps/community-establishment/src/community-establishment.module';
import { establishmentService } from '../apps/community-establishment/src/main';
import { RegistryClient, runDemoStory } from '../scripts/demo-story';
import { demoTokens } from '../scripts/demo';

/**
 * The embedded default keeps the read models in `<service>.read.sqlite` beside the log: a restart
 * resumes the projection from its checkpoint instead of replaying the whole log, and the read
 * models answer at once. In memory (REGISTRY_READ_STORE=memory) every start replays the log.
 */
describe('read models on disk across a restart of the establishment service', () => {
  const dirs: string[] = [];
  const saved = { dataDir: process.env.REGISTRY_DATA_DIR, readStore: process.env.REGISTRY_READ_STORE };
  let service: RunningService | undefined;

  const start = async (dataDir: string, readStore?: 'memory'): Promise<RunningService> => {
    process.env.REGISTRY_DATA_DIR = dataDir;
    if (readStore) process.env.REGISTRY_READ_STORE = readStore;
    else delete process.env.REGISTRY_READ_STORE;
    service = await createServiceApp(CommunityEstablishmentModule, {
      ...establishmentService(),
      port: 0,
      logLevels: false,
    });
    return service;
  };
  const stop = async () => {
    await service?.close();
    service = undefined;
  };
  const newDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'registry-restart-'));
    dirs.push(dir);
    return dir;
  };
  const one = <T>(file: string, sql: string): T => {
    const db = new DatabaseSync(file, { readOnly: true });
    try {
      return Object.values(db.prepare(sql).get()!)[0] as T;
    } finally {
      db.close();
    }
  };

  let dataDir: string;
  let areasBefore: unknown;
  let head: number;

  beforeAll(async () => {
    dataDir = newDir();
    const first = await start(dataDir);
    const tokens = await demoTokens();
    await runDemoStory(new RegistryClient(first.url), tokens);
    areasBefore = (await new RegistryClient(first.url).get('/api/districts/chengguan/areas', tokens.auditor))
      .body;
    expect(first.app.get(ProjectionHost).handledSinceStart).toBeGreaterThan(20);
    await stop();
    head = Number(
      one(join(dataDir, 'community-establishment.sqlite'), 'SELECT max(global_position) FROM events'),
    );
  }, 60_000);

  afterEach(stop);
  afterAll(() => {
    for (const [name, value] of [
      ['REGISTRY_DATA_DIR', saved.dataDir],
      ['REGISTRY_READ_STORE', saved.readStore],
    ] as const)
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the checkpoint at the head of the log once stopped', () => {
    const checkpoint = one<number>(
      join(dataDir, 'community-establishment.read.sqlite'),
      `SELECT position FROM checkpoints WHERE subscription_id = 'projection:community-establishment'`,
    );
    expect(checkpoint).toBe(head);
  });

  it('resumes from the checkpoint: no event replayed, the areas answered as before the stop', async () => {
    const again = await start(dataDir);
    const host = again.app.get(ProjectionHost);
    await host.caughtUp;
    expect(host.handledSinceStart).toBe(0);
    const tokens = await demoTokens();
    const areas = await new RegistryClient(again.url).get('/api/districts/chengguan/areas', tokens.auditor);
    expect(areas.status).toBe(200);
    expect(areas.body).toEqual(areasBefore);
  });

  it('in memory (REGISTRY_READ_STORE=memory), replays the whole log at every start', async () => {
    const again = await start(dataDir, 'memory');
    const host = again.app.get(ProjectionHost);
    await host.caughtUp;
    expect(host.handledSinceStart).toBe(head);
  });

  it('rebuilds read models whose checkpoint is past the end of the log (the log was replaced)', async () => {
    const elsewhere = newDir();
    copyFileSync(
      join(dataDir, 'community-establishment.read.sqlite'),
      join(elsewhere, 'community-establishment.read.sqlite'),
    );
    const fresh = await start(elsewhere);
    await fresh.app.get(ProjectionHost).caughtUp;
    const tokens = await demoTokens();
    const areas = await new RegistryClient(fresh.url).get('/api/districts/chengguan/areas', tokens.auditor);
    expect(areas.body).toEqual([]);
  });
});
