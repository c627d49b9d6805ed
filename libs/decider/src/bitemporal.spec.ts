import {
  amendedFact,
  bitemporalFold,
  decisionFactsOf,
  factsAbout,
  KEPT_ENVELOPES,
  plainFact,
  type BitemporalFact,
  type EventContext,
  type FactHistory,
  unchangedAsOf,
} from './index';

/*
 * A register of named values, the smallest domain with the registry's bitemporal shape: each
 * decision sets a value on the date it takes effect; a correction moves or annuls decisions.
 */
type ToyEvent =
  | { type: 'ValueSet'; data: { key: string; value: number }; ruleIds: [] }
  | {
      type: 'Corrected';
      data: { eventIds: string[]; effectiveAt: string | null; annulled: boolean };
      ruleIds: [];
    };
type View = { asOf: string | null; values: Record<string, number>; annulledKeys: string[] };
type Fact = BitemporalFact<ToyEvent>;

const fold = bitemporalFold<ToyEvent, View, Fact>({
  emptyView: () => ({ asOf: null, values: {}, annulledKeys: [] }),
  applyToView: (view, f) => {
    if (f.event.type === 'ValueSet') view.values[f.event.data.key] = f.event.data.value;
    view.asOf = f.effectiveAt;
  },
  entitiesOf: (e) => (e.type === 'ValueSet' ? [`key:${e.data.key}`] : []),
  isCorrection: (e) => e.type === 'Corrected',
  correctionOf: (e, state) => {
    const d = e.data as Extract<ToyEvent, { type: 'Corrected' }>['data'];
    return {
      targets: state.facts.filter((f) => d.eventIds.includes(f.eventId)),
      effectiveAt: d.effectiveAt,
      annulled: d.annulled,
    };
  },
  annulledLeaves: (view, f) => {
    if (f.event.type === 'ValueSet') view.annulledKeys.push(f.event.data.key);
  },
  stampAsOf: (view, asOf) => {
    view.asOf = asOf ?? null;
  },
});

let revision = 0;
const ctx = (eventId: string, effectiveAt: string): EventContext => ({
  eventId,
  effectiveAt,
  recordedAt: `2026-01-01T00:00:0${revision}Z`,
  streamRevision: revision++,
  correlationId: eventId,
  actor: { subject: 'officer', districtScope: '*' },
  legalBasis: `basis of ${eventId}`,
});
const set = (key: string, value: number): ToyEvent => ({
  type: 'ValueSet',
  data: { key, value },
  ruleIds: [],
});
const corrected = (eventIds: string[], effectiveAt: string | null, annulled = false): ToyEvent => ({
  type: 'Corrected',
  data: { eventIds, effectiveAt, annulled },
  ruleIds: [],
});

function given(...steps: Array<[string, string, ToyEvent]>) {
  revision = 0;
  return steps.reduce((s, [id, on, e]) => fold.evolve(s, e, ctx(id, on)), fold.initialState());
}

