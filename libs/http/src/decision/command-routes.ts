import { HttpCode, Inject, Post, Req, Res, type Type } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { DecisionEnvelope, DecisionResult } from '#libs/event-sourcing';
import { Roles, type RequestWithActor } from '../auth/decorators';
import type { Role } from '../auth/roles';
import { AcceptsIdempotencyKey, IdempotentRequests } from '../idempotency/idempotency.interceptor';
import { ZodBody, ZodParam, type RequestSchema } from '../validation/zod-validation';
import { decisionBody, decisionRequestOf } from './decision-request';

/**
 * What a command route hands its decision to: the service's CommandBus and the registry's clock
 * (libs/hosting provides it as DECISIONS).
 */
export interface Decisions {
  /** Today in the registry's time zone: no decision may take effect after it. */
  today(): string;
  decide(
    district: string,
    command: { readonly type: string; readonly data: Record<string, unknown> },
    envelope: DecisionEnvelope,
  ): Promise<DecisionResult>;
}
export const DECISIONS = 'DECISIONS';

/** One command route of a service's table. */
export interface CommandRoute<T extends string = string> {
  /** Below the controller's path, e.g. `areas/:areaId/households`. */
  readonly path: string;
  /** The command type (`UpdateAreaHouseholds`); its schema's fields named like path parameters come from the path. */
  readonly command: T;
  /** The command's data schema; the body is it without the path's fields, plus effectiveAt and legalBasis. */
  readonly schema: z.ZodObject;
  /** The whole body schema instead, for a body that is more than the command's fields (a refinement). */
  readonly body?: RequestSchema;
  /** The rules the command enforces; the summary names each of them. */
  readonly rules: readonly string[];
  /** The OpenAPI summary. */
  readonly summary: string;
  /** The status of an accepted decision. Default 201. */
  readonly status?: number;
  /** Who may send it, beyond the default (officer or admin). */
  readonly roles?: readonly [Role, ...Role[]];
  /** Refuses an actor the route needs more of than a role (a city-wide scope), by throwing a problem. */
  readonly authorise?: (actor: NonNullable<RequestWithActor['actor']>) => void;
}

/** A service's command routes, by handler name (the OpenAPI operation id is `<Controller>_<name>`). */
export type CommandRouteTable<T extends string = string> = Readonly<Record<string, CommandRoute<T>>>;

export interface CommandRouteOptions {
  /** The path parameters of the controller's path (`district`), with their schemas. */
  readonly controllerParams?: Readonly<Record<string, RequestSchema>>;
  /** The schema of every path parameter of the routes' own paths (the service's id). */
  readonly idParam: RequestSchema;
}

const pathParams = (path: string): string[] => [...path.matchAll(/:([A-Za-z]\w*)/g)].map((m) => m[1]);

/**
 * Turns a service's table of command routes into the POST routes of a controller, with their
 * OpenAPI entries: the controller extends the class returned (its queries stay its own methods).
 * Every route goes the same straight way: validation pipes, Idempotency-Key (IdempotentRequests),
 * the decision envelope (decisionRequestOf), DECISIONS, and the stream revision as ETag.
 */
export function commandRoutes(table: CommandRouteTable, options: CommandRouteOptions): Type<object> {
  class CommandRoutes {
    @Inject(DECISIONS) readonly decisions!: Decisions;
    @Inject(IdempotentRequests) readonly idempotency!: IdempotentRequests;
  }

  for (const [name, route] of Object.entries(table)) {
    for (const rule of route.rules)
      if (!route.summary.includes(rule))
        throw new Error(`command route ${name}: the summary does not name ${rule}`);
    const own = pathParams(route.path);
    const params = [...Object.keys(options.controllerParams ?? {}), ...own];
    const fromPath = params.filter((p) => p in route.schema.shape);
    const body = route.body ?? decisionBody(route.schema, fromPath);
    const fieldsFromPath = fromPath.map((p) => [p, params.indexOf(p)] as const);
    const districtAt = params.indexOf('district');
    const bodyAt = params.length;

    async function handle(this: CommandRoutes, ...args: unknown[]): Promise<unknown> {
      const fields = args[bodyAt] as { effectiveAt: string; legalBasis: string } & Record<string, unknown>;
      const req = args[bodyAt + 1] as FastifyRequest & RequestWithActor;
      const reply = args[bodyAt + 2] as FastifyReply;
      const actor = req.actor;
      if (!actor) throw new Error('a command route needs an authenticated actor');
      route.authorise?.(actor);
      const starting = this.idempotency.start(req, reply);
      const idempotent = starting && (await starting);
      try {
        if (idempotent?.replay) return idempotent.replay.body;
        const { fields: data, envelope } = decisionRequestOf(fields, actor, req, this.decisions.today());
        for (const [field, at] of fieldsFromPath) data[field] = args[at];
        // A city-wide route has no district; its stream's name ignores it.
        const district = districtAt < 0 ? '' : (args[districtAt] as string);
        const result = await this.decisions.decide(district, { type: route.command, data }, envelope);
        void reply.header('etag', `"${result.revision}"`);
        if (idempotent) await idempotent.remember(result);
        return result;
      } finally {
        idempotent?.end();
      }
    }
    Object.defineProperty(handle, 'name', { value: name });
    Object.defineProperty(CommandRoutes.prototype, name, {
      value: handle,
      writable: true,
      configurable: true,
    });
    const proto = CommandRoutes.prototype;
    // Last parameter first, as TypeScript applies parameter decorators: the OpenAPI explorer lists
    // the parameters in that order of registration.
    Res({ passthrough: true })(proto, name, bodyAt + 2);
    Req()(proto, name, bodyAt + 1);
    ZodBody(body)(proto, name, bodyAt);
    for (let i = params.length - 1; i >= 0; i--)
      ZodParam(params[i], options.controllerParams?.[params[i]] ?? options.idParam)(proto, name, i);
    // What TypeScript would emit for a written method, which the OpenAPI explorer reads.
    Reflect.defineMetadata(
      'design:paramtypes',
      [...params.map(() => String), Object, Object, Object],
      proto,
      name,
    );
    Reflect.defineMetadata('design:returntype', Promise, proto, name);
    const descriptor = Object.getOwnPropertyDescriptor(proto, name)!;
    for (const decorate of [
      Post(route.path),
      HttpCode(route.status ?? 201),
      AcceptsIdempotencyKey(),
      ApiOperation({ summary: route.summary }),
      ...(route.roles ? [Roles(...route.roles)] : []),
    ])
      decorate(proto, name, descriptor);
  }
  return CommandRoutes;
}
