import { DISTRICT_CODES } from '#libs/contracts';
import { factsAbout } from '#libs/decider';
import { REQUIRED_FUNCTIONS, type BudgetLine, type FacilityFunction } from './commands';
import { timelineEntitiesOf, type FacilityEvent, type FundingEvent } from './events';
import { FUND1_YUAN_PER_URBAN_RESIDENT, requiredFunding, round2 } from './policy';
import {
  byEffectiveDate,
  facilitiesOf,
  facilityInForce,
  spaceOf,
  viewAsOf,
  type Fact,
  type FacilityState,
  type FacilityView,
  type FundingState,
  type ProjectView,
} from './state';

/**
 * The auditor's questions. Every one takes a date (and the view on it, when the caller keeps one): the answer is the fold of the decisions
 * effective on or before it, so a question about 2014 is answered as the registry stood in 2014.
 */

export const viewOn = (state: FacilityState, on: string): FacilityView =>
  on >= state.latestEffectiveAt ? state.view : viewAsOf(state.facts, on);

export interface TimelineEntry {
  eventId: string;
  type: string;
  /** As corrected (EST-8). */
  effectiveAt: string;
  recordedAt: string;
  legalBasis: string;
  actor: { subject: string; districtScope: string };
  ruleIds: readonly string[];
  /** The event's data, with the FAC-1 figures derived again on its corrected date if corrected. */
  data: unknown;
  /**
   * EST-8: on an entry a correction moved, annulled or re-based, what it was
   * and what it is now, and the corrections (their own entries in the timeline) that did it.
   */
  corrected?: {
    originalEffectiveAt: string;
    correctedEffectiveAt: string;
    originalLegalBasis: string;
    annulled: boolean;
    /** Each derived figure of the data that changed: as recorded and as corrected. */
    figures: Record<string, { original: unknown; corrected: unknown }>;
    correctedBy: string[];
  };
}

/** A decision as the timelines show it. */
export const timelineEntryOf = (f: Fact<FacilityEvent | FundingEvent>): TimelineEntry => {
  const entry: TimelineEntry = {
    eventId: f.eventId,
    type: f.event.type,
    effectiveAt: f.effectiveAt,
    recordedAt: f.recordedAt,
    legalBasis: f.legalBasis,
    actor: f.actor,
    ruleIds: f.event.ruleIds,
    data: f.event.data,
  };
  if (f.correctedBy.length === 0) return entry;
  const data = f.event.data as unknown as Record<string, unknown>;
  const figures: Record<string, { original: unknown; corrected: unknown }> = {};
  for (const [field, corrected] of Object.entries(f.rederived ?? {}))
    if (data[field] !== corrected) figures[field] = { original: data[field], corrected };
  return {
    ...entry,
    data: { ...data, ...f.rederived },
    corrected: {
      originalEffectiveAt: f.originalEffectiveAt,
      correctedEffectiveAt: f.effectiveAt,
      originalLegalBasis: f.originalLegalBasis,
      annulled: f.annulled,
      figures,
      correctedBy: [...f.correctedBy],
    },
  };
};

/**
 * Every decision about an entity ("project:x", "community:y", "facility:z"), by effective date. A
 * correction followed from the establishment service (EST-8) is an entry of its own beside the
 * entries it corrected, which show their original and corrected dates; an annulled one stays.
 */
export function timelineOf(facts: readonly Fact[], entity: string, on?: string): TimelineEntry[] {
  return timelineFactsOf(facts, entity, on).map(timelineEntryOf);
}

/** The decisions of an entity's timeline in its order (timelineOf without the entries made). */
export function timelineFactsOf(facts: readonly Fact[], entity: string, on?: string): Fact[] {
  return facts
    .filter((f) => (on === undefined || f.effectiveAt <= on) && timelineEntitiesOf(f.event).includes(entity))
    .sort(byEffectiveDate);
}

/** The decisions an entity's timeline shows, from the facts indexed by entity (not the district's). */
export const factsNaming = (state: FacilityState, entity: string): Fact[] => factsAbout(state, [entity]);

/**
 * timelineFactsOf(factsNaming(state, entity), entity, on) without reading a decision: the facts
 * filed under an entity are those whose timelines show it (indexedUnder is entitiesOf and
 * timelineEntitiesOf, and only a followed correction names more in its timeline), and their
 * dates are on the fact itself. A page of a long history then reads back only its own envelopes.
 */
