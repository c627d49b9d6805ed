import 'reflect-metadata';
import { establishmentService } from '../apps/community-establishment/src/main';
import { establishYannan } from './support/fixtures';
import { describeOnRealServers, useServicesOnRealServers } from './support/real-services';

/**
 * /health/ready and the relay and projection gauges with the production transports: Kafka for
 * the relay (readiness watches it) and MongoDB (FerretDB here) for the read models (pinged).
 */
describeOnRealServers(__filename, 'readiness and lag gauges on real Kafka and FerretDB', () => {
  const services = useServicesOnRealServers({
    prefix: 'obs-it',
    services: () => [establishmentService()],
    boundMs: 15_000,
  });

  const gauge = (text: string, name: string): number | undefined => {
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`));
    return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
  };

  it('is ready with the relay on Kafka and the read store on MongoDB, and its lags reach 0', async () => {
    const api = services.client('community-establishment');
    const res = await establishYannan(api, services.tokens);
    const head = (res.body as { events: { globalPosition: number }[] }).events.at(-1)!.globalPosition;

    let text: string;
    const deadline = Date.now() + 15_000;
    do {
      text = await (await fetch(`${api.baseUrl}/metrics`)).text();
      if (gauge(text, 'registry_relay_lag') === 0 && gauge(text, 'registry_projection_lag') === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    } while (Date.now() < deadline);
    expect(gauge(text, 'registry_event_store_head_position')).toBe(head);
    expect(gauge(text, 'registry_relay_lag')).toBe(0);
    expect(gauge(text, 'registry_projection_lag')).toBe(0);

    const ready = await fetch(`${api.baseUrl}/health/ready`);
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
