import { SERVICES } from '#libs/contracts';
import { upcastersOf } from '../scripts/upcasters';

/*
 * GUIDE §4.7: a service reads and writes each event type at the version its chain ends at; the
 * catalogue publishes that same version (ce_type `<Type>.v<n>`). A step added to a chain without
 * raising the contract's version (or the reverse) fails here.
 */
describe("each service's upcaster chain", () => {
  it.each(SERVICES.map((s) => [s.service, s.events] as const))(
    '%s reads every type at the version of its contract',
    (service, contracts) => {
      const chain = upcastersOf(service);
      const versions = Object.values(contracts).map((c) => [c.type, chain.currentVersion(c.type)]);
      expect(versions).toEqual(Object.values(contracts).map((c) => [c.type, c.schemaVersion]));
    },
  );
});
