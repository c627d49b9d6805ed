import { Command } from 'commander';
import { dataDirectory, formatDataFileVerification, verifyDataFiles } from '#libs/event-sourcing';
import { readingOf } from './upcasters';

/*
 * Checks the hash chains of the embedded event stores (over the events as stored), then reads every
 * event as its service does, upcast to the current version, and holds it to its contract:
 *   npm run verify                                   every *.sqlite under REGISTRY_DATA_DIR (./data)
 *   npm run verify -- --service community-establishment
 *   npm run verify -- --file /backups/community-establishment.sqlite
 * Exit status:
 *   0  every chain intact;
 *   1  a chain is broken: any edit of a stored event (data or metadata changed, even into text that
 *      is no longer JSON; hash changed; row deleted; rows reordered) names the first broken event
 *      with its service, stream, revision, event id and global position;
 *   2  not tampering: bad arguments, a file that does not exist or cannot be opened as a store, or
 *      nothing to verify;
 *   3  the chains are intact, but an event read at its current version breaks its contract (an
 *      upcaster missing or wrong): the first such event is named.
 */

const program = new Command()
  .name('npm run verify --')
  .description('Verify the per-stream hash chains of the SQLite event stores.')
  .option('--service <name>', 'one service, e.g. community-establishment')
  .option('--file <path>', 'a database file (overrides --service)')
  // Commander exits 1 on a usage error, which would read as a broken chain.
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
  .action(async (options: { service?: string; file?: string }) => {
    const interactive = process.stderr.isTTY;
    const results = await verifyDataFiles({
      ...options,
      readingOf,
      onProgress: interactive
        ? (file, checked) => process.stderr.write(`\r${file}: ${checked} events checked`)
        : undefined,
    });
    if (interactive) process.stderr.write('\n');
    if (results.length === 0) {
      console.error(`no *.sqlite files under ${dataDirectory()}`);
      process.exitCode = 2;
      return;
    }
    for (const result of results) console.log(formatDataFileVerification(result));
    if (results.some((r) => r.result && !r.result.ok)) process.exitCode = 1;
    else if (results.some((r) => r.error !== undefined)) process.exitCode = 2;
    else if (results.some((r) => r.contract?.firstInvalid)) process.exitCode = 3;
  });

program.parseAsync().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 2;
});
