import type { CommandOf } from '../commands';
import type { EstablishmentEvent, HouseholdRangeCheck } from '../events';
import { householdRangeOn } from '../policy';
import type { DistrictView } from '../state';
import { ev, requireArea } from './shared';

// EST-9: an area's households and the household range of a committee.

export function householdRangeCheck(
  view: DistrictView,
  areaIds: readonly string[],
  on: string,
): HouseholdRangeCheck {
  // Stryker disable next-line OptionalChaining: a committee's areas are all on the map (checked by each caller).
  const households = areaIds.reduce((sum, a) => sum + (view.areas[a]?.households ?? 0), 0);
  return householdRangeOn(households, on);
}

export function updateAreaHouseholds(
  command: CommandOf<'UpdateAreaHouseholds'>,
  view: DistrictView,
): EstablishmentEvent[] {
  const area = requireArea(view, command.data.areaId);
  return [
    ev('AreaHouseholdsUpdated', ['EST-9'], {
      areaId: area.areaId,
      households: command.data.households,
      previous: area.households,
    }),
  ];
}
