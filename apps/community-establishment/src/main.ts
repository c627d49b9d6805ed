import 'reflect-metadata';
import { closeOnSignals, createServiceApp, portFromEnv } from '#libs/http';
import { CommunityEstablishmentModule, SERVICE_NAME } from './community-establishment.module';

/** Runs this service alone (production runs each service as its own process). */
export const establishmentService = () => ({
  name: SERVICE_NAME,
  module: CommunityEstablishmentModule,
  port: portFromEnv('ESTABLISHMENT_PORT', 3001),
  title: 'Lanzhou community registry: community establishment',
  description:
    "Residential areas, residents' committees and their establishment, merger, split, proxy management and dissolution (ORG-1..3, EST-1..9).",
});

async function main(): Promise<void> {
  const service = await createServiceApp(CommunityEstablishmentModule, establishmentService());
  process.stdout.write(`${service.name} listening on ${service.url} (OpenAPI at ${service.url}/docs)\n`);
  closeOnSignals([service]);
}

if (require.main === module) void main();
