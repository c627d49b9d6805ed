import type { EventStore } from '#libs/event-sourcing';
import { RegistryClock, type ProjectionHost } from '#libs/hosting';
import type { ReadStore } from '#libs/read-store';
import { DEFAULT_FACILITY_POLICY } from '../../../domain';
import type { StoryStep } from '../../../domain/testing/story';
import { FacilityQueries } from '../../facility-queries';
import { FacilityStreams } from '../../facility-streams';
import { FACILITY_COLLECTIONS } from '../documents';

/** Runs one step of the story through the service's own stream access (handleCommand + decide). */
export async function runStep(streams: FacilityStreams, step: StoryStep, n: number): Promise<void> {
  const district = step.stream === 'facilities' ? step.district : '';
  await streams.deciding(step.command.type).decide(district, {
    command: step.command,
    context: {
      effectiveAt: step.on,
      actor: { subject: 'clerk-chengguan-01', roles: ['officer'], districtScope: '城关区' },
    },
    legalBasis: `城关区民发〔${step.on.slice(0, 4)}〕${n}号`,
    correlationId: `story-${n}`,
    causationId: null,
  });
}

/** Every document of the facility read models, sorted by id: what "identical" compares. */
export async function snapshot(readStore: ReadStore) {
  const out: Record<string, unknown[]> = {};
  for (const name of Object.values(FACILITY_COLLECTIONS))
    out[name] = await readStore.collection(name).find({}, { sort: { _id: 1 } });
  return out;
}

/** The queries twice: from the fold only, and from the read models (current state). */
export function queriesOver(store: EventStore, readStore: ReadStore) {
  const streams = new FacilityStreams(store, DEFAULT_FACILITY_POLICY);
  const host = { fresh: async () => undefined, readStore } as unknown as ProjectionHost;
  const clock = new RegistryClock();
  return {
    streams,
    clock,
    fold: new FacilityQueries(streams, clock),
    read: new FacilityQueries(streams, clock, host),
  };
}

const attempt = async (work: () => Promise<unknown>): Promise<unknown> => {
  try {
    return await work();
  } catch (error) {
    return { refused: (error as Error).name, message: (error as Error).message };
  }
};

const DISTRICTS = ['chengguan', 'qilihe', 'anning'];

/**
 * Every question the auditor can ask about now, asked of `queries` (with `on` for the fold, without
 * for the read models), for every project and community the fold knows and every funding year.
 */
export async function everyAnswer(queries: FacilityQueries, streams: FacilityStreams, on?: string) {
  const answers: Record<string, unknown> = {};
  for (const district of DISTRICTS) {
    const { projects, communities } = await streams.readFacilities(district, (s) => ({
      projects: Object.keys(s.view.projects),
      communities: [...Object.keys(s.view.communities), 'nowhere'],
    }));
    answers[`${district} projects`] = await attempt(() => queries.projects(district, on));
    for (const id of [...projects, 'p-none'])
      answers[`${district} project ${id}`] = await attempt(() => queries.project(district, id, on));
    // Histories a page at a time: two entries, then the two after the first page's `next`.
    for (const id of projects) {
      const first = await queries.project(district, id, on, { limit: 2 });
      answers[`${district} project ${id} pages`] = [
        first,
        first.next === undefined
          ? null
          : await queries.project(district, id, on, { limit: 2, after: first.next }),
      ];
    }
    for (const id of communities) {
      answers[`${district} community ${id}`] = await attempt(() => queries.community(district, id, on));
      answers[`${district} community ${id} page 2`] = await attempt(async () => {
        const first = await queries.community(district, id, on, { limit: 1 });
        return first.next && (await queries.community(district, id, on, { limit: 1, after: first.next }));
      });
      answers[`${district} functions ${id}`] = await attempt(() =>
        queries.communityFunctions(district, id, on),
      );
    }
    answers[`${district} shortfalls`] = await attempt(() => queries.shortfalls(district, on));
    // FAC-1, FAC-4: the shortfalls a page of one at a time, following `next` to the last page.
    answers[`${district} shortfalls by page`] = await attempt(async () => {
      const pages = [await queries.shortfalls(district, on, { limit: 1 })];
      for (let page = pages[0]; 'next' in page; pages.push(page))
        page = await queries.shortfalls(district, on, { limit: 1, after: page.next });
      return pages;
    });
    answers[`${district} compliance`] = await attempt(() => queries.districtFunctions(district, on));
    answers[`${district} refusals`] = await attempt(() => queries.namingRefusals(district, on));
    answers[`${district} tariffs`] = await attempt(() => queries.tariffFlags(district, on));
    for (const year of [2013, 2014])
      answers[`${district} funding ${year}`] = await attempt(() =>
        queries.districtFunding(district, year, on),
      );
  }
  for (const year of [2013, 2014])
    answers[`city ${year}`] = await attempt(() => queries.cityFunding(year, on));
  return answers;
}
