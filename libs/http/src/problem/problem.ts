import { HttpException } from '@nestjs/common';
import { PERSONAL_DATA_RULE } from '#libs/contracts';

/** Problem type URIs are stable identifiers clients may switch on; they need not resolve. */
export const PROBLEM_TYPE_BASE = 'https://registry.lanzhou.example/problems/';

export const ProblemType = {
  validation: `${PROBLEM_TYPE_BASE}validation`,
  badRequest: `${PROBLEM_TYPE_BASE}bad-request`,
  unauthorized: `${PROBLEM_TYPE_BASE}unauthorized`,
  forbidden: `${PROBLEM_TYPE_BASE}forbidden`,
  notFound: `${PROBLEM_TYPE_BASE}not-found`,
  revisionConflict: `${PROBLEM_TYPE_BASE}revision-conflict`,
  conflict: `${PROBLEM_TYPE_BASE}conflict`,
  ruleViolation: `${PROBLEM_TYPE_BASE}rule-violation`,
  idempotencyKeyReused: `${PROBLEM_TYPE_BASE}idempotency-key-reused`,
  uriTooLong: `${PROBLEM_TYPE_BASE}uri-too-long`,
  headersTooLarge: `${PROBLEM_TYPE_BASE}headers-too-large`,
  internal: `${PROBLEM_TYPE_BASE}internal-error`,
  notReady: `${PROBLEM_TYPE_BASE}not-ready`,
  closing: `${PROBLEM_TYPE_BASE}closing`,
} as const;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** RFC 9457 problem details without `instance`, which only the filter knows (the request path). */
export interface ProblemInit {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  /** Extension members sit beside the standard ones (RFC 9457 §3.2). */
  readonly [extension: string]: unknown;
}

/** RFC 9457 problem details as sent. */
export interface ProblemDetails extends ProblemInit {
  readonly instance?: string;
}

/** One failing input field, named from the request part: `body.households`, `query.page`. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
  /** The registry rule that refuses the field, when one does (PERSONAL-DATA). */
  readonly ruleId?: string;
}

/**
 * An error that already knows its problem document. It extends HttpException so that Nest code
 * outside our filter (e.g. a test module without it) still sees the right status.
 */
export class ProblemException extends HttpException {
  constructor(
    readonly problem: ProblemInit,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(problem, problem.status);
    this.name = 'ProblemException';
  }
}

export function validationProblem(errors: readonly FieldError[]): ProblemException {
  const fields = [...new Set(errors.map((e) => e.field))];
  return new ProblemException({
    type: ProblemType.validation,
    title: 'The request is not valid',
    status: 400,
    detail: `Invalid field${fields.length === 1 ? '' : 's'}: ${fields.join(', ')}`,
    errors,
  });
}

/**
 * PERSONAL-DATA: the validation problem, naming the rule beside every field, so
 * a client can tell "this is not allowed here at all" from "this is malformed".
 */
export function personalDataProblem(errors: readonly FieldError[]): ProblemException {
  const fields = [...new Set(errors.map((e) => e.field))];
  return new ProblemException({
    type: ProblemType.validation,
    title: 'The request is not valid',
    status: 400,
    detail:
      `PERSONAL-DATA: no national identity number or birth date may enter the registry ` +
      `(a person is a pseudonymous id): ${fields.join(', ')}`,
    ruleId: PERSONAL_DATA_RULE,
    errors,
  });
}

/** `error` is the RFC 6750 error code clients see in WWW-Authenticate. */
export function unauthorizedProblem(
  detail: string,
  error: 'invalid_request' | 'invalid_token' = 'invalid_token',
): ProblemException {
  return new ProblemException(
    { type: ProblemType.unauthorized, title: 'Authentication required', status: 401, detail },
    {
      'www-authenticate': `Bearer realm="registry-api", error="${error}", error_description="${detail.replace(/"/g, "'")}"`,
    },
  );
}

export function forbiddenProblem(detail: string, extensions: Record<string, unknown> = {}): ProblemException {
  return new ProblemException({
    type: ProblemType.forbidden,
    title: 'Not allowed',
    status: 403,
    detail,
    ...extensions,
  });
}

export function idempotencyKeyReusedProblem(key: string): ProblemException {
  return new ProblemException({
    type: ProblemType.idempotencyKeyReused,
    title: 'Idempotency key reused with another request',
    status: 422,
    detail: `The Idempotency-Key "${key}" was already used for a different request; use a new key for a new request.`,
    idempotencyKey: key,
  });
}