export const timelineFactsNaming = (state: FacilityState, entity: string, on?: string): Fact[] =>
  (state.factsByEntity.get(entity) ?? [])
    .filter((f) => on === undefined || f.effectiveAt <= on)
    .sort(byEffectiveDate);

/** A project's state on a date and its history up to it (consultations, reviews, refusals). */
export function projectOn(
  state: FacilityState,
  projectId: string,
  on: string,
  view: FacilityView = viewOn(state, on),
): { project: ProjectView; history: TimelineEntry[] } | null {
  const project = view.projects[projectId];
  if (!project) return null;
  return {
    project,
    history: timelineOf(factsNaming(state, `project:${projectId}`), `project:${projectId}`, on),
  };
}

export interface ShortfallAnswer {
  communityId: string;
  households: number;
  requiredM2: number;
  standard: string;
  spaceM2: number;
  shortfallM2: number;
}

/** Communities whose space falls short of the FAC-1 requirement on the date (FAC-4). */
export function communitiesShortOfSpace(
  state: FacilityState,
  on: string,
  view: FacilityView = viewOn(state, on),
): ShortfallAnswer[] {
  return Object.values(view.communities)
    .filter((c) => c.requirement !== null && c.households !== null && c.mergedInto === null)
    .map((c) => {
      const spaceM2 = spaceOf(view, c.communityId, on);
      return {
        communityId: c.communityId,
        households: c.households!,
        requiredM2: c.requirement!.requiredM2,
        standard: c.requirement!.standard,
        spaceM2,
        shortfallM2: round2(c.requirement!.requiredM2 - spaceM2),
      };
    })
    .filter((a) => a.shortfallM2 > 0)
    .sort((a, b) => a.communityId.localeCompare(b.communityId));
}

export interface FunctionsAnswer {
  communityId: string;
  present: FacilityFunction[];
  missing: FacilityFunction[];
  compliant: boolean;
}

/** FAC-6: the functions of "one hall, four rooms, two schools, one place" a community has on a date. */
export function functionsOf(view: FacilityView, communityId: string, on: string): FunctionsAnswer {
  const present = new Set(facilitiesOf(view, communityId, on).flatMap((f) => f.functions));
  const ordered = REQUIRED_FUNCTIONS.filter((f) => present.has(f));
  const missing = REQUIRED_FUNCTIONS.filter((f) => !present.has(f));
  return { communityId, present: ordered, missing, compliant: missing.length === 0 };
}

export function communityCompliance(
  state: FacilityState,
  communityId: string,
  on: string,
  view: FacilityView = viewOn(state, on),
): FunctionsAnswer | null {
  const c = view.communities[communityId];
  if (!c || c.mergedInto !== null) return null;
  return functionsOf(view, communityId, on);
}

/** FAC-6 per district: every community (not merged away) on the date, and the compliant share. */
export function districtCompliance(state: FacilityState, on: string, view: FacilityView = viewOn(state, on)) {
  const communities = Object.values(view.communities)
    .filter((c) => c.mergedInto === null)
    .map((c) => functionsOf(view, c.communityId, on))
    .sort((a, b) => a.communityId.localeCompare(b.communityId));
  const compliant = communities.filter((c) => c.compliant).length;
  return {
    on,
    communities,
    total: communities.length,
    compliant,
    compliantShare: communities.length === 0 ? null : round2(compliant / communities.length),
  };
}

/** FAC-3: refusals of building naming and door numbers in force on the date. */
export function namingRefusalsInForce(
  state: FacilityState,
  on: string,
  view: FacilityView = viewOn(state, on),
) {
  return Object.values(view.projects)
    .filter((p) => p.namingRefusal !== null)
    .map((p) => ({
      projectId: p.projectId,
      communityId: p.communityId,
      developer: p.developer,
      refusedOn: p.namingRefusal!.refusedOn,
      reason: p.namingRefusal!.reason,
    }))
    .sort((a, b) => a.projectId.localeCompare(b.projectId));
}

/** FAC-8: tariffs in force on the date charged at a non-residential rate. */
export const flaggedTariffs = (state: FacilityState, on: string, view: FacilityView = viewOn(state, on)) =>
  flaggedTariffsIn(view, on);

