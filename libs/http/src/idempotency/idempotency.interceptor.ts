import {
  applyDecorators,
  CallHandler,
  createParamDecorator,
  ExecutionContext,
  Inject,
  Injectable,
  Logger,
  NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { defer, lastValueFrom, Observable } from 'rxjs';
import { type IdempotencyStore, requestHash } from '#libs/event-sourcing';
import type { RequestWithActor } from '../auth/decorators';
import { idempotencyKeyReusedProblem, validationProblem } from '../problem/problem';
import { assertHeaderWithoutPersonalData } from '../validation/request-text';

/** Injection token of the service's IdempotencyStore adapter. */
export const IDEMPOTENCY_STORE = 'IDEMPOTENCY_STORE';
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENCY_REPLAYED_HEADER = 'idempotency-replayed';
const MAX_KEY_LENGTH = 200;

/** The request's Idempotency-Key, or undefined; the interceptor has already checked it. */
export function idempotencyKeyOf(headers: FastifyRequest['headers']): string | undefined {
  const value = headers[IDEMPOTENCY_KEY_HEADER];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length < 1 || value.length > MAX_KEY_LENGTH) {
    throw validationProblem([
      {
        field: `headers.${IDEMPOTENCY_KEY_HEADER}`,
        message: `Must be one value of 1 to ${MAX_KEY_LENGTH} characters`,
      },
    ]);
  }
  assertHeaderWithoutPersonalData(IDEMPOTENCY_KEY_HEADER, value);
  return value;
}

/**
 * Makes a command safe to retry. A retried request (same actor, route, key and request) gets the
 * first answer again and runs nothing; the key with a different request is refused with 422.
 * Only 2xx answers are remembered: a refusal may succeed later, so a retry must run again.
 *
 * Called by a controller around its command (`run(req, reply, () => ...)`), after the guard (the
 * scope is per actor) and the validation pipes. A request without the header costs one header
 * lookup: unlike an interceptor, nothing is built per request (Nest wraps every request of a route
 * with an interceptor in several rxjs Observables and async resources, whether or not it has a key).
 */
@Injectable()
export class IdempotentRequests {
  private readonly logger = new Logger('Idempotency');
  /** Tail of the promise chain per scope+key: a concurrent retry waits for the first to finish. */
  private readonly tails = new Map<string, Promise<void>>();

  constructor(@Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyStore) {}

  /** Runs `work` for this request, or answers as the first time when it is a retry. */
  run<T>(
    request: FastifyRequest & RequestWithActor,
    reply: FastifyReply,
    work: () => Promise<T>,
  ): Promise<T> {
    const key = idempotencyKeyOf(request.headers);
    if (key === undefined) return work();
    if (!request.actor) throw new Error('idempotency needs an authenticated route (the scope is per actor)');

    const scope = `${request.actor.subject} ${request.method} ${request.routeOptions.url ?? request.url}`;
    // Params are part of the request: the same key on another committee is another request.
    const identity = { params: request.params ?? {}, body: request.body ?? null };
    // A replay answers with the first answer's body, which `work` produced: a T.
    return this.serialise(`${scope}\n${key}`, () =>
      this.once(scope, key, identity, reply, work),
    ) as Promise<T>;
  }

  private async once(
    scope: string,
    key: string,
    identity: unknown,
    reply: FastifyReply,
    work: () => Promise<unknown>,
  ): Promise<unknown> {
    const hash = await requestHash(identity);
    const earlier = await this.store.find(scope, key);
    if (earlier) {
      if (earlier.requestHash !== hash) throw idempotencyKeyReusedProblem(key);
      void reply.status(earlier.statusCode).header(IDEMPOTENCY_REPLAYED_HEADER, 'true');
      return earlier.responseBody;
    }
    const body = await work();
    const statusCode = reply.statusCode;
    if (statusCode >= 200 && statusCode < 300) {
      try {
        await this.store.save({
          scope,
          key,
          requestHash: hash,
          statusCode,
          responseBody: body ?? null,
          recordedAt: new Date().toISOString(),
        });
      } catch (error) {
        // The command is done; failing the answer now would invite a retry that runs it twice.
        this.logger.error(`could not save idempotency record for ${scope}: ${String(error)}`);
      }
    }
    return body;
  }

  private serialise<T>(lockKey: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(lockKey) ?? Promise.resolve();
    const result = previous.then(work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(lockKey, tail);
    void tail.then(() => {
      if (this.tails.get(lockKey) === tail) this.tails.delete(lockKey);
    });
    return result;
  }
}

/**
 * IdempotentRequests as an interceptor, for routes marked `@Idempotent()`: the same answers, for
 * controllers that do not call `run` themselves.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly requests: IdempotentRequests;

  constructor(@Inject(IDEMPOTENCY_STORE) store: IdempotencyStore) {
    this.requests = new IdempotentRequests(store);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & RequestWithActor>();
    const reply = http.getResponse<FastifyReply>();
    if (idempotencyKeyOf(request.headers) === undefined) return next.handle();
    return defer(() =>
      this.requests.run(request, reply, () => lastValueFrom(next.handle(), { defaultValue: undefined })),
    );
  }
}

const idempotencyKeyDocs = (): MethodDecorator & ClassDecorator =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Optional, 1-200 characters. A retry with the same key and request replays the first answer ' +
      '(header Idempotency-Replayed: true); the same key with another request is refused (422).',
    schema: { type: 'string', minLength: 1, maxLength: MAX_KEY_LENGTH },
  });

/**
 * Documents the Idempotency-Key header of a route whose controller makes it retry-safe itself,
 * through IdempotentRequests.run.
 */
export const AcceptsIdempotencyKey = (): MethodDecorator & ClassDecorator =>
  applyDecorators(idempotencyKeyDocs());

/** Marks a command route as retry-safe with the Idempotency-Key header, and documents the header. */
export const Idempotent = (): MethodDecorator & ClassDecorator =>
  applyDecorators(UseInterceptors(IdempotencyInterceptor), idempotencyKeyDocs());

/** The Idempotency-Key of the request, for the event metadata (`EventMetadata.idempotencyKey`). */
export const IdempotencyKey = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  idempotencyKeyOf(context.switchToHttp().getRequest<FastifyRequest>().headers),
);
