import { z } from 'zod';

/** The registry starts with the Organic Law of 1989 in force (1990-01-01): nothing is dated earlier. */
export const REGISTRY_START = '1990-01-01';
/** The last date a question may ask about: the end of the years the registry takes (2100). */
export const REGISTRY_END = '2100-12-31';

/**
 * A date a read asks about (`?on=`, `?asOf=`), bounded like a decision's `effectiveAt` below
 *: not before the registry's start. A later date than today asks how today's
 * facts stand on it (e.g. which obligations will then be overdue), up to REGISTRY_END; 0000-01-01
 * and 9999-12-31 are refused.
 */
export const QueryDate = () =>
  z.iso
    .date()
    .refine(
      (d) => d >= REGISTRY_START && d <= REGISTRY_END,
      `must lie between ${REGISTRY_START} (the registry's start) and ${REGISTRY_END}`,
    )
    .meta({ description: `ISO 8601 date from ${REGISTRY_START} to ${REGISTRY_END}` });
