import { decisionFactsOf, factsAbout, inRecordingOrder } from '#libs/decider';
import { entitiesOf, type CoverageFinding, type EstablishmentEvent, type ResponsibleBody } from './events';
import {
  activeBodiesOf,
  applyToView,
  bodyKeys,
  emptyView,
  type DistrictState,
  type DistrictView,
  type Fact,
} from './state';

/**
 * Pure answers to an auditor's questions over a district's decisions: who was responsible for an
 * area on a date (EST-7), every gap and overlap past or present, timelines, obligations (EST-2).
 */

const shaping = (facts: readonly Fact[]): Fact[] =>
  facts
    .filter((f) => !f.annulled && f.event.type !== 'DecisionCorrected')
    .sort((a, b) => (a.effectiveAt < b.effectiveAt ? -1 : a.effectiveAt > b.effectiveAt ? 1 : a.seq - b.seq));

/*
 * The part of a district's history a question about one entity needs, from the facts indexed by
 * entity: an entry of the map is shaped only by the decisions that name it (entitiesOf names every
 * area a merger, split or dissolution moves). Folding these instead of the whole district keeps a
 * question about an area as cheap in a district of 5,000 areas and twenty years as in a new one;
 * test/entity-questions.e2e-spec.ts checks every answer against the whole district's fold.
 */

/** An area and the bodies that were ever responsible for it, with everything naming them. */
export function areaFacts(state: DistrictState, areaId: string): Fact[] {
  const area = `area:${areaId}`;
  const entities = new Set([area]);
  for (const f of state.factsByEntity.get(area) ?? [])
    for (const e of entitiesOf(f.event)) if (!e.startsWith('area:')) entities.add(e);
  return factsAbout(state, entities);
}

/** A community and every area it ever had, with the decisions naming them (its posts among them). */
export function communityFacts(state: DistrictState, communityId: string): Fact[] {
  const community = `community:${communityId}`;
  const entities = new Set([community]);
  for (const f of state.factsByEntity.get(community) ?? [])
    for (const e of entitiesOf(f.event)) if (e.startsWith('area:')) entities.add(e);
  return factsAbout(state, entities);
}

/** Was the area ever registered (as recorded, corrections aside)? */
export const everRegistered = (state: DistrictState, areaId: string): boolean =>
  (state.factsByEntity.get(`area:${areaId}`) ?? []).some((f) => f.event.type === 'AreaRegistered');

/**
 * What timelineOf needs for one entity: the decisions naming it, every correction, and the
 * decisions the corrections target (whose other events may name it).
 */
export function timelineFacts(state: DistrictState, entity: string): Fact[] {
  const found = new Set<Fact>(state.factsByEntity.get(entity) ?? []);
  for (const c of correctionsNaming(state, entity)) {
    found.add(c);
    const d = c.event.type === 'DecisionCorrected' ? c.event.data : null;
    const target = d ? state.factsById.get(d.correctsEventId) : undefined;
    if (target) for (const f of decisionFactsOf(state.facts, target)) found.add(f);
  }
  return inRecordingOrder(found);
}

/**
 * The corrections of a district by the entities their target decisions name, filed once per
 * correction (WeakMap: the index lives as long as the stream's state): a timeline reads the
 * corrections of its entity, not every correction of the district with its target.
 */
const correctionIndexes = new WeakMap<DistrictState, { filed: number; byEntity: Map<string, Fact[]> }>();

function correctionsNaming(state: DistrictState, entity: string): readonly Fact[] {
  let index = correctionIndexes.get(state);
  if (!index) correctionIndexes.set(state, (index = { filed: 0, byEntity: new Map() }));
  for (; index.filed < state.corrections.length; index.filed++) {
    const c = state.corrections[index.filed];
    const d = c.event.type === 'DecisionCorrected' ? c.event.data : null;
    const target = d ? state.factsById.get(d.correctsEventId) : undefined;
    if (!target) continue;
    const entities = new Set(decisionFactsOf(state.facts, target).flatMap((f) => entitiesOf(f.event)));
    for (const e of entities) {
      const list = index.byEntity.get(e);
      if (list) list.push(c);
      else index.byEntity.set(e, [c]);
    }
  }
  return index.byEntity.get(entity) ?? [];
}

