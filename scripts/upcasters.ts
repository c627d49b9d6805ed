import { SERVICES } from '#libs/contracts';
import { UpcasterChain, type EventReading } from '#libs/event-sourcing';
import { establishmentUpcasters } from '../apps/community-establishment/src/application/upcasters';
import { staffingUpcasters } from '../apps/staffing-elections/src/application/upcasters';
import { facilityUpcasters } from '../apps/facility-construction/src/application/upcasters';

/** Each service's upcaster chain, as its module configures it: the scripts read the logs as the services do. */
const UPCASTERS: Readonly<Record<string, () => UpcasterChain>> = {
  'community-establishment': establishmentUpcasters,
  'staffing-elections': staffingUpcasters,
  'facility-construction': facilityUpcasters,
};

/** The chain a service reads its events with; an empty one for a name that is not a service. */
export const upcastersOf = (service: string): UpcasterChain => UPCASTERS[service]?.() ?? new UpcasterChain();

/**
 * How verify reads a service's events: upcast by its chain, then held to the contract of the
 * catalogue (version and data). Types without a contract in the service's catalogue are not checked.
 */
export function readingOf(service: string): EventReading | undefined {
  const contracts = SERVICES.find((s) => s.service === service)?.events;
  if (!contracts) return undefined;
  return {
    upcasters: upcastersOf(service),
    problemOf: (event) => {
      const contract = Object.hasOwn(contracts, event.type) ? contracts[event.type] : undefined;
      if (!contract) return undefined;
      if (event.schemaVersion !== contract.schemaVersion)
        return `read at version ${event.schemaVersion}, its contract is version ${contract.schemaVersion}`;
      const parsed = contract.data.safeParse(event.data);
      if (parsed.success) return undefined;
      return parsed.error.issues.map((i) => `${i.path.join('.') || '(data)'}: ${i.message}`).join('; ');
    },
  };
}
