// First, so that an older Node is told what to run before anything loads node:sqlite.
import '#libs/node-check';
import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { closeOnSignals, type ServiceDescriptor, startServices } from '#libs/http';
import { openEmbeddedBus } from '#libs/messaging';
import { establishmentService } from '../community-establishment/src/main';
import { facilityConstructionService } from '../facility-construction/src/main';
import { staffingElectionsService } from '../staffing-elections/src/main';
import { checkSettings, setting } from '#libs/settings';

/*
 * The embedded default (`npm start`): every service in this one process, each on its own port
 * with its own SQLite file under REGISTRY_DATA_DIR, so the registry runs with no server installed.
 * Production runs each service's own main.ts as a separate process instead.
 *
 * To add a service: export a `() => ServiceDescriptor` from its main.ts (see
 * apps/staffing-elections/src/main.ts) and list it below. The list is of functions so that ports
 * and other settings are read from the environment only after REGISTRY_DATA_DIR is settled.
 */
const SERVICES: readonly (() => ServiceDescriptor)[] = [
  establishmentService,
  staffingElectionsService,
  facilityConstructionService,
];

async function main(): Promise<void> {
  // Resolved once here so every service (and any child it starts) sees the same absolute path.
  // Settings every service reads, checked before any store is opened.
  checkSettings();
  const dataDir = resolve(setting('REGISTRY_DATA_DIR'));
  process.env.REGISTRY_DATA_DIR = dataDir;
  mkdirSync(dataDir, { recursive: true });

  const services = await startServices(SERVICES.map((describe) => describe()));
  closeOnSignals(services);
  // Every service has subscribed to the in-process bus: the relays may publish now.
  openEmbeddedBus();

  const width = Math.max(...services.map((s) => s.name.length));
  process.stdout.write(`Lanzhou community registry (embedded profile), data in ${dataDir}\n`);
  for (const s of services) {
    process.stdout.write(`  ${s.name.padEnd(width)}  ${s.url}  docs: ${s.url}/docs\n`);
  }
  if (!setting('REGISTRY_JWT_SECRET')) {
    process.stdout.write(
      'Tokens use the development secret; get one with: npm run token -- --role officer --district 城关区\n',
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `registry failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
