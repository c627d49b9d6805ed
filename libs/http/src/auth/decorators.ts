import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Actor } from '#libs/event-sourcing';
import type { Role } from './roles';

export const PUBLIC_ROUTE = 'registry:public-route';
export const REQUIRED_ROLES = 'registry:required-roles';
export const DISTRICT_PARAM = 'registry:district-param';

/** Open without a token (health). Every other route needs one. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/**
 * The roles of which the actor needs at least one. Without it, GET/HEAD accept any role and every
 * other method needs officer or admin, so a forgotten decorator never lets an auditor write.
 */
export const Roles = (...roles: [Role, ...Role[]]): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_ROLES, roles);

/** The route parameter (a district code) must lie within the token's district scope. */
export const DistrictScoped = (param = 'district'): MethodDecorator & ClassDecorator =>
  SetMetadata(DISTRICT_PARAM, param);

/** Where the guard leaves the verified actor on the Fastify request. */
export interface RequestWithActor {
  actor?: Actor;
  actorName?: string;
}

/** The verified actor of the request; a programming error on a @Public route. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<RequestWithActor>().actor;
  if (!actor) throw new Error('@CurrentActor() on a route that is not authenticated');
  return actor;
});
