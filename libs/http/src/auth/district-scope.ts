import type { Actor } from '#libs/event-sourcing';
import { findDistrict } from '#libs/contracts';
import { forbiddenProblem } from '../problem/problem';
import { CITY_WIDE } from './jwt';

/** True when `district` (code or name) lies within the actor's scope; '*' covers every district. */
export function isWithinDistrictScope(actor: Pick<Actor, 'districtScope'>, district: string): boolean {
  if (actor.districtScope === CITY_WIDE) return true;
  const wanted = findDistrict(district);
  const scope = findDistrict(actor.districtScope);
  return wanted !== undefined && scope !== undefined && wanted.code === scope.code;
}

/** For handlers whose district comes from the body or from a loaded entity, not from the route. */
export function assertDistrictScope(actor: Pick<Actor, 'districtScope'>, district: string): void {
  if (!isWithinDistrictScope(actor, district)) {
    throw forbiddenProblem(`Your district scope (${actor.districtScope}) does not cover ${district}.`, {
      districtScope: actor.districtScope,
      district,
    });
  }
}
