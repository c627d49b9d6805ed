import 'reflect-metadata';
import { NotFound, SqliteEventStore, type RecordedEvent } from '#libs/event-sourcing';
import { RegistryClock, type ProjectionHost } from '#libs/hosting';
import { MemoryReadStore } from '#libs/read-store';
import {
  expectEveryEventTwiceChangesNothing,
  expectLiveRunEqualsRebuild,
  projectNew,
} from '../../../../../libs/read-store/src/testing/projection-checks';
import { DEFAULT_STAFFING_POLICY, STAFFING_EVENT_TYPES } from '../../domain';
import { StaffingQueries } from '../staffing-queries';
import { StaffingStates } from '../staffing-states';
import type { CalendarDocument, CommitteeDocument, PersonDocument, WorkerDocument } from './documents';
import { StaffingProjection } from './staffing-projection';
import {
  appendStep,
  snapshot,
  staffingStory,
  STAFFING_STORY_DISTRICT as D,
  STORY_STREAM,
  type StaffingStoryStep,
} from './testing/story';

/**
 * The staffing projection, event type by event type (GUIDE §4.8): after every decision of a story
 * that produces all of them, the current-state queries answered from the read models equal the
 * answers folded from the events; running events twice changes nothing; a live run with a restart
 * and a rebuild from 0 give the same documents.
 */

const COMMITTEES = ['dfh-rc', 'glr-rc', 'ytxy-rc', 'dg-rc', 'nobody-rc'];
const COMMUNITIES = ['dongfanghong', 'gaolanlu', 'yantan-xinyuan', 'dongfang-gaolan', 'nowhere'];
const PERSONS = [
  ...Array.from({ length: 8 }, (_, i) => `dfh-${i + 1}`),
  'glr-1',
  'w-wang',
  'w-li',
  'w-zhao',
  'w-sun',
  'w-archive',
  'nobody',
];

/** The answer, or the NotFound it throws, so that both paths can be compared. */
const outcome = (p: Promise<unknown>) =>
  p.then(
    (value) => ({ value }),
    (error: unknown) => {
      if (error instanceof NotFound) return { notFound: `${error.entity} ${error.id}` };
      throw error;
    },
  );

/** Every current-state answer the service gives about the story's district. */
async function answers(q: StaffingQueries) {
  const out: Record<string, unknown> = {};
  for (const c of COMMITTEES) out[`composition ${c}`] = await outcome(q.composition(D, c));
  for (const c of COMMUNITIES) out[`roster ${c}`] = await outcome(q.roster(D, c));
  for (const p of PERSONS) {
    out[`posts ${p}`] = await outcome(q.posts(D, p));
    out[`worker ${p}`] = await outcome(q.worker(D, p));
    out[`record ${p}`] = await outcome(q.workerRecord(D, p));
  }
  const calendar = await q.calendar(D);
  out.calendar = calendar;
  // ELECT-2/ELECT-4: the calendar a page of one at a time, following `next` to the last page.
  const pages = [await q.calendar(D, undefined, { limit: 1 })];
  for (let page = pages[0]; 'next' in page; pages.push(page))
    page = await q.calendar(D, undefined, { limit: 1, after: page.next });
  expect(pages.flatMap((p) => p.entries)).toEqual(calendar.entries);
  out.calendarPages = pages;
  out.qualifications = await q.qualificationRatio(D);
  out.city = await q.cityQualificationRatio();
  out.withoutGraduate = await q.withoutGraduate(D);
  out.payFindings = await q.payFindings(D, 2016);
  out.payAndWelfare = await q.payAndWelfare(D, 2016);
  return out;
}

type Snapshot = Awaited<ReturnType<typeof snapshot>>;
const doc = <T>(docs: unknown[], id: string): T | undefined =>
  (docs as Array<T & { _id: string }>).find((d) => d._id === `${D}/${id}`);

