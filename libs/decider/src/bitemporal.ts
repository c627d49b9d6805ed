import type { EventContext } from './index';

/**
 * The bitemporal fold every service's state is (EST-8): decisions are recorded in any order, but a
 * view is the fold of the decisions sorted by the date they took effect in law, as corrected.
 * `facts` keeps every decision with its envelope; `view` is the view as of the latest effective
 * date; `viewAsOf` folds any other date. A decision effective before the latest refolds the view
 * (a backfill from the archives); a correction moves, re-bases or annuls the facts it targets and
 * refolds the view and the chronology index from the facts as corrected.
 *
 * Pure and framework-free: each service configures it with its own view and events.
 */

/** One recorded decision with what an auditor needs to trace it. */
export interface BitemporalFact<Ev> {
  readonly eventId: string;
  readonly event: Ev;
  /** Order of recording, the tie-break between decisions effective on the same date. */
  readonly seq: number;
  readonly recordedAt: string;
  /** Events of one decision share it (one command, one append). */
  readonly correlationId: string;
  readonly actor: { readonly subject: string; readonly districtScope: string };
  /** The event a reaction derived it from; null when an officer decided it. */
  readonly causationId: string | null;
  /** As recorded, before any correction. */
  readonly originalEffectiveAt: string;
  readonly originalLegalBasis: string;
  /** As corrected (EST-8). */
  effectiveAt: string;
  legalBasis: string;
  /** Annulled by a correction: no longer part of any view. */
  annulled: boolean;
  /** The corrections that moved, re-based or annulled it. */
  correctedBy: string[];
}

export interface BitemporalState<F, View> {
  facts: F[];
  factsById: Map<string, F>;
  view: View;
  /** Latest effective date among the facts that shape the view. */
  latestEffectiveAt: string;
  /** EST-8: latest effective date of a decision per entity ("area:x", "committee:y", ...). */
  lastEffectiveByEntity: Map<string, string>;
  /**
   * The facts naming each entity, in recording order: a question about one entity reads these
   * instead of scanning the district's whole history.
   */
  factsByEntity: Map<string, F[]>;
  /** The correction facts, in recording order (few): timelines show them beside what they corrected. */
  corrections: F[];
}

/** What a correction event does to the facts it targets. */
export interface Correction<F> {
  readonly targets: readonly F[];
  readonly effectiveAt?: string | null;
  readonly legalBasis?: string | null;
  readonly annulled?: boolean;
  /** Service extras set on each target (e.g. figures derived again on the corrected date). */
  readonly amend?: (fact: F) => void;
}

export interface BitemporalConfig<Ev, View, F extends BitemporalFact<Ev>> {
  readonly emptyView: () => View;
  /** Applies one standing (not annulled) decision to a view it owns. */
  readonly applyToView: (view: View, fact: F) => void;
  /** The entities a decision is about, for the chronology guard. */
  readonly entitiesOf: (event: Ev) => readonly string[];
  /**
   * The entities whose entries in a view the decision changes, for the index of facts by entity
   * (default: entitiesOf); a superset when applying it also touches entities it is not about.
   */
  readonly indexedUnder?: (event: Ev) => readonly string[];
  /** The fact as stored for this event; the service adds its extras to the common record. */
  readonly factOf?: (fact: BitemporalFact<Ev>) => F;
  /** Is the event a correction of earlier decisions (it shapes no view of its own)? */
  readonly isCorrection: (event: Ev) => boolean;
  /** What a correction does: the facts it targets, found in the state it is folded onto. */
  readonly correctionOf: (event: Ev, state: BitemporalState<F, View>) => Correction<F>;
  /** What an annulled decision leaves behind in a view (default: nothing). */
  readonly annulledLeaves?: (view: View, fact: F) => void;
  /** Stamps the date a folded view is as of, for views that say so. */
  readonly stampAsOf?: (view: View, asOf: string | undefined) => void;
  /** The event as folded (e.g. without dates frozen at decision time); default: as stored. */
  readonly eventOf?: (stored: Ev) => Ev;
  /** The recording order; default: the stream revision. */
  readonly seqOf?: (ctx: EventContext, foldedSoFar: number) => number;
  /**
   * After a correction, which facts count for the chronology index and the latest date (default:
   * every fact not annulled), and whether the latest date may move back (default: it may).
   */
  readonly countsInChronology?: (fact: F) => boolean;
  readonly latestNeverMovesBack?: boolean;
  /** Whether a refold stops at the latest effective date (default: folds every fact). */
  readonly refoldAsOfLatest?: boolean;
}

