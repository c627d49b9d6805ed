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

/** A fact found by its event id (a Map in memory; the store's index when facts are kept light). */
export interface FactsById<F> {
  get(eventId: string): F | undefined;
}

export interface BitemporalState<F, View> {
  facts: F[];
  factsById: FactsById<F>;
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
  /** The service's own fields of a fact, set on the common record of each (e.g. figures derived again). */
  readonly extras?: () => Omit<F, keyof BitemporalFact<Ev>>;
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
  /**
   * A new state; given the stream's history, it keeps its facts light (bounded memory: the
   * envelope and the event of all but the recent facts are read back from the store when asked).
   */
  readonly initialState: (history?: FactHistory<Ev>) => BitemporalState<F, View>;
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

/**
 * The recorded events of one stream, read back by revision: what a state keeping light facts
 * reads the envelope and the event of a fact from when it is asked (the embedded store reads
 * them synchronously from its file).
 */
export interface FactHistory<Ev = unknown> {
  /** The events at `count` revisions from `from` (fewer at the stream's end), as evolve received them. */
  read(from: number, count: number): ReadonlyArray<{ readonly event: Ev; readonly ctx: EventContext }>;
  /** The events at these revisions (a question about one entity: its facts lie apart in the history). */
  readAt(revisions: readonly number[]): ReadonlyArray<{ readonly event: Ev; readonly ctx: EventContext }>;
  /** The revision of one of this stream's events; undefined when it is not in the stream. */
  revisionOf(eventId: string): number | undefined;
  /** Envelopes kept in memory (default KEPT_ENVELOPES); tests make it small. */
  readonly keep?: number;
}

/** What a light fact reads back from the history: its envelope and event, never changed by a correction. */
interface Recorded<Ev> {
  readonly eventId: string;
  readonly event: Ev;
  readonly recordedAt: string;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly originalLegalBasis: string;
}

/*
 * Dates and actors repeat across a district's history (a few thousand dates in twenty years, a
 * few hundred officers): one string or object each, shared by every fact, keeps a fact small.
 */
const dates = new Map<string, string>();
const internDate = (date: string): string => {
  const known = dates.get(date);
  if (known !== undefined) return known;
  dates.set(date, date);
  return date;
};
type Actor = BitemporalFact<unknown>['actor'];
const actors = new Map<string, Actor>();
const internActor = (actor: Actor): Actor => {
  const key = `${actor.subject}\u0000${actor.districtScope}`;
  const known = actors.get(key);
  if (known) return known;
  const kept = { subject: actor.subject, districtScope: actor.districtScope };
  actors.set(key, kept);
  return kept;
};

/** Facts read back at once when a scan asks for them in recording order. */
const READ_WINDOW = 256;

/** Shared by every light fact never corrected; a correction gives a fact an array of its own. */
const NOT_CORRECTED: string[] = Object.freeze([]) as unknown as string[];

/**
 * A fact whose envelope and event may be dropped and read back from the stream's history: what a
 * correction changes (dates, basis, annulment, extras) stays on it; what it never changes is
 * read again when asked. Behaves as a BitemporalFact; copy it with `amendedFact`, not a spread.
 */
class KeptFact<Ev> {
  basis: string | null = null;
  annulled = false;
  correctedBy: string[] = NOT_CORRECTED;
  /** When the keeper last kept its envelope: an older place of it in the ring drops nothing. */
  keptAt = 0;
  constructor(
    readonly seq: number,
    readonly revision: number,
    readonly actor: Actor,
    readonly originalEffectiveAt: string,
    public effectiveAt: string,
    public recorded: Recorded<Ev> | null,
    readonly keeper: Keeper<Ev>,
  ) {}
  get eventId(): string {
    return this.keeper.recordedOf(this).eventId;
  }
  get event(): Ev {
    return this.keeper.recordedOf(this).event;
  }
  get recordedAt(): string {
    return this.keeper.recordedOf(this).recordedAt;
  }
  get correlationId(): string {
    return this.keeper.recordedOf(this).correlationId;
  }
  get causationId(): string | null {
    return this.keeper.recordedOf(this).causationId;
  }
  get originalLegalBasis(): string {
    return this.keeper.recordedOf(this).originalLegalBasis;
  }
  get legalBasis(): string {
    return this.basis ?? this.originalLegalBasis;
  }
  set legalBasis(basis: string) {
    this.basis = basis;
  }
  /** What JSON and test matchers see: the fact as a plain record. */
  toJSON(): BitemporalFact<Ev> {
    return plainFact(this as unknown as BitemporalFact<Ev>);
  }
}

/** A fact as a plain record (a light fact's envelope read), for JSON and comparisons. */
export const plainFact = <Ev>(f: BitemporalFact<Ev>): BitemporalFact<Ev> => ({
  eventId: f.eventId,
  event: f.event,
  seq: f.seq,
  recordedAt: f.recordedAt,
  correlationId: f.correlationId,
  actor: f.actor,
  causationId: f.causationId,
  originalEffectiveAt: f.originalEffectiveAt,
  originalLegalBasis: f.originalLegalBasis,
  effectiveAt: f.effectiveAt,
  legalBasis: f.legalBasis,
  annulled: f.annulled,
  correctedBy: f.correctedBy,
});

/**
 * A copy of a fact with some fields changed (a probe of a correction's effect): a spread would
 * lose a light fact's envelope, which lives behind getters.
 */
export function amendedFact<F extends object>(fact: F, changes: Partial<F>): F {
  return Object.assign(Object.create(Object.getPrototypeOf(fact) as object) as F, fact, changes);
}

/**
 * Keeps the envelopes of the most recently used facts of one stream (a ring), and reads the
 * others back from the history: the memory a stream's state holds is bounded by its light facts,
 * not by its history's events.
 */
class Keeper<Ev> {
  private readonly ring: Array<KeptFact<Ev> | undefined>;
  private kept = 0;
  constructor(
    readonly history: FactHistory<Ev>,
    private readonly facts: ReadonlyArray<KeptFact<Ev>>,
    private readonly eventOf: (stored: Ev) => Ev,
    capacity: number,
  ) {
    this.ring = new Array<KeptFact<Ev> | undefined>(capacity);
  }

