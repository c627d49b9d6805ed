import { z } from 'zod';
import { containsPersonalData } from '#libs/contracts';

/**
 * Every command body carries when the decision took effect in law and its legal basis (EST-8).
 * Effective dates reach back to the paper archives (2001 and before), never into the future (checked
 * against the registry's today by decisionRequestOf).
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
