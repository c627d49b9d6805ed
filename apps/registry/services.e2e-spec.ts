import { type RunningService, startServices } from '#libs/http';
import { facilityConstructionService } from '../facility-construction/src/main';
import { staffingElectionsService } from '../staffing-elections/src/main';

// Through real sockets on ephemeral loopback ports, as `npm start` serves them.
describe('services started together, as the embedded launcher does', () => {
  let services: RunningService[] = [];

  beforeAll(async () => {
    services = await startServices(
      [staffingElectionsService(), facilityConstructionService()].map((d) => ({
        ...d,
        port: 0,
        logLevels: false,
      })),
    );
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.close()));
  });

  it('listen on distinct loopback ports', () => {
    expect(services.map((s) => s.name)).toEqual(['staffing-elections', 'facility-construction']);
    for (const s of services) expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(new Set(services.map((s) => s.url)).size).toBe(2);
  });

  it.each([
    ['staffing-elections', /ELECT-1\.\.5.*STAFF-1\.\.6/],
    ['facility-construction', /FAC-1\.\.8.*FUND-1\.\.2/],
  ])('%s answers /health and documents which rules it will enforce', async (name, rules) => {
    const service = services.find((s) => s.name === name);
    const health = await fetch(`${service?.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', service: name });
    const doc = (await (await fetch(`${service?.url}/docs-json`)).json()) as {
      info: { description: string };
    };
    expect(doc.info.description).toMatch(rules);
  });

  it('answers unknown routes with a problem', async () => {
    const res = await fetch(`${services[0].url}/api/nothing-here`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('fails the start when a port is taken, leaving nothing half-started', async () => {
    const taken = Number(new URL(services[0].url).port);
    await expect(
      startServices([
        { ...facilityConstructionService(), port: 0, logLevels: false },
        { ...staffingElectionsService(), port: taken, logLevels: false },
      ]),
    ).rejects.toThrow(/EADDRINUSE/);
  });
});