/**
 * Sweeps the history date by date and reports each interval in which an area had 0 or 2+ bodies.
 * At the end of each day it judges only the areas that day's decisions could change: those they
 * name, and those whose bodies they name. Judging every area every day made the question cost
 * days times areas, minutes for a city district of twenty years.
 */
export function coverageFindings(facts: readonly Fact[]): CoverageFinding[] {
  const view = emptyView();
  const open = new Map<string, CoverageFinding>();
  const findings: CoverageFinding[] = [];
  /** Body key → the areas it was responsible for when they were last judged (a superset: harmless). */
  const areasOfBody = new Map<string, Set<string>>();
  const changed = new Set<string>();
  const ordered = shaping(facts);
  for (let i = 0; i < ordered.length; i++) {
    const f = ordered[i];
    applyToView(view, f.event, f.effectiveAt);
    for (const entity of entitiesOf(f.event)) {
      if (entity.startsWith('area:')) changed.add(entity.slice('area:'.length));
      else for (const areaId of areasOfBody.get(entity) ?? []) changed.add(areaId);
    }
    const next = ordered[i + 1];
    if (next && next.effectiveAt === f.effectiveAt) continue; // judge the map at the end of each day
    for (const areaId of changed) {
      const area = view.areas[areaId];
      if (!area) continue;
      for (const body of area.responsibleBodies)
        for (const key of bodyKeys(body)) {
          const areas = areasOfBody.get(key);
          if (areas) areas.add(areaId);
          else areasOfBody.set(key, new Set([areaId]));
        }
      const bodies = activeBodiesOf(view, areaId);
      const problem = bodies.length === 0 ? 'gap' : bodies.length > 1 ? 'overlap' : null;
      const current = open.get(areaId);
      if (
        current &&
        (current.problem !== problem || JSON.stringify(current.bodies) !== JSON.stringify(bodies))
      ) {
        findings.push({ ...current, to: f.effectiveAt });
        open.delete(areaId);
      }
      if (problem && !open.has(areaId))
        open.set(areaId, { areaId, problem, from: f.effectiveAt, to: null, bodies });
    }
    changed.clear();
  }
  findings.push(...open.values());
  return findings.sort((a, b) =>
    a.from < b.from ? -1 : a.from > b.from ? 1 : a.areaId.localeCompare(b.areaId),
  );
}

export interface DecisionTrace {
  eventId: string;
  type: string;
  effectiveAt: string;
  recordedAt: string;
  actor: { subject: string; districtScope: string };
  legalBasis: string;
  ruleIds: readonly string[];
  corrected: boolean;
}

export const traceOf = (f: Fact): DecisionTrace => ({
  eventId: f.eventId,
  type: f.event.type,
  effectiveAt: f.effectiveAt,
  recordedAt: f.recordedAt,
  actor: f.actor,
  legalBasis: f.legalBasis,
  ruleIds: f.event.ruleIds,
  corrected: f.correctedBy.length > 0,
});

export interface ResponsibleBodyAnswer {
  body: ResponsibleBody;
  name: string;
  committeeName: string | null;
  since: string;
  decision: DecisionTrace | null;
}

const TAKES_CHARGE: ReadonlySet<EstablishmentEvent['type']> = new Set([
  'AreaRegistered',
  'ResidentsGroupFormed',
  'ProxyManagementStarted',
  'AreaTransferred',
  'CommitteeEstablished',
  'CommitteesMerged',
  'CommitteeSplit',
]);

