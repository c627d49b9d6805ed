import 'reflect-metadata';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { SqliteEventStore, upcastingEventStore } from '#libs/event-sourcing';
import { ProjectionHost } from '#libs/hosting';
import { MemoryReadStore, rebuildProjection, SqliteReadStore } from '#libs/read-store';
import { EstablishmentProjection } from '../apps/community-establishment/src/application/projections';
import { ESTABLISHMENT_READ_INDEXES } from '../apps/community-establishment/src/application/read-indexes';
import { establishmentUpcasters } from '../apps/community-establishment/src/application/upcasters';
import { createServiceApp, jwtSettingsFromEnv, signAccessToken, type RunningService } from '#libs/http';
import { CommunityEstablishmentModule } from '../apps/community-establishment/src/community-establishment.module';
import { establishmentService } from '../apps/community-establishment/src/main';
import { FacilityConstructionModule } from '../apps/facility-construction/src/facility-construction.module';
import { facilityConstructionService } from '../apps/facility-construction/src/main';
import { RegistryClient, runDemoStory, type ApiResponse } from '../scripts/demo-story';
import { contentsOf } from '../libs/read-store/src/testing/projection-checks';
import { demoTokens } from '../scripts/demo';

/**
 * The embedded default keeps the read models in `<service>.read.sqlite` beside the log: a restart
 * resumes the projection from its checkpoint instead of replaying the whole log, and the read
 * models answer at once. In memory (REGISTRY_READ_STORE=memory) every start replays the log.
 * The lists of one row per area, community or project are read a page at a time, by id.
 */
