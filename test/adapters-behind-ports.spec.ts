import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/*
 * The storage of a service is one StorageProfile (libs/hosting/src/storage-providers.ts), each
 * part from one adapter family: no code asks which adapter it was given. This test finds any
 * `instanceof` of a storage adapter class in the code, tests included.
 */

const ROOT = resolve(__dirname, '..');
const ADAPTERS = [
  'SqliteEventStore',
  'KurrentDbEventStore',
  'SqliteCheckpointStore',
  'SqliteIdempotencyStore',
  'MemoryReadStore',
  'SqliteReadStore',
  'MongooseReadStore',
  'MongoIdempotencyStore',
  'MongoInbox',
  'SqliteInbox',
  'InMemoryInbox',
];
const INSTANCEOF_ADAPTER = new RegExp(`instanceof\\s+(${ADAPTERS.join('|')})\\b`);

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : tsFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('storage adapters stay behind their ports', () => {
  it('no code asks whether a store is a given adapter (instanceof SqliteEventStore, MongooseReadStore, ...)', () => {
    const files = ['apps', 'libs', 'scripts', 'test', 'examples']
      .flatMap((dir) => tsFiles(join(ROOT, dir)))
      .filter((file) => file !== __filename);
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ at: `${relative(ROOT, file)}:${i + 1}`, line }))
        .filter(({ line }) => INSTANCEOF_ADAPTER.test(line))
        .map(({ at, line }) => `${at}: ${line.trim()}`),
    );
    expect(found).toEqual([]);
  });
});
