import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { NotFound } from '#libs/event-sourcing';
import { findDistrict } from '#libs/contracts';
import { forbiddenProblem, unauthorizedProblem } from '../problem/problem';
import { DISTRICT_PARAM, PUBLIC_ROUTE, REQUIRED_ROLES, RequestWithActor } from './decorators';
import { assertDistrictScope } from './district-scope';
import { type JwtSettings, verifyAccessToken } from './jwt';
import { COMMAND_ROLES, READ_ROLES, Role } from './roles';

export const JWT_SETTINGS = 'JWT_SETTINGS';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Global guard: authenticate (401), then roles (403), then the route's district (404/403). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(JWT_SETTINGS) private readonly settings: JwtSettings,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const request = context.switchToHttp().getRequest<FastifyRequest & RequestWithActor>();
    const { actor, name } = await verifyAccessToken(bearerToken(request), this.settings);
    request.actor = actor;
    request.actorName = name;

    const required =
      this.reflector.getAllAndOverride<Role[]>(REQUIRED_ROLES, targets) ??
      (READ_METHODS.has(request.method) ? READ_ROLES : COMMAND_ROLES);
    if (!actor.roles.some((role) => (required as readonly string[]).includes(role))) {
      throw forbiddenProblem(`This action needs one of the roles: ${required.join(', ')}.`, {
        requiredRoles: required,
      });
    }

    const param = this.reflector.getAllAndOverride<string>(DISTRICT_PARAM, targets);
    if (param) {
      const value = (request.params as Record<string, string | undefined>)[param] ?? '';
      if (!findDistrict(value)) throw new NotFound('district', value);
      assertDistrictScope(actor, value);
    }
    return true;
  }
}

function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization;
  if (!header)
    throw unauthorizedProblem('An Authorization: Bearer <token> header is required.', 'invalid_request');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match)
    throw unauthorizedProblem('The Authorization header must be "Bearer <token>".', 'invalid_request');
  return match[1];
}
