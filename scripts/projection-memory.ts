import { Command } from 'commander';
import {
  SqliteEventStore,
  streamStatesOver,
  upcastingEventStore,
  type EventStore,
} from '#libs/event-sourcing';
import { MemoryReadStore, type Projection } from '#libs/read-store';
import { EstablishmentProjection } from '../apps/community-establishment/src/application/projections';
import { evolve, initialState } from '../apps/community-establishment/src/domain';
import { upcastersOf } from './upcasters';

/*
 * What projecting one district costs in memory, with the state the command side keeps:
 *   npm run build && node --expose-gc dist/scripts/projection-memory.js --file <dir>/community-establishment.sqlite
 * Folds the district as the service's command side does, then projects every event of it, the
 * projection given either the service's own states (shared: one folded state per stream in the
 * process) or the store (own: a fold of its own beside the service's, as a projection run apart
 * from the service does). Prints the heap used after a full GC at each step.
 */

const program = new Command()
  .name('node --expose-gc dist/scripts/projection-memory.js')
  .requiredOption('--file <path>', 'the establishment SQLite event log (e.g. a seeded data directory)')
  .option('--district <code>', 'the district projected', 'chengguan')
  .option('--projection <mode>', 'shared (the service states) or own (a fold of its own)', 'shared')
  .action(async (options: { file: string; district: string; projection: string }) => {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) throw new Error('run with node --expose-gc');
    const heap = (): number => {
      gc();
      return Math.round(process.memoryUsage().heapUsed / 1e6);
    };
    const store: EventStore = upcastingEventStore(
      await SqliteEventStore.open({ file: options.file, readOnly: true }),
      upcastersOf('community-establishment'),
    );
    const streamId = `district-${options.district}`;
    const start = heap();
    // The command side: the district folded once, as DistrictStates keeps it.
    const service = streamStatesOver(store, { initialState, evolve });
    const facts = await service.readState(streamId, 0, (state) => state.facts.length);
    const folded = heap();
    const readStore = new MemoryReadStore();
    // The projection lives in this function only: what it holds is freed when it returns.
    const project = async () => {
      const projection: Projection =
        options.projection === 'own'
          ? new EstablishmentProjection(store)
          : new EstablishmentProjection(service);
      const started = performance.now();
      let events = 0;
      for (let from = 0; ; from += 1000) {
        const batch = await store.readStream(streamId, { fromRevision: from, maxCount: 1000 });
        for (const event of batch) await projection.handle(event, readStore);
        events += batch.length;
        if (batch.length < 1000) break;
      }
      const ms = Math.round(performance.now() - started);
      return { events, ms, projected: heap(), name: projection.name };
    };
    const { events, ms, projected } = await project();
    // The service's state and the read models stay in use after the projection, as in the service.
    await service.readState(streamId, 0, (state) => state.facts.length);
    const documents = await readStore.collection('areas').countDocuments();
    const held = projected - heap();
    console.log(
      `${streamId}: ${facts} facts; heap ${start} MB at start, ${folded} MB with the service's state, ` +
        `${projected} MB after projecting ${events} events (${documents} area documents) (${options.projection}: +${projected - folded} MB ` +
        `for the projection and its read models, of which ${held} MB the projection holds) in ${ms} ms`,
    );
    await store.close();
  });

program.parseAsync().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
