import { parentPort, workerData } from 'node:worker_threads';
import { singleEventCommand, type Target } from './bench-flows';
import { RegistryClient } from './demo-story';

/**
 * The HTTP client of the benchmark, run in a worker thread so that building requests and parsing
 * answers does not take event-loop time from the service under test (a real client is another
 * process). Global fetch (undici inside Node) keeps connections alive.
 */

export interface ClientSetup {
  readonly url: string;
  /** Officer token per district code. */
  readonly tokens: Record<string, string>;
  readonly targets: readonly Target[];
  readonly effectiveAt: string;
}

/** Run commands start..start+count-1 with `concurrency` in flight. */
export interface ClientRequest {
  readonly id: number;
  readonly start: number;
  readonly count: number;
  readonly concurrency: number;
}

export type ClientReply =
  | { readonly id: number; readonly latencies: Float64Array; readonly totalMs: number }
  | { readonly id: number; readonly error: string };

const nowNs = (): bigint => process.hrtime.bigint();

async function runChunk(
  api: RegistryClient,
  setup: ClientSetup,
  request: ClientRequest,
): Promise<ClientReply> {
  const latencies = new Float64Array(request.count);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let k = next++; k < request.count; k = next++) {
      const i = request.start + k;
      const c = singleEventCommand(i, setup.effectiveAt, setup.targets);
      const t = nowNs();
      const res = await api.post(c.path, setup.tokens[c.district], c.body);
      latencies[k] = Number(nowNs() - t) / 1e6;
      if (res.status !== 201 || res.body?.events?.length !== 1)
        throw new Error(`command ${i} ${c.path}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    }
  };
  const start = nowNs();
  await Promise.all(Array.from({ length: Math.min(request.concurrency, request.count) }, worker));
  return { id: request.id, latencies, totalMs: Number(nowNs() - start) / 1e6 };
}

if (parentPort) {
  const port = parentPort;
  const setup = workerData as ClientSetup;
  const api = new RegistryClient(setup.url);
  port.on('message', (request: ClientRequest) => {
    runChunk(api, setup, request).then(
      (reply) => port.postMessage(reply),
      (error: unknown) => port.postMessage({ id: request.id, error: String(error) }),
    );
  });
}
