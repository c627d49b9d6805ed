import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MINIMUM_NODE, unsupportedNodeMessage } from '../libs/node-check/src/node-version';
import { buildDist, ROOT } from './support/build';

/*
 * `node dist/...` on an older Node, for real: the machine's own Node (/usr/bin/node, Node 20 here;
 * OLDER_NODE overrides) runs every entry point and must get the message saying what to run and a
 * non-zero exit, never the ERR_UNKNOWN_BUILTIN_MODULE crash of node:sqlite. No older Node is a
 * failure, not a skip: the check would otherwise go untested.
 */

const OLDER_NODE = process.env.OLDER_NODE ?? '/usr/bin/node';
const ENTRIES = [
  'dist/apps/registry/main.js',
  'dist/apps/community-establishment/src/main.js',
  'dist/apps/staffing-elections/src/main.js',
  'dist/apps/facility-construction/src/main.js',
];

describe('an older Node is told what to run', () => {
  let dataDir: string;
  let olderVersion: string;

  beforeAll(() => {
    buildDist(...ENTRIES);
    if (!existsSync(OLDER_NODE)) throw new Error(`no older Node at ${OLDER_NODE} (set OLDER_NODE)`);
    olderVersion = spawnSync(OLDER_NODE, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim();
    if (unsupportedNodeMessage(olderVersion) === undefined)
      throw new Error(
        `${OLDER_NODE} is Node ${olderVersion}, not older than ${MINIMUM_NODE} (set OLDER_NODE)`,
      );
    dataDir = mkdtempSync(join(tmpdir(), 'older-node-'));
  }, 180_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it.each(ENTRIES)('%s exits 1 with the message, not the node:sqlite crash', (entry) => {
    const run = spawnSync(OLDER_NODE, [entry], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
      env: {
        ...process.env,
        REGISTRY_DATA_DIR: dataDir,
        ESTABLISHMENT_PORT: '0',
        STAFFING_PORT: '0',
        FACILITY_PORT: '0',
      },
    });
    expect(run.stderr).not.toContain('ERR_UNKNOWN_BUILTIN_MODULE');
    expect(run.stderr).toContain(
      `needs Node >=24.21 (it stores events with node:sqlite); this is Node ${olderVersion}`,
    );
    expect(run.stderr).toContain('npm start');
    expect(run.status).toBe(1);
    // It stopped before opening anything: no store file was created.
    expect(readdirSync(dataDir)).toEqual([]);
  });
});
