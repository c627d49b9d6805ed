import { bitemporalFold, decisionFactsOf, factsAbout, type BitemporalFact, type EventContext } from './index';

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