export interface BitemporalFold<Ev, View, F extends BitemporalFact<Ev>> {
  readonly initialState: () => BitemporalState<F, View>;
  readonly factOf: (event: Ev, ctx: EventContext, foldedSoFar?: number) => F;
  /** The view as of a date: the fold of every decision (as corrected) effective on or before it. */
  readonly viewAsOf: (facts: readonly F[], asOf?: string) => View;
  readonly evolve: (
    state: BitemporalState<F, View>,
    event: Ev,
    ctx: EventContext,
  ) => BitemporalState<F, View>;
}

export const dateOf = (isoDateOrInstant: string): string => isoDateOrInstant.slice(0, 10);

/** By effective date as corrected, then in the order they were recorded. */
export const byEffectiveDate = (
  a: { readonly effectiveAt: string; readonly seq: number },
  b: { readonly effectiveAt: string; readonly seq: number },
): number => (a.effectiveAt < b.effectiveAt ? -1 : a.effectiveAt > b.effectiveAt ? 1 : a.seq - b.seq);

/** The common record of a decision, before any correction. */
export function bitemporalFactOf<Ev>(
  event: Ev,
  ctx: EventContext,
  seq = ctx.streamRevision,
): BitemporalFact<Ev> {
  const effectiveAt = dateOf(ctx.effectiveAt);
  return {
    eventId: ctx.eventId,
    event,
    seq,
    recordedAt: ctx.recordedAt,
    correlationId: ctx.correlationId,
    actor: ctx.actor,
    causationId: ctx.causationId ?? null,
    originalEffectiveAt: effectiveAt,
    originalLegalBasis: ctx.legalBasis,
    effectiveAt,
    legalBasis: ctx.legalBasis,
    annulled: false,
    correctedBy: [],
  };
}

const noteEntities = (index: Map<string, string>, entities: readonly string[], on: string): void => {
  for (const entity of entities) {
    const last = index.get(entity);
    if (last === undefined || last < on) index.set(entity, on);
  }
};

