import 'reflect-metadata';
import { SqliteEventStore } from '#libs/event-sourcing';
import { MemoryReadStore } from '#libs/read-store';
import {
  costInCharsOfProjecting,
  projectNew,
} from '../../../../../libs/read-store/src/testing/projection-checks';
import { FACILITY_COMMAND_SCHEMAS, type FacilityCommand } from '../../domain';
import { facilityStory, STORY_DISTRICT, type StoryStep } from '../../domain/testing/story';
import { FACILITY_COLLECTIONS as C } from './documents';
import { FacilityProjection } from './facility-projection';
import { queriesOver, runStep } from './testing/story';

/**
 * What a followed EST-8 correction costs the facility projection: it refolds the district, but only
 * the decisions it follows moved, so it writes (and serialises) the documents of what they name,
 * the same in a district of a few communities and of a hundred. And what a change of households
 * costs: the community's document and the decision's entry in its history, the same after a few
 * decisions on the community and after hundreds (the history is not inside the document).
 */

/** `count` more communities of the district, established with a facility of their own in 2005. */
function otherCommunities(count: number): StoryStep[] {
  const step = (label: string, command: FacilityCommand): StoryStep => ({
    label,
    on: '2005-03-01',
    stream: 'facilities',
    district: STORY_DISTRICT,
    command,
  });
  return Array.from({ length: count }, (_, k) => [
    step('another community', {
      type: 'RecomputeRequirement',
      data: FACILITY_COMMAND_SCHEMAS.RecomputeRequirement.parse({
        communityId: `other-${k}`,
        households: 1500,
        reason: 'community-established',
        sourceEventId: `est-other-${k}`,
        areaIds: [`a-other-${k}`],
      }),
    }),
    step('its facility', {
      type: 'RecordExistingFacility',
      data: FACILITY_COMMAND_SCHEMAS.RecordExistingFacility.parse({
        communityId: `other-${k}`,
        facilityId: `f-other-${k}`,
        areaM2: 300,
        useRightHolder: 'residents-committee',
        manager: 'sub-district-office',
        functions: ['office'],
      }),
    }),
  ]).flat();
}

/** The story with `others` more communities; the last step (the correction followed) projected alone. */
async function costOfTheCorrection(others: number) {
  const store = await SqliteEventStore.open({ file: ':memory:' });
  try {
    const story = facilityStory();
    const steps = [story[0], ...otherCommunities(others), ...story.slice(1)];
    const last = steps.at(-1)!;
    expect(last.command.type).toBe('FollowEstablishmentCorrection');
    const memory = new MemoryReadStore();
    const { streams } = queriesOver(store, memory);
    const projection = new FacilityProjection(store);
    for (const [n, step] of steps.slice(0, -1).entries()) await runStep(streams, step, n);
    const position = await projectNew(store, projection, memory, 0);
    await runStep(streams, last, steps.length - 1);
    return await costInCharsOfProjecting(store, projection, memory, position);
  } finally {
    await store.close();
  }
}

type Cost = Awaited<ReturnType<typeof costInCharsOfProjecting>>;

/**
 * The same documents written and serialised, of the same size but for the digits of revisions
 * and ids (a revision of 500 is two characters longer than one of 5).
 */
function expectTheSameCost(large: Cost, small: Cost): void {
  expect({ ...large, serialisedChars: 0 }).toEqual({ ...small, serialisedChars: 0 });
  expect(large.serialisedChars).toBeLessThanOrEqual(small.serialisedChars * 1.01);
}

describe('FacilityProjection: a followed correction writes only the documents it touches', () => {
  it('EST-8: the correction of a change of households rewrites the history entries it moved, the same with 3 or 100 other communities', async () => {
    const small = await costOfTheCorrection(3);
    const large = await costOfTheCorrection(100);
    // Its own entry and the recomputation's it moved; the community's figures stand as they were.
    expect(large.writes).toEqual({ [C.decisions]: 2 });
    expectTheSameCost(large, small);
  });
});

/**
 * A community of the story with `earlier` changes of households on record before one more, the
 * establishment service's change of an area's households that the facility service follows (FAC-1);
 * that last change projected alone.
 */
async function costOfAHouseholdChange(earlier: number) {
  const store = await SqliteEventStore.open({ file: ':memory:' });
  try {
    const day = (n: number) => new Date(Date.UTC(2006, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
    const step = (n: number, command: FacilityCommand): StoryStep => ({
      label: 'households',
      on: day(n),
      stream: 'facilities',
      district: STORY_DISTRICT,
      command,
    });
    // Alternately 1500 -> 1600 and back, as an area's households are recounted year after year.
    const recount = (n: number): StoryStep =>
      step(n, {
        type: 'RecountCommunityHouseholds',
        data: FACILITY_COMMAND_SCHEMAS.RecountCommunityHouseholds.parse({
          areaId: 'a-long',
          households: n % 2 === 1 ? 1600 : 1500,
          previous: n % 2 === 1 ? 1500 : 1600,
          sourceEventId: `est-households-${n}`,
        }),
      });
    const steps: StoryStep[] = [
      step(0, {
        type: 'RecomputeRequirement',
        data: FACILITY_COMMAND_SCHEMAS.RecomputeRequirement.parse({
          communityId: 'long-history',
          households: 1500,
          reason: 'community-established',
          sourceEventId: 'est-long-history',
          areaIds: ['a-long'],
        }),
      }),
      ...Array.from({ length: earlier + 1 }, (_, k) => recount(k + 1)),
    ];
    const memory = new MemoryReadStore();
    const { streams } = queriesOver(store, memory);
    const projection = new FacilityProjection(store);
    for (const [n, s] of steps.slice(0, -1).entries()) await runStep(streams, s, n);
    const position = await projectNew(store, projection, memory, 0);
    await runStep(streams, steps.at(-1)!, steps.length - 1);
    const cost = await costInCharsOfProjecting(store, projection, memory, position);
    const events = await store.readAll({ after: position });
    return { cost, events: events.map((e) => e.type) };
  } finally {
    await store.close();
  }
}

describe('FacilityProjection: the cost of a decision does not grow with the history of its community', () => {
  it('FAC-1: a change of households writes and serialises the same documents and characters after 500 earlier decisions as after 4', async () => {
    const short = await costOfAHouseholdChange(4);
    const long = await costOfAHouseholdChange(500);
    expect(long.events).toEqual(['RequirementRecomputed']);
    expect(long.cost.writes).toEqual({ [C.communities]: 1, [C.decisions]: 1 });
    expectTheSameCost(long.cost, short.cost);
  }, 60_000);
});
