import { amendedFact, RuleViolation } from '#libs/decider';
import type { FacilityCommandOf } from '../commands';
import { entitiesOf, type FacilityEvent, type RecomputedFigures } from '../events';
import { requirementFor, round2, type FacilityPolicy } from '../policy';
import {
  byEffectiveDate,
  spaceOf,
  viewAsOf,
  type Fact,
  type FacilityState,
  type FacilityView,
} from '../state';
import { ev } from './shared';

// The establishment's decisions followed here: the FAC-1 requirement recomputed when a community's
// households or areas change, and the EST-8 corrections of the decisions those came from.

export function recompute(
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

/**
 * A change of an area's households (FAC-1): the community that has the area among its
 * own areas gets its FAC-1 requirement recomputed with the difference. An area no community here
 * lists (under a proxy or a residents group, or not yet in a committee) changes nothing.
 */
export function recount(
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
export function followCorrection(
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
  const probe = state.facts.map((f) => (ids.has(f.eventId) ? amendedFact(f, { effectiveAt: on }) : f));
  const figuresOf = (f: Fact): RecomputedFigures | null => {
    // Stryker disable next-line ConditionalExpression: equivalent; derived holds recomputations only (the test narrows the type)
    if (d.annulled || f.event.type !== 'RequirementRecomputed') return null;
    const moved = amendedFact(f, { effectiveAt: on });
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