describe('the bitemporal fold shared by the services (EST-8)', () => {
  it('folds decisions in effective-date order: a backfilled one refolds the view', () => {
    const state = given(['e1', '2026-03-01', set('a', 1)], ['e2', '2026-02-01', set('a', 2)]);
    expect(state.view.values).toEqual({ a: 1 });
    expect(state.latestEffectiveAt).toBe('2026-03-01');
    expect(fold.viewAsOf(state.facts, '2026-02-15').values).toEqual({ a: 2 });
    expect(fold.viewAsOf(state.facts, '2026-01-31')).toEqual({
      asOf: '2026-01-31',
      values: {},
      annulledKeys: [],
    });
  });

  it('keeps the latest effective date per entity for the chronology guard', () => {
    const state = given(
      ['e1', '2026-03-01T08:00:00+08:00', set('a', 1)],
      ['e2', '2026-02-01', set('a', 2)],
      ['e3', '2026-01-01', set('b', 3)],
    );
    expect(Object.fromEntries(state.lastEffectiveByEntity)).toEqual({
      'key:a': '2026-03-01',
      'key:b': '2026-01-01',
    });
  });

  it('a correction moves its targets, keeps what was recorded, and refolds the view and chronology', () => {
    const state = given(
      ['e1', '2026-02-01', set('a', 1)],
      ['e2', '2026-03-01', set('a', 2)],
      ['c1', '2026-04-01', corrected(['e2'], '2026-01-15')],
    );
    const moved = state.factsById.get('e2')!;
    expect(moved).toMatchObject({
      effectiveAt: '2026-01-15',
      originalEffectiveAt: '2026-03-01',
      correctedBy: ['c1'],
    });
    expect(state.view.values).toEqual({ a: 1 });
    expect(state.lastEffectiveByEntity.get('key:a')).toBe('2026-02-01');
    expect(state.facts.map((f) => f.eventId)).toEqual(['e1', 'e2', 'c1']);
  });

  it('an annulled decision shapes no view and leaves only what the service says it leaves', () => {
    const state = given(
      ['e1', '2026-02-01', set('a', 1)],
      ['c1', '2026-04-01', corrected(['e1'], null, true)],
    );
    expect(state.factsById.get('e1')!.annulled).toBe(true);
    expect(state.view.values).toEqual({});
    expect(state.view.annulledKeys).toEqual(['a']);
    expect(state.lastEffectiveByEntity.has('key:a')).toBe(false);
  });

  it('indexes the facts by entity, corrections apart, so one entity is read without the history', () => {
    const state = given(
      ['e1', '2026-02-01', set('a', 1)],
      ['e2', '2026-03-01', set('b', 2)],
      ['e3', '2026-01-01', set('a', 3)],
      ['c1', '2026-04-01', corrected(['e2'], '2026-01-15')],
    );
    expect(state.factsByEntity.get('key:a')!.map((f) => f.eventId)).toEqual(['e1', 'e3']);
    expect(state.corrections.map((f) => f.eventId)).toEqual(['c1']);
    expect(factsAbout(state, ['key:b', 'key:a', 'key:b']).map((f) => f.eventId)).toEqual(['e1', 'e2', 'e3']);
    expect(factsAbout(state, ['key:none'])).toEqual([]);
  });

  it('finds the other events of a decision beside it in recording order', () => {
    revision = 0;
    const one = (id: string, correlationId: string, recordedAt: string): [string, EventContext] => [
      id,
      { ...ctx(id, '2026-01-01'), correlationId, recordedAt },
    ];
    const steps = [
      one('x1', 'x', 't1'),
      one('y1', 'y', 't2'),
      one('y2', 'y', 't2'),
      one('y3', 'y', 't2'),
      one('y4', 'y', 't3'),
      one('z1', 'z', 't3'),
    ];
    const state = steps.reduce((s, [id, c]) => fold.evolve(s, set(id, 0), c), fold.initialState());
    const ids = (id: string) => decisionFactsOf(state.facts, state.factsById.get(id)!).map((f) => f.eventId);
    expect(ids('y2')).toEqual(['y1', 'y2', 'y3']);
    expect(ids('y1')).toEqual(['y1', 'y2', 'y3']);
    expect(ids('x1')).toEqual(['x1']);
    expect(ids('y4')).toEqual(['y4']);
    expect(ids('z1')).toEqual(['z1']);
  });

  it('after a correction, a view read settles it: later decisions apply in order, not by refolding', () => {
    let applied = 0;
    const counting = bitemporalFold<ToyEvent, View, Fact>({
      emptyView: () => ({ asOf: null, values: {}, annulledKeys: [] }),
      applyToView: (view, f) => {
        applied++;
        if (f.event.type === 'ValueSet') view.values[f.event.data.key] = f.event.data.value;
      },
      entitiesOf: (e) => (e.type === 'ValueSet' ? [`key:${e.data.key}`] : []),
      isCorrection: (e) => e.type === 'Corrected',
      correctionOf: (e, state) => ({
        targets: state.facts.filter((f) => (e.data as { eventIds: string[] }).eventIds.includes(f.eventId)),
        effectiveAt: (e.data as { effectiveAt: string | null }).effectiveAt,
      }),
    });
    revision = 0;
    let state = counting.evolve(counting.initialState(), set('a', 1), ctx('e0', '2026-01-01'));
    state = counting.evolve(state, corrected(['e0'], '2025-12-01'), ctx('c0', '2026-01-02'));
    void state.view; // only the view is read, as a projection does
    applied = 0;
    for (let i = 1; i <= 100; i++) {
      state = counting.evolve(state, set(`k${i}`, i), ctx(`e${i}`, '2026-02-01'));
      void state.view;
    }
    expect(applied).toBe(100);
    expect(Object.keys(state.view.values)).toHaveLength(101);
  });
});

