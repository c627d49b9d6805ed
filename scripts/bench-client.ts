import { connect, type Socket } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { singleEventCommand, type Target } from './bench-flows';

/**
 * The HTTP client of the benchmark, run in a worker thread so that building requests and parsing
 * answers does not take event-loop time from the service under test (a real client is another
 * process, usually on another machine). On two cores the client still takes CPU from the service,
 * so it is a load generator in the manner of wrk or autocannon: plain HTTP/1.1 over keep-alive TCP
 * connections, one per request in flight, each request written in one piece, each answer framed
 * by its Content-Length. Global fetch (undici) spent about 1 ms of CPU per request here and
 * node:http about 0.3 ms, more than the service's own HTTP stack. Every answer is still read in
 * full and checked: a 201 with exactly one event, or the run fails.
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

interface Answer {
  readonly status: number;
  readonly text: string;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** One keep-alive connection: one request at a time, the answer framed by Content-Length. */
class Connection {
  private readonly socket: Socket;
  private buffered: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (a: Answer) => void; reject: (e: unknown) => void } | undefined;
  private failure: unknown;

  constructor(host: string, port: number) {
    this.socket = connect({ host, port, noDelay: true });
    this.socket.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
      this.parse();
    });
    const fail = (error: unknown) => {
      this.failure = error;
      this.waiting?.reject(error);
      this.waiting = undefined;
    };
    this.socket.on('error', fail);
    this.socket.on('close', () => fail(new Error('connection closed by the service')));
  }

  request(bytes: Buffer): Promise<Answer> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<Answer>((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.write(bytes);
    });
  }

  private parse(): void {
    const end = this.buffered.indexOf(HEADER_END);
    if (end < 0 || !this.waiting) return;
    const head = this.buffered.subarray(0, end).toString('latin1');
    const status = Number(head.slice(9, 12));
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (!length || /\r\ntransfer-encoding:/i.test(head)) {
      this.waiting.reject(new Error(`answer without Content-Length framing: ${head}`));
      this.waiting = undefined;
      return;
    }
    const total = end + HEADER_END.length + Number(length[1]);
    if (this.buffered.length < total) return;
    const text = this.buffered.subarray(end + HEADER_END.length, total).toString('utf8');
    this.buffered = this.buffered.subarray(total);
    const { resolve } = this.waiting;
    this.waiting = undefined;
    resolve({ status, text });
  }
}

class Client {
  private readonly host: string;
  private readonly port: number;
  private readonly idle: Connection[] = [];

  constructor(url: string) {
    const u = new URL(url);
    this.host = u.hostname;
    this.port = Number(u.port);
  }

  async post(path: string, token: string, body: unknown): Promise<Answer> {
    const payload = Buffer.from(JSON.stringify(body));
    const head =
      `POST ${path} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\nAuthorization: Bearer ${token}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${payload.length}\r\n\r\n`;
    const connection = this.idle.pop() ?? new Connection(this.host, this.port);
    const answer = await connection.request(Buffer.concat([Buffer.from(head, 'latin1'), payload]));
    this.idle.push(connection);
    return answer;
  }
}

async function runChunk(client: Client, setup: ClientSetup, request: ClientRequest): Promise<ClientReply> {
  const latencies = new Float64Array(request.count);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let k = next++; k < request.count; k = next++) {
      const i = request.start + k;
      const c = singleEventCommand(i, setup.effectiveAt, setup.targets);
      const t = nowNs();
      const res = await client.post(c.path, setup.tokens[c.district], c.body);
      latencies[k] = Number(nowNs() - t) / 1e6;
      let events: unknown;
      try {
        events = (JSON.parse(res.text) as { events?: unknown }).events;
      } catch {
        // not JSON: reported below
      }
      if (res.status !== 201 || !Array.isArray(events) || events.length !== 1)
        throw new Error(`command ${i} ${c.path}: HTTP ${res.status} ${res.text.slice(0, 500)}`);
    }
  };
  const start = nowNs();
  await Promise.all(Array.from({ length: Math.min(request.concurrency, request.count) }, worker));
  return { id: request.id, latencies, totalMs: Number(nowNs() - start) / 1e6 };
}

if (parentPort) {
  const port = parentPort;
  const setup = workerData as ClientSetup;
  const client = new Client(setup.url);
  port.on('message', (request: ClientRequest) => {
    runChunk(client, setup, request).then(
      (reply) => port.postMessage(reply),
      (error: unknown) => port.postMessage({ id: request.id, error: String(error) }),
    );
  });
}
