import { RuleViolation } from '#libs/decider';
import type { FacilityCommandOf } from '../commands';
import type { FacilityEvent } from '../events';
import { round2 } from '../policy';
import { spaceOf, type FacilityView } from '../state';
import { assertNewFacility, assertUseAndManagement, ev, requireFacility, requireProject } from './shared';

// Community facilities (FAC-3..8): acquired (handed over, on record, remedied), markets, use, tariffs.

export function handOverFacility(
  command: FacilityCommandOf<'HandOverFacility'>,
  view: FacilityView,
  on: string,
): FacilityEvent[] {
  const d = command.data;
  const p = requireProject(view, d.projectId);
  // Stryker disable next-line ConditionalExpression: equivalent; an accepted project has its built space (the null test narrows the type)
  if (p.status !== 'accepted' || p.builtSpaceM2 === null)
    throw new RuleViolation('FAC-3', `project ${p.projectId} has not passed acceptance`, {
      status: p.status,
    });
  if (p.handedOverFacilityId !== null)
    throw new RuleViolation('FAC-5', `project ${p.projectId} was handed over as ${p.handedOverFacilityId}`);
  assertNewFacility(view, d.facilityId);
  assertUseAndManagement(d.useRightHolder, d.manager);
  return [
    acquired(view, on, {
      communityId: p.communityId,
      facilityId: d.facilityId,
      source: 'project-handover',
      projectId: p.projectId,
      areaM2: p.builtSpaceM2,
      extendsFacility: false,
      givesUpFacilityId: null,
      leaseUntil: null,
      useRightHolder: d.useRightHolder,
      manager: d.manager,
      functions: d.functions,
    }),
  ];
}

export function recordExistingFacility(
  command: FacilityCommandOf<'RecordExistingFacility'>,
  view: FacilityView,
  on: string,
): FacilityEvent[] {
  const d = command.data;
  assertNewFacility(view, d.facilityId);
  assertUseAndManagement(d.useRightHolder, d.manager);
  return [
    acquired(view, on, {
      ...d,
      source: 'existing',
      projectId: null,
      extendsFacility: false,
      givesUpFacilityId: null,
      leaseUntil: null,
    }),
  ];
}

type AcquiredData = Omit<
  Extract<FacilityEvent, { type: 'FacilityAcquired' }>['data'],
  'shortfallBeforeM2' | 'shortfallAfterM2'
>;

/** A FacilityAcquired event with the community's shortfall before and after it (FAC-1, FAC-4). */
function acquired(view: FacilityView, on: string, data: AcquiredData): FacilityEvent {
  const c = view.communities[data.communityId];
  const required = c?.requirement?.requiredM2 ?? null;
  const before = spaceOf(view, data.communityId, on);
  // Stryker disable next-line OptionalChaining: equivalent; a swap's facility given up is on record (remedySpace requires it)
  const given = data.givesUpFacilityId ? (view.facilities[data.givesUpFacilityId]?.areaM2 ?? 0) : 0;
  const after = round2(before + data.areaM2 - given);
  const ruleIds = data.source === 'project-handover' ? ['FAC-3', 'FAC-5'] : ['FAC-4', 'FAC-5'];
  if (data.functions.length > 0) ruleIds.push('FAC-6');
  return ev('FacilityAcquired', ruleIds, {
    ...data,
    shortfallBeforeM2: required === null ? null : round2(Math.max(0, required - before)),
    shortfallAfterM2: required === null ? null : round2(Math.max(0, required - after)),
  });
}