describe('light facts: a state given its history keeps envelopes of recent facts only (bounded memory)', () => {
  /** A stream of n decisions over 12 keys across the years, with a backfill every 50th. */
  function recorded(n: number): Array<{ event: ToyEvent; ctx: EventContext }> {
    revision = 0;
    return Array.from({ length: n }, (_, i) => {
      const year = 2000 + Math.floor(i / 200);
      const on = i % 50 === 49 ? `${year - 3}-06-01` : `${year}-${String((i % 12) + 1).padStart(2, '0')}-01`;
      return { event: set(`k${i % 12}`, i), ctx: ctx(`e${i}`, on) };
    });
  }
  function historyOf(stream: Array<{ event: ToyEvent; ctx: EventContext }>) {
    const reads: Array<[number, number] | number[]> = [];
    const history: FactHistory<ToyEvent> = {
      read: (from, count) => {
        reads.push([from, count]);
        return stream.slice(from, from + count);
      },
      readAt: (revisions) => {
        reads.push([...revisions]);
        return revisions.map((r) => stream[r]);
      },
      revisionOf: (eventId) => {
        const at = stream.findIndex((r) => r.ctx.eventId === eventId);
        return at < 0 ? undefined : at;
      },
    };
    return { history, reads };
  }
  const plain = (f: Fact) => plainFact(f);
  const foldAll = (
    stream: Array<{ event: ToyEvent; ctx: EventContext }>,
    history?: FactHistory<ToyEvent>,
  ) => {
    let state = fold.initialState(history);
    for (const { event, ctx: c } of stream) state = fold.evolve(state, event, c);
    return state;
  };

  it('answers every question as a state keeping whole facts does, reading old envelopes back', () => {
    const stream = recorded(KEPT_ENVELOPES * 3);
    const { history, reads } = historyOf(stream);
    const whole = foldAll(stream);
    const light = foldAll(stream, history);
    expect(reads).toEqual([]);
    // The oldest envelopes were dropped: only the ring's are held.
    const held = (light.facts as unknown as Array<{ recorded: unknown }>).filter((f) => f.recorded !== null);
    expect(held).toHaveLength(KEPT_ENVELOPES);
    expect(light.view).toEqual(whole.view);
    expect(Object.fromEntries(light.lastEffectiveByEntity)).toEqual(
      Object.fromEntries(whole.lastEffectiveByEntity),
    );
    for (const on of ['1999-01-01', '2003-07-01', '2010-02-01', '2014-12-31'])
      expect(fold.viewAsOf(light.facts, on)).toEqual(fold.viewAsOf(whole.facts, on));
    expect(light.facts.map(plain)).toEqual(whole.facts.map(plain));
    expect(factsAbout(light, ['key:k3']).map(plain)).toEqual(factsAbout(whole, ['key:k3']).map(plain));
    expect(plain(light.factsById.get('e7')!)).toEqual(plain(whole.factsById.get('e7')!));
    expect(light.factsById.get('nowhere')).toBeUndefined();
    expect(JSON.parse(JSON.stringify(light.facts[3]))).toEqual(JSON.parse(JSON.stringify(whole.facts[3])));
  });

  it('reads an old fact back alone, a scan in windows, and the facts about an entity at once', () => {
    const stream = recorded(KEPT_ENVELOPES * 3);
    const { history, reads } = historyOf(stream);
    const light = foldAll(stream, history);
    expect(light.facts[10].eventId).toBe('e10');
    expect(reads).toEqual([[10, 1]]);
    // The next one in recording order: a scan, read ahead.
    expect(light.facts[11].legalBasis).toBe('basis of e11');
    expect(light.facts[12].recordedAt).toBe(stream[12].ctx.recordedAt);
    expect(reads).toEqual([
      [10, 1],
      [11, 256],
    ]);
    reads.length = 0;
    const dropped = light
      .factsByEntity!.get('key:k5')!
      .filter((f) => (f as unknown as { recorded: unknown }).recorded === null)
      .map((f) => f.seq);
    expect(dropped.length).toBeGreaterThan(100);
    const aboutK5 = factsAbout(light, ['key:k5']);
    expect(reads).toEqual([dropped]);
    expect(aboutK5.every((f) => f.event.type === 'ValueSet' && f.event.data.key === 'k5')).toBe(true);
    expect(reads).toHaveLength(1);
  });

  it('keeps what a correction changed on a fact whose envelope is dropped and read back (EST-8)', () => {
    const stream = recorded(KEPT_ENVELOPES * 3);
    stream.push({ event: corrected(['e5'], '1990-01-01'), ctx: ctx('c1', '2026-01-01') });
    stream.push({ event: corrected(['e6'], null, true), ctx: ctx('c2', '2026-01-01') });
    const { history } = historyOf(stream);
    const whole = foldAll(stream);
    const light = foldAll(stream, history);
    // Ring through twice more: every envelope but the ring's is dropped again.
    for (const f of light.facts) void f.event;
    for (const f of light.facts) void f.event;
    const moved = light.factsById.get('e5')!;
    expect(moved).toMatchObject({
      effectiveAt: '1990-01-01',
      originalEffectiveAt: '2000-06-01',
      correctedBy: ['c1'],
    });
    expect(light.factsById.get('e6')!.annulled).toBe(true);
    expect(light.view).toEqual(whole.view);
    expect(fold.viewAsOf(light.facts, '1995-01-01')).toEqual(fold.viewAsOf(whole.facts, '1995-01-01'));
    // A copy with a change (a probe) keeps the envelope it copies.
    const probe = amendedFact(light.facts[20], { effectiveAt: '1980-01-01' });
    expect(plain(probe)).toEqual({ ...plain(whole.facts[20]), effectiveAt: '1980-01-01' });
    expect(light.facts[20].effectiveAt).toBe(whole.facts[20].effectiveAt);
  });
});

