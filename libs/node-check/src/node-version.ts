/**
 * The oldest Node the registry runs on: the first 24 LTS with a stable `node:sqlite` the embedded
 * store relies on (package.json `engines`, and the `node` dev dependency `npm start` runs).
 */
export const MINIMUM_NODE = '24.21.0';

const parts = (version: string): number[] =>
  version
    .replace(/^v/, '')
    .split('.')
    .map((p) => Number.parseInt(p, 10) || 0);

/** Why this Node cannot run the registry, and what to run instead; undefined when it can. */
export function unsupportedNodeMessage(version: string): string | undefined {
  const [major, minor, patch] = parts(version);
  const [minMajor, minMinor, minPatch] = parts(MINIMUM_NODE);
  const older =
    major !== minMajor ? major < minMajor : minor !== minMinor ? minor < minMinor : patch < minPatch;
  if (!older) return undefined;
  return [
    `The Lanzhou community registry needs Node >=${MINIMUM_NODE.replace(/\.0$/, '')} (it stores events with node:sqlite); this is Node ${version.replace(/^v/, '')}.`,
    'Run it with the Node the project pins, which `npm ci` installs:',
    '  npm start                                                  (all services, embedded profile)',
    '  node_modules/.bin/node dist/apps/<service>/src/main.js     (one service, after npm run build)',
    `or put a Node >=${MINIMUM_NODE.replace(/\.0$/, '')} first on PATH.`,
  ].join('\n');
}

/**
 * Stops the process with that message and exit status 1 on an older Node, before anything loads
 * `node:sqlite` (which would crash with ERR_UNKNOWN_BUILTIN_MODULE instead).
 */
export function exitUnlessSupportedNode(version: string = process.versions.node): void {
  const message = unsupportedNodeMessage(version);
  if (message === undefined) return;
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