  get capacity(): number {
    return this.ring.length;
  }

  /** Keeps a fact's envelope among the most recently used, dropping the least recently used one's. */
  keep(fact: KeptFact<Ev>): void {
    const at = this.kept % this.ring.length;
    const dropped = this.ring[at];
    // Kept again since it took this place: it has a later place in the ring.
    if (dropped && dropped !== fact && dropped.keptAt === this.kept - this.ring.length)
      dropped.recorded = null;
    this.ring[at] = fact;
    fact.keptAt = this.kept++;
  }

  readBack(revisions: readonly number[]): void {
    if (revisions.length > 0) this.settle(this.history.readAt(revisions));
  }

  private settle(read: ReadonlyArray<{ readonly event: Ev; readonly ctx: EventContext }>): void {
    for (const { event, ctx } of read) {
      const target = this.factAt(ctx.streamRevision);
      if (!target || target.recorded) continue;
      target.recorded = recordedOf(this.eventOf(event), ctx);
      this.keep(target);
    }
  }

  /** The fact folded from the event at a stream revision (facts are folded in revision order). */
  factAt(revision: number): KeptFact<Ev> | undefined {
    const at = this.facts[revision];
    if (at?.revision === revision) return at;
    return this.facts.find((f) => f.revision === revision);
  }

  /** Where the last read back ended: a miss there is a scan in recording order, read in windows. */
  private scanAt = -1;

