import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServices, type RunningService } from '#libs/http';
import { openEmbeddedBus } from '#libs/messaging';
import { establishmentService } from '../apps/community-establishment/src/main';
import { staffingElectionsService } from '../apps/staffing-elections/src/main';
import { demoTokens } from '../scripts/demo';
import { RegistryClient, type DemoTokens } from '../scripts/demo-story';
import { establishYannan } from './support/fixtures';

/** One sample of the Prometheus text format: `name{label="value",...} number`. */
interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[key] = value;
    }
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

/** The samples of a metric whose labels include all of `labels`. */
const find = (samples: readonly Sample[], name: string, labels: Record<string, string> = {}): Sample[] =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

const valueOf = (samples: readonly Sample[], name: string, labels: Record<string, string> = {}) => {
  const found = find(samples, name, labels);
  if (found.length !== 1) {
    throw new Error(`${found.length} samples of ${name} ${JSON.stringify(labels)}`);
  }
  return found[0].value;
};

/**
 * /metrics and /health/ready of the services as `npm start` runs them: in one process, each with
 * its own registry. A command and a refused command move the decision and HTTP counters with the
 * right labels; the relay and projection lags come back to 0; the reaction of another service is
 * counted by its consumer.
 */
describe('metrics and readiness (embedded default, services in one process)', () => {
  const ESTABLISHMENT = 'community-establishment';
  const STAFFING = 'staffing-elections';
  let dataDir: string;
  let services: RunningService[] = [];
  let tokens: DemoTokens;
  let establishment: RegistryClient;
  let lastPosition: number;
  let appended: number;
  let beforeBus: Sample[];

  const urlOf = (name: string) => services.find((s) => s.name === name)!.url;
  const scrape = async (name: string): Promise<{ samples: Sample[]; contentType: string | null }> => {
    const res = await fetch(`${urlOf(name)}/metrics`);
    expect(res.status).toBe(200);
    return { samples: parseExposition(await res.text()), contentType: res.headers.get('content-type') };
  };
  /** Scrapes until `done` holds (the relay and projections work in the background). */
  const scrapeUntil = async (name: string, done: (samples: Sample[]) => boolean): Promise<Sample[]> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const { samples } = await scrape(name);
      if (done(samples) || Date.now() > deadline) return samples;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'metrics-e2e-'));
    process.env.REGISTRY_DATA_DIR = dataDir;
    services = await startServices(
      [establishmentService(), staffingElectionsService()].map((d) => ({ ...d, port: 0, logLevels: false })),
    );
    tokens = await demoTokens();
    establishment = new RegistryClient(urlOf(ESTABLISHMENT));

    const established = await establishYannan(establishment, tokens);
    const { events } = established.body as { events: { globalPosition: number }[] };
    appended = events.length;
    lastPosition = events.at(-1)!.globalPosition;

    // EST-2: more households occupied than the area has.
    const refused = await establishment.post(
      '/api/districts/chengguan/areas/cg-yannan-old/occupancy-reports',
      tokens.chengguan,
      { effectiveAt: '2011-01-01', legalBasis: '入住率报告2011-01', occupiedHouseholds: 501 },
    );
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ ruleId: 'EST-2' });
    expect((await establishment.get('/api/nothing-here')).status).toBe(404);

    // The embedded bus opens once every service has subscribed: until then the log is the outbox.
    beforeBus = (await scrape(ESTABLISHMENT)).samples;
    openEmbeddedBus();
  }, 60_000);

  afterAll(async () => {
    await Promise.all(services.map((s) => s.close()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the Prometheus text format, labelled with its own service only', async () => {
    for (const name of [ESTABLISHMENT, STAFFING]) {
      const { samples, contentType } = await scrape(name);
      expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
      const labelled = samples.filter((s) => s.name.startsWith('registry_'));
      expect(labelled.length).toBeGreaterThan(0);
      expect(new Set(labelled.map((s) => s.labels.service))).toEqual(new Set([name]));
      // Process metrics too, once per process.
      expect(find(samples, 'process_cpu_user_seconds_total')).toHaveLength(1);
      expect(find(samples, 'nodejs_eventloop_lag_p99_seconds')).toHaveLength(1);
    }
  });

  it('counts the accepted command and the EST-2 refusal by command type and rule id', async () => {
    const { samples } = await scrape(ESTABLISHMENT);
    expect(
      valueOf(samples, 'registry_decisions_total', { command: 'EstablishCommittee', outcome: 'accepted' }),
    ).toBe(1);
    expect(
      valueOf(samples, 'registry_decisions_total', {
        command: 'ReportOccupancy',
        outcome: 'refused',
        rule: 'EST-2',
      }),
    ).toBe(1);
    expect(find(samples, 'registry_decisions_total')).toHaveLength(2);
    expect(valueOf(samples, 'registry_events_appended_total')).toBe(appended);
  });

  it('counts HTTP requests by route template, method and status, with their durations', async () => {
    const { samples } = await scrape(ESTABLISHMENT);
    const committees = { route: '/api/districts/:district/committees', method: 'POST', status: '201' };
    expect(valueOf(samples, 'registry_http_requests_total', committees)).toBe(1);
    expect(valueOf(samples, 'registry_http_request_duration_seconds_count', committees)).toBe(1);
    expect(valueOf(samples, 'registry_http_request_duration_seconds_sum', committees)).toBeGreaterThan(0);
    expect(
      valueOf(samples, 'registry_http_request_duration_seconds_bucket', { ...committees, le: '+Inf' }),
    ).toBe(1);
    const occupancy = {
      route: '/api/districts/:district/areas/:areaId/occupancy-reports',
      method: 'POST',
      status: '422',
    };
    expect(valueOf(samples, 'registry_http_requests_total', occupancy)).toBe(1);
    // Unknown paths are one series, not one per path.
    expect(
      valueOf(samples, 'registry_http_requests_total', { route: 'unmatched', method: 'GET', status: '404' }),
    ).toBe(1);
    expect(samples.some((s) => s.labels.route?.includes('cg-yannan'))).toBe(false);
  });

  it('reports the store head, and relay and projection lags that come back to 0', async () => {
    expect(valueOf(beforeBus, 'registry_relay_lag')).toBe(lastPosition);
    expect(valueOf(beforeBus, 'registry_relay_published_total')).toBe(0);
    const samples = await scrapeUntil(
      ESTABLISHMENT,
      (s) =>
        find(s, 'registry_relay_lag')[0]?.value === 0 &&
        find(s, 'registry_projection_lag').every((p) => p.value === 0),
    );
    expect(valueOf(samples, 'registry_event_store_head_position')).toBe(lastPosition);
    expect(valueOf(samples, 'registry_relay_checkpoint_position')).toBe(lastPosition);
    expect(valueOf(samples, 'registry_relay_lag')).toBe(0);
    expect(valueOf(samples, 'registry_relay_published_total')).toBe(appended);
    expect(valueOf(samples, 'registry_projection_checkpoint_position', { projection: ESTABLISHMENT })).toBe(
      lastPosition,
    );
    expect(valueOf(samples, 'registry_projection_lag', { projection: ESTABLISHMENT })).toBe(0);
  });

  it("counts the other service's consumer and its reaction (ELECT-4 CallElection)", async () => {
    const consumer = 'staffing-elections.establishment-reactions';
    const samples = await scrapeUntil(
      STAFFING,
      (s) =>
        find(s, 'registry_consumer_messages_total', { consumer, outcome: 'processed' })[0]?.value ===
        appended,
    );
    // Every event of the establishment's topic is taken, those it does not react to as well.
    expect(valueOf(samples, 'registry_consumer_messages_total', { consumer, outcome: 'processed' })).toBe(
      appended,
    );
    expect(valueOf(samples, 'registry_consumer_messages_total', { consumer, outcome: 'dead-lettered' })).toBe(
      0,
    );
    expect(valueOf(samples, 'registry_consumer_retries_total', { consumer })).toBe(0);
    expect(valueOf(samples, 'registry_consumer_inbox_size', { consumer })).toBe(appended);
    expect(
      valueOf(samples, 'registry_decisions_total', { command: 'CallElection', outcome: 'accepted' }),
    ).toBe(1);
    // The establishment service has no consumer: none of its series appear on the staffing port.
    expect(find(await (await scrape(ESTABLISHMENT)).samples, 'registry_consumer_messages_total')).toEqual([]);
  });

  it('answers /health/ready 200 when the event store and the read store answer', async () => {
    for (const name of [ESTABLISHMENT, STAFFING]) {
      const res = await fetch(`${urlOf(name)}/health/ready`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        status: 'ok',
        details: { 'event-store': { status: 'up' }, 'read-store': { status: 'up', kind: 'sqlite' } },
      });
    }
    // Liveness is unchanged.
    expect(await (await fetch(`${urlOf(ESTABLISHMENT)}/health`)).json()).toMatchObject({
      status: 'ok',
      service: ESTABLISHMENT,
    });
  });
});
