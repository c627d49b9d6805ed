import {
  bitemporalFactOf,
  bitemporalFold,
  byEffectiveDate,
  dateOf,
  type BitemporalFact,
  type BitemporalState,
  type FactHistory,
  type EventContext,
} from '#libs/decider';
import type { ConsultationStage, Consultee, FacilityFunction, Manager, UseRightHolder } from './commands';
import {
  assertNever,
  entitiesOf,
  timelineEntitiesOf,
  type FacilityEvent,
  type FundingEvent,
  type RecomputedFigures,
} from './events';
import type { Requirement } from './policy';

/**
 * The facilities of one district: its construction projects and its communities' space, in one
 * stream (`facilities-<district>`). FAC-2 and FAC-3 judge a project against the requirement of the
 * community it serves (FAC-1), which a recomputation changes; an accepted project hands its space
 * over to the community; a merger moves several communities' facilities at once; and the district's
 * lists (shortfalls, FAC-6 compliance, refusals in force) need every community. So the district is
 * the consistency boundary, as in the establishment service, and no saga is needed.
 *
 * Bitemporal: the view is the fold of the decisions sorted by the date they took effect in law.
 */

export interface Fact<Ev = FacilityEvent> extends BitemporalFact<Ev> {
  /** FAC-1 figures derived again on the corrected date; null while never corrected. */
  rederived: RecomputedFigures | null;
}

export interface ConsultationView {
  stage: ConsultationStage;
  consultee: Consultee;
  opinion: string;
  summary: string;
  consultedOn: string;
}

export type ProjectStatus =
  'planned' | 'review-refused' | 'approved' | 'under-construction' | 'acceptance-failed' | 'accepted';

export interface ProjectView {
  projectId: string;
  name: string;
  kind: string;
  developer: string;
  communityId: string;
  plannedHouseholds: number;
  plannedSpaceM2: number;
  requirement: Requirement;
  status: ProjectStatus;
  registeredOn: string;
  consultations: ConsultationView[];
  reviews: { on: string; outcome: 'approved' | 'refused'; shortfallM2: number }[];
  approvedOn: string | null;
  constructionStartedOn: string | null;
  acceptances: { on: string; passed: boolean; builtSpaceM2: number; shortfallM2: number }[];
  builtSpaceM2: number | null;
  /** FAC-3: the refusal of building naming and door numbers in force, if any. */
  namingRefusal: { refusedOn: string; reason: string } | null;
  buildingNames: string[];
  handedOverFacilityId: string | null;
}

export interface TariffView {
  utility: string;
  rateCategory: string;
  pricePerUnitYuan: number;
  unit: string;
  flagged: boolean;
  since: string;
}

export interface FacilityRecordView {
  facilityId: string;
  communityId: string;
  source: string;
  projectId: string | null;
  areaM2: number;
  since: string;
  leaseUntil: string | null;
  /** Given up in a swap. */
  endedOn: string | null;
  useRightHolder: UseRightHolder;
  manager: Manager;
  use: string;
  functions: FacilityFunction[];
  tariffs: Record<string, TariffView>;
}

export interface MarketView {
  marketId: string;
  communityId: string;
  kind: string;
  areaM2: number;
  since: string;
  leaseUntil: string | null;
}

export interface CommunityFacilitiesView {
  communityId: string;
  households: number | null;
  /** FAC-1: the requirement in force and where its household count came from. */
  requirement: Requirement | null;
  requirementSource: 'project-plan' | 'recomputation' | null;
  /**
   * Merged into another community, or split with no part keeping its id: its facilities and
   * markets went to that community (the first part of a split), and it no longer counts.
   */
  mergedInto: string | null;
  /** Its own areas as the establishment service last listed them (a change of households). */
  areaIds: string[];
  sourceEventIds: string[];
}

export interface FacilityView {
  projects: Record<string, ProjectView>;
  communities: Record<string, CommunityFacilitiesView>;
  facilities: Record<string, FacilityRecordView>;
  markets: Record<string, MarketView>;
}

export type FacilityState = BitemporalState<Fact, FacilityView>;

export const emptyView = (): FacilityView => ({ projects: {}, communities: {}, facilities: {}, markets: {} });

export { byEffectiveDate, dateOf };

export function factOf<Ev>(event: Ev, ctx: EventContext): Fact<Ev> {
  return { ...bitemporalFactOf(event, ctx), rederived: null };
}

