import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Injection token of the ServiceMetrics of the app (a global provider of every service app). */
export const SERVICE_METRICS = 'SERVICE_METRICS';

/** Every metric of the registry starts with this (deploy/README.md lists them). */
export const METRIC_PREFIX = 'registry_';

/** The route label of a request no route matched (unknown paths stay one series). */
export const UNMATCHED_ROUTE = 'unmatched';

const REQUEST_DURATION = `${METRIC_PREFIX}http_request_duration_seconds`;
const REQUEST_LABELS = ['route', 'method', 'status'] as const;

// Process metrics (CPU, memory, event loop lag, GC) once per process, whatever number of
// services share it (`npm start` runs all three in one process).
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * The Prometheus metrics of one service: its own prom-client Registry, every series labelled
 * `service`, so that the services `npm start` runs in one process never share a series and each
 * port's /metrics shows its own service (plus the process metrics, once per process).
 *
 * prom-client is used directly rather than through @willsoto/nestjs-prometheus (GUIDE §5): that
 * module (6.1.1, which does declare NestJS 12 as a peer) is built around prom-client's one global
 * registry: its controller serves `register.metrics()`, its `defaultLabels` are set on that global
 * registry (the last service to start would label them all), its metric providers return the
 * metric of that name already in the global registry (the three services would share one counter),
 * and it calls collectDefaultMetrics on every registration. One registry per service is what the
 * embedded profile needs, and with it the module has nothing left to do but a ten-line controller.
 *
 * Other libraries register their metrics on `registry`; values that are cheap to read on demand
 * (positions, lags, consumer counts) are computed on scrape in a `collect()`, not in the hot path.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly contentType = Registry.PROMETHEUS_CONTENT_TYPE;
  private readonly requestDuration: Histogram<(typeof REQUEST_LABELS)[number]>;

  constructor(readonly service: string) {
    this.registry.setDefaultLabels({ service });
    this.requestDuration = new Histogram({
      name: REQUEST_DURATION,
      help: 'HTTP requests by route template, method and status: duration in seconds (p99: histogram_quantile)',
      labelNames: REQUEST_LABELS,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    const duration = this.requestDuration;
    new Counter({
      name: `${METRIC_PREFIX}http_requests_total`,
      help: 'HTTP requests by route template, method and status',
      labelNames: REQUEST_LABELS,
      registers: [this.registry],
      // The histogram's counts, copied on scrape: a request costs one observe, not two updates.
      async collect() {
        const { values } = await duration.get();
        this.reset();
        for (const v of values) {
          if (v.metricName === `${REQUEST_DURATION}_count`) this.inc(v.labels, v.value);
        }
      },
    });
  }

  /** Called once per response (Fastify's onResponse hook): one histogram observation. */
  observeRequest(route: string | undefined, method: string, status: number, seconds: number): void {
    this.requestDuration.observe({ route: route ?? UNMATCHED_ROUTE, method, status }, seconds);
  }

  /** The text exposition of this service's metrics followed by the process metrics. */
  async exposition(): Promise<string> {
    return (await this.registry.metrics()) + (await processMetrics().metrics());
  }
}
