// First, so that an older Node is told what to run before anything loads node:sqlite.
import '#libs/node-check';
import 'reflect-metadata';
import { runService } from '#libs/profile';
import { portFromEnv, type ServiceDescriptor } from '#libs/http';
import { FacilityConstructionModule, SERVICE_NAME } from './facility-construction.module';

/** How this service is served, alone (below) or with the others (apps/registry/main.ts). */
export const facilityConstructionService = (): ServiceDescriptor => ({
  name: SERVICE_NAME,
  module: FacilityConstructionModule,
  port: portFromEnv('FACILITY_PORT'),
  title: 'Lanzhou community registry: facility construction',
  description:
    'Construction projects and their community space (planning review, consultations, acceptance, the refusal of ' +
    'building naming), community facilities (remedies for lack of space, use rights, functions, use, tariffs) and ' +
    'the funding of community work (FAC-1..8, FUND-1..2).',
});

// Alone, as in production; the embedded default runs all services in apps/registry/main.ts.
if (require.main === module) void runService(facilityConstructionService());
