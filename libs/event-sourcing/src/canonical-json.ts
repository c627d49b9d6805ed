import { createHash } from 'node:crypto';

/** RFC 8785 (JCS) canonical JSON text of a value. */
export type Canonicalize = (value: unknown) => string;

let loading: Promise<Canonicalize> | undefined;

/**
 * Loads the `canonicalize` package (RFC 8785) once.
 *
 * It ships ESM only and its `exports` map has nothing but an "import" condition, so `require()` cannot
 * even resolve it from our CommonJS output (Node 24's require(esm) does not help). A dynamic
 * `import()` resolves with the "import" condition and works both under Node and under jest with
 * --experimental-vm-modules. Callers that need a synchronous function (hashing inside a SQLite
 * transaction) await this once up front.
 */
export function loadCanonicalize(): Promise<Canonicalize> {
  loading ??= import('canonicalize').then(
    (module) => (value: unknown) => {
      const text = module.default(value);
      if (text === undefined) throw new TypeError('value has no JSON representation');
      return text;
    },
    (error: unknown) => {
      loading = undefined; // let a later call try again instead of caching the failure
      throw error;
    },
  );
  return loading;
}

export async function canonicalJson(value: unknown): Promise<string> {
  return (await loadCanonicalize())(value);
}

/**
 * SHA-256 (hex) of the canonical JSON of a request body: two bodies that differ only in key order or
 * number spelling get the same hash, so a retried request is recognised as the same request.
 */
export async function requestHash(body: unknown): Promise<string> {
  return sha256Hex(await canonicalJson(body));
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
