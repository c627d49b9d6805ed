import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  amendedFact,
  factHistoryOf,
  factsAbout,
  foldEvents,
  loadState,
  SqliteEventStore,
  type RecordedEvent,
} from '#libs/event-sourcing';
import {
  activeBodiesOf,
  bodyKeys,
  applyToView,
  areaFacts,
  communityFacts,
  coverageFindings,
  emptyView,
  establishmentDecider,
  responsibilityOn,
  timelineFacts,
  timelineOf,
  viewAsOf,
  type DistrictState,
  type Fact,
} from '../apps/community-establishment/src/domain';
import { areasNamedWith } from '../apps/community-establishment/src/domain/decide/coverage';
import type { CoverageFinding } from '../apps/community-establishment/src/domain/events';
import {
  facilitiesStreamId,
  facilityDecider,
  factsNaming,
  timelineFactsNaming,
  timelineFactsOf,
  timelineOf as facilityTimelineOf,
  type FacilityState,
} from '../apps/facility-construction/src/domain';
import {
  committeeFacts,
  committeeTimeline,
  postsOfPersons,
  staffingDecider,
  termInOffice,
  viewAsOf as staffingViewAsOf,
  type PersonPost,
  type StaffingState,
  type StaffingView,
} from '../apps/staffing-elections/src/domain';
import { runSeed } from '../scripts/seed';

/*
 * EST-7, EST-8: a question about one area or community is answered from the facts indexed by
 * entity (areaFacts, communityFacts, timelineFacts), not from a fold of the whole district. Over
 * the seeded history (mergers, splits, proxies, residents' groups, corrections), every such answer
 * must equal the one the whole district's fold gives, on every year's first day and on every date
 * a decision about the entity took effect.
 */

let dir: string;
const states = new Map<string, DistrictState>();
const staffing = new Map<string, StaffingState>();
const facilities = new Map<string, FacilityState>();
/** Each service's events per district stream, as stored. */
const streams = new Map<string, RecordedEvent[]>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'entity-questions-'));
  const seeded = await runSeed({ scale: 'small', dataDir: dir });
  expect(seeded.finished).toBe(true);
  const store = await SqliteEventStore.open({ file: join(dir, 'community-establishment.sqlite') });
  try {
    for (const code of ['chengguan', 'qilihe', 'anning']) {
      const { state, newEvents } = await loadState(store, establishmentDecider(), `district-${code}`);
      states.set(code, state);
      streams.set(`community-establishment/${code}`, [...newEvents]);
    }
  } finally {
    await store.close();
  }
  for (const [service, load] of [
    [
      'staffing-elections',
      async (s: SqliteEventStore, code: string) => {
        const loaded = await loadState(s, staffingDecider(), `district-${code}`);
        staffing.set(code, loaded.state);
        streams.set(`staffing-elections/${code}`, [...loaded.newEvents]);
      },
    ],
    [
      'facility-construction',
      async (s: SqliteEventStore, code: string) => {
        const loaded = await loadState(s, facilityDecider(), facilitiesStreamId(code));
        facilities.set(code, loaded.state);
        streams.set(`facility-construction/${code}`, [...loaded.newEvents]);
      },
    ],
  ] as const) {
    const other = await SqliteEventStore.open({ file: join(dir, `${service}.sqlite`) });
    try {
      for (const code of ['chengguan', 'qilihe', 'anning']) await load(other, code);
    } finally {
      await other.close();
    }
  }
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const YEARS = Array.from({ length: 23 }, (_, i) => `${2005 + i}-01-01`);

/** Every year's first day and every effective date of a decision naming the entity (and the eve). */
function datesAbout(state: DistrictState, entity: string): string[] {
  const dates = new Set(YEARS);
  for (const f of state.factsByEntity.get(entity) ?? []) {
    dates.add(f.effectiveAt);
    const eve = new Date(`${f.effectiveAt}T00:00:00Z`);
    eve.setUTCDate(eve.getUTCDate() - 1);
    dates.add(eve.toISOString().slice(0, 10));
  }
  return [...dates].sort();
}

const entitiesOfKind = (state: DistrictState, kind: string): string[] =>
  [...state.factsByEntity.keys()]
    .filter((e) => e.startsWith(`${kind}:`))
    .map((e) => e.slice(kind.length + 1));

