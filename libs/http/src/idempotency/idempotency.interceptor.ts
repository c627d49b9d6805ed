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
 * A request with an Idempotency-Key. It holds its key's turn, so a concurrent retry waits for it,
 * until `end()`.
 */
export interface IdempotentRequest {
  /** The first answer's body when this is a retry; the reply already has its status and header. */
  readonly replay?: { readonly body: unknown };
  /** Keeps the answer of a first request (2xx only) for its retries. */
  remember(body: unknown): Promise<void>;
  /** Lets the next request with this key go on. */
  end(): void;
}

/**
 * Makes a command safe to retry: the one idempotency mechanism of the registry. A retried request
 * (same actor, route, key and request) gets the first answer again and runs nothing; the key with a
 * different request is refused with 422. Only 2xx answers are remembered: a refusal may succeed
 * later, so a retry must run again.
 *
 * The key's record answers every retry as the first time (status and body, whichever store holds
 * the events), tells a reused key from a retry by the request's hash, and is scoped per actor and
 * route. The one window it leaves, a crash between the append and saving the record, is closed
 * below it by the same key: handleCommand derives the event ids from it, so the store recognises
 * the retry's events instead of appending them again.
 *
 * Used by the command routes (commandRoutes) as a straight line: `start`, decide unless it is a
 * replay, `remember`, `end`; after the guard (the scope is per actor) and the validation pipes. A
 * request without the header costs one header lookup: unlike an interceptor, nothing is built per
 * request (Nest wraps every request of a route with an interceptor in several rxjs Observables and
 * async resources, whether or not it has a key).
 */
@Injectable()
export class IdempotentRequests {
  private readonly logger = new Logger('Idempotency');
  /** Tail of the queue per scope+key: a concurrent retry waits for the first to finish. */
  private readonly tails = new Map<string, Promise<void>>();

  constructor(@Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyStore) {}

  /**
   * Undefined without an Idempotency-Key (at once: a request without the header awaits nothing
   * here); else the request, once its turn is taken (call `end`).
   */
  start(
    request: FastifyRequest & RequestWithActor,
    reply: FastifyReply,
  ): Promise<IdempotentRequest> | undefined {
    const key = idempotencyKeyOf(request.headers);
    if (key === undefined) return undefined;
    if (!request.actor) throw new Error('idempotency needs an authenticated route (the scope is per actor)');
    return this.begin(request, reply, key, request.actor.subject);
  }

  private async begin(
    request: FastifyRequest,
    reply: FastifyReply,
    key: string,
    subject: string,
  ): Promise<IdempotentRequest> {
    const scope = `${subject} ${request.method} ${request.routeOptions.url ?? request.url}`;
    // Params are part of the request: the same key on another committee is another request.
    const identity = { params: request.params ?? {}, body: request.body ?? null };
    const end = await this.turn(`${scope}\n${key}`);
    try {
      const hash = await requestHash(identity);
      const earlier = await this.store.find(scope, key);
      if (earlier) {
        if (earlier.requestHash !== hash) throw idempotencyKeyReusedProblem(key);
        void reply.status(earlier.statusCode).header(IDEMPOTENCY_REPLAYED_HEADER, 'true');
        return { replay: { body: earlier.responseBody }, remember: async () => undefined, end };
      }
      return { remember: (body) => this.remember(scope, key, hash, reply.statusCode, body), end };
    } catch (error) {
      end();
      throw error;
    }
  }

  /** Runs `work` for this request, or answers as the first time when it is a retry. */
  async run<T>(
    request: FastifyRequest & RequestWithActor,
    reply: FastifyReply,
    work: () => Promise<T>,
  ): Promise<T> {
    const starting = this.start(request, reply);
    if (!starting) return work();
    const idempotent = await starting;
    try {
      // A replay answers with the first answer's body, which `work` produced: a T.
      if (idempotent.replay) return idempotent.replay.body as T;
      const body = await work();
      await idempotent.remember(body);
      return body;
    } finally {
      idempotent.end();
    }
  }

  private async remember(
    scope: string,
    key: string,
    hash: string,
    statusCode: number,
    body: unknown,
  ): Promise<void> {
    if (statusCode < 200 || statusCode >= 300) return;
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

  /** Waits for the earlier requests with this key; returns the function that ends this one's turn. */
  private async turn(lockKey: string): Promise<() => void> {
    const previous = this.tails.get(lockKey);
    let release!: () => void;
    const tail = new Promise<void>((resolve) => (release = resolve));
    this.tails.set(lockKey, tail);
    if (previous) await previous;
    return () => {
      release();
      if (this.tails.get(lockKey) === tail) this.tails.delete(lockKey);
    };
  }
}

/**
 * IdempotentRequests as an interceptor, for hand-written routes marked `@Idempotent()`: the same
 * records and answers as the command routes.
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

/** Documents the Idempotency-Key header of a route that makes itself retry-safe (IdempotentRequests). */
export const AcceptsIdempotencyKey = (): MethodDecorator & ClassDecorator =>
  applyDecorators(idempotencyKeyDocs());

/** Marks a command route as retry-safe with the Idempotency-Key header, and documents the header. */
export const Idempotent = (): MethodDecorator & ClassDecorator =>
  applyDecorators(UseInterceptors(IdempotencyInterceptor), idempotencyKeyDocs());

/** The Idempotency-Key of the request, for the event metadata (`EventMetadata.idempotencyKey`). */
export const IdempotencyKey = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  idempotencyKeyOf(context.switchToHttp().getRequest<FastifyRequest>().headers),
);