const fold = bitemporalFold<FacilityEvent, FacilityView, Fact>({
  emptyView,
  applyToView: (view, f) => applyToView(view, f.event, f.effectiveAt),
  entitiesOf,
  // Timelines show a followed correction under the communities it names: indexed there too.
  indexedUnder: (event) => [...new Set([...entitiesOf(event), ...timelineEntitiesOf(event)])],
  extras: () => ({ rederived: null }),
  /*
   * EST-8: the recomputations take the corrected date (or basis, or are annulled) with the figures
   * derived again on it, and the view and the chronology guard are refolded from the facts as
   * corrected, so every FAC-1 answer as of any date follows the correction.
   */
  isCorrection: (event) => event.type === 'EstablishmentCorrectionFollowed',
  correctionOf: (event, state) => {
    const d = (event as Extract<FacilityEvent, { type: 'EstablishmentCorrectionFollowed' }>).data;
    const followed = new Map(d.followed.map((f) => [f.eventId, f]));
    return {
      // Found by id, not by a scan: a scan reads every light fact's envelope back from the store.
      targets: [...followed.keys()].flatMap((id) => state.factsById.get(id) ?? []),
      effectiveAt: d.correctedEffectiveAt ? dateOf(d.correctedEffectiveAt) : null,
      legalBasis: d.correctedLegalBasis,
      annulled: d.annulled,
      amend: (f) => {
        const figures = followed.get(f.eventId)?.figures;
        if (figures) f.rederived = { ...figures };
      },
    };
  },
  // EST-8: a community whose requirement was annulled stays known, without one, so its
  // documents say so instead of keeping what the annulled recomputation showed.
  annulledLeaves: (view, f) => {
    if (f.event.type === 'RequirementRecomputed') community(view, f.event.data.communityId);
  },
  latestNeverMovesBack: true,
});

export const initialState: (history?: FactHistory<FacilityEvent>) => FacilityState = fold.initialState;

/** The facilities as of a date: the fold of every decision (as corrected) effective on or before it. */
export const viewAsOf: (facts: readonly Fact[], asOf?: string) => FacilityView = fold.viewAsOf;

/** evolve never throws (GUIDE §4.5). */
export const evolve: (state: FacilityState, event: FacilityEvent, ctx: EventContext) => FacilityState =
  fold.evolve;

function community(view: FacilityView, communityId: string): CommunityFacilitiesView {
  return (view.communities[communityId] ??= {
    communityId,
    households: null,
    requirement: null,
    requirementSource: null,
    mergedInto: null,
    areaIds: [],
    sourceEventIds: [],
  });
}

