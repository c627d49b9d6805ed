import { describeProjectionOnRealMongo } from '../../../../../libs/read-store/src/testing/projection-checks';
import { EstablishmentProjection } from './establishment-projection';
import { appendStep, establishmentStory, snapshot } from './testing/story';

/**
 * The same projection code on MongoDB (FerretDB here) gives the documents it gives in memory: live,
 * twice, and rebuilt from 0.
 */
describeProjectionOnRealMongo({
  file: __filename,
  name: 'EstablishmentProjection',
  projection: (store) => new EstablishmentProjection(store),
  snapshot,
  story: (store) => {
    const { steps } = establishmentStory();
    return {
      steps: steps.length,
      append: async (from, to) => {
        for (const step of steps.slice(from, to)) await appendStep(store, step);
      },
    };
  },
  // One decision document per event.
  checkRebuild: (report) => expect(report.counts.decisions).toBe(report.events),
});
