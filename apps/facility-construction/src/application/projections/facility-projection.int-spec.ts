import 'reflect-metadata';
import { describeProjectionOnRealMongo } from '../../../../../libs/read-store/src/testing/projection-checks';
import { facilityStory } from '../../domain/testing/story';
import { FacilityProjection } from './facility-projection';
import { everyAnswer, queriesOver, runStep, snapshot } from './testing/story';

/**
 * The same projection code on MongoDB (FerretDB here) gives the documents it gives in memory: live
 * with a restart, every event twice, and rebuilt from 0; and the current-state queries read from it
 * answer what the fold answers.
 */
describeProjectionOnRealMongo({
  file: __filename,
  name: 'FacilityProjection',
  title:
    'live (with a restart and every event twice) equals in memory, equals a rebuild, and answers as the fold does',
  projection: (store) => new FacilityProjection(store),
  snapshot,
  story: (store, readStore) => {
    const steps = facilityStory();
    const { streams, clock, fold, read } = queriesOver(store, readStore);
    return {
      steps: steps.length,
      append: async (from, to) => {
        for (let n = from; n < Math.min(to, steps.length); n++) await runStep(streams, steps[n], n);
      },
      checkLive: async (live) => {
        expect(Object.values(live).every((docs) => docs.length > 0)).toBe(true);
        expect(await everyAnswer(read, streams)).toEqual(await everyAnswer(fold, streams, clock.today()));
      },
    };
  },
});
