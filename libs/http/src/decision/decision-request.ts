import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { containsPersonalData } from '#libs/contracts';
import type { Actor, DecisionEnvelope } from '#libs/event-sourcing';
import { idempotencyKeyOf } from '../idempotency/idempotency.interceptor';
import { validationProblem } from '../problem/problem';
import { assertHeaderWithoutPersonalData } from '../validation/request-text';

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

/**
 * Splits a command body into the domain fields and the decision envelope, the same way for every
 * service: the effective date may not lie in the future, If-Match carries the expected stream
 * revision, and the correlation id, trace context and Idempotency-Key come from the headers.
 */
export function decisionRequestOf<B extends { effectiveAt: string; legalBasis: string }>(
  body: B,
  actor: Actor,
  req: FastifyRequest,
  /** Today in the registry's time zone (RegistryClock in libs/hosting), never the UTC date. */
  today: string,
): { fields: Omit<B, 'effectiveAt' | 'legalBasis'>; envelope: DecisionEnvelope } {
  const { effectiveAt, legalBasis, ...fields } = body;
  if (effectiveAt > today)
    throw validationProblem([{ field: 'body.effectiveAt', message: `must not lie after today (${today})` }]);
  const header = (name: string): string | undefined => {
    const v = req.headers[name];
    return typeof v === 'string' ? v : undefined;
  };
  // PERSONAL-DATA: the correlation id is kept in the event's metadata.
  assertHeaderWithoutPersonalData('x-correlation-id', header('x-correlation-id'));
  const ifMatch = header('if-match');
  let expectedRevision: number | undefined;
  if (ifMatch !== undefined) {
    expectedRevision = Number(ifMatch.replace(/"/g, ''));
    if (!Number.isInteger(expectedRevision) || expectedRevision < -1)
      throw validationProblem([{ field: 'headers.if-match', message: 'the stream revision, an integer' }]);
  }
  return {
    fields,
    envelope: {
      context: { effectiveAt, actor },
      legalBasis,
      correlationId: header('x-correlation-id') ?? randomUUID(),
      causationId: null,
      idempotencyKey: idempotencyKeyOf(req.headers),
      traceparent: header('traceparent'),
      expectedRevision,
    },
  };
}
