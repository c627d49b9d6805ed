import { entitiesOf, type CoverageFinding, type EstablishmentEvent, type ResponsibleBody } from './events';
import { activeBodiesOf, applyToView, emptyView, type DistrictView, type Fact } from './state';

/**
 * Pure answers to an auditor's questions over a district's decisions: who was responsible for an
 * area on a date (EST-7), every gap and overlap past or present, timelines, obligations (EST-2).
 */

const shaping = (facts: readonly Fact[]): Fact[] =>
  facts
    .filter((f) => !f.annulled && f.event.type !== 'DecisionCorrected')
    .sort((a, b) => (a.effectiveAt < b.effectiveAt ? -1 : a.effectiveAt > b.effectiveAt ? 1 : a.seq - b.seq));

/** Sweeps the history date by date and reports each interval in which an area had 0 or 2+ bodies. */
export function coverageFindings(facts: readonly Fact[]): CoverageFinding[] {
  const view = emptyView();
  const open = new Map<string, CoverageFinding>();
  const findings: CoverageFinding[] = [];
  const ordered = shaping(facts);
  for (let i = 0; i < ordered.length; i++) {
    const f = ordered[i];
    applyToView(view, f.event, f.effectiveAt);
    const next = ordered[i + 1];
    if (next && next.effectiveAt === f.effectiveAt) continue; // judge the map at the end of each day
    for (const area of Object.values(view.areas)) {
      const bodies = activeBodiesOf(view, area.areaId);
      const problem = bodies.length === 0 ? 'gap' : bodies.length > 1 ? 'overlap' : null;
      const current = open.get(area.areaId);
      if (
        current &&
        (current.problem !== problem || JSON.stringify(current.bodies) !== JSON.stringify(bodies))
      ) {
        findings.push({ ...current, to: f.effectiveAt });
        open.delete(area.areaId);
      }
      if (problem && !open.has(area.areaId))
        open.set(area.areaId, { areaId: area.areaId, problem, from: f.effectiveAt, to: null, bodies });
    }
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

export interface TimelineEntry extends DecisionTrace {
  originalEffectiveAt: string;
  annulled: boolean;
  correctedBy: string[];
  data: unknown;
}

/** The history of one entity ("area:x", "community:y", "group:z", "person:p") by effective date. */
export function timelineOf(facts: readonly Fact[], entity: string): TimelineEntry[] {
  return facts
    .filter((f) => f.event.type !== 'DecisionCorrected' && entitiesOf(f.event).includes(entity))
    .sort((a, b) => (a.effectiveAt < b.effectiveAt ? -1 : a.effectiveAt > b.effectiveAt ? 1 : a.seq - b.seq))
    .map((f) => ({
      ...traceOf(f),
      originalEffectiveAt: f.originalEffectiveAt,
      annulled: f.annulled,
      correctedBy: f.correctedBy,
      data: f.event.data,
    }));
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