export function bitemporalFold<Ev, View, F extends BitemporalFact<Ev>>(
  config: BitemporalConfig<Ev, View, F>,
): BitemporalFold<Ev, View, F> {
  const factOf = (event: Ev, ctx: EventContext, foldedSoFar = ctx.streamRevision): F => {
    const common = bitemporalFactOf(event, ctx, config.seqOf ? config.seqOf(ctx, foldedSoFar) : undefined);
    return config.factOf ? config.factOf(common) : (common as F);
  };
  const countsInChronology = config.countsInChronology ?? ((f: F) => !f.annulled);

  const viewAsOf = (facts: readonly F[], asOf?: string): View => {
    const view = config.emptyView();
    for (const f of [...facts].sort(byEffectiveDate)) {
      if (asOf !== undefined && f.effectiveAt > asOf) break;
      if (f.annulled) config.annulledLeaves?.(view, f);
      else if (!config.isCorrection(f.event)) config.applyToView(view, f);
    }
    config.stampAsOf?.(view, asOf);
    return view;
  };

  /**
   * The state, with what a correction or a backfill invalidates settled on first read: the view
   * (refolded), the latest effective date and the chronology index (recomputed from the facts).
   * Settling on each correction made a district's replay cost corrections times history; a replay
   * now settles once, when the state is first asked. Each is a function of the facts as corrected,
   * so settling late answers what settling at once would have (test/entity-questions.e2e-spec.ts).
   */
  class State implements BitemporalState<F, View> {
    facts: F[] = [];
    factsById = new Map<string, F>();
    factsByEntity = new Map<string, F[]>();
    corrections: F[] = [];
    private settledView: View = config.emptyView();
    /** Never moving back, kept exact at every fact and correction, settled or not. */
    settledLatest = '';
    private settledIndex = new Map<string, string>();
    /** The chronology (latest date and index) needs recomputing from the facts. */
    chronologyStale = false;
    /** The view needs refolding from the facts. */
    viewStale = false;

    get view(): View {
      if (this.viewStale) {
        this.viewStale = false;
        this.settledView = viewAsOf(this.facts, config.refoldAsOfLatest ? this.latestEffectiveAt : undefined);
      }
      return this.settledView;
    }
    set view(view: View) {
      this.settledView = view;
      this.viewStale = false;
    }
    get latestEffectiveAt(): string {
      this.settleChronology();
      return this.settledLatest;
    }
    set latestEffectiveAt(date: string) {
      this.settledLatest = date;
    }
    get lastEffectiveByEntity(): Map<string, string> {
      this.settleChronology();
      return this.settledIndex;
    }
    set lastEffectiveByEntity(index: Map<string, string>) {
      this.settledIndex = index;
    }

    private settleChronology(): void {
      if (!this.chronologyStale) return;
      this.chronologyStale = false;
      const index = new Map<string, string>();
      // Never moving back, the latest date is kept exact at each correction (followCorrection).
      let latest = config.latestNeverMovesBack ? this.settledLatest : '';
      for (const f of this.facts) {
        if (!countsInChronology(f)) continue;
        if (f.effectiveAt > latest) latest = f.effectiveAt;
        noteEntities(index, config.entitiesOf(f.event), f.effectiveAt);
      }
      this.settledLatest = latest;
      this.settledIndex = index;
    }
  }

  const initialState = (): BitemporalState<F, View> => new State();

  const internal = (state: BitemporalState<F, View>): State => state as State;

  function followCorrection(state: BitemporalState<F, View>, fact: F): void {
    const correction = config.correctionOf(fact.event, state);
    const lazy = internal(state);
    // Never moving back, the latest date is the most of every date a counted decision has had.
    let latest = lazy.settledLatest;
    for (const target of correction.targets) {
      if (correction.effectiveAt) target.effectiveAt = correction.effectiveAt;
      if (correction.legalBasis) target.legalBasis = correction.legalBasis;
      if (correction.annulled) target.annulled = true;
      correction.amend?.(target);
      target.correctedBy.push(fact.eventId);
      if (countsInChronology(target) && target.effectiveAt > latest) latest = target.effectiveAt;
    }
    if (countsInChronology(fact) && fact.effectiveAt > latest) latest = fact.effectiveAt;
    if (config.latestNeverMovesBack) lazy.settledLatest = latest;
    lazy.chronologyStale = true;
    lazy.viewStale = true;
  }

  /**
   * evolve never throws (GUIDE §4.5); it mutates and returns the state it owns. A copy per event
   * (even only the view's collections) made a district's replay quadratic and ten times slower
   * (README, Benchmark: bench:fold), so the callers own one state per stream instead.
   */
  function evolve(state: BitemporalState<F, View>, stored: Ev, ctx: EventContext): BitemporalState<F, View> {
    const event = config.eventOf ? config.eventOf(stored) : stored;
    const fact = factOf(event, ctx, state.facts.length);
    state.facts.push(fact);
    state.factsById.set(fact.eventId, fact);
    const entities = config.entitiesOf(event);
    for (const entity of config.indexedUnder ? config.indexedUnder(event) : entities) {
      const list = state.factsByEntity.get(entity);
      if (list) list.push(fact);
      else state.factsByEntity.set(entity, [fact]);
    }
    if (config.isCorrection(event)) {
      state.corrections.push(fact);
      followCorrection(state, fact);
      return state;
    }
    const lazy = internal(state);
    // Corrected or backfilled before: this decision is settled with the rest on first read.
    if (lazy.chronologyStale || lazy.viewStale) {
      if (config.latestNeverMovesBack && fact.effectiveAt > lazy.settledLatest)
        lazy.settledLatest = fact.effectiveAt;
      if (!lazy.chronologyStale) {
        noteEntities(state.lastEffectiveByEntity, entities, fact.effectiveAt);
        if (fact.effectiveAt > state.latestEffectiveAt) state.latestEffectiveAt = fact.effectiveAt;
      }
      lazy.viewStale = true;
      return state;
    }
    noteEntities(state.lastEffectiveByEntity, entities, fact.effectiveAt);
    if (fact.effectiveAt >= state.latestEffectiveAt) {
      config.applyToView(state.view, fact);
      state.latestEffectiveAt = fact.effectiveAt;
    } else {
      // A backfilled decision from the archives: the view follows effective-date order, refolded
      // when next read.
      lazy.viewStale = true;
    }
    return state;
  }

  return { initialState, factOf, viewAsOf, evolve };
}

/**
 * The facts naming any of `entities`, once each, in recording order: the part of a district's
 * history a question about those entities needs (their entries in a view are shaped only by the
 * decisions that name them).
 */
export function factsAbout<F extends { readonly seq: number }>(
  state: { readonly factsByEntity: ReadonlyMap<string, readonly F[]> },
  entities: Iterable<string>,
): F[] {
  const found = new Set<F>();
  for (const entity of entities) for (const f of state.factsByEntity.get(entity) ?? []) found.add(f);
  return [...found].sort((a, b) => a.seq - b.seq);
}

/**
 * The facts recorded with `target` by the same decision (one command, one append: same
 * correlation id and recorded instant), `target` included, found beside it in recording order
 * rather than by a scan of the history.
 */
export function decisionFactsOf<F extends BitemporalFact<unknown>>(facts: readonly F[], target: F): F[] {
  const same = (f: F) => f.correlationId === target.correlationId && f.recordedAt === target.recordedAt;
  // Facts are kept in recording order, so the target's place is found by its seq.
  let lo = 0;
  let hi = facts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (facts[mid].seq < target.seq) lo = mid + 1;
    else hi = mid;
  }
  if (facts[lo] !== target) return facts.filter(same);
  let first = lo;
  while (first > 0 && same(facts[first - 1])) first--;
  let last = lo;
  while (last < facts.length - 1 && same(facts[last + 1])) last++;
  return facts.slice(first, last + 1);
}
