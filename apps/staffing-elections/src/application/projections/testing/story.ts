import type { EventStore, NewEvent } from '#libs/event-sourcing';
import type { ReadStore } from '#libs/read-store';
import { STAFFING_STORY_DISTRICT, type StaffingStoryStep } from '../../../domain/testing/story';
import { STAFFING_COLLECTIONS } from '../documents';

export { staffingStory, STAFFING_STORY_DISTRICT } from '../../../domain/testing/story';
export type { StaffingStoryStep } from '../../../domain/testing/story';

export const STORY_STREAM = `district-${STAFFING_STORY_DISTRICT}`;

/** Appends one step of the story as one decision, with the History's event ids and envelope. */
export async function appendStep(store: EventStore, step: StaffingStoryStep): Promise<void> {
  const events: NewEvent[] = step.events.map((e) => ({
    eventId: e.eventId,
    type: e.event.type,
    schemaVersion: 1,
    data: e.event.data,
    metadata: {
      effectiveAt: e.effectiveAt,
      actor: { subject: 'clerk-chengguan-01', roles: ['officer'], districtScope: '城关区' },
      legalBasis: e.legalBasis,
      ruleIds: e.event.ruleIds,
      correlationId: e.correlationId,
      causationId: null,
    },
  }));
  await store.appendToStream(STORY_STREAM, events, { expectedRevision: 'any' });
}

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
