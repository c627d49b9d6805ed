import { describeProjectionOnRealMongo } from '../../../../../libs/read-store/src/testing/projection-checks';
import { StaffingProjection } from './staffing-projection';
import { appendStep, snapshot, staffingStory } from './testing/story';

/**
 * The same projection code on MongoDB (FerretDB here) gives the documents it gives in memory: live
 * (with a restart), every event twice, and rebuilt from 0 (`rebuildProjection`) equal to the live
 * documents.
 */
describeProjectionOnRealMongo({
  file: __filename,
  name: 'StaffingProjection',
  projection: (store) => new StaffingProjection(store),
  snapshot,
  story: (store) => {
    const { steps } = staffingStory();
    return {
      steps: steps.length,
      append: async (from, to) => {
        for (const step of steps.slice(from, to)) await appendStep(store, step);
      },
      checkLive: (live) => {
        expect(live.committees.map((c) => c._id)).toEqual([
          'chengguan/dfh-rc',
          'chengguan/dg-rc',
          'chengguan/glr-rc',
          'chengguan/ytxy-rc',
        ]);
        expect(live.workers).toHaveLength(5);
      },
    };
  },
  checkRebuild: (report) => expect(report.counts.workers).toBe(5),
});
