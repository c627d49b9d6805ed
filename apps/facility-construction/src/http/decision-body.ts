import { z } from 'zod';
import { QueryDate } from '#libs/http';

/**
 * Every command body carries when the decision took effect in law and its legal basis.
 * Effective dates reach back to the paper archives, never into the future (checked at the edge).
 */
export const DecisionFields = {
  effectiveAt: z.iso.date().refine((d) => d >= '1990-01-01', 'the registry starts in 1990'),
  legalBasis: z.string().trim().min(1).max(200),
};

/** The route body: the command's fields without those taken from the path, plus the decision fields. */
export function decisionBody<S extends z.ZodObject>(
  schema: S,
  fromPath: readonly (keyof S['shape'] & string)[] = [],
) {
  const shape = Object.fromEntries(Object.entries(schema.shape).filter(([k]) => !fromPath.includes(k)));
  return z.strictObject({ ...shape, ...DecisionFields });
}

/** Every question takes a date; without one it is asked about today (RegistryClock). */
export const OnQuery = z.strictObject({ on: QueryDate().optional() });
export type OnQuery = z.infer<typeof OnQuery>;