describe('read models on disk: restart, and lists paged by id', () => {
  const dirs: string[] = [];
  const saved = { dataDir: process.env.REGISTRY_DATA_DIR, readStore: process.env.REGISTRY_READ_STORE };
  let service: RunningService | undefined;

  const start = async (
    dataDir: string,
    readStore?: 'memory',
    which: 'establishment' | 'facility' = 'establishment',
  ): Promise<RunningService> => {
    process.env.REGISTRY_DATA_DIR = dataDir;
    if (readStore) process.env.REGISTRY_READ_STORE = readStore;
    else delete process.env.REGISTRY_READ_STORE;
    service =
      which === 'establishment'
        ? await createServiceApp(CommunityEstablishmentModule, {
            ...establishmentService(),
            port: 0,
            logLevels: false,
          })
        : await createServiceApp(FacilityConstructionModule, {
            ...facilityConstructionService(),
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

  it('holds the documents a rebuild in memory gives (the live projection, written into SQLite)', async () => {
    const store = await SqliteEventStore.open({
      file: join(dataDir, 'community-establishment.sqlite'),
      readOnly: true,
    });
    const onDisk = SqliteReadStore.open({
      file: join(dataDir, 'community-establishment.read.sqlite'),
      indexes: ESTABLISHMENT_READ_INDEXES,
    });
    try {
      const memory = new MemoryReadStore();
      const upcast = upcastingEventStore(store, establishmentUpcasters());
      const projection = new EstablishmentProjection(upcast);
      await rebuildProjection({ store: upcast, readStore: memory, projection });
      for (const name of projection.collections) {
        const all = { sort: { _id: 1 as const } };
        const expected = await memory.collection(name).find({}, all);
        expect(expected.length).toBeGreaterThan(0);
        // The same content; a document's revision names the state it was derived from (a
        // rebuild's is the head).
        expect({ name, documents: contentsOf(await onDisk.collection(name).find({}, all)) }).toEqual({
          name,
          documents: contentsOf(expected),
        });
      }
    } finally {
      await onDisk.close();
      await store.close();
    }
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

  describe('lists of one row per area, community or project, paged by id', () => {
    let api: RegistryClient;
    let auditor: string;
    beforeEach(async () => {
      api = new RegistryClient((await start(dataDir)).url);
      auditor = (await demoTokens()).auditor;
    });

    /** Every page of a list, following the Link to the next until there is none. */
    const allPages = async (path: string) => {
      const pages: ApiResponse[] = [];
      for (let next: string | undefined = path; next !== undefined;) {
        const page = await api.get(next, auditor);
        expect(page.status).toBe(200);
        pages.push(page);
        next = /^<([^>]+)>; rel="next"$/.exec(page.headers.get('link') ?? '')?.[1];
      }
      return pages;
    };

    it('answers a list shorter than a page as before: the whole list, no Link', async () => {
      const areas = await api.get('/api/districts/chengguan/areas', auditor);
      expect(areas.body).toEqual(areasBefore);
      expect(areas.headers.get('link')).toBeNull();
    });

    it('GET /areas?limit=2 gives two areas and a Link after the last one; the pages make the whole list', async () => {
      const whole = areasBefore as Array<{ areaId: string }>;
      expect(whole.length).toBeGreaterThan(4);
      const first = await api.get('/api/districts/chengguan/areas?limit=2', auditor);
      expect(first.body).toEqual(whole.slice(0, 2));
      expect(first.headers.get('link')).toBe(
        `</api/districts/chengguan/areas?limit=2&after=${whole[1].areaId}>; rel="next"`,
      );
      const pages = await allPages('/api/districts/chengguan/areas?limit=2');
      expect(pages).toHaveLength(Math.ceil(whole.length / 2));
      expect(pages.flatMap((p) => p.body as unknown[])).toEqual(whole);
    });

    it('pages the communities and a list as of a past date (folded) the same way', async () => {
      const communities = (await api.get('/api/districts/chengguan/communities', auditor)).body as unknown[];
      expect(communities.length).toBeGreaterThan(2);
      const pages = await allPages('/api/districts/chengguan/communities?limit=1');
      expect(pages).toHaveLength(communities.length);
      expect(pages.flatMap((p) => p.body as unknown[])).toEqual(communities);

      const asOf = (await api.get('/api/districts/chengguan/areas?asOf=2014-12-31', auditor)).body as Array<{
        areaId: string;
      }>;
      expect(asOf.length).toBeGreaterThan(2);
      const byId = [...asOf].sort((a, b) => (a.areaId < b.areaId ? -1 : 1));
      const asOfPages = await allPages('/api/districts/chengguan/areas?asOf=2014-12-31&limit=2');
      expect(asOfPages.flatMap((p) => p.body as unknown[])).toEqual(byId);
    });

    it('takes a limit of 1 to 1000; refuses a bad limit or cursor with 400 naming the field', async () => {
      for (const limit of [1, 1000])
        expect((await api.get(`/api/districts/chengguan/areas?limit=${limit}`, auditor)).status).toBe(200);
      for (const [query, field] of [
        ['limit=0', 'query.limit'],
        ['limit=1001', 'query.limit'],
        ['limit=ten', 'query.limit'],
        ['limit=2.5', 'query.limit'],
        ['after=', 'query.after'],
        ['offset=10', 'query.offset'],
      ])
        for (const list of ['areas', 'communities']) {
          const res = await api.get(`/api/districts/chengguan/${list}?${query}`, auditor);
          expect([list, query, res.status, res.body.errors?.map((e: { field: string }) => e.field)]).toEqual([
            list,
            query,
            400,
            [field],
          ]);
        }
    });

    it('GET /projects of the facility service is paged the same way', async () => {
      await stop();
      const facility = new RegistryClient((await start(newDir(), undefined, 'facility')).url);
      const officer = await signAccessToken(
        { sub: 'official-li-cg', roles: ['officer'], district: '城关区' },
        jwtSettingsFromEnv(),
      );
      for (const projectId of ['p-c', 'p-a', 'p-b']) {
        const res = await facility.post('/api/districts/chengguan/projects', officer, {
          effectiveAt: '2012-03-01',
          legalBasis: '城关区民发〔2012〕号',
          projectId,
          name: `住宅小区 ${projectId}`,
          developer: '兰州置业有限公司',
          communityId: 'yantan-xinyuan',
          plannedHouseholds: 2000,
          plannedSpaceM2: 420,
        });
        expect(res.status).toBe(201);
      }
      const first = await facility.get('/api/districts/chengguan/projects?limit=2', auditor);
      expect(first.body.map((p: { projectId: string }) => p.projectId)).toEqual(['p-a', 'p-b']);
      expect(first.headers.get('link')).toBe(
        '</api/districts/chengguan/projects?limit=2&after=p-b>; rel="next"',
      );
      const last = await facility.get('/api/districts/chengguan/projects?limit=2&after=p-b', auditor);
      expect(last.body.map((p: { projectId: string }) => p.projectId)).toEqual(['p-c']);
      expect(last.headers.get('link')).toBeNull();
      const bad = await facility.get('/api/districts/chengguan/projects?limit=-1', auditor);
      expect([bad.status, bad.body.errors?.map((e: { field: string }) => e.field)]).toEqual([
        400,
        ['query.limit'],
      ]);
    });
  });
});
