import { parentPort, workerData } from 'node:worker_threads';
import { KeepAliveClient } from './bench-kit';

/**
 * A generic HTTP client of the benchmarks, run in a worker thread (see HttpClientWorker in
 * bench-kit.ts): it POSTs the requests it is given, `concurrency` in flight, and times each one,
 * with the lean keep-alive client of bench-kit.ts.
 */

export interface HttpRequest {
  readonly path: string;
  readonly token: string;
  /** The JSON body, serialised by the caller. */
  readonly body: string;
}

export interface HttpChunkRequest {
  readonly id: number;
  readonly requests: readonly HttpRequest[];
  readonly concurrency: number;
}

export type HttpChunkReply =
  | { readonly id: number; readonly latencies: Float64Array; readonly totalMs: number }
  | { readonly id: number; readonly error: string };

const nowNs = (): bigint => process.hrtime.bigint();

async function post(client: KeepAliveClient, r: HttpRequest): Promise<void> {
  const res = await client.request('POST', r.path, r.token, r.body);
  const events: unknown = KeepAliveClient.json(res)?.events;
  // Every command of a benchmark is a single-event decision; anything else is a broken workload.
  if (res.status !== 201 || !Array.isArray(events) || events.length !== 1)
    throw new Error(`POST ${r.path} ${r.body}: HTTP ${res.status} ${res.text.slice(0, 500)}`);
}

async function runChunk(client: KeepAliveClient, request: HttpChunkRequest): Promise<HttpChunkReply> {
  const { requests } = request;
  const latencies = new Float64Array(requests.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let k = next++; k < requests.length; k = next++) {
      const t = nowNs();
      await post(client, requests[k]);
      latencies[k] = Number(nowNs() - t) / 1e6;
    }
  };
  const start = nowNs();
  await Promise.all(Array.from({ length: Math.min(request.concurrency, requests.length) }, worker));
  return { id: request.id, latencies, totalMs: Number(nowNs() - start) / 1e6 };
}

if (parentPort) {
  const port = parentPort;
  const client = new KeepAliveClient((workerData as { url: string }).url);
  port.on('message', (request: HttpChunkRequest) => {
    runChunk(client, request).then(
      (reply) => port.postMessage(reply),
      (error: unknown) => port.postMessage({ id: request.id, error: String(error) }),
    );
  });
}
