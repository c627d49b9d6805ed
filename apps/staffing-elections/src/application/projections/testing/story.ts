import type { EventStore } from '#libs/event-sourcing';
import type { ReadStore } from '#libs/read-store';
import { appendDecision } from '../../../../../../libs/read-store/src/testing/projection-checks';
import { STAFFING_STORY_DISTRICT, type StaffingStoryStep } from '../../../domain/testing/story';
import { STAFFING_COLLECTIONS } from '../documents';

export { staffingStory, STAFFING_STORY_DISTRICT } from '../../../domain/testing/story';
export type { StaffingStoryStep } from '../../../domain/testing/story';

export const STORY_STREAM = `district-${STAFFING_STORY_DISTRICT}`;

/** Appends one step of the story as one decision, with the History's event ids and envelope. */
export const appendStep = (store: EventStore, step: StaffingStoryStep): Promise<void> =>
  appendDecision(store, STORY_STREAM, step.events, {
    subject: 'clerk-chengguan-01',
    roles: ['officer'],
    districtScope: '城关区',
  });

/** Every document of the staffing read models, sorted by id: what "identical" compares. */
export async function snapshot(readStore: ReadStore) {
  const all = (name: string) => readStore.collection(name).find({}, { sort: { _id: 1 } });
  return {
    committees: await all(STAFFING_COLLECTIONS.committees),
    calendar: await all(STAFFING_COLLECTIONS.calendar),
    persons: await all(STAFFING_COLLECTIONS.persons),
    workers: await all(STAFFING_COLLECTIONS.workers),
  };
}
