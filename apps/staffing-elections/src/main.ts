// First, so that an older Node is told what to run before anything loads node:sqlite.
import '#libs/node-check';
import 'reflect-metadata';
import { runService } from '#libs/profile';
import { portFromEnv, type ServiceDescriptor } from '#libs/http';
import { SERVICE_NAME, StaffingElectionsModule } from './staffing-elections.module';

/** How this service is served, alone (below) or with the others (apps/registry/main.ts). */
export const staffingElectionsService = (): ServiceDescriptor => ({
  name: SERVICE_NAME,
  module: StaffingElectionsModule,
  port: portFromEnv('STAFFING_PORT'),
  title: 'Lanzhou community registry: staffing and elections',
  description:
    "Elections of residents' committees and the community workforce: the election rules " +
    'ELECT-1..5 and the staffing rules STAFF-1..6 of RULES.md, and the concurrent posts of a ' +
    'person (ORG-2). Legal regimes are data keyed by date (1989 law, 2018 amendment, 2025 revision).',
});

// Alone, as in production; the embedded default runs all services in apps/registry/main.ts.
if (require.main === module) void runService(staffingElectionsService());
