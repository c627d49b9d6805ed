import { request } from 'node:http';

/**
 * Requests a fetch client would not send as they are: raw bytes that are
 * not UTF-8, a path with a malformed percent-encoding, headers larger than Node accepts. Through
 * node:http, so the service sees exactly these bytes.
 */
export interface RawAnswer {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: any;
}

export function rawRequest(
  baseUrl: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: Buffer | string },
): Promise<RawAnswer> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: {
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A JSON body whose `field` holds bytes that are not UTF-8 (a lone continuation byte, 0xFF). */
export function bodyWithInvalidUtf8(valid: Record<string, unknown>, field: string): Buffer {
  const marker = '@@not-utf8@@';
  const [before, after] = JSON.stringify({ ...valid, [field]: marker }).split(marker) as [string, string];
  return Buffer.concat([Buffer.from(before), Buffer.from([0x80, 0xff]), Buffer.from(after)]);
}

/** 620102 (城关区), born 1990-01-01, sequence 123, check digit 3 (ISO 7064 MOD 11-2): an id number. */
export const NATIONAL_ID_NUMBER = '620102199001011233';

type OpenApi = {
  paths: Record<
    string,
    Record<
      string,
      { parameters?: { name: string; in: string; schema?: any }[]; responses: Record<string, unknown> }
    >
  >;
};

/** Every `{…Id}` path parameter documented with the id pattern, every API operation with 414 and 431. */
export function undocumentedEdges(doc: OpenApi): string[] {
  const missing: string[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!path.startsWith('/api')) continue;
    for (const [method, operation] of Object.entries(item)) {
      for (const status of ['414', '431'])
        if (!operation.responses[status]) missing.push(`${method} ${path}: ${status}`);
      for (const p of operation.parameters ?? [])
        if (p.in === 'path' && /Id$/.test(p.name) && p.schema?.pattern !== '^[a-z0-9][a-z0-9-]{1,63}$')
          missing.push(`${method} ${path}: ${p.name} pattern`);
    }
  }
  return missing;
}
