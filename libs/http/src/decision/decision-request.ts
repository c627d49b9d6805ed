import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Actor, DecisionEnvelope } from '#libs/event-sourcing';
import { idempotencyKeyOf } from '../idempotency/idempotency.interceptor';
import { validationProblem } from '../problem/problem';
import { assertHeaderWithoutPersonalData } from '../validation/request-text';

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