/** Applies one event to a view; `on` is its effective date. Tolerates what decide never produces. */
export function applyToView(view: FacilityView, event: FacilityEvent, on: string): void {
  const project = (id: string): ProjectView | undefined => view.projects[id];
  switch (event.type) {
    case 'ConstructionProjectRegistered': {
      const d = event.data;
      view.projects[d.projectId] = {
        projectId: d.projectId,
        name: d.name,
        kind: d.kind,
        developer: d.developer,
        communityId: d.communityId,
        plannedHouseholds: d.plannedHouseholds,
        plannedSpaceM2: d.plannedSpaceM2,
        requirement: d.requirement,
        status: 'planned',
        registeredOn: on,
        consultations: [],
        reviews: [],
        approvedOn: null,
        constructionStartedOn: null,
        acceptances: [],
        builtSpaceM2: null,
        namingRefusal: null,
        buildingNames: [],
        handedOverFacilityId: null,
      };
      const c = community(view, d.communityId);
      if (c.requirementSource !== 'recomputation') {
        c.households = d.plannedHouseholds;
        c.requirement = d.requirement;
        c.requirementSource = 'project-plan';
      }
      return;
    }
    case 'DesignRevised': {
      const p = project(event.data.projectId);
      if (!p) return;
      p.plannedSpaceM2 = event.data.plannedSpaceM2;
      p.plannedHouseholds = event.data.plannedHouseholds;
      p.requirement = event.data.requirement;
      p.status = 'planned';
      return;
    }
    case 'ConsultationRecorded': {
      const { projectId, ...c } = event.data;
      project(projectId)?.consultations.push({ ...c, consultedOn: on });
      return;
    }
    case 'PlanningReviewRefused': {
      const p = project(event.data.projectId);
      if (!p) return;
      p.status = 'review-refused';
      p.reviews.push({ on, outcome: 'refused', shortfallM2: event.data.shortfallM2 });
      return;
    }
    case 'PlanningApproved': {
      const p = project(event.data.projectId);
      if (!p) return;
      p.status = 'approved';
      p.approvedOn = on;
      p.reviews.push({ on, outcome: 'approved', shortfallM2: 0 });
      return;
    }
    case 'ConstructionStarted': {
      const p = project(event.data.projectId);
      if (!p) return;
      p.status = 'under-construction';
      p.constructionStartedOn = on;
      return;
    }
    case 'AcceptanceFailed':
    case 'AcceptancePassed': {
      const p = project(event.data.projectId);
      if (!p) return;
      const passed = event.type === 'AcceptancePassed';
      p.status = passed ? 'accepted' : 'acceptance-failed';
      p.builtSpaceM2 = event.data.builtSpaceM2;
      p.acceptances.push({
        on,
        passed,
        builtSpaceM2: event.data.builtSpaceM2,
        shortfallM2: event.type === 'AcceptanceFailed' ? event.data.shortfallM2 : 0,
      });
      return;
    }
    case 'NamingAndNumberingRefused': {
      const p = project(event.data.projectId);
      if (p) p.namingRefusal = { refusedOn: on, reason: event.data.reason };
      return;
    }
    case 'NamingAndNumberingRefusalLifted': {
      const p = project(event.data.projectId);
      if (p) p.namingRefusal = null;
      return;
    }
    case 'BuildingNamesAssigned': {
      const p = project(event.data.projectId);
      if (p) p.buildingNames.push(...event.data.buildingNames);
      return;
    }
    case 'FacilityAcquired': {
      const d = event.data;
      community(view, d.communityId);
      if (d.projectId) {
        const p = project(d.projectId);
        if (p) p.handedOverFacilityId = d.facilityId;
      }
      if (d.givesUpFacilityId) {
        const old = view.facilities[d.givesUpFacilityId];
        if (old) old.endedOn = on;
      }
      const existing = view.facilities[d.facilityId];
      if (d.extendsFacility && existing) {
        existing.areaM2 = existing.areaM2 + d.areaM2;
        existing.functions = union(existing.functions, d.functions);
        return;
      }
      view.facilities[d.facilityId] = {
        facilityId: d.facilityId,
        communityId: d.communityId,
        source: d.source,
        projectId: d.projectId,
        areaM2: d.areaM2,
        since: on,
        leaseUntil: d.leaseUntil,
        endedOn: null,
        useRightHolder: d.useRightHolder,
        manager: d.manager,
        use: 'community-service',
        functions: [...d.functions],
        tariffs: {},
      };
      return;
    }
    case 'VegetableMarketRemedied': {
      const d = event.data;
      view.markets[d.marketId] = {
        marketId: d.marketId,
        communityId: d.communityId,
        kind: d.kind,
        areaM2: d.areaM2,
        since: on,
        leaseUntil: d.leaseUntil,
      };
      return;
    }
    case 'FacilityFunctionsRecorded': {
      const f = view.facilities[event.data.facilityId];
      if (f) f.functions = union(f.functions, event.data.functions);
      return;
    }
    case 'FacilityUseChanged': {
      const f = view.facilities[event.data.facilityId];
      if (f) f.use = event.data.newUse;
      return;
    }
    case 'UtilityTariffRecorded': {
      const { facilityId, communityId: _c, ...t } = event.data;
      const f = view.facilities[facilityId];
      if (f) f.tariffs[t.utility] = { ...t, since: on };
      return;
    }
    case 'RequirementRecomputed': {
      const d = event.data;
      const c = community(view, d.communityId);
      c.households = d.households;
      c.requirement = d.requirement;
      c.requirementSource = 'recomputation';
      // Events recorded before areas were listed have none.
      c.areaIds = [...(d.areaIds ?? [])];
      c.sourceEventIds.push(d.sourceEventId);
      for (const merged of d.mergedCommunityIds) {
        if (merged === d.communityId) continue;
        community(view, merged).mergedInto = d.communityId;
        for (const f of Object.values(view.facilities))
          if (f.communityId === merged) f.communityId = d.communityId;
        for (const m of Object.values(view.markets))
          if (m.communityId === merged) m.communityId = d.communityId;
      }
      return;
    }
    case 'EstablishmentCorrectionFollowed':
      // Applied to the facts themselves in evolve (EST-8); nothing of its own to show in a view.
      return;
    default:
      assertNever(event);
  }
}

const union = <T>(a: readonly T[], b: readonly T[]): T[] => [...new Set([...a, ...b])];

/** Is the facility part of the community's space on the date (not given up, lease not expired)? */
export const facilityInForce = (f: FacilityRecordView, on: string): boolean =>
  f.since <= on && (f.endedOn === null || f.endedOn > on) && (f.leaseUntil === null || f.leaseUntil >= on);

export const facilitiesOf = (view: FacilityView, communityId: string, on: string): FacilityRecordView[] =>
  Object.values(view.facilities).filter((f) => f.communityId === communityId && facilityInForce(f, on));

/** The community's office and public-service space on the date (FAC-1, FAC-4). */
export const spaceOf = (view: FacilityView, communityId: string, on: string): number =>
  Math.round(facilitiesOf(view, communityId, on).reduce((sum, f) => sum + f.areaM2, 0) * 100) / 100;

// ---- funding: one ledger for the city ----------------------------------------------------------

/**
 * The funding ledger of the whole city (`funding-lanzhou`): the urban population of every district
 * and year, the district budgets and the city budget. FUND-1 compares the city budget with the
 * city's urban population, the sum of the districts', so that data is folded in one stream; the
 * ledger holds a few dozen decisions a year.
 */
export interface FundingState {
  facts: Fact<FundingEvent>[];
}

export const initialFundingState = (): FundingState => ({ facts: [] });

export function evolveFunding(state: FundingState, event: FundingEvent, ctx: EventContext): FundingState {
  state.facts.push(factOf(event, ctx));
  return state;
}
