import { assertNoPersonalData, NotFound, RuleViolation, type CommandContext } from '#libs/decider';
import type { Consultee, FacilityCommand, FacilityCommandOf, Manager, UseRightHolder } from './commands';
import { BUDGET_LINES, type BudgetLine, type FundingCommand } from './commands';
import {
  entitiesOf,
  type FacilityEvent,
  type FundingEvent,
  type OpinionOnRecord,
  type RecomputedFigures,
} from './events';
import {
  DEFAULT_FACILITY_POLICY,
  requiredFunding,
  requirementFor,
  round2,
  type FacilityPolicy,
} from './policy';
import {
  byEffectiveDate,
  dateOf,
  spaceOf,
  viewAsOf,
  type Fact,
  type FacilityState,
  type FacilityView,
  type FundingState,
  type ProjectView,
} from './state';
import { populationOn } from './queries';

/**
 * decide(command, state) → events for FAC-1..8 (RULES.md). Pure: the effective date and the actor
 * come in the context. A refusal is a RuleViolation naming the rule id and nothing is appended;
 * the refusals the text makes into decisions (a design short of FAC-1 at review, the refusal of
 * building naming after a failed acceptance, FAC-3) are events, so auditors see them.
 */
export function decide(
  command: FacilityCommand,
  state: FacilityState,
  ctx: CommandContext,
  policy: FacilityPolicy = DEFAULT_FACILITY_POLICY,
): FacilityEvent[] {
  // PERSONAL-DATA: no national identity number or birth date enters an event, whoever asks.
  assertNoPersonalData(command.data);
  // EST-8: following a correction re-dates facts already recorded; it is judged on them, not on a date.
  if (command.type === 'FollowEstablishmentCorrection') return followCorrection(command, state);
  const on = dateOf(ctx.effectiveAt);
  // The facilities as they stood on the effective date: a backfilled decision is judged by its date.
  // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent; on or after the latest date, the view as of `on` is the current view
  const view = on >= state.latestEffectiveAt ? state.view : viewAsOf(state.facts, on);
  const events = decideOn(command, view, on, policy);
  assertChronological(state, events, on);
  return events;
}

const ev = <T extends FacilityEvent['type']>(
  type: T,
  ruleIds: string[],
  data: Extract<FacilityEvent, { type: T }>['data'],
): FacilityEvent => ({ type, ruleIds, data }) as FacilityEvent;

