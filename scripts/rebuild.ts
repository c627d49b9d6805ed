import { Command } from 'commander';
import { dataFileFor, SqliteEventStore, upcastingEventStore } from '#libs/event-sourcing';
import {
  MemoryReadStore,
  MongooseReadStore,
  rebuildProjection,
  SqliteReadStore,
  redact,
  type ReadStore,
} from '#libs/read-store';
import { setting } from '#libs/settings';
import { PROJECTIONS, READ_INDEXES, readFileOf } from './read-models';
import { upcastersOf } from './upcasters';

/*
 * Rebuilds the read models of a service from its SQLite event log (GUIDE §1: read models are
 * disposable, and a rebuild gives the documents of the live projection):
 *   npm run rebuild -- community-establishment                      into <data dir>/<service>.read.sqlite
 *   REGISTRY_READ_STORE=memory npm run rebuild -- community-establishment   in memory: prints the counts
 *   npm run rebuild -- community-establishment --mongodb-url mongodb://127.0.0.1:27017/registry
 *   MONGODB_URL=... npm run rebuild -- community-establishment      the same, from the environment
 * Each projection's collections and checkpoint are cleared, then the whole log is replayed. Stop
 * the service first: its projection keeps in memory what it wrote.
 * Exit code 0: rebuilt; 1: the rebuild failed; 2: bad arguments or nothing to read.
 */

interface Options {
  mongodbUrl?: string;
  database?: string;
  file?: string;
}

const program = new Command()
  .name('npm run rebuild --')
  .description('Rebuild the read models of a service from its event log.')
  .argument('<service>', `one of: ${Object.keys(PROJECTIONS).join(', ')}`)
  .option(
    '--mongodb-url <url>',
    'MongoDB (or FerretDB) to rebuild into; default MONGODB_URL, else the SQLite file beside the log',
  )
  .option('--database <name>', 'database name when the URL names none; default the service name')
  .option('--file <path>', 'the SQLite event log; default <REGISTRY_DATA_DIR>/<service>.sqlite')
  .action(async (service: string, options: Options) => {
    const projectionsOf = PROJECTIONS[service];
    if (!projectionsOf) {
      console.error(
        `no read models for "${service}"; services with read models: ${Object.keys(PROJECTIONS).join(', ')}`,
      );
      process.exitCode = 2;
      return;
    }
    const file = options.file ?? dataFileFor(service);
    // Read as the service reads it: every event at the current version of its type.
    const store = upcastingEventStore(
      await SqliteEventStore.open({ file, readOnly: true }),
      upcastersOf(service),
    );
    const url = options.mongodbUrl ?? setting('MONGODB_URL');
    const readFile = readFileOf(file);
    const inMemory = setting('REGISTRY_READ_STORE') === 'memory';
    let readStore: ReadStore | undefined;
    try {
      readStore = url
        ? await MongooseReadStore.connect(url, { dbName: options.database ?? dbNameOf(url) ?? service })
        : inMemory
          ? new MemoryReadStore()
          : SqliteReadStore.open({ file: readFile, indexes: READ_INDEXES[service] });
      console.log(
        `${service}: rebuilding from ${file} into ${url ? redact(url) : inMemory ? 'memory' : readFile}`,
      );
      for (const projection of projectionsOf(store)) {
        const report = await rebuildProjection({ store, readStore, projection });
        const rate =
          report.durationMs > 0 ? Math.round((report.events * 1000) / report.durationMs) : report.events;
        console.log(
          `${report.projection}: ${report.events} events replayed (last position ${report.lastPosition ?? '-'}) in ${report.durationMs} ms (${rate} events/s)`,
        );
        for (const [collection, count] of Object.entries(report.counts))
          console.log(`  ${collection.padEnd(12)} ${count} documents`);
      }
    } catch (error) {
      console.error(`${service}: rebuild failed:`, error instanceof Error ? error.message : error);
      process.exitCode = 1;
    } finally {
      await readStore?.close();
      await store.close();
    }
  });

/** The database named in a MongoDB URL's path, if any. */
function dbNameOf(url: string): string | undefined {
  const match = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(url);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

program.parseAsync().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 2;
});
