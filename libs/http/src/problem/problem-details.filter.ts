import { STATUS_CODES } from 'node:http';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFound, RuleViolation, WrongExpectedRevisionError } from '#libs/event-sourcing';
import { PROBLEM_CONTENT_TYPE, ProblemDetails, ProblemException, ProblemInit, ProblemType } from './problem';

export interface MappedProblem {
  readonly problem: ProblemDetails;
  readonly headers: Readonly<Record<string, string>>;
  /** True when the error is our fault: it is logged, and its message never reaches the client. */
  readonly unexpected: boolean;
}

const TYPE_BY_STATUS: Readonly<Record<number, string>> = {
  400: ProblemType.badRequest,
  401: ProblemType.unauthorized,
  403: ProblemType.forbidden,
  404: ProblemType.notFound,
  409: ProblemType.conflict,
};

/** Pure mapping from anything thrown to a problem document, kept apart from Fastify to test it. */
export function toProblem(error: unknown, instance: string): MappedProblem {
  const expected = (problem: ProblemInit, headers = {}): MappedProblem => ({
    problem: { ...problem, instance },
    headers,
    unexpected: false,
  });

  if (error instanceof ProblemException) return expected(error.problem, error.headers);
  if (error instanceof RuleViolation) {
    return expected({
      type: ProblemType.ruleViolation,
      title: 'Refused by a registry rule',
      status: 422,
      detail: error.message,
      ruleId: error.ruleId,
      details: error.details,
    });
  }
  if (error instanceof NotFound) {
    return expected({
      type: ProblemType.notFound,
      title: 'Not found',
      status: 404,
      detail: error.message,
      entity: error.entity,
      id: error.id,
    });
  }
  if (error instanceof WrongExpectedRevisionError) {
    // The stream id is an internal name; the revisions are what a client needs to re-read and retry.
    return expected({
      type: ProblemType.revisionConflict,
      title: 'Changed by another request',
      status: 409,
      detail: 'The resource was changed concurrently; read it again and retry.',
      expected: error.expected,
      actual: error.actual,
    });
  }
  if (error instanceof HttpException && error.getStatus() < 500) {
    const status = error.getStatus();
    return expected({
      type: TYPE_BY_STATUS[status] ?? 'about:blank',
      title: STATUS_CODES[status] ?? 'Error',
      status,
      detail: httpExceptionDetail(error),
    });
  }
  return {
    problem: {
      type: ProblemType.internal,
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred. It has been logged.',
      instance,
    },
    headers: {},
    unexpected: true,
  };
}

function httpExceptionDetail(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  if (typeof message === 'string') return message;
  return error.message;
}

/** The path only: query strings may carry personal data that has no place in a problem body. */
export function requestPath(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** RFC 9457 answers for every error, including unknown routes and Fastify's own (bad JSON, ...). */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { problem, headers, unexpected } = toProblem(exception, requestPath(request.url));
    if (unexpected) {
      this.logger.error(
        `${request.method} ${problem.instance}: ${describe(exception)}`,
        exception instanceof Error ? exception.stack : undefined,
      );
    }
    if (reply.sent) return;
    void reply
      .status(problem.status)
      .headers(headers)
      .header('content-type', PROBLEM_CONTENT_TYPE)
      .send(JSON.stringify(problem));
  }
}

function describe(exception: unknown): string {
  return exception instanceof Error ? `${exception.name}: ${exception.message}` : String(exception);
}
