import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, ProblemDetails, ProblemType } from '../problem/problem';

/**
 * Answers for what Fastify and Node refuse before any route, hook or filter runs: a malformed URL
 * (400), a path parameter longer than the router takes (414), headers too large (431). RFC 9457 problem documents like every other answer. The path is not echoed: it is
 * the malformed or over-long part, and may carry anything.
 */
export function frameworkProblem(code: string | undefined): ProblemDetails {
  switch (code) {
    case 'FST_ERR_BAD_URL':
      return {
        type: ProblemType.badRequest,
        title: 'Bad Request',
        status: 400,
        detail: 'The URL is malformed: a percent-encoded sequence in its path is not valid UTF-8.',
      };
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return {
        type: ProblemType.uriTooLong,
        title: 'URI Too Long',
        status: 414,
        detail: 'A path parameter is too long: ids have 2 to 64 characters.',
      };
    case 'HPE_HEADER_OVERFLOW':
      return {
        type: ProblemType.headersTooLarge,
        title: 'Request Header Fields Too Large',
        status: 431,
        detail: 'The request headers are too large.',
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        type: 'about:blank',
        title: 'Request Timeout',
        status: 408,
        detail: 'The request took too long.',
      };
    default:
      return {
        type: ProblemType.badRequest,
        title: 'Bad Request',
        status: 400,
        detail: 'The request is malformed.',
      };
  }
}

/** The answer to a request that arrives while the service stops (a clean stop takes nothing new). */
export function closingProblem(): ProblemDetails {
  return {
    type: ProblemType.closing,
    title: 'Service Unavailable',
    status: 503,
    detail:
      'The service is stopping and takes no new request: nothing was done; send it again once it is back.',
  };
}

/** Fastify's `frameworkErrors`: the router's refusals of a URL. */
export function answerFrameworkError(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  const problem =
    error.code === 'FST_ERR_ASYNC_CONSTRAINT'
      ? {
          type: ProblemType.internal,
          title: 'Internal Server Error',
          status: 500,
          detail: 'An unexpected error occurred.',
        }
      : frameworkProblem(error.code);
  void reply.code(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}

/** Fastify's `clientErrorHandler`: what Node's HTTP parser refuses, written to the socket. */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  // A reset connection has no one to answer (https://nodejs.org/api/http.html#event-clienterror).
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const problem = frameworkProblem(error.code);
    const body = JSON.stringify(problem);
    socket.write(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\n` +
        `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
