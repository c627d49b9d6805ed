import 'reflect-metadata';
import { SqliteEventStore } from '#libs/event-sourcing';
import { MemoryReadStore } from '#libs/read-store';
import { costOfProjecting, projectNew } from '../../../../../libs/read-store/src/testing/projection-checks';
import { FACILITY_COMMAND_SCHEMAS, type FacilityCommand } from '../../domain';
import { facilityStory, STORY_DISTRICT, type StoryStep } from '../../domain/testing/story';
import { FACILITY_COLLECTIONS as C } from './documents';
import { FacilityProjection } from './facility-projection';
import { queriesOver, runStep } from './testing/story';

/**
 * What a followed EST-8 correction costs the facility projection: it refolds the district, but only
 * the decisions it follows moved, so it writes (and serialises) the documents of what they name,
 * the same in a district of a few communities and of a hundred.
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
    return await costOfProjecting(store, projection, memory, position);
  } finally {
    await store.close();
  }
}

describe('FacilityProjection: a followed correction writes only the documents it touches', () => {
  it('EST-8: the correction of a change of households rewrites its community, the same with 3 or 100 other communities', async () => {
    const small = await costOfTheCorrection(3);
    const large = await costOfTheCorrection(100);
    expect(large.writes[C.communities]).toBeGreaterThan(0);
    expect(large).toEqual(small);
  });
});
