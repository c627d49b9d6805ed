import { RuleViolation } from '#libs/decider';
import type { CommandOf } from '../commands';
import type { StaffingEvent } from '../events';
import { entitiesOf, type Fact, type StaffingState } from '../state';
import { ev } from './shared';

// The establishment's corrections followed here (EST-8): what was derived from a corrected decision.

const isAfter = (a: Fact, b: Fact): boolean =>
  // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, two facts differ in seq, and a fact on an entity is never dated before one recorded earlier on it
  a.effectiveAt > b.effectiveAt || (a.effectiveAt === b.effectiveAt && a.seq > b.seq);

/**
 * EST-8: the facts a reaction derived from a corrected establishment decision
 * follow it. Like the establishment's own corrections, a new date must lie between the decisions
 * recorded here on the same committees and elections before and after them (an election cannot be
 * called after it was held), and an annulment must have nothing here built on it. A correction
 * that moves nothing derived here (another decision, or one already followed) decides nothing.
 */
export function followCorrection(
  command: CommandOf<'FollowEstablishmentCorrection'>,
  state: StaffingState,
): StaffingEvent[] {
  const d = command.data;
  const alreadyFollowed = state.facts.some(
    (f) =>
      // Stryker disable next-line ConditionalExpression: equivalent, only a followed correction records a correction event id
      f.event.type === 'EstablishmentCorrectionFollowed' &&
      f.event.data.correctionEventId === d.correctionEventId,
  );
  const derived = state.facts.filter((f) => f.causationId === d.correctsEventId && !f.annulled);
  if (alreadyFollowed || derived.length === 0) return [];
  // Stryker disable next-line ArrowFunction: equivalent, a derived fact is never before the first nor after the last one
  const ids = new Set(derived.map((f) => f.eventId));
  const entities = new Set(derived.flatMap((f) => entitiesOf(f.event)));
  const others = state.facts.filter(
    (f) => !f.annulled && !ids.has(f.eventId) && entitiesOf(f.event).some((e) => entities.has(e)),
  );
  const first = derived.reduce((a, b) => (isAfter(a, b) ? b : a));
  const last = derived.reduce((a, b) => (isAfter(a, b) ? a : b));
  const later = others.filter((f) => isAfter(f, last));
  const before = others.filter((f) => isAfter(first, f));
  const electionIds = [...entities].filter((e) => e.startsWith('election:')).map((e) => e.slice(9));
  if (d.annulled && later.length > 0)
    throw new RuleViolation(
      'EST-8',
      'decisions recorded here build on the annulled decision; correct them first',
      {
        laterEventIds: later.map((f) => f.eventId),
      },
    );
  const newDate = d.correctedEffectiveAt;
  // Stryker disable next-line ConditionalExpression: equivalent, no date is outside bounds compared with null
  if (newDate !== null) {
    // Stryker disable next-line EqualityOperator: equivalent, equal dates are the same bound
    const lowest = before.map((f) => f.effectiveAt).reduce((a, b) => (a > b ? a : b), '');
    // Stryker disable next-line EqualityOperator: equivalent, equal dates are the same bound
    const highest = later.map((f) => f.effectiveAt).reduce((a, b) => (a < b ? a : b), '9999-12-31');
    if (newDate < lowest || newDate > highest)
      throw new RuleViolation(
        'EST-8',
        `the decisions derived here cannot move to ${newDate}: they must lie between ${lowest || 'the start'} and ${highest}`,
        { field: 'correctedEffectiveAt', electionIds },
      );
  }
  return [
    ev('EstablishmentCorrectionFollowed', ['EST-8', 'ELECT-4'], {
      correctionEventId: d.correctionEventId,
      correctsEventId: d.correctsEventId,
      correctsType: d.correctsType,
      reason: d.reason,
      correctedBy: d.correctedBy,
      correctionRecordedAt: d.correctionRecordedAt,
      correctedEffectiveAt: newDate,
      correctedLegalBasis: d.correctedLegalBasis,
      annulled: d.annulled,
      followed: derived.map((f) => ({ eventId: f.eventId, type: f.event.type, effectiveAt: f.effectiveAt })),
      committeeIds: [...entities].filter((e) => e.startsWith('committee:')).map((e) => e.slice(10)),
      electionIds,
    }),
  ];
}