/** What some decisions of the story must show in the documents, beyond the comparison. */
const checks: Record<string, (s: Snapshot) => void> = {
  'RecordElectionResults (first term)': (s) => {
    expect(doc<CommitteeDocument>(s.committees, 'dfh-rc')).toMatchObject({
      term: {
        termId: 'term-dfh-e1',
        startsOn: '2013-05-20',
        endsOn: '2016-05-20',
        regimeId: 'organic-law-1989',
      },
      openElection: null,
    });
    expect(doc<CommitteeDocument>(s.committees, 'dfh-rc')?.term?.members[0].role).toBe('chair');
    expect(doc<CalendarDocument>(s.calendar, 'dfh-rc')).toMatchObject({
      listed: true,
      kind: 'term-end',
      dueOn: '2016-05-20',
    });
  },
  'RecordElectionResults (turnout too low)': (s) => {
    expect(doc<CommitteeDocument>(s.committees, 'glr-rc')).toMatchObject({
      term: null,
      openElection: { electionId: 'glr-e1', status: 'failed' },
    });
  },
  'RecordElectionResults (by-election)': (s) => {
    expect(doc<CommitteeDocument>(s.committees, 'dfh-rc')?.term?.size).toBe(8);
  },
  TransferWorker: (s) => {
    expect(doc<WorkerDocument>(s.workers, 'w-li')).toMatchObject({
      communityId: 'gaolanlu',
      post: '服务站站长',
    });
  },
  'RecordPay w-li': (s) => {
    expect(doc<WorkerDocument>(s.workers, 'w-li')?.pay).toEqual([
      expect.objectContaining({ year: 2016, annualPayYuan: 40000, belowFloor: true, housingFund: false }),
    ]);
  },
  AssignPost: (s) => {
    expect(doc<PersonDocument>(s.persons, 'dfh-1')?.posts.map((p) => [p.body, p.post])).toEqual([
      ['residents-committee', 'chair'],
      ['party-organization', '书记'],
    ]);
  },
  EndPost: (s) => {
    expect(doc<PersonDocument>(s.persons, 'w-wang')?.posts.map((p) => p.body)).toEqual(['service-station']);
  },
  WorkerLeaves: (s) => {
    expect(doc<WorkerDocument>(s.workers, 'w-sun')).toMatchObject({ status: 'left', communityId: null });
  },
  'RecordElectionResults (re-election)': (s) => {
    expect(doc<CommitteeDocument>(s.committees, 'dfh-rc')).toMatchObject({
      term: { termId: 'term-dfh-e2', endsOn: '2019-05-15' },
      lastEndedTerm: { termId: 'term-dfh-e1', reason: 'succeeded' },
    });
  },
  'CallElection (merger)': (s) => {
    expect(doc<CommitteeDocument>(s.committees, 'dfh-rc')).toMatchObject({
      term: null,
      lastEndedTerm: { termId: 'term-dfh-e2', endedOn: '2017-07-01', reason: 'merger' },
    });
    expect(doc<CalendarDocument>(s.calendar, 'glr-rc')).toMatchObject({
      listed: false,
      kind: null,
      dueOn: null,
    });
    expect(doc<CalendarDocument>(s.calendar, 'dg-rc')).toMatchObject({
      listed: true,
      kind: 'called-election',
      electionId: 'dg-e1',
    });
    expect(doc<PersonDocument>(s.persons, 'dfh-1')?.posts.map((p) => p.body)).toEqual(['party-organization']);
  },
  'EndTerms (dissolution)': (s) => {
    expect(doc<CalendarDocument>(s.calendar, 'ytxy-rc')?.listed).toBe(false);
    expect(doc<CommitteeDocument>(s.committees, 'ytxy-rc')?.openElection).toBeNull();
  },
  'HireWorker (backfilled from the 2012 archive)': (s) => {
    expect(doc<WorkerDocument>(s.workers, 'w-archive')).toMatchObject({
      hiredOn: '2012-05-01',
      status: 'employed',
      communityId: 'gaolanlu',
    });
  },
};

