import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topicOf } from '#libs/contracts';
import { SqliteEventStore, type RecordedEvent } from '#libs/event-sourcing';
import { createServiceApp, type RunningService } from '#libs/http';
import { embeddedBus, openEmbeddedBus } from '#libs/messaging';
import { CommunityEstablishmentModule } from '../apps/community-establishment/src/community-establishment.module';
import { establishmentService } from '../apps/community-establishment/src/main';
import { demoTokens } from '../scripts/demo';
import { RegistryClient, type DemoTokens } from '../scripts/demo-story';
import { establishedByOlderRelease, OLD_AREA } from './support/older-release';

// The service's own configuration point, with a step that reads AreaRegistered v1 at v2.
jest.mock('../apps/community-establishment/src/application/upcasters', () => ({
  establishmentUpcasters: () =>
    (
      jest.requireActual('./support/older-release') as typeof import('./support/older-release')
    ).chainReadingAreasAtV2(),
}));

/**
 * GUIDE §4.7: an AreaRegistered an older release stored at version 1 is read at version 2, the
 * version the service's chain configures, by every reader of the running service: the read models
 * and the timeline answered over HTTP, the decisions taken on the district's state, and the
 * records the relay hands to the in-process bus. The stored row stays as it was written.
 */
describe('a stored version-1 event read at version 2 by the establishment service', () => {
  let dataDir: string;
  let service: RunningService;
  let api: RegistryClient;
  let tokens: DemoTokens;
  let storedEventId: string;
  const onBus: RecordedEvent[] = [];
  let unsubscribe: () => Promise<void>;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'registry-upcast-'));
    process.env.REGISTRY_DATA_DIR = dataDir;
    storedEventId = await establishedByOlderRelease(dataDir);
    unsubscribe = embeddedBus.subscribe({
      name: 'upcasting-e2e',
      topics: [topicOf('community-establishment')],
      handler: async (event) => void onBus.push(event),
    });
    service = await createServiceApp(CommunityEstablishmentModule, {
      ...establishmentService(),
      port: 0,
      logLevels: false,
    });
    // As the launcher does once every service of the process has subscribed.
    openEmbeddedBus();
    api = new RegistryClient(service.url);
    tokens = await demoTokens();
  }, 60_000);

  afterAll(async () => {
    await unsubscribe?.();
    await service?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const storedRows = async () => {
    const store = await SqliteEventStore.open({ file: join(dataDir, 'community-establishment.sqlite') });
    try {
      return await store.readStream('district-chengguan');
    } finally {
      await store.close();
    }
  };

  it('answers the area over HTTP from the read model and the timeline from the log, at version 2', async () => {
    const area = await api.get(`/api/districts/chengguan/areas/${OLD_AREA.areaId}`, tokens.auditor);
    expect(area.status).toBe(200);
    expect(area.body).toMatchObject({ areaId: OLD_AREA.areaId, households: OLD_AREA.households });

    const timeline = await api.get(
      `/api/districts/chengguan/areas/${OLD_AREA.areaId}/timeline`,
      tokens.auditor,
    );
    expect(timeline.status).toBe(200);
    const registered = timeline.body.entries.find((e: { eventId: string }) => e.eventId === storedEventId);
    expect(registered).toMatchObject({ type: 'AreaRegistered', data: { areaId: OLD_AREA.areaId } });
  });

  it('decides on the upcast state: the households change names the stored count as the previous one (EST-9)', async () => {
    const res = await api.post(
      `/api/districts/chengguan/areas/${OLD_AREA.areaId}/households`,
      tokens.chengguan,
      {
        effectiveAt: '2012-01-01',
        legalBasis: '城关区政发〔2012〕3号',
        households: 620,
      },
    );
    // Accepted: the area exists in the state folded from the upcast event (requireArea).
    expect(res.status).toBe(201);
    const decided = (await storedRows()).find((e) => e.eventId === res.body.events[0].eventId);
    expect(decided).toMatchObject({
      type: 'AreaHouseholdsUpdated',
      data: { areaId: OLD_AREA.areaId, households: 620, previous: OLD_AREA.households },
    });
  });

  it('relays AreaRegistered to the in-process bus as AreaRegistered.v2 with the version-2 data', async () => {
    const deadline = Date.now() + 4_000;
    while (!onBus.some((e) => e.eventId === storedEventId) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    const relayed = onBus.find((e) => e.eventId === storedEventId);
    expect(relayed).toMatchObject({
      type: 'AreaRegistered',
      schemaVersion: 2,
      data: { areaId: OLD_AREA.areaId },
    });
  });

  it('keeps the stored row at version 1, and writes new AreaRegistered events at version 2', async () => {
    const res = await api.post('/api/districts/chengguan/areas', tokens.chengguan, {
      effectiveAt: '2012-02-01',
      legalBasis: '城关区政发〔2012〕5号',
      areaId: 'cg-yannan-new',
      name: '雁南新区',
      kind: 'existing-town-area',
      subDistrict: '雁南街道',
      households: 300,
      responsibility: { kind: 'own-committee', communityId: 'cg-yannan' },
    });
    expect(res.status).toBe(201);
    const rows = await storedRows();
    const versions = rows.filter((e) => e.type === 'AreaRegistered').map((e) => [e.schemaVersion, e.data]);
    expect(versions).toEqual([
      [1, expect.objectContaining({ id: OLD_AREA.areaId })],
      [2, expect.objectContaining({ areaId: 'cg-yannan-new' })],
    ]);
  });
});
