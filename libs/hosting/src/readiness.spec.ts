import 'reflect-metadata';
import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { EventStore } from '#libs/event-sourcing';
import { buildServiceApp } from '#libs/http';
import { MemoryReadStore } from '#libs/read-store';
import { ProjectionHost } from './projection-host';
import { RELAY_RETRY_WINDOW_MS, relayReadiness } from './relay-host';
import { EVENT_STORE, PROJECTION_FACTORY, READ_STORE, SERVICE_NAME } from './tokens';

/** An event store whose server can be switched off; its error names a path that must not leak. */
const store = {
  down: false,
  async readAll() {
    if (store.down) throw new Error('SQLITE_IOERR: disk I/O error at /srv/secret/registry.sqlite');
    return [];
  },
  async close() {},
};

@Module({
  providers: [
    { provide: SERVICE_NAME, useValue: 'readiness-test' },
    { provide: EVENT_STORE, useValue: store as unknown as EventStore },
    { provide: READ_STORE, useValue: new MemoryReadStore() },
    {
      provide: PROJECTION_FACTORY,
      useValue: () => ({ name: 'readiness-test', collections: [], handle: async () => undefined }),
    },
    ProjectionHost,
  ],
})
class ReadinessTestModule {}

describe('GET /health/ready', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await buildServiceApp(ReadinessTestModule, {
      name: 'readiness-test',
      port: 0,
      title: 'readiness test',
      description: 'readiness test',
      logLevels: false,
    });
  });

  afterAll(() => app.close());
  afterEach(() => (store.down = false));

  const ready = async () => {
    const res = await app.inject({ method: 'GET', url: '/health/ready' });
    return { status: res.statusCode, type: res.headers['content-type'], body: res.json() };
  };

  it('is 200 while the event store and the read store answer', async () => {
    const { status, body } = await ready();
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: 'ok',
      details: { 'event-store': { status: 'up' }, 'read-store': { status: 'up' } },
    });
  });

  it('is 503 with a problem naming the event store when it fails, and leaks nothing of its error', async () => {
    store.down = true;
    const { status, type, body } = await ready();
    expect(status).toBe(503);
    expect(type).toMatch(/^application\/problem\+json/);
    expect(body).toMatchObject({
      type: 'https://registry.lanzhou.example/problems/not-ready',
      status: 503,
      service: 'readiness-test',
      down: ['event-store'],
      detail: 'Not answering: event-store',
      checks: {
        'event-store': { status: 'down', message: 'no answer (Error)' },
        'read-store': { status: 'up' },
      },
    });
    expect(JSON.stringify(body)).not.toMatch(/secret|SQLITE/);
  });

  it('leaves /metrics answering while the store is down', async () => {
    store.down = true;
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('registry_event_store_head_position{service="readiness-test"} 0');
  });

  it('is 200 again once the store answers, and liveness never depended on it', async () => {
    store.down = true;
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    store.down = false;
    expect((await ready()).status).toBe(200);
  });
});

describe('relayReadiness (with Kafka)', () => {
  const now = Date.parse('2026-05-01T08:00:00Z');
  const working = { transport: 'kafka', published: 12, failures: 0, lastPublishedAt: now - 60_000 };

  it('is up while the relay works, even when it has had nothing to publish for a while', () => {
    expect(relayReadiness(working, now)).toEqual({
      transport: 'kafka',
      published: 12,
      lastPublishedAt: '2026-05-01T07:59:00.000Z',
    });
  });

  it('is up while it retries within its window, and down after it', () => {
    const failing = { ...working, failures: 3, failingSince: now - RELAY_RETRY_WINDOW_MS };
    expect(relayReadiness(failing, now)).toMatchObject({ retrying: 3 });
    expect(() => relayReadiness(failing, now + 1_000)).toThrow(
      /the relay has failed to publish for 31 s \(3 tries\)/,
    );
  });
});