describe('unchangedAsOf: is a view of a past date still that view after more decisions (EST-8)', () => {
  it('only while every decision since is effective after the date and none is a correction', () => {
    const state = given(['e0', '2013-01-01', set('a', 1)], ['e1', '2014-01-01', set('a', 2)]);
    // A view of 2013-06-30 folded at revision 1.
    const later = fold.evolve(state, set('b', 3), ctx('e2', '2026-07-01'));
    expect(unchangedAsOf(later, 1, 2, '2013-06-30')).toBe(true);
    expect(fold.viewAsOf(later.facts, '2013-06-30').values).toEqual({ a: 1 });
    // A backfill on or before the date changes it.
    const backfilled = fold.evolve(later, set('c', 4), ctx('e3', '2013-06-30'));
    expect(unchangedAsOf(backfilled, 1, 3, '2013-06-30')).toBe(false);
    expect(unchangedAsOf(backfilled, 3, 3, '2013-06-30')).toBe(true);
    // A correction may move any decision into or out of the date.
    const corrected2 = fold.evolve(backfilled, corrected(['e1'], '2013-02-01'), ctx('c1', '2026-08-01'));
    expect(unchangedAsOf(corrected2, 3, 4, '2013-06-30')).toBe(false);
    expect(fold.viewAsOf(corrected2.facts, '2013-06-30').values).toEqual({ a: 2, c: 4 });
    // In doubt (a revision the facts do not end at), fold again.
    expect(unchangedAsOf(corrected2, 3, 7, '2013-06-30')).toBe(false);
  });
});
