import { RuleViolation } from '#libs/decider';
import type { CommandOf, NewArea } from '../commands';
import type { EstablishmentEvent, ResponsibleBody } from '../events';
import type { EstablishmentPolicy } from '../policy';
import { activeBodiesOf, trialOf, type DistrictView } from '../state';
import { resolveResponsibility } from './responsibility';
import { ev, requireArea } from './shared';

// Areas: registration (EST-1, EST-4, EST-6), village conversion (EST-5), occupancy (EST-2), adjacency.

/** EST-2, EST-5, EST-6: the opening and due dates are derived in the fold (they follow EST-8 corrections). */
function obligationOpened(
  areaId: string,
  reason: 'occupancy-threshold' | 'village-to-residence-conversion' | 'large-migrant-area',
  ruleId: string,
  policy: EstablishmentPolicy,
): EstablishmentEvent {
  return ev('EstablishmentObligationOpened', [ruleId], {
    areaId,
    reason,
    dueDays: policy.obligationDueDays,
    occupancyThreshold: reason === 'occupancy-threshold' ? policy.occupancyThreshold : null,
  });
}

/** EST-1, EST-4, EST-5, EST-6 checks of a new area; returns its migrant scale (EST-6). */
export function checkNewArea(
  d: NewArea,
  view: DistrictView,
  body: ResponsibleBody['kind'],
  policy: EstablishmentPolicy,
): { scale: 'large' | 'small'; thresholdHouseholds: number } | null {
  if (view.areas[d.areaId]) throw new RuleViolation('EST-1', `area ${d.areaId} is already registered`);
  for (const other of d.adjacentAreaIds) requireArea(view, other);
  // EST-4: only an urban-rural fringe area coexists with a village committee, and it must say which.
  if (d.kind === 'urban-rural-fringe' && !d.villageCommittee)
    throw new RuleViolation(
      'EST-4',
      'an urban-rural fringe area records the village committee it coexists with',
      {
        field: 'villageCommittee',
      },
    );
  if (d.kind !== 'urban-rural-fringe' && d.villageCommittee)
    throw new RuleViolation('EST-4', 'only an urban-rural fringe area coexists with a village committee', {
      field: 'villageCommittee',
      kind: d.kind,
    });
  if (d.kind === 'village-to-residence-conversion')
    throw new RuleViolation(
      'EST-5',
      'a village-to-residence conversion is recorded with ConvertVillageToResidence',
    );
  if (d.kind !== 'migrant-population-concentration') return null;
  const scale = d.households >= policy.largeMigrantAreaHouseholds ? 'large' : 'small';
  if (scale === 'small' && body !== 'residents-group')
    throw new RuleViolation(
      'EST-6',
      `a small migrant-population area (${d.households} < ${policy.largeMigrantAreaHouseholds} households) gets a residents' group attached to an adjacent community`,
      { field: 'responsibility', households: d.households, threshold: policy.largeMigrantAreaHouseholds },
    );
  return { scale, thresholdHouseholds: policy.largeMigrantAreaHouseholds };
}

/** A placeholder body for the area on trial: the real one is what is being resolved. */
const TRIAL_BODY: ResponsibleBody = { kind: 'residents-group', groupId: '-', attachedToCommunityId: '-' };

/** Answers `question` on the map with the new area registered (its adjacency known), then takes it back. */
function withAreaTried<T>(
  view: DistrictView,
  registration: EstablishmentEvent,
  on: string,
  question: () => T,
): T {
  const trial = trialOf(view);
  try {
    trial.apply(registration, on);
    return question();
  } finally {
    trial.undo();
  }
}

export function registerArea(
  command: CommandOf<'RegisterArea'>,
  view: DistrictView,
  on: string,
  policy: EstablishmentPolicy,
): EstablishmentEvent[] {
  const d = command.data;
  if (view.areas[d.areaId]) throw new RuleViolation('EST-1', `area ${d.areaId} is already registered`);
  for (const other of d.adjacentAreaIds) requireArea(view, other);
  // Adjacency is known before the responsibility is checked (proxy and attachment need it).
  const body = withAreaTried(view, registered(d, TRIAL_BODY, null), on, () =>
    resolveResponsibility(view, d.areaId, d.responsibility),
  );
  const migrantScale = checkNewArea(d, view, body.kind, policy);
  const groupName = d.responsibility.kind === 'residents-group' ? d.responsibility.groupName : null;
  const events: EstablishmentEvent[] = [registered(d, body, migrantScale, groupName)];
  if (migrantScale?.scale === 'large' && body.kind !== 'own-committee')
    events.push(obligationOpened(d.areaId, 'large-migrant-area', 'EST-6', policy));
  return events;
}