function decideOn(
  command: FacilityCommand,
  view: FacilityView,
  on: string,
  policy: FacilityPolicy,
): FacilityEvent[] {
  switch (command.type) {
    case 'RegisterConstructionProject': {
      const d = command.data;
      if (view.projects[d.projectId])
        throw new RuleViolation('FAC-1', `project ${d.projectId} is already registered`);
      const requirement = requirementFor(d.plannedHouseholds, policy);
      return [
        ev('ConstructionProjectRegistered', ['FAC-1'], {
          ...d,
          requirement,
          meetsRequirement: d.plannedSpaceM2 >= requirement.requiredM2,
        }),
      ];
    }
    case 'ReviseDesign': {
      const p = requireProject(view, command.data.projectId);
      if (!['planned', 'review-refused'].includes(p.status))
        throw new RuleViolation('FAC-2', `the design of ${p.projectId} was approved; it is ${p.status}`, {
          status: p.status,
        });
      const plannedHouseholds = command.data.plannedHouseholds ?? p.plannedHouseholds;
      const requirement = requirementFor(plannedHouseholds, policy);
      return [
        ev('DesignRevised', ['FAC-1', 'FAC-2'], {
          projectId: p.projectId,
          plannedHouseholds,
          plannedSpaceM2: command.data.plannedSpaceM2,
          previousPlannedSpaceM2: p.plannedSpaceM2,
          requirement,
          meetsRequirement: command.data.plannedSpaceM2 >= requirement.requiredM2,
        }),
      ];
    }
    case 'RecordConsultation': {
      const d = command.data;
      const p = requireProject(view, d.projectId);
      if (d.stage === 'construction' && p.approvedOn === null)
        throw new RuleViolation('FAC-2', `project ${p.projectId} has no approved design to build`);
      if (d.stage === 'acceptance' && p.constructionStartedOn === null)
        throw new RuleViolation('FAC-2', `construction of ${p.projectId} has not started`);
      if ((d.stage === 'design' || d.stage === 'review') && p.approvedOn !== null)
        throw new RuleViolation('FAC-2', `the planning review of ${p.projectId} is over`, { stage: d.stage });
      return [ev('ConsultationRecorded', ['FAC-2'], { ...d })];
    }
    case 'ReviewPlanning': {
      const p = requireProject(view, command.data.projectId);
      if (p.approvedOn !== null)
        throw new RuleViolation('FAC-2', `the design of ${p.projectId} is already approved`);
      if (p.status === 'review-refused')
        throw new RuleViolation('FAC-2', `the design of ${p.projectId} was refused; revise it first`);
      // FAC-1/FAC-2: a design short of the requirement is refused, and the refusal is on record.
      const shortfallM2 = round2(p.requirement.requiredM2 - p.plannedSpaceM2);
      if (shortfallM2 > 0)
        return [
          ev('PlanningReviewRefused', ['FAC-1', 'FAC-2'], {
            projectId: p.projectId,
            reviewer: command.data.reviewer,
            plannedSpaceM2: p.plannedSpaceM2,
            requirement: p.requirement,
            shortfallM2,
          }),
        ];
      const opinions = requireOpinions(p, 'review');
      return [
        ev('PlanningApproved', ['FAC-1', 'FAC-2'], {
          projectId: p.projectId,
          reviewer: command.data.reviewer,
          plannedSpaceM2: p.plannedSpaceM2,
          requirement: p.requirement,
          opinions,
        }),
      ];
    }
    case 'StartConstruction': {
      const p = requireProject(view, command.data.projectId);
      if (p.approvedOn === null)
        throw new RuleViolation('FAC-2', `project ${p.projectId} has no approved design`, {
          status: p.status,
        });
      if (p.constructionStartedOn !== null)
        throw new RuleViolation('FAC-2', `construction of ${p.projectId} already started`);
      return [ev('ConstructionStarted', ['FAC-2'], { projectId: p.projectId })];
    }
    case 'InspectAcceptance':
      return inspectAcceptance(command, view);
    case 'AssignBuildingNames': {
      const p = requireProject(view, command.data.projectId);
      if (p.namingRefusal)
        throw new RuleViolation(
          'FAC-3',
          `civil affairs refuses building naming and door numbers for ${p.projectId} since ${p.namingRefusal.refusedOn}: ${p.namingRefusal.reason}`,
          { refusedOn: p.namingRefusal.refusedOn },
        );
      if (p.status !== 'accepted')
        throw new RuleViolation('FAC-3', `project ${p.projectId} has not passed acceptance`, {
          status: p.status,
        });
      return [
        ev('BuildingNamesAssigned', ['FAC-3'], {
          projectId: p.projectId,
          buildingNames: command.data.buildingNames,
          doorNumbers: command.data.doorNumbers,
        }),
      ];
    }
    case 'HandOverFacility': {
      const d = command.data;
      const p = requireProject(view, d.projectId);
      // Stryker disable next-line ConditionalExpression: equivalent; an accepted project has its built space (the null test narrows the type)
      if (p.status !== 'accepted' || p.builtSpaceM2 === null)
        throw new RuleViolation('FAC-3', `project ${p.projectId} has not passed acceptance`, {
          status: p.status,
        });
      if (p.handedOverFacilityId !== null)
        throw new RuleViolation(
          'FAC-5',
          `project ${p.projectId} was handed over as ${p.handedOverFacilityId}`,
        );
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
    case 'RecomputeRequirement':
      return recompute(command, view, on, policy);
    case 'RecountCommunityHouseholds':
      return recount(command, view, on, policy);
    // Stryker disable next-line all: unreachable; decide follows a correction before it judges a view
    case 'FollowEstablishmentCorrection':
      // Stryker disable next-line all: unreachable, as above
      throw new Error('decided on the facts, see followCorrection');
    case 'RecordExistingFacility': {
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
    case 'RemedySpaceShortage':
      return remedySpace(command, view, on);
    case 'RemedyVegetableMarket': {
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
    case 'RecordFacilityFunctions': {
      const f = requireFacility(view, command.data.facilityId, on);
      return [
        ev('FacilityFunctionsRecorded', ['FAC-6'], {
          facilityId: f.facilityId,
          communityId: f.communityId,
          functions: command.data.functions,
        }),
      ];
    }
    case 'ChangeFacilityUse': {
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
    case 'RecordUtilityTariff': {
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
  }
}

function requireProject(view: FacilityView, projectId: string): ProjectView {
  const p = view.projects[projectId];
  if (!p) throw new NotFound('project', projectId);
  return p;
}

function requireFacility(view: FacilityView, facilityId: string, on: string) {
  const f = view.facilities[facilityId];
  if (!f || f.endedOn !== null) throw new NotFound('facility', facilityId);
  // Stryker disable next-line ConditionalExpression: equivalent; null < a date is false (the null test narrows the type)
  if (f.leaseUntil !== null && f.leaseUntil < on)
    throw new RuleViolation('FAC-4', `the lease of ${facilityId} ended on ${f.leaseUntil}`);
  return f;
}

function assertNewFacility(view: FacilityView, facilityId: string): void {
  if (view.facilities[facilityId])
    throw new RuleViolation('FAC-4', `facility ${facilityId} is already on record`, { facilityId });
}

/** FAC-5: the committee holds the right of use; the sub-district office (or township) manages. */
function assertUseAndManagement(useRightHolder: UseRightHolder, manager: Manager): void {
  if (useRightHolder !== 'residents-committee')
    throw new RuleViolation(
      'FAC-5',
      'the residents committee holds the right of use of community facilities',
      {
        useRightHolder,
      },
    );
  if (manager !== 'sub-district-office' && manager !== 'township-government')
    throw new RuleViolation('FAC-5', 'community facilities are managed by the sub-district office', {
      manager,
    });
}

/** FAC-2: the opinions of civil affairs and of the sub-district office (or township) at a stage. */
function requireOpinions(p: ProjectView, stage: 'review' | 'acceptance'): OpinionOnRecord[] {
  const latest = (who: readonly Consultee[]) =>
    p.consultations.filter((c) => c.stage === stage && who.includes(c.consultee)).at(-1);
  const civil = latest(['civil-affairs']);
  const local = latest(['sub-district-office', 'township-government']);
  const missing = [
    ...(civil ? [] : ['civil-affairs']),
    ...(local ? [] : ['sub-district-office or township-government']),
  ];
  if (missing.length > 0)
    throw new RuleViolation('FAC-2', `the ${stage} needs the recorded opinion of ${missing.join(' and ')}`, {
      stage,
      missing,
    });
  return [civil!, local!].map((c) => ({
    consultee: c.consultee,
    opinion: c.opinion,
    consultedOn: c.consultedOn,
  }));
}

function inspectAcceptance(
  command: FacilityCommandOf<'InspectAcceptance'>,
  view: FacilityView,
): FacilityEvent[] {
  const d = command.data;
  const p = requireProject(view, d.projectId);
  if (p.constructionStartedOn === null)
    throw new RuleViolation('FAC-3', `construction of ${p.projectId} has not started`, { status: p.status });
  if (p.status === 'accepted')
    throw new RuleViolation('FAC-3', `project ${p.projectId} already passed acceptance`);
  // FAC-3: the facility is checked against the approved plan.
  const shortfallM2 = round2(p.plannedSpaceM2 - d.builtSpaceM2);
  if (shortfallM2 > 0) {
    const failed = ev('AcceptanceFailed', ['FAC-3'], {
      projectId: p.projectId,
      inspector: d.inspector,
      builtSpaceM2: d.builtSpaceM2,
      plannedSpaceM2: p.plannedSpaceM2,
      shortfallM2,
    });
    if (p.namingRefusal) return [failed];
    return [
      failed,
      ev('NamingAndNumberingRefused', ['FAC-3'], {
        projectId: p.projectId,
        communityId: p.communityId,
        developer: p.developer,
        reason: `community space built ${d.builtSpaceM2} m² of ${p.plannedSpaceM2} m² planned`,
      }),
    ];
  }
  const opinions = requireOpinions(p, 'acceptance');
  const passed = ev('AcceptancePassed', ['FAC-2', 'FAC-3'], {
    projectId: p.projectId,
    inspector: d.inspector,
    builtSpaceM2: d.builtSpaceM2,
    plannedSpaceM2: p.plannedSpaceM2,
    opinions,
  });
  if (!p.namingRefusal) return [passed];
  return [
    passed,
    ev('NamingAndNumberingRefusalLifted', ['FAC-3'], {
      projectId: p.projectId,
      communityId: p.communityId,
      refusedOn: p.namingRefusal.refusedOn,
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

function remedySpace(
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

function recompute(
  command: FacilityCommandOf<'RecomputeRequirement'>,
  view: FacilityView,
  on: string,
  policy: FacilityPolicy,
): FacilityEvent[] {
  const d = command.data;
  const existing = view.communities[d.communityId];
  // The same establishment event is applied once (consumers deliver at least once).
  if (existing?.sourceEventIds.includes(d.sourceEventId)) return [];
  if (existing?.mergedInto)
    throw new RuleViolation('FAC-1', `community ${d.communityId} was merged into ${existing.mergedInto}`);
  const merged = d.mergedCommunityIds.filter((id) => id !== d.communityId);
  // FAC-1/FAC-4: a split passes the space of a community that ends to one part, its first; the
  // other parts keep only their own space and are reported short until the district remedies it.
  if (d.reason === 'split' && merged.length > 1)
    throw new RuleViolation('FAC-1', 'a split part takes over the space of one community, the split one', {
      mergedCommunityIds: d.mergedCommunityIds,
    });
  if (d.reason !== 'merger' && d.reason !== 'split' && d.mergedCommunityIds.length > 0)
    throw new RuleViolation('FAC-1', 'only a merger or a split passes facilities on', { reason: d.reason });
  const requirement = requirementFor(d.households, policy);
  const figures = recomputedFiguresOf(view, on, { ...d, requirement });
  return [
    ev('RequirementRecomputed', ['FAC-1', 'FAC-4'], {
      communityId: d.communityId,
      households: d.households,
      previousRequiredM2: figures.previousRequiredM2,
      requirement,
      reason: d.reason,
      sourceEventId: d.sourceEventId,
      mergedCommunityIds: d.mergedCommunityIds,
      areaIds: d.areaIds.length > 0 ? d.areaIds : (existing?.areaIds ?? []),
      spaceM2: figures.spaceM2,
      shortfallM2: figures.shortfallM2,
      meetsRequirement: figures.meetsRequirement,
    }),
  ];
}

/** FAC-1: a recomputation's figures that derive from the view on its effective date. */
export function recomputedFiguresOf(
  view: FacilityView,
  on: string,
  d: { communityId: string; mergedCommunityIds: readonly string[]; requirement: { requiredM2: number } },
): RecomputedFigures {
  const merged = d.mergedCommunityIds.filter((id) => id !== d.communityId);
  const spaceM2 = round2([d.communityId, ...merged].reduce((sum, id) => sum + spaceOf(view, id, on), 0));
  const shortfallM2 = round2(Math.max(0, d.requirement.requiredM2 - spaceM2));
  return {
    previousRequiredM2: view.communities[d.communityId]?.requirement?.requiredM2 ?? null,
    spaceM2,
    shortfallM2,
    meetsRequirement: shortfallM2 === 0,
  };
}

// Stryker disable next-line EqualityOperator: equivalent; two different facts never compare equal (their seq differs)
const isAfter = (a: Fact, b: Fact): boolean => byEffectiveDate(a, b) > 0;

/**
 * EST-8: the FAC-1 recomputations derived from a corrected establishment
 * decision (their sourceEventId) follow it, with their figures (space, shortfall, previous
 * requirement) derived again on the corrected date. Like the establishment's own corrections, a
 * new date must lie between the decisions recorded here on the same communities before and after
 * them, and an annulment must have nothing here built on it. A correction that moves nothing
 * derived here (another decision, or one already followed) decides nothing.
 */
function followCorrection(
  command: FacilityCommandOf<'FollowEstablishmentCorrection'>,
  state: FacilityState,
): FacilityEvent[] {
  const d = command.data;
  const alreadyFollowed = state.facts.some(
    (f) =>
      // Stryker disable next-line ConditionalExpression: equivalent; only that event has a correctionEventId (the test narrows the type)
      f.event.type === 'EstablishmentCorrectionFollowed' &&
      f.event.data.correctionEventId === d.correctionEventId,
  );
  const derived = state.facts.filter(
    (f) =>
      !f.annulled &&
      // Stryker disable next-line ConditionalExpression: equivalent; only a recomputation has a sourceEventId (the test narrows the type)
      f.event.type === 'RequirementRecomputed' &&
      f.event.data.sourceEventId === d.correctsEventId,
  );
  if (alreadyFollowed || derived.length === 0) return [];
  const ids = new Set(derived.map((f) => f.eventId));
  const entities = new Set(derived.flatMap((f) => entitiesOf(f.event)));
  // Stryker disable next-line MethodExpression,StringLiteral: equivalent; a recomputation is about communities only
  const communityIds = [...entities].filter((e) => e.startsWith('community:')).map((e) => e.slice(10));
  const others = state.facts.filter(
    (f) => !f.annulled && !ids.has(f.eventId) && entitiesOf(f.event).some((e) => entities.has(e)),
  );
  const first = derived.reduce((a, b) => (isAfter(a, b) ? b : a));
  const last = derived.reduce((a, b) => (isAfter(a, b) ? a : b));
  const later = others.filter((f) => isAfter(f, last));
  const before = others.filter((f) => isAfter(first, f));
  if (d.annulled && later.length > 0)
    throw new RuleViolation(
      'EST-8',
      'decisions recorded here build on the annulled decision; correct them first',
      {
        laterEventIds: later.map((f) => f.eventId),
      },
    );
  const newDate = d.correctedEffectiveAt;
  // Stryker disable next-line ConditionalExpression: equivalent; null compares neither below nor above a date
  if (newDate !== null) {
    // Stryker disable next-line EqualityOperator: equivalent; of two equal dates either is the bound
    const lowest = before.map((f) => f.effectiveAt).reduce((a, b) => (a > b ? a : b), '');
    // Stryker disable next-line EqualityOperator: equivalent; of two equal dates either is the bound
    const highest = later.map((f) => f.effectiveAt).reduce((a, b) => (a < b ? a : b), '9999-12-31');
    if (newDate < lowest || newDate > highest)
      throw new RuleViolation(
        'EST-8',
        `the FAC-1 recomputations derived here cannot move to ${newDate}: they must lie between ${lowest || 'the start'} and ${highest}`,
        { field: 'correctedEffectiveAt', communityIds },
      );
  }
  // The figures again, each on the view just before the recomputation at its corrected place.
  const on = newDate ?? first.effectiveAt;
  const probe = state.facts.map((f) => (ids.has(f.eventId) ? { ...f, effectiveAt: on } : f));
  const figuresOf = (f: Fact): RecomputedFigures | null => {
    // Stryker disable next-line ConditionalExpression: equivalent; derived holds recomputations only (the test narrows the type)
    if (d.annulled || f.event.type !== 'RequirementRecomputed') return null;
    const moved = { ...f, effectiveAt: on };
    const view = viewAsOf(probe.filter((x) => byEffectiveDate(x, moved) < 0));
    return recomputedFiguresOf(view, on, f.event.data);
  };
  return [
    ev('EstablishmentCorrectionFollowed', ['EST-8', 'FAC-1'], {
      correctionEventId: d.correctionEventId,
      correctsEventId: d.correctsEventId,
      correctsType: d.correctsType,
      reason: d.reason,
      correctedBy: d.correctedBy,
      correctionRecordedAt: d.correctionRecordedAt,
      correctedEffectiveAt: newDate,
      correctedLegalBasis: d.correctedLegalBasis,
      annulled: d.annulled,
      followed: derived.map((f) => ({
        eventId: f.eventId,
        type: f.event.type,
        effectiveAt: f.effectiveAt,
        figures: figuresOf(f),
      })),
      communityIds,
    }),
  ];
}

/**
 * A change of an area's households (FAC-1): the community that has the area among its
 * own areas gets its FAC-1 requirement recomputed with the difference. An area no community here
 * lists (under a proxy or a residents group, or not yet in a committee) changes nothing.
 */
function recount(
  command: FacilityCommandOf<'RecountCommunityHouseholds'>,
  view: FacilityView,
  on: string,
  policy: FacilityPolicy,
): FacilityEvent[] {
  const d = command.data;
  const c = Object.values(view.communities).find(
    // Stryker disable next-line ConditionalExpression: equivalent; a community lists areas only from a recomputation, which sets its households
    (x) => x.mergedInto === null && x.households !== null && x.areaIds.includes(d.areaId),
  );
  if (!c || d.households === d.previous) return [];
  return recompute(
    {
      // Stryker disable next-line StringLiteral: equivalent; recompute reads the command's data only
      type: 'RecomputeRequirement',
      data: {
        communityId: c.communityId,
        households: Math.max(0, c.households! + d.households - d.previous),
        reason: 'households-changed',
        sourceEventId: d.sourceEventId,
        mergedCommunityIds: [],
        areaIds: c.areaIds,
      },
    },
    view,
    on,
    policy,
  );
}

/**
 * The registry's chronology (README, "Bitemporal history"): a decision about a project, community
 * or facility is not dated before a decision already recorded on it.
 */
function assertChronological(state: FacilityState, events: readonly FacilityEvent[], on: string): void {
  for (const entity of new Set(events.flatMap(entitiesOf))) {
    const last = state.lastEffectiveByEntity.get(entity);
    // Stryker disable next-line ConditionalExpression: equivalent; a date is never below undefined
    if (last !== undefined && on < last)
      throw new RuleViolation('EST-8', `${entity} has a decision effective ${last}, after ${on}`, {
        entity,
        lastEffectiveAt: last,
      });
  }
}

// ---- funding ----------------------------------------------------------------------------------

/** decide for the city's funding ledger (FUND-1, FUND-2). */
export function decideFunding(
  command: FundingCommand,
  state: FundingState,
  ctx: CommandContext,
): FundingEvent[] {
  // PERSONAL-DATA: no national identity number or birth date enters an event, whoever asks.
  assertNoPersonalData(command.data);
  const on = dateOf(ctx.effectiveAt);
  switch (command.type) {
    case 'RecordUrbanPopulation': {
      const d = command.data;
      return [
        {
          type: 'UrbanPopulationRecorded',
          ruleIds: ['FUND-1'],
          data: { ...d, requiredYuan: requiredFunding(d.urbanPopulation) },
        },
      ];
    }
    case 'RecordDistrictBudget': {
      const d = command.data;
      // FUND-2: the district budget states its four lines (0 is a statement, absence is not).
      const missing = BUDGET_LINES.filter((l) => d.lines[l] === undefined);
      if (missing.length > 0)
        throw new RuleViolation(
          'FUND-2',
          `a district's community-work budget states infrastructure, service organisations, worker subsidies and operating funds; missing: ${missing.join(', ')}`,
          { missing },
        );
      const lines = Object.fromEntries(BUDGET_LINES.map((l) => [l, d.lines[l]!])) as Record<
        BudgetLine,
        number
      >;
      const totalYuan = round2(BUDGET_LINES.reduce((s, l) => s + lines[l], 0));
      const population = populationOn(state, d.district, d.year, on);
      const requiredYuan = population === null ? null : requiredFunding(population);
      return [
        {
          type: 'DistrictCommunityBudgetRecorded',
          ruleIds: ['FUND-1', 'FUND-2'],
          data: {
            district: d.district,
            year: d.year,
            lines,
            totalYuan,
            requiredYuan,
            meetsRequirement: requiredYuan === null ? null : totalYuan >= requiredYuan,
          },
        },
      ];
    }
    case 'RecordCityBudget':
      return [{ type: 'CityCommunityBudgetRecorded', ruleIds: ['FUND-1'], data: { ...command.data } }];
  }
}