export function remedySpace(
  command: FacilityCommandOf<'RemedySpaceShortage'>,
  view: FacilityView,
  on: string,
): FacilityEvent[] {
  const d = command.data;
  assertUseAndManagement(d.useRightHolder, d.manager);
  let extendsFacility = false;
  if (d.kind === 'renovation-expansion') {
    const f = view.facilities[d.facilityId];
    if (f) {
      if (f.communityId !== d.communityId)
        throw new RuleViolation('FAC-4', `facility ${d.facilityId} belongs to ${f.communityId}`);
      requireFacility(view, d.facilityId, on);
      extendsFacility = true;
    }
  } else assertNewFacility(view, d.facilityId);
  if (d.kind === 'swap') {
    if (!d.givesUpFacilityId)
      throw new RuleViolation('FAC-4', 'a swap names the facility given up in exchange', { kind: d.kind });
    const old = requireFacility(view, d.givesUpFacilityId, on);
    if (old.communityId !== d.communityId)
      throw new RuleViolation('FAC-4', `facility ${old.facilityId} belongs to ${old.communityId}`);
  } else if (d.givesUpFacilityId)
    throw new RuleViolation('FAC-4', 'only a swap gives up a facility', { kind: d.kind });
  if (d.kind === 'lease' && (!d.leaseUntil || d.leaseUntil <= on))
    throw new RuleViolation('FAC-4', 'a lease needs its end date, after the effective date', {
      leaseUntil: d.leaseUntil ?? null,
    });
  if (d.kind !== 'lease' && d.leaseUntil)
    throw new RuleViolation('FAC-4', 'only a lease has an end date', { kind: d.kind });
  return [
    acquired(view, on, {
      communityId: d.communityId,
      facilityId: d.facilityId,
      source: d.kind,
      projectId: null,
      areaM2: d.areaM2,
      extendsFacility,
      givesUpFacilityId: d.givesUpFacilityId ?? null,
      leaseUntil: d.leaseUntil ?? null,
      useRightHolder: d.useRightHolder,
      manager: d.manager,
      functions: d.functions,
    }),
  ];
}

export function remedyVegetableMarket(
  command: FacilityCommandOf<'RemedyVegetableMarket'>,
  view: FacilityView,
  on: string,
): FacilityEvent[] {
  const d = command.data;
  if (view.markets[d.marketId] && d.kind !== 'renovation')
    throw new RuleViolation('FAC-4', `vegetable market ${d.marketId} is already on record`);
  if (d.kind === 'lease' && (!d.leaseUntil || d.leaseUntil <= on))
    throw new RuleViolation('FAC-4', 'a lease needs its end date, after the effective date', {
      leaseUntil: d.leaseUntil ?? null,
    });
  return [
    ev('VegetableMarketRemedied', ['FAC-4'], {
      communityId: d.communityId,
      marketId: d.marketId,
      kind: d.kind,
      areaM2: d.areaM2,
      leaseUntil: d.leaseUntil ?? null,
    }),
  ];
}

export function recordFacilityFunctions(
  command: FacilityCommandOf<'RecordFacilityFunctions'>,
  view: FacilityView,
  on: string,
): FacilityEvent[] {
  const f = requireFacility(view, command.data.facilityId, on);
  return [
    ev('FacilityFunctionsRecorded', ['FAC-6'], {
      facilityId: f.facilityId,
      communityId: f.communityId,
      functions: command.data.functions,
    }),
  ];
}

export function changeFacilityUse(
  command: FacilityCommandOf<'ChangeFacilityUse'>,
  view: FacilityView,
  on: string,
): FacilityEvent[] {
  const f = requireFacility(view, command.data.facilityId, on);
  if (command.data.profitMaking)
    throw new RuleViolation(
      'FAC-7',
      `community facility ${f.facilityId} must not be converted to profit-making commercial use`,
      { newUse: command.data.newUse },
    );
  return [
    ev('FacilityUseChanged', ['FAC-7'], {
      facilityId: f.facilityId,
      communityId: f.communityId,
      previousUse: f.use,
      newUse: command.data.newUse,
    }),
  ];
}

export function recordUtilityTariff(
  command: FacilityCommandOf<'RecordUtilityTariff'>,
  view: FacilityView,
  on: string,
): FacilityEvent[] {
  const d = command.data;
  const f = requireFacility(view, d.facilityId, on);
  return [
    ev('UtilityTariffRecorded', ['FAC-8'], {
      ...d,
      communityId: f.communityId,
      // FAC-8: residential or reduced rates; anything else is flagged, not refused.
      flagged: d.rateCategory === 'non-residential',
    }),
  ];
}