describe.each(['chengguan', 'qilihe', 'anning'])(
  'questions about one entity in %s (EST-7, EST-8)',
  (code) => {
    it('the seeded district has the history the comparison needs', () => {
      const state = states.get(code)!;
      const types = new Set(state.facts.map((f) => f.event.type));
      expect(entitiesOfKind(state, 'area').length).toBeGreaterThan(5);
      if (code === 'chengguan')
        for (const t of ['CommitteesMerged', 'CommitteeSplit', 'ProxyManagementStarted', 'DecisionCorrected'])
          expect(types).toContain(t);
    });

    it("an area on a date, and who was responsible for it, as the district's fold says", () => {
      const state = states.get(code)!;
      let compared = 0;
      for (const areaId of entitiesOfKind(state, 'area')) {
        const subset = areaFacts(state, areaId);
        expect(subset.length).toBeLessThan(state.facts.length);
        for (const on of datesAbout(state, `area:${areaId}`)) {
          const whole = viewAsOf(state.facts, on);
          const part = viewAsOf(subset, on);
          expect({ area: part.areas[areaId], bodies: activeBodiesOf(part, areaId) }).toEqual({
            area: whole.areas[areaId],
            bodies: activeBodiesOf(whole, areaId),
          });
          expect(responsibilityOn(subset, areaId, on)).toEqual(responsibilityOn(state.facts, areaId, on));
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(100);
    });

    it("a community on a date, with its posts, as the district's fold says", () => {
      const state = states.get(code)!;
      for (const communityId of entitiesOfKind(state, 'community')) {
        const subset = communityFacts(state, communityId);
        for (const on of datesAbout(state, `community:${communityId}`)) {
          const whole = viewAsOf(state.facts, on);
          const part = viewAsOf(subset, on);
          expect({
            community: part.communities[communityId],
            posts: part.posts.filter((p) => p.communityId === communityId),
          }).toEqual({
            community: whole.communities[communityId],
            posts: whole.posts.filter((p) => p.communityId === communityId),
          });
        }
      }
    });

    it('the timeline of every entity, corrections beside what they corrected', () => {
      const state = states.get(code)!;
      for (const entity of state.factsByEntity.keys())
        expect(timelineOf(timelineFacts(state, entity), entity)).toEqual(timelineOf(state.facts, entity));
    });
  },
);

describe.each(['chengguan', 'qilihe', 'anning'])('EST-7 guard candidates in %s', (code) => {
  it('every area a body is responsible for is among the areas the decisions name with that body', () => {
    const state = states.get(code)!;
    let checked = 0;
    // Every third year, and each day a proxy or a residents' group began (bodies not a community's own).
    const begun = state.facts
      .filter((f) => f.event.type === 'ProxyManagementStarted' || f.event.type === 'ResidentsGroupFormed')
      .map((f) => f.effectiveAt);
    for (const on of [...YEARS.filter((_, i) => i % 3 === 0), ...new Set(begun), undefined]) {
      const view = on === undefined ? state.view : viewAsOf(state.facts, on);
      const areasOf = new Map<string, Set<string>>();
      for (const area of Object.values(view.areas))
        for (const b of area.responsibleBodies)
          for (const key of bodyKeys(b)) {
            if (!areasOf.has(key)) areasOf.set(key, new Set());
            areasOf.get(key)!.add(area.areaId);
          }
      for (const [key, areas] of areasOf) {
        const named = areasNamedWith(state, view, [key]);
        for (const areaId of areas) expect([key, areaId, named.has(areaId)]).toEqual([key, areaId, true]);
        checked += areas.size;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });
});

/** EST-7 the plain way: every area of the map judged at the end of every day of the history. */
function everyAreaEveryDay(facts: readonly Fact[]): CoverageFinding[] {
  const view = emptyView();
  const open = new Map<string, CoverageFinding>();
  const findings: CoverageFinding[] = [];
  const ordered = facts
    .filter((f) => !f.annulled && f.event.type !== 'DecisionCorrected')
    .sort((a, b) => (a.effectiveAt < b.effectiveAt ? -1 : a.effectiveAt > b.effectiveAt ? 1 : a.seq - b.seq));
  ordered.forEach((f, i) => {
    applyToView(view, f.event, f.effectiveAt);
    if (ordered[i + 1]?.effectiveAt === f.effectiveAt) return;
    for (const areaId of Object.keys(view.areas)) {
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
  });
  return [...findings, ...open.values()].sort((a, b) =>
    a.from < b.from ? -1 : a.from > b.from ? 1 : a.areaId.localeCompare(b.areaId),
  );
}

describe('coverage findings judged only where a day changed something (EST-7)', () => {
  /**
   * The seeded history keeps EST-7, so it has nothing to find; corrections are what leave gaps and
   * overlaps in the past. This is the history with every third decision that put a body in charge
   * or ended one annulled, or moved half a year later, as corrections could have done.
   */
  function corrected(facts: readonly Fact[], how: 'annulled' | 'moved'): Fact[] {
    let k = 0;
    return facts.map((f) => {
      if (!/Registered|Formed|Disbanded|Proxy|Committee|Transferred/.test(f.event.type) || k++ % 3 !== 0)
        return f;
      if (how === 'annulled') return amendedFact(f, { annulled: true });
      const later = new Date(`${f.effectiveAt}T00:00:00Z`);
      later.setUTCDate(later.getUTCDate() + 180);
      return amendedFact(f, { effectiveAt: later.toISOString().slice(0, 10) });
    });
  }

  it.each(['as recorded', 'annulled', 'moved'] as const)(
    'are the findings of judging every area every day, in every seeded district: history %s',
    (how) => {
      let found = 0;
      for (const state of states.values()) {
        const facts = how === 'as recorded' ? state.facts : corrected(state.facts, how);
        const expected = everyAreaEveryDay(facts);
        expect(coverageFindings(facts)).toEqual(expected);
        found += expected.length;
      }
      if (how === 'as recorded') expect(found).toBe(0);
      else expect(found).toBeGreaterThan(10);
    },
  );
});

describe.each(['chengguan', 'qilihe', 'anning'])('timelines of the other two services in %s', (code) => {
  it("a committee's timeline (elections, terms, followed corrections) from the facts indexed by entity", () => {
    const state = staffing.get(code)!;
    const committees = [...state.factsByEntity.keys()].filter((e) => e.startsWith('committee:'));
    expect(committees.length).toBeGreaterThan(1);
    for (const entity of committees) {
      const id = entity.slice('committee:'.length);
      const entries = committeeTimeline(state.facts, id);
      expect(committeeTimeline(committeeFacts(state, id), id)).toEqual(entries);
      expect(entries.length).toBeGreaterThan(0);
    }
  });

  it('a project, community or facility timeline on every year, from the facts indexed by entity', () => {
    const state = facilities.get(code)!;
    expect(state.factsByEntity.size).toBeGreaterThan(5);
    for (const entity of state.factsByEntity.keys())
      for (const on of [undefined, ...YEARS.filter((_, i) => i % 4 === 0)]) {
        expect(facilityTimelineOf(factsNaming(state, entity), entity, on)).toEqual(
          facilityTimelineOf(state.facts, entity, on),
        );
        // Paged on the facts' own dates before any decision is read: the same decisions in order.
        expect(timelineFactsNaming(state, entity, on)).toEqual(timelineFactsOf(state.facts, entity, on));
      }
  });
});

/** ORG-2 person by person, as the registry asked it before: every committee for each person. */
function postsOfOnePerson(view: StaffingView, personId: string, on: string): PersonPost[] {
  const posts: PersonPost[] = [];
  for (const c of Object.values(view.committees)) {
    const term = termInOffice(view, c.committeeId, on);
    const m = term?.members.find((x) => x.personId === personId);
    if (term && m)
      posts.push({
        communityId: c.communityId,
        body: 'residents-committee',
        post: m.role,
        since: term.startsOn,
        source: 'election',
      });
  }
  const w = view.workers[personId];
  if (w?.status === 'employed')
    posts.push({
      communityId: w.communityId!,
      body: 'service-station',
      post: w.post,
      since: w.employment.at(-1)?.from ?? w.hiredOn,
      source: 'employment',
    });
  for (const p of view.posts)
    if (p.personId === personId)
      posts.push({
        communityId: p.communityId,
        body: p.body,
        post: p.post,
        since: p.since,
        source: 'appointment',
      });
  return posts;
}

it("ORG-2: the posts of all persons of a district in one pass are each person's posts", () => {
  let held = 0;
  for (const state of staffing.values())
    for (const on of YEARS.filter((_, i) => i % 3 === 0)) {
      const view = staffingViewAsOf(state.facts, on);
      const persons = new Set([
        ...Object.keys(view.workers),
        ...view.posts.map((p) => p.personId),
        ...Object.values(view.terms).flatMap((t) => t.members.map((m) => m.personId)),
      ]);
      const all = postsOfPersons(view, persons, on);
      for (const personId of persons) {
        expect(all.get(personId)).toEqual(postsOfOnePerson(view, personId, on));
        held += all.get(personId)!.length;
      }
    }
  expect(held).toBeGreaterThan(50);
});

/*
 * EST-8: a correction or a backfill leaves the view, the latest effective date and the chronology
 * index to be settled when the state is next read, so a replay settles once, not once per
 * correction. Read after every event or only now and then, the state must be the same.
 */
/**
 * The seeded corrections only re-base legal bases; this is the establishment history with, every
 * 40 decisions, one 20 decisions back annulled or moved a month earlier, and every 30 decisions a
 * backfill: a copy of an earlier occupancy report recorded now, effective a year before it.
 */
function withCorrectionsAndBackfills(events: readonly RecordedEvent[]): RecordedEvent[] {
  const out: RecordedEvent[] = [];
  events.forEach((event, i) => {
    out.push(event);
    const target = events[i - 20];
    if (i % 40 === 39 && target && target.type !== 'DecisionCorrected') {
      const earlier = new Date(`${target.metadata.effectiveAt.slice(0, 10)}T00:00:00Z`);
      earlier.setUTCDate(earlier.getUTCDate() - 30);
      out.push({
        ...event,
        eventId: `correction-${i}`,
        type: 'DecisionCorrected',
        data: {
          correctsEventId: target.eventId,
          correctsType: target.type,
          reason: 'archive',
          correctedEffectiveAt: i % 80 === 39 ? null : earlier.toISOString().slice(0, 10),
          correctedLegalBasis: null,
          annulled: i % 80 === 39,
          coverageFindings: [],
        },
        metadata: { ...event.metadata, ruleIds: ['EST-8'] },
      });
    }
    const copied = events.slice(0, i).findLast((e) => e.type === 'OccupancyReported');
    if (i % 30 === 29 && copied) {
      const yearBefore = `${Number(copied.metadata.effectiveAt.slice(0, 4)) - 1}${copied.metadata.effectiveAt.slice(4, 10)}`;
      out.push({
        ...copied,
        eventId: `backfill-${i}`,
        metadata: { ...copied.metadata, effectiveAt: yearBefore },
      });
    }
  });
  return out.map((e, revision) => ({ ...e, streamRevision: revision }));
}

describe.each(['chengguan', 'qilihe'])(
  'a corrected and backfilled establishment history in %s (EST-8)',
  (code) => {
    it('settled late is the state settled at every event', () => {
      const events = withCorrectionsAndBackfills(streams.get(`community-establishment/${code}`)!);
      const d = establishmentDecider();
      let eager = d.initialState();
      let lazy = d.initialState();
      const settled = (s: DistrictState) => {
        const { asOf: _stamp, ...view } = s.view;
        return { view, latest: s.latestEffectiveAt, index: Object.fromEntries(s.lastEffectiveByEntity) };
      };
      let corrected = 0;
      events.forEach((event, i) => {
        eager = foldEvents(d, eager, [event]);
        settled(eager);
        lazy = foldEvents(d, lazy, [event]);
        const unusual = event.type === 'DecisionCorrected' || event.eventId.startsWith('backfill-');
        if (unusual) corrected++;
        if (unusual || i % 97 === 96 || i === events.length - 1)
          expect(settled(lazy)).toEqual(settled(eager));
      });
      expect(corrected).toBeGreaterThan(5);
      expect(lazy.facts.filter((f) => f.annulled).length).toBeGreaterThan(0);
    });
  },
);

describe.each([
  ['community-establishment', () => establishmentDecider()],
  ['staffing-elections', () => staffingDecider()],
  ['facility-construction', () => facilityDecider()],
] as const)('%s: a state settled late is the state settled at every event (EST-8)', (service, decider) => {
  it.each(['chengguan', 'qilihe', 'anning'])('in %s', (code) => {
    const events = streams.get(`${service}/${code}`)!;
    const d = decider() as unknown as Parameters<typeof foldEvents>[0];
    type Settled = { view: unknown; latestEffectiveAt: string; lastEffectiveByEntity: Map<string, string> };
    // The current view's `asOf` stamp is left by the last fold step (a date, or null after a
    // refold) and no answer reads it; everything else must be the same.
    const settled = (state: unknown) => {
      const s = state as Settled;
      const { asOf: _stamp, ...view } = s.view as { asOf?: unknown };
      return {
        view,
        latest: s.latestEffectiveAt,
        index: Object.fromEntries(s.lastEffectiveByEntity),
      };
    };
    let eager = d.initialState();
    let lazy = d.initialState();
    let corrections = 0;
    events.forEach((event, i) => {
      eager = foldEvents(d, eager, [event]);
      settled(eager);
      lazy = foldEvents(d, lazy, [event]);
      const correction = /Correct/.test(event.type);
      if (correction) corrections++;
      // Read now and then, and right after each correction.
      if (correction || i % 97 === 96 || i === events.length - 1)
        expect(settled(lazy)).toEqual(settled(eager));
    });
    expect(events.length).toBeGreaterThan(50);
    if (code === 'chengguan') expect(corrections).toBeGreaterThan(0);
  });
});

/*
 * The embedded store's states keep light facts: the envelope and event of all but the most
 * recent are read back from the store when asked. Kept to 16 here, so that nearly every fact of
 * the seeded districts is read back, their answers must be the answers of whole facts.
 */
describe('light facts, read back from the store, answer as whole facts do', () => {
  const plain = (f: object) => JSON.parse(JSON.stringify(f)) as unknown;
  async function lightly<S>(
    service: string,
    streamId: string,
    decider: { initialState: (history?: never) => S; evolve: unknown },
    check: (light: S) => void,
  ): Promise<void> {
    const store = await SqliteEventStore.open({ file: join(dir, `${service}.sqlite`), readOnly: true });
    try {
      const history = { ...factHistoryOf(store, streamId)!, keep: 16 };
      const d = decider as unknown as Parameters<typeof foldEvents>[0];
      const light = foldEvents(
        d,
        decider.initialState(history as never),
        await store.readStream(streamId),
      ) as S;
      check(light);
    } finally {
      await store.close();
    }
  }

  it.each(['chengguan', 'qilihe', 'anning'])('in %s', async (code) => {
    const whole = states.get(code)!;
    await lightly(
      'community-establishment',
      `district-${code}`,
      establishmentDecider(),
      (light: DistrictState) => {
        expect(light.view).toEqual(whole.view);
        for (const on of YEARS) expect(viewAsOf(light.facts, on)).toEqual(viewAsOf(whole.facts, on));
        for (const entity of whole.factsByEntity.keys()) {
          expect(factsAbout(light, [entity]).map(plain)).toEqual(factsAbout(whole, [entity]).map(plain));
          expect(timelineOf(timelineFacts(light, entity), entity)).toEqual(timelineOf(whole.facts, entity));
        }
        expect(coverageFindings(light.facts)).toEqual(coverageFindings(whole.facts));
      },
    );
    const staffed = staffing.get(code)!;
    await lightly('staffing-elections', `district-${code}`, staffingDecider(), (light: StaffingState) => {
      expect(light.view).toEqual(staffed.view);
      for (const id of entitiesOfKind(staffed as unknown as DistrictState, 'committee'))
        expect(committeeTimeline(committeeFacts(light, id), id)).toEqual(
          committeeTimeline(staffed.facts, id),
        );
    });
    const built = facilities.get(code)!;
    await lightly(
      'facility-construction',
      facilitiesStreamId(code),
      facilityDecider(),
      (light: FacilityState) => {
        expect(light.view).toEqual(built.view);
        for (const entity of built.factsByEntity.keys())
          expect(facilityTimelineOf(factsNaming(light, entity), entity, '2026-12-31')).toEqual(
            facilityTimelineOf(built.facts, entity, '2026-12-31'),
          );
      },
    );
  });
});
