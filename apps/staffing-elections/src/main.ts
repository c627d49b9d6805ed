import 'reflect-metadata';
import { runService } from '#libs/profile';
import { portFromEnv, type ServiceDescriptor } from '#libs/http';
import { SERVICE_NAME, StaffingElectionsModule } from './staffing-elections.module';

/** How this service is served, alone (below) or with the others (apps/registry/main.ts). */
export const staffingElectionsService = (): ServiceDescriptor => ({
  name: SERVICE_NAME,
  module: StaffingElectionsModule,
  port: portFromEnv('STAFFING_PORT', 3002),
  title: 'Lanzhou community registry: staffing and elections',
  description:
    "Elections of residents' committees and the staffing of their posts. The election rules " +
    'ELECT-1..5 and the staffing rules STAFF-1..6 of RULES.md will be enforced here; for now the ' +
    'service answers only /health and this document.',
});

// Alone, as in production; the embedded default runs all services in apps/registry/main.ts.
if (require.main === module) void runService(staffingElectionsService());