/** FAC-8 over the facilities of a view (by facility, then utility). */
export function flaggedTariffsIn(view: Pick<FacilityView, 'facilities'>, on: string) {
  return Object.values(view.facilities)
    .filter((f) => facilityInForce(f, on))
    .flatMap((f) =>
      Object.values(f.tariffs)
        .filter((t) => t.flagged)
        .map((t) => ({ facilityId: f.facilityId, communityId: f.communityId, ...t })),
    )
    .sort((a, b) => a.facilityId.localeCompare(b.facilityId) || a.utility.localeCompare(b.utility));
}

// ---- funding (FUND-1, FUND-2) ---------------------------------------------------------------

const fundingFactsOn = (state: FundingState, on: string) =>
  [...state.facts].filter((f) => f.effectiveAt <= on).sort(byEffectiveDate);

/** The urban population of a district and year as on record on the date (the latest record). */
export function populationOn(state: FundingState, district: string, year: number, on: string): number | null {
  let found: number | null = null;
  for (const f of fundingFactsOn(state, on))
    if (
      f.event.type === 'UrbanPopulationRecorded' &&
      f.event.data.district === district &&
      f.event.data.year === year
    )
      found = f.event.data.urbanPopulation;
  return found;
}

export interface DistrictFundingAnswer {
  district: string;
  year: number;
  urbanPopulation: number | null;
  yuanPerUrbanResident: number;
  requiredYuan: number | null;
  budgetedYuan: number | null;
  lines: Record<BudgetLine, number> | null;
  /** FUND-2: lines budgeted at 0. */
  unfundedLines: BudgetLine[];
  shortfallYuan: number | null;
  compliant: boolean | null;
}

/** FUND-1/FUND-2: a district's budget for a year against 0.1 yuan per urban resident, on a date. */
export function districtFunding(
  state: FundingState,
  district: string,
  year: number,
  on: string,
): DistrictFundingAnswer {
  const urbanPopulation = populationOn(state, district, year, on);
  let lines: Record<BudgetLine, number> | null = null;
  for (const f of fundingFactsOn(state, on))
    if (
      f.event.type === 'DistrictCommunityBudgetRecorded' &&
      f.event.data.district === district &&
      f.event.data.year === year
    )
      lines = f.event.data.lines;
  const budgetedYuan = lines === null ? null : round2(Object.values(lines).reduce((s, x) => s + x, 0));
  const requiredYuan = urbanPopulation === null ? null : requiredFunding(urbanPopulation);
  const known = requiredYuan !== null && budgetedYuan !== null;
  return {
    district,
    year,
    urbanPopulation,
    yuanPerUrbanResident: FUND1_YUAN_PER_URBAN_RESIDENT,
    requiredYuan,
    budgetedYuan,
    lines,
    unfundedLines: lines === null ? [] : (Object.keys(lines) as BudgetLine[]).filter((l) => lines![l] === 0),
    shortfallYuan: known ? round2(Math.max(0, requiredYuan - budgetedYuan)) : null,
    compliant: known ? budgetedYuan >= requiredYuan : null,
  };
}

/** FUND-1 for the city: its budget against 0.1 yuan per urban resident of every district. */
export function cityFunding(state: FundingState, year: number, on: string) {
  const populations = DISTRICT_CODES.map((d) => ({
    district: d,
    urbanPopulation: populationOn(state, d, year, on),
  }));
  const urbanPopulation = populations.reduce((s, p) => s + (p.urbanPopulation ?? 0), 0);
  let budgetedYuan: number | null = null;
  for (const f of fundingFactsOn(state, on))
    if (f.event.type === 'CityCommunityBudgetRecorded' && f.event.data.year === year)
      budgetedYuan = f.event.data.amountYuan;
  const requiredYuan = requiredFunding(urbanPopulation);
  const districtsWithoutPopulation = populations
    .filter((p) => p.urbanPopulation === null)
    .map((p) => p.district);
  return {
    year,
    urbanPopulation,
    districtsWithoutPopulation,
    requiredYuan,
    budgetedYuan,
    shortfallYuan: budgetedYuan === null ? null : round2(Math.max(0, requiredYuan - budgetedYuan)),
    compliant: budgetedYuan === null ? null : budgetedYuan >= requiredYuan,
    districts: DISTRICT_CODES.map((d) => districtFunding(state, d, year, on)),
  };
}
