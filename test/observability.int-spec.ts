import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServiceApp, type RunningService } from '#libs/http';
import { CommunityEstablishmentModule } from '../apps/community-establishment/src/community-establishment.module';
import { establishmentService } from '../apps/community-establishment/src/main';
import { RegistryClient } from '../scripts/demo-story';
import { demoTokens } from '../scripts/demo';

/**
 * /health/ready and the relay and projection gauges with the production transports: Kafka for
 * the relay (readiness watches it) and MongoDB (FerretDB here) for the read models (pinged).
 */
const real = process.env.KAFKA_BROKERS && process.env.MONGODB_URL;
if (!real) process.stdout.write('test/observability.int-spec.ts skipped: no real Kafka/MongoDB\n');

(real ? describe : describe.skip)('readiness and lag gauges on real Kafka and FerretDB', () => {
  let dataDir: string;
  let service: RunningService;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'registry-obs-it-'));
    process.env.REGISTRY_DATA_DIR = dataDir;
    process.env.REGISTRY_READ_DATABASE = `it-${randomUUID().slice(0, 8)}`;
    service = await createServiceApp(CommunityEstablishmentModule, {
      ...establishmentService(),
      port: 0,
      logLevels: false,
    });
  }, 120_000);

  afterAll(async () => {
    await service?.close();
    delete process.env.REGISTRY_READ_DATABASE;
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  const gauge = (text: string, name: string): number | undefined => {
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`));
    return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
  };

  it('is ready with the relay on Kafka and the read store on MongoDB, and its lags reach 0', async () => {
    const api = new RegistryClient(service.url);
    const tokens = await demoTokens();
    const res = await api.post('/api/districts/chengguan/committees', tokens.chengguan, {
      effectiveAt: '2010-09-01',
      legalBasis: '城关区政发〔2010〕88号',
      communityId: 'cg-yannan',
      committeeId: 'cg-yannan-rc',
      name: '雁南社区居民委员会',
      newAreas: [
        {
          areaId: 'cg-yannan-old',
          name: '雁南老街区',
          kind: 'existing-town-area',
          subDistrict: '雁南街道',
          households: 500,
        },
      ],
    });
    expect(res.status).toBe(201);
    const head = (res.body as { events: { globalPosition: number }[] }).events.at(-1)!.globalPosition;

    let text: string;
    const deadline = Date.now() + 15_000;
    do {
      text = await (await fetch(`${service.url}/metrics`)).text();
      if (gauge(text, 'registry_relay_lag') === 0 && gauge(text, 'registry_projection_lag') === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    } while (Date.now() < deadline);
    expect(gauge(text, 'registry_event_store_head_position')).toBe(head);
    expect(gauge(text, 'registry_relay_lag')).toBe(0);
    expect(gauge(text, 'registry_projection_lag')).toBe(0);

    const ready = await fetch(`${service.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      details: {
        'event-store': { status: 'up' },
        'read-store': { status: 'up', kind: 'mongodb' },
        relay: { status: 'up', transport: 'kafka' },
      },
    });
  }, 60_000);
});
