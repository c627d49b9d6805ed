import 'reflect-metadata';
import { runService } from '#libs/profile';
import { portFromEnv, type ServiceDescriptor } from '#libs/http';
import { FacilityConstructionModule, SERVICE_NAME } from './facility-construction.module';

/** How this service is served, alone (below) or with the others (apps/registry/main.ts). */
export const facilityConstructionService = (): ServiceDescriptor => ({
  name: SERVICE_NAME,
  module: FacilityConstructionModule,
  port: portFromEnv('FACILITY_PORT', 3003),
  title: 'Lanzhou community registry: facility construction',
  description:
    'Community service facilities (offices, service stations) and the funding of their construction. ' +
    'The facility rules FAC-1..8 and the funding rules FUND-1..2 of RULES.md will be enforced here; ' +
    'for now the service answers only /health and this document.',
});

// Alone, as in production; the embedded default runs all services in apps/registry/main.ts.
if (require.main === module) void runService(facilityConstructionService());