/** EST-7: who was responsible for an area on a date, with the decision that put it in charge. */
export function responsibilityOn(
  facts: readonly Fact[],
  areaId: string,
  on: string,
): { areaId: string; on: string; registered: boolean; bodies: ResponsibleBodyAnswer[] } {
  const ordered = shaping(facts).filter((f) => f.effectiveAt <= on);
  const view = emptyView();
  for (const f of ordered) applyToView(view, f.event, f.effectiveAt);
  if (!view.areas[areaId]) return { areaId, on, registered: false, bodies: [] };
  const decision =
    [...ordered]
      .reverse()
      .find((f) => TAKES_CHARGE.has(f.event.type) && entitiesOf(f.event).includes(`area:${areaId}`)) ?? null;
  return {
    areaId,
    on,
    registered: true,
    bodies: activeBodiesOf(view, areaId).map((body) => describeBody(view, body, decision)),
  };
}

function describeBody(
  view: DistrictView,
  body: ResponsibleBody,
  decision: Fact | null,
): ResponsibleBodyAnswer {
  const since = decision?.effectiveAt ?? '';
  if (body.kind === 'residents-group') {
    const g = view.groups[body.groupId];
    return {
      body,
      name: g?.name ?? body.groupId,
      committeeName: view.communities[body.attachedToCommunityId]?.committee.name ?? null,
      since: g?.formedOn ?? since,
      decision: decision ? traceOf(decision) : null,
    };
  }
  const c = view.communities[body.communityId];
  return {
    body,
    name: c?.name ?? body.communityId,
    committeeName: c?.committee.name ?? null,
    since,
    decision: decision ? traceOf(decision) : null,
  };
}

/** EST-8: what a correction changed in the decision it corrects, as an auditor reads it. */
export interface CorrectionOfDecision {
  /** The event the correction points at, and its type. */
  eventId: string;
  type: string;
  reason: string;
  /** The corrected decision's effective date as it stood before this correction, and after it. */
  originalEffectiveAt: string;
  correctedEffectiveAt: string;
  /** Its legal basis before this correction, and after it. */
  originalLegalBasis: string;
  correctedLegalBasis: string;
  annulled: boolean;
}

export interface TimelineEntry extends DecisionTrace {
  originalEffectiveAt: string;
  originalLegalBasis: string;
  annulled: boolean;
  correctedBy: string[];
  /** On a DecisionCorrected entry, what it corrected; null on every other entry. */
  corrects: CorrectionOfDecision | null;
  data: unknown;
}

/** One decision is the events of one append: same correlation id, same recorded instant. */
const decisionKey = (f: Fact): string => `${f.correlationId}\u0000${f.recordedAt}`;

const entryOf = (f: Fact, corrects: CorrectionOfDecision | null = null): TimelineEntry => ({
  ...traceOf(f),
  originalEffectiveAt: f.originalEffectiveAt,
  originalLegalBasis: f.originalLegalBasis,
  annulled: f.annulled,
  correctedBy: f.correctedBy,
  corrects,
  data: f.event.data,
});

/**
 * The history of one entity ("area:x", "community:y", "group:z", "person:p") by effective date.
 * EST-8: each correction of a decision on the entity is an entry of its own (its recorded date,
 * actor, reason and legal basis), right after the entries of the decision it corrects, with that
 * decision's date and legal basis before and after it.
 */
export function timelineOf(facts: readonly Fact[], entity: string): TimelineEntry[] {
  return placedTimelineOf(facts, entity).map((placed) => placed.entry);
}

/**
 * An entry of a timeline and its place: the effective date and recording order of its decision's
 * event, then, for a correction placed after the decision it corrects, the correction's own order.
 */
export interface PlacedEntry {
  readonly entry: TimelineEntry;
  readonly at: readonly [effectiveAt: string, seq: number, ...then: number[]];
}