describe('StaffingProjection', () => {
  let store: SqliteEventStore;
  let steps: StaffingStoryStep[];

  beforeEach(async () => {
    store = await SqliteEventStore.open({ file: ':memory:' });
    steps = staffingStory().steps;
  });
  afterEach(async () => {
    await store.close();
  });

  it('ELECT-1/ELECT-2/ELECT-4/STAFF-1..6/ORG-2 projects every event type: after each decision the read models answer what the fold answers', async () => {
    const readStore = new MemoryReadStore();
    const projection = new StaffingProjection(store);
    const states = new StaffingStates(store, DEFAULT_STAFFING_POLICY);
    const folded = new StaffingQueries(states, DEFAULT_STAFFING_POLICY, new RegistryClock());
    const host = { fresh: async () => undefined, readStore } as unknown as ProjectionHost;
    const fromReadModels = new StaffingQueries(states, DEFAULT_STAFFING_POLICY, new RegistryClock(), host);
    const seen = new Set<string>();
    const checked = new Set<string>();
    let position = 0;
    for (const step of steps) {
      await appendStep(store, step);
      position = await projectNew(store, projection, readStore, position);
      for (const e of step.events) seen.add(e.event.type);

      expect(await answers(fromReadModels)).toEqual(await answers(folded));

      // Every document carries the revision of the last event that changed it, and no later one.
      const s = await snapshot(readStore);
      const events = await store.readStream(STORY_STREAM);
      const head = events[events.length - 1].streamRevision;
      for (const d of Object.values(s).flat() as unknown as Array<{ revision: number; district: string }>) {
        expect(d.revision).toBeLessThanOrEqual(head);
        expect(d.district).toBe(D);
      }
      const check = checks[step.label];
      if (check) {
        check(s);
        checked.add(step.label);
      }
    }
    expect([...seen].sort()).toEqual([...STAFFING_EVENT_TYPES].sort());
    expect([...checked].sort()).toEqual(Object.keys(checks).sort());
    // The comparison compared something: the story's answers are not all empty.
    const final = await answers(fromReadModels);
    expect(final.calendar).toMatchObject({ entries: [expect.objectContaining({ committeeId: 'dg-rc' })] });
    expect(final['composition dfh-rc']).toEqual({
      notFound: expect.stringContaining('committee term dfh-rc'),
    });
    expect(final.payFindings).toMatchObject({ findings: [expect.objectContaining({ personId: 'w-li' })] });
  });

  it('running every event twice changes nothing, with the same projection or a fresh one', async () => {
    for (const step of steps) await appendStep(store, step);
    const once = await expectEveryEventTwiceChangesNothing(
      store,
      () => new StaffingProjection(store),
      snapshot,
    );
    expect(once.workers.length).toBeGreaterThan(0);
  });

  it('live, a document keeps the revision of the last event that changed it; rebuilt, that of the head', async () => {
    const readStore = new MemoryReadStore();
    const projection = new StaffingProjection(store);
    let position = 0;
    for (const step of steps) {
      await appendStep(store, step);
      position = await projectNew(store, projection, readStore, position);
    }
    const events = await store.readStream(STORY_STREAM);
    const cancelled = events.filter((e: RecordedEvent) => e.type === 'ElectionCancelled');
    // 皋兰路's election was superseded by the merger, its last change; nothing later touched it. Its
    // document holds the district as the merger's decision (its events appended at once) left it.
    const glr = await readStore.collection<CommitteeDocument>('committees').findOne({ _id: `${D}/glr-rc` });
    const merger = events.filter(
      (e: RecordedEvent) => e.metadata.correlationId === cancelled[0].metadata.correlationId,
    );
    expect(glr?.revision).toBe(merger.at(-1)!.streamRevision);
    expect(glr?.revision).toBeLessThan(events[events.length - 1].streamRevision);
    // Rebuilt, every document is derived once from the district's state at its head.
    const rebuilt = new MemoryReadStore();
    await projectNew(store, new StaffingProjection(store), rebuilt, 0);
    const again = await rebuilt.collection<CommitteeDocument>('committees').findOne({ _id: `${D}/glr-rc` });
    expect(again?.revision).toBe(events[events.length - 1].streamRevision);
  });

  it('live with a restart halfway gives the documents of a rebuild from 0, and rebuild() gives them again', async () => {
    const { live, report } = await expectLiveRunEqualsRebuild({
      store,
      readStore: new MemoryReadStore(),
      newProjection: () => new StaffingProjection(store),
      snapshot,
      steps: steps.length,
      append: async (from, to) => {
        for (const step of steps.slice(from, to)) await appendStep(store, step);
      },
    });
    expect(report.counts).toEqual({
      committees: live.committees.length,
      'election-calendar': live.calendar.length,
      persons: live.persons.length,
      workers: live.workers.length,
    });
  });
});
