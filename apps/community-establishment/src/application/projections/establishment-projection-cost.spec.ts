import 'reflect-metadata';
import { SqliteEventStore } from '#libs/event-sourcing';
import { MemoryReadStore } from '#libs/read-store';
import {
  appendDecision,
  costOfProjecting,
  projectNew,
} from '../../../../../libs/read-store/src/testing/projection-checks';
import { chengguan } from '../../domain/testing/given-when-then';
import { ESTABLISHMENT_COLLECTIONS } from './documents';
import { EstablishmentProjection } from './establishment-projection';

/**
 * What one event costs the establishment projection: the documents it writes and the documents it
 * serialises to compare. An event applied in place (no backfill, no correction) touches a few
 * areas and communities; the rest of the district must not be rewritten, nor serialised, so that a
 * command costs the same in a district of 10 areas and of 200.
 */

const ACTOR = { subject: 'clerk-chengguan-01', roles: ['district-clerk'], districtScope: '620102' };
const STREAM = 'district-chengguan';

/**
 * 城关区 with `extra` more areas of 东方红 (each adjacent to the one before), projected; then one
 * decision, projected alone: what it wrote per collection and how many documents it serialised.
 */
async function costOfOneDecision(
  extra: number,
  decide: (h: ReturnType<typeof chengguan>) => void,
): Promise<{ writes: Record<string, number>; serialised: number }> {
  const store = await SqliteEventStore.open({ file: ':memory:' });
  try {
    const h = chengguan();
    for (let k = 0; k < extra; k++)
      h.do(
        'RegisterArea',
        {
          areaId: `a-dfh-${k}`,
          name: `东方红${k}片`,
          kind: 'existing-town-area',
          subDistrict: '雁滩街道',
          households: 300,
          adjacentAreaIds: [k === 0 ? 'a-dfh' : `a-dfh-${k - 1}`],
          responsibility: { kind: 'own-committee', communityId: 'dongfanghong' },
        },
        '2008-01-01',
      );
    const before = h.facts.length;
    await appendDecision(
      store,
      STREAM,
      h.facts.map((f) => ({
        eventId: f.eventId,
        event: f.event,
        effectiveAt: f.effectiveAt,
        correlationId: f.correlationId,
        legalBasis: f.legalBasis,
      })),
      ACTOR,
    );
    const projection = new EstablishmentProjection(store);
    const memory = new MemoryReadStore();
    const position = await projectNew(store, projection, memory, 0);

    decide(h);
    await appendDecision(
      store,
      STREAM,
      h.facts.slice(before).map((f) => ({
        eventId: f.eventId,
        event: f.event,
        effectiveAt: f.effectiveAt,
        correlationId: f.correlationId,
        legalBasis: f.legalBasis,
      })),
      ACTOR,
    );
    return await costOfProjecting(store, projection, memory, position);
  } finally {
    await store.close();
  }
}

describe('EstablishmentProjection: one event writes only the documents it touches', () => {
  it('an occupancy report writes its decision and its area, and costs the same with 10 or 200 areas', async () => {
    const report = (h: ReturnType<typeof chengguan>) =>
      h.do('ReportOccupancy', { areaId: 'a-dfh-3', occupiedHouseholds: 120 }, '2009-01-01');
    const small = await costOfOneDecision(10, report);
    const large = await costOfOneDecision(200, report);
    expect(large.writes).toEqual({
      [ESTABLISHMENT_COLLECTIONS.decisions]: 1,
      [ESTABLISHMENT_COLLECTIONS.areas]: 1,
    });
    expect(large).toEqual(small);
  });

  it('a household update writes its area, the same with 10 or 200 areas', async () => {
    const update = (h: ReturnType<typeof chengguan>) =>
      h.do('UpdateAreaHouseholds', { areaId: 'a-dfh-3', households: 310 }, '2009-01-01');
    const small = await costOfOneDecision(10, update);
    const large = await costOfOneDecision(200, update);
    expect(large.writes[ESTABLISHMENT_COLLECTIONS.areas]).toBe(1);
    expect(large).toEqual(small);
  });

  it('a post assigned writes its community only, the same with 10 or 200 areas', async () => {
    const assign = (h: ReturnType<typeof chengguan>) =>
      h.do(
        'AssignPost',
        { personId: 'p-li', communityId: 'gaolanlu', body: 'residents-committee', post: '主任' },
        '2009-01-01',
      );
    const small = await costOfOneDecision(10, assign);
    const large = await costOfOneDecision(200, assign);
    expect(large.writes).toEqual({
      [ESTABLISHMENT_COLLECTIONS.decisions]: 1,
      [ESTABLISHMENT_COLLECTIONS.communities]: 1,
    });
    expect(large).toEqual(small);
  });
});