export function registered(
  d: NewArea,
  body: ResponsibleBody,
  migrantScale: { scale: 'large' | 'small'; thresholdHouseholds: number } | null,
  residentsGroupName: string | null = null,
): EstablishmentEvent {
  const ruleIds = ['EST-1', 'EST-7'];
  if (body.kind !== 'own-committee') ruleIds.push('EST-3');
  if (d.kind === 'urban-rural-fringe') ruleIds.push('EST-4');
  if (migrantScale) ruleIds.push('EST-6');
  return ev('AreaRegistered', ruleIds, {
    areaId: d.areaId,
    name: d.name,
    kind: d.kind,
    subDistrict: d.subDistrict,
    households: d.households,
    adjacentAreaIds: d.adjacentAreaIds,
    villageCommittee: d.villageCommittee ?? null,
    migrantScale,
    responsibility: body,
    residentsGroupName,
  });
}

export function convertVillage(
  command: CommandOf<'ConvertVillageToResidence'>,
  view: DistrictView,
  on: string,
  policy: EstablishmentPolicy,
): EstablishmentEvent[] {
  const d = command.data;
  const asArea = { ...d, kind: 'village-to-residence-conversion' as const, villageCommittee: undefined };
  if (view.areas[d.areaId]) throw new RuleViolation('EST-1', `area ${d.areaId} is already registered`);
  for (const other of d.adjacentAreaIds) requireArea(view, other);
  const body = withAreaTried(view, registered(asArea, TRIAL_BODY, null), on, () =>
    resolveResponsibility(view, d.areaId, d.responsibility),
  );
  const groupName = d.responsibility.kind === 'residents-group' ? d.responsibility.groupName : null;
  const events = [
    registered(asArea, body, null, groupName),
    ev('VillageConvertedToResidence', ['EST-5'], {
      areaId: d.areaId,
      formerVillageCommittee: d.formerVillageCommittee,
    }),
  ];
  // EST-5: a converted village sets up its own committee promptly.
  if (body.kind !== 'own-committee')
    events.push(obligationOpened(d.areaId, 'village-to-residence-conversion', 'EST-5', policy));
  return events;
}

export function reportOccupancy(
  command: CommandOf<'ReportOccupancy'>,
  view: DistrictView,
  on: string,
  policy: EstablishmentPolicy,
): EstablishmentEvent[] {
  const area = requireArea(view, command.data.areaId);
  const occupied = command.data.occupiedHouseholds;
  if (occupied > area.households)
    throw new RuleViolation(
      'EST-2',
      `occupied households ${occupied} exceed the area's ${area.households} households`,
      {
        field: 'occupiedHouseholds',
        households: area.households,
      },
    );
  const occupancyRate = area.households === 0 ? 0 : occupied / area.households;
  const events: EstablishmentEvent[] = [
    ev('OccupancyReported', ['EST-2'], {
      areaId: area.areaId,
      occupiedHouseholds: occupied,
      households: area.households,
      occupancyRate,
    }),
  ];
  const hasOwnCommittee = activeBodiesOf(view, area.areaId).some((b) => b.kind === 'own-committee');
  if (
    area.kind === 'new-residential-estate' &&
    occupancyRate >= policy.occupancyThreshold &&
    !hasOwnCommittee &&
    area.obligation === null
  )
    events.push(obligationOpened(area.areaId, 'occupancy-threshold', 'EST-2', policy));
  return events;
}

export function recordAdjacency(
  command: CommandOf<'RecordAdjacency'>,
  view: DistrictView,
): EstablishmentEvent[] {
  const area = requireArea(view, command.data.areaId);
  for (const other of command.data.adjacentAreaIds) {
    requireArea(view, other);
    if (other === area.areaId)
      throw new RuleViolation('EST-3', 'an area is not adjacent to itself', { other });
  }
  return [
    ev('AdjacencyRecorded', ['EST-3'], {
      areaId: area.areaId,
      adjacentAreaIds: command.data.adjacentAreaIds,
    }),
  ];
}
