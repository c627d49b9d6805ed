// First, so that an older Node is told what to run before anything loads node:sqlite.
import '#libs/node-check';
import 'reflect-metadata';
import { runService } from '#libs/profile';
import { portFromEnv } from '#libs/http';
import { CommunityEstablishmentModule, SERVICE_NAME } from './community-establishment.module';

/** Runs this service alone (production runs each service as its own process). */
export const establishmentService = () => ({
  name: SERVICE_NAME,
  module: CommunityEstablishmentModule,
  port: portFromEnv('ESTABLISHMENT_PORT'),
  title: 'Lanzhou community registry: community establishment',
  description:
    "Residential areas, residents' committees and their establishment, merger, split, proxy management and dissolution (ORG-1..3, EST-1..9).",
});

// Alone, as in production; the embedded default runs all services in apps/registry/main.ts.
if (require.main === module) void runService(establishmentService());
