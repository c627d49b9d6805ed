import { Counter } from 'prom-client';
import { ServiceMetrics } from './service-metrics';

/** The value of the one sample of `name` with exactly these labels, whatever their order. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const want = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(',');
  for (const line of text.split('\n')) {
    const match = /^(\w+)\{(.*)\} (\S+)$/.exec(line);
    if (match?.[1] === name && match[2].split(',').sort().join(',') === want) return Number(match[3]);
  }
  return undefined;
}

describe('ServiceMetrics', () => {
  it('keeps one registry per service: two services of one process share no series', async () => {
    const a = new ServiceMetrics('community-establishment');
    const b = new ServiceMetrics('staffing-elections');
    // The same metric name on both: a global registry would refuse the second or merge them.
    for (const m of [a, b]) new Counter({ name: 'registry_test_total', help: 't', registers: [m.registry] });
    a.observeRequest('/api/districts/:district/committees', 'POST', 201, 0.004);

    const textA = await a.exposition();
    const textB = await b.exposition();
    expect(
      sample(textA, 'registry_http_requests_total', {
        route: '/api/districts/:district/committees',
        method: 'POST',
        status: '201',
        service: 'community-establishment',
      }),
    ).toBe(1);
    expect(textA).not.toContain('staffing-elections');
    expect(textB).not.toContain('community-establishment');
    expect(textB).toContain('registry_test_total{service="staffing-elections"} 0');
  });

  it('derives the request counter from the histogram on scrape, and labels unknown routes "unmatched"', async () => {
    const m = new ServiceMetrics('facility-construction');
    m.observeRequest('/health', 'GET', 200, 0.0005);
    m.observeRequest('/health', 'GET', 200, 0.002);
    m.observeRequest(undefined, 'GET', 404, 0.001);
    const text = await m.exposition();
    const health = { route: '/health', method: 'GET', status: '200', service: 'facility-construction' };
    expect(sample(text, 'registry_http_requests_total', health)).toBe(2);
    expect(sample(text, 'registry_http_request_duration_seconds_bucket', { ...health, le: '0.001' })).toBe(1);
    expect(sample(text, 'registry_http_request_duration_seconds_bucket', { ...health, le: '0.0025' })).toBe(
      2,
    );
    expect(
      sample(text, 'registry_http_requests_total', {
        route: 'unmatched',
        method: 'GET',
        status: '404',
        service: 'facility-construction',
      }),
    ).toBe(1);
    // Process metrics follow, without the service label (one process, however many services).
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
  });
});
