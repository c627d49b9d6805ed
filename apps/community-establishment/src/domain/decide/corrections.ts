import { amendedFact, NotFound, RuleViolation } from '#libs/decider';
import type { CommandOf } from '../commands';
import { entitiesOf, type CoverageFinding, type EstablishmentEvent } from '../events';
import { decisionOf, type DistrictState } from '../state';
import { coverageFindings } from '../queries';
import { ev } from './shared';

/**
 * A correction is a new event pointing at the decision it corrects; nothing is rewritten. It may
 * move the effective date only within the neighbouring decisions on the same entities, and annul
 * only a decision that nothing later builds on, so the map stays a consistent fold.
 */
export function correctDecision(
  command: CommandOf<'CorrectDecision'>,
  state: DistrictState,
): EstablishmentEvent[] {
  const d = command.data;
  const target = state.factsById.get(d.correctsEventId);
  if (!target) throw new NotFound('event', d.correctsEventId);
  if (target.event.type === 'DecisionCorrected')
    throw new RuleViolation('EST-8', 'a correction is corrected by correcting the original decision');
  const decision = decisionOf(state, target.eventId);
  const entities = new Set(decision.flatMap((f) => entitiesOf(f.event)));
  const others = state.facts.filter(
    (f) =>
      !f.annulled &&
      // Stryker disable next-line ConditionalExpression,StringLiteral: a correction concerns no entity (entitiesOf), so the entity test below drops it too.
      f.event.type !== 'DecisionCorrected' &&
      !decision.includes(f) &&
      entitiesOf(f.event).some((e) => entities.has(e)),
  );
  const later = others.filter(
    (f) =>
      f.effectiveAt > target.effectiveAt ||
      (f.effectiveAt === target.effectiveAt &&
        // Stryker disable next-line EqualityOperator: no other fact shares the target's seq, so > and >= agree.
        f.seq > target.seq),
  );
  if (d.annul && later.length > 0)
    throw new RuleViolation('EST-8', 'later decisions build on this one; correct or annul them first', {
      laterEventIds: later.map((f) => f.eventId),
    });
  const newDate = d.correctedEffectiveAt;
  // Stryker disable next-line ConditionalExpression: without a new date both comparisons below are false anyway.
  if (newDate) {
    const before = others.filter((f) => !later.includes(f)).map((f) => f.effectiveAt);
    // Stryker disable next-line EqualityOperator: the latest date is the same whether ties keep the first or the second.
    const lowest = before.length ? before.reduce((a, b) => (a > b ? a : b)) : '';
    const highest = later.length
      ? // Stryker disable next-line EqualityOperator: the earliest date is the same whichever of two equal dates is kept.
        later.map((f) => f.effectiveAt).reduce((a, b) => (a < b ? a : b))
      : '9999-12-31';
    if (newDate < lowest || newDate > highest)
      throw new RuleViolation(
        'EST-8',
        `the corrected date must lie between ${lowest || 'the start'} and ${highest}`,
        {
          field: 'correctedEffectiveAt',
        },
      );
  }
  // Findings after the correction: the archive's truth is recorded even when it shows a gap.
  const probe = state.facts.map((f) =>
    decision.includes(f)
      ? amendedFact(f, { effectiveAt: newDate ?? f.effectiveAt, annulled: f.annulled || d.annul === true })
      : f,
  );
  // Stryker disable next-line MethodExpression,StringLiteral: other entities slice to names with a colon, which no area id has.
  const areaIds = [...entities].filter((e) => e.startsWith('area:')).map((e) => e.slice(5));
  const findings: CoverageFinding[] = coverageFindings(probe).filter((f) => areaIds.includes(f.areaId));
  return [
    ev('DecisionCorrected', ['EST-8', ...(findings.length ? ['EST-7'] : [])], {
      correctsEventId: target.eventId,
      correctsType: target.event.type,
      reason: d.reason,
      correctedEffectiveAt: newDate ?? null,
      correctedLegalBasis: d.correctedLegalBasis ?? null,
      annulled: d.annul === true,
      coverageFindings: findings,
    }),
  ];
}
