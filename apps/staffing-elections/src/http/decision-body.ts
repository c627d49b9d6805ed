import { z } from 'zod';
import { QueryDate } from '#libs/http';
import { containsPersonalData } from '#libs/contracts';

/**
 * Every command body carries when the decision took effect in law and its legal basis; effective
 * dates reach back to the registry's start, never into the future (checked at the edge).
 */
export const DecisionFields = {
  effectiveAt: z.iso.date().refine((d) => d >= '1990-01-01', 'the registry starts in 1990'),
  legalBasis: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .refine(
      (s) => !containsPersonalData(s),
      'PERSONAL-DATA: must not contain a national identity number or a birth date',
    ),
};

/** The route body: the command's fields without those taken from the path, plus the decision fields. */
export function decisionBody<S extends z.ZodObject>(
  schema: S,
  fromPath: readonly (keyof S['shape'] & string)[] = [],
) {
  const shape = Object.fromEntries(Object.entries(schema.shape).filter(([k]) => !fromPath.includes(k)));
  return z.strictObject({ ...shape, ...DecisionFields });
}

export const OnQuery = z.strictObject({ on: QueryDate().optional() });
export const YearQuery = z.strictObject({ year: z.coerce.number().int().min(1990).max(2100) });
export const EventsQuery = z.strictObject({
  fromRevision: z.coerce.number().int().min(0).default(0),
  maxCount: z.coerce.number().int().min(1).max(1000).default(500),
});