  recordedOf(fact: KeptFact<Ev>): Recorded<Ev> {
    if (fact.recorded) return fact.recorded;
    // A scan reads ahead; a fact asked alone (a timeline's, a correction's target) is read alone.
    const count = fact.revision === this.scanAt ? Math.min(READ_WINDOW, this.capacity / 2) : 1;
    this.settle(this.history.read(fact.revision, count));
    this.scanAt = fact.revision + count;
    // A copy (amendedFact) reads through the fact it copies.
    const found = fact.recorded ?? this.factAt(fact.revision)?.recorded;
    if (!found) throw new Error(`revision ${fact.revision} is not in the stream's history`);
    fact.recorded = found;
    return found;
  }
}

/**
 * Reads back at once the envelopes of the facts a question is about that were dropped, and keeps
 * those it holds as recently used, so that reading the ones missing drops none of them. More
 * than half the ring's facts are left to be read one by one.
 */
export function readBackEnvelopes(facts: readonly unknown[]): void {
  const kept = facts.filter((f): f is KeptFact<unknown> => f instanceof KeptFact);
  if (kept.length === 0 || kept.length > kept[0].keeper.capacity / 2) return;
  const held = kept.filter((f) => f.recorded).sort((a, b) => a.keptAt - b.keptAt);
  // Oldest first: the ring drops its oldest envelope at each keep, never one of these not yet kept.
  for (const f of held) f.keeper.keep(f);
  kept[0].keeper.readBack(kept.filter((f) => !f.recorded).map((f) => f.revision));
}

const recordedOf = <Ev>(event: Ev, ctx: EventContext): Recorded<Ev> => ({
  eventId: ctx.eventId,
  event,
  recordedAt: ctx.recordedAt,
  correlationId: ctx.correlationId,
  causationId: ctx.causationId ?? null,
  originalLegalBasis: ctx.legalBasis,
});

/** Envelopes a stream's state keeps in memory when it keeps light facts. */
export const KEPT_ENVELOPES = 1024;

const noteEntities = (index: Map<string, string>, entities: readonly string[], on: string): void => {
  for (const entity of entities) {
    const last = index.get(entity);
    if (last === undefined || last < on) index.set(entity, on);
  }
};

export function bitemporalFold<Ev, View, F extends BitemporalFact<Ev>>(
  config: BitemporalConfig<Ev, View, F>,
): BitemporalFold<Ev, View, F> {
  const seqOf = (ctx: EventContext, foldedSoFar: number): number | undefined =>
    config.seqOf ? config.seqOf(ctx, foldedSoFar) : undefined;
  const factOf = (event: Ev, ctx: EventContext, foldedSoFar = ctx.streamRevision): F => {
    const common = bitemporalFactOf(event, ctx, seqOf(ctx, foldedSoFar));
    return (config.extras ? Object.assign(common, config.extras()) : common) as F;
  };
  /** A light fact, its envelope kept by the stream's keeper until the ring drops it. */
  const keptFactOf = (keeper: Keeper<Ev>, event: Ev, ctx: EventContext, foldedSoFar: number): F => {
    const effectiveAt = internDate(dateOf(ctx.effectiveAt));
    const fact = new KeptFact<Ev>(
      seqOf(ctx, foldedSoFar) ?? ctx.streamRevision,
      ctx.streamRevision,
      internActor(ctx.actor),
      effectiveAt,
      effectiveAt,
      recordedOf(event, ctx),
      keeper,
    );
    keeper.keep(fact);
    return (config.extras ? Object.assign(fact, config.extras()) : fact) as unknown as F;
  };
  const countsInChronology = config.countsInChronology ?? ((f: F) => !f.annulled);

  /** One decision folded into a view: what it leaves when annulled, nothing for a correction. */
  const foldInto = (view: View, f: F): void => {
    if (f.annulled) config.annulledLeaves?.(view, f);
    else if (!config.isCorrection(f.event)) config.applyToView(view, f);
  };

  const viewAsOf = (facts: readonly F[], asOf?: string): View => {
    const view = config.emptyView();
    for (const f of [...facts].sort(byEffectiveDate)) {
      if (asOf !== undefined && f.effectiveAt > asOf) break;
      foldInto(view, f);
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
    /** Set when the state keeps light facts, read back from the stream's history. */
    readonly keeper: Keeper<Ev> | undefined;
    private readonly byId: Map<string, F> | undefined;
    readonly factsById: FactsById<F>;
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

    constructor(history?: FactHistory<Ev>) {
      if (history) {
        const keeper = new Keeper<Ev>(
          history,
          this.facts as unknown as KeptFact<Ev>[],
          config.eventOf ?? ((e) => e),
          history.keep ?? KEPT_ENVELOPES,
        );
        this.keeper = keeper;
        this.factsById = {
          get: (eventId) => {
            const revision = keeper.history.revisionOf(eventId);
            return revision === undefined ? undefined : (keeper.factAt(revision) as unknown as F | undefined);
          },
        };
      } else {
        const byId = new Map<string, F>();
        this.byId = byId;
        this.factsById = byId;
      }
    }

    /** Adds a fact folded from the event at the stream's end. */
    add(event: Ev, ctx: EventContext): F {
      const foldedSoFar = this.facts.length;
      const fact = this.keeper
        ? keptFactOf(this.keeper, event, ctx, foldedSoFar)
        : factOf(event, ctx, foldedSoFar);
      this.facts.push(fact);
      this.byId?.set(ctx.eventId, fact);
      return fact;
    }

    get view(): View {
      if (this.viewStale) {
        this.viewStale = false;
        // Settled together: a chronology left stale would leave every later event to refold again.
        // In one pass over the facts: each light fact is read back once.
        if (this.chronologyStale) this.settledView = this.refoldWithChronology();
        else
          this.settledView = viewAsOf(this.facts, config.refoldAsOfLatest ? this.settledLatest : undefined);
      }
      return this.settledView;
    }

    /**
     * settleChronology and viewAsOf(facts) in one pass: the index and the latest date are maxima,
     * taken in any order. A refold as of the latest date learns that date only at the end, so a
     * decision beyond the latest date so far waits until a counted one reaches past it (sorted by
     * date, those waiting then all lie within it); what still waits at the end is beyond it.
     */
    private refoldWithChronology(): View {
      const index = new Map<string, string>();
      let latest = config.latestNeverMovesBack ? this.settledLatest : '';
      const view = config.emptyView();
      let waiting: F[] = [];
      for (const f of [...this.facts].sort(byEffectiveDate)) {
        if (countsInChronology(f)) {
          if (f.effectiveAt > latest) latest = f.effectiveAt;
          noteEntities(index, config.entitiesOf(f.event), f.effectiveAt);
        }
        if (!config.refoldAsOfLatest || f.effectiveAt <= latest) {
          for (const w of waiting) foldInto(view, w);
          waiting = [];
          foldInto(view, f);
        } else waiting.push(f);
      }
      config.stampAsOf?.(view, config.refoldAsOfLatest ? latest : undefined);
      this.chronologyStale = false;
      this.settledLatest = latest;
      this.settledIndex = index;
      return view;
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
      // The view is stale too: settle both in one pass over the facts.
      if (this.viewStale) {
        void this.view;
        return;
      }
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

  const initialState = (history?: FactHistory<Ev>): BitemporalState<F, View> => new State(history);

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
      target.correctedBy = [...target.correctedBy, fact.eventId];
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
    const fact = internal(state).add(event, ctx);
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
 * Whether a view as of `date`, folded when the stream was at revision `foldedAt`, is still the
 * view as of that date now that it is at `revision`: no correction recorded since (one moves or
 * annuls any decision) and every decision since effective after the date. Read on the facts' own
 * dates and order, without reading a decision back. False when in doubt (facts not one per revision).
 */
export function unchangedAsOf<F extends { readonly seq: number; readonly effectiveAt: string }>(
  state: { readonly facts: readonly F[]; readonly corrections: readonly F[] },
  foldedAt: number,
  revision: number,
  date: string,
): boolean {
  const { facts, corrections } = state;
  if (facts.length !== revision + 1 || foldedAt < 0 || foldedAt > revision) return false;
  const lastCorrection = corrections[corrections.length - 1];
  if (lastCorrection && lastCorrection.seq > facts[foldedAt].seq) return false;
  for (let i = foldedAt + 1; i <= revision; i++) if (facts[i].effectiveAt <= date) return false;
  return true;
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
  return inRecordingOrder(found);
}

/** Facts in the order they were recorded, their envelopes read back at once (light facts). */
export function inRecordingOrder<F extends { readonly seq: number }>(facts: Iterable<F>): F[] {
  const ordered = [...facts].sort((a, b) => a.seq - b.seq);
  readBackEnvelopes(ordered);
  return ordered;
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