/** timelineOf, each entry with its place (a page of the timeline starts after a place). */
export function placedTimelineOf(facts: readonly Fact[], entity: string): PlacedEntry[] {
  const decisions = new Map<string, Fact[]>();
  for (const f of facts) {
    if (f.event.type === 'DecisionCorrected') continue;
    const key = decisionKey(f);
    const list = decisions.get(key);
    if (list) list.push(f);
    else decisions.set(key, [f]);
  }
  const decisionFactsOf = (f: Fact): Fact[] => decisions.get(decisionKey(f)) ?? [];

  // Corrections in the order they were recorded, each with the dates it replaced.
  const byId = new Map(facts.map((f) => [f.eventId, f]));
  const current = new Map<string, { effectiveAt: string; legalBasis: string }>();
  const corrections = new Map<string, Array<{ entry: TimelineEntry; seq: number }>>();
  for (const f of [...facts].sort((a, b) => a.seq - b.seq)) {
    if (f.event.type !== 'DecisionCorrected') continue;
    const d = f.event.data;
    const target = byId.get(d.correctsEventId);
    if (!target || target.event.type === 'DecisionCorrected') continue;
    if (!decisionFactsOf(target).some((t) => entitiesOf(t.event).includes(entity))) continue;
    const key = decisionKey(target);
    const before = current.get(key) ?? {
      effectiveAt: target.originalEffectiveAt,
      legalBasis: target.originalLegalBasis,
    };
    const after = {
      effectiveAt: d.correctedEffectiveAt ?? before.effectiveAt,
      legalBasis: d.correctedLegalBasis ?? before.legalBasis,
    };
    current.set(key, after);
    const entry = entryOf(f, {
      eventId: target.eventId,
      type: target.event.type,
      reason: d.reason,
      originalEffectiveAt: before.effectiveAt,
      correctedEffectiveAt: after.effectiveAt,
      originalLegalBasis: before.legalBasis,
      correctedLegalBasis: after.legalBasis,
      annulled: d.annulled,
    });
    corrections.set(key, [...(corrections.get(key) ?? []), { entry, seq: f.seq }]);
  }

  const entries = facts
    .filter((f) => f.event.type !== 'DecisionCorrected' && entitiesOf(f.event).includes(entity))
    .sort((a, b) => (a.effectiveAt < b.effectiveAt ? -1 : a.effectiveAt > b.effectiveAt ? 1 : a.seq - b.seq));
  const lastOfDecision = new Map<string, Fact>();
  for (const f of entries) lastOfDecision.set(decisionKey(f), f);
  return entries.flatMap((f): PlacedEntry[] => {
    const key = decisionKey(f);
    const placed: PlacedEntry = { entry: entryOf(f), at: [f.effectiveAt, f.seq] };
    if (lastOfDecision.get(key) !== f) return [placed];
    const after = (corrections.get(key) ?? []).map((c): PlacedEntry => ({
      entry: c.entry,
      at: [f.effectiveAt, f.seq, c.seq],
    }));
    return [placed, ...after];
  });
}

export interface ObligationAnswer {
  areaId: string;
  areaName: string;
  reason: string;
  openedOn: string;
  dueOn: string;
  closedOn: string | null;
  status: 'open' | 'overdue' | 'closed' | 'closed-late';
}

/** EST-2: establishment obligations as they stood on a date; overdue once past their due date. */
export function obligationsOn(view: DistrictView, on: string): ObligationAnswer[] {
  return Object.values(view.areas)
    .filter((a) => a.obligation !== null)
    .map((a) => {
      const o = a.obligation!;
      const status: ObligationAnswer['status'] =
        o.closedOn !== null
          ? o.closedOn > o.dueOn
            ? 'closed-late'
            : 'closed'
          : on > o.dueOn
            ? 'overdue'
            : 'open';
      return {
        areaId: a.areaId,
        areaName: a.name,
        reason: o.reason,
        openedOn: o.openedOn,
        dueOn: o.dueOn,
        closedOn: o.closedOn,
        status,
      };
    });
}
