import { DISTRICTS } from '#libs/contracts';
import { history, SCALES, type ScaleName } from '../scripts/seed';

/*
 * The seed's sizes of Lanzhou: the full city with one district of 5,000 areas (城关区), and the two
 * smaller sizes the growth benchmark compares it with, the same districts, years and blocks' lives
 * with a tenth and two fifths of every district's blocks.
 */

/** Areas and communities founded in each district over the whole history, counted from the commands. */
function founded(scale: ScaleName) {
  const areas: Record<string, number> = {};
  const communities: Record<string, number> = {};
  for (const c of history(SCALES[scale], (key, type) => `${type}-${key}`)) {
    if (c.type === 'EstablishCommittee') {
      areas[c.district] =
        (areas[c.district] ?? 0) + ((c.data.newAreas as unknown[] | undefined)?.length ?? 0);
      // A block founds the community of its town areas and that of its new estate.
      communities[c.district] = (communities[c.district] ?? 0) + 1;
    }
    if (c.type === 'RegisterArea') areas[c.district] = (areas[c.district] ?? 0) + 1;
  }
  const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
  return { areas, communities, totalAreas: sum(areas), totalCommunities: sum(communities) };
}

describe('seed scales of Lanzhou', () => {
  it('lanzhou: 9 districts and counties, 城关区 with 5,000 areas and 500 communities, 11,000 areas in all', () => {
    expect(SCALES.lanzhou.districts.map((d) => d.code).sort()).toEqual(DISTRICTS.map((d) => d.code).sort());
    const full = founded('lanzhou');
    expect(full.areas.chengguan).toBe(5000);
    expect(full.communities.chengguan).toBe(500);
    expect(full.totalAreas).toBe(11_000);
    expect(full.totalCommunities).toBe(1100);
  });

  it.each([
    ['lanzhou-10', 0.1, 500],
    ['lanzhou-40', 0.4, 2000],
  ] as const)('%s: a share %s of every district, rounded up, 城关区 with %s areas', (scale, share, areas) => {
    const smaller = SCALES[scale];
    expect(smaller.districts.map((d) => d.code)).toEqual(SCALES.lanzhou.districts.map((d) => d.code));
    SCALES.lanzhou.districts.forEach((d, k) =>
      expect(smaller.districts[k].blocks).toBe(Math.max(1, Math.ceil(d.blocks * share))),
    );
    // The same life of a block: areas, workers and routine per year.
    expect({ ...smaller, districts: [] }).toEqual({ ...SCALES.lanzhou, districts: [] });
    expect(founded(scale).areas.chengguan).toBe(areas);
  });

  it('keeps the small scale the end-to-end tests seed', () => {
    expect(SCALES.small.districts.map((d) => [d.code, d.blocks])).toEqual([
      ['chengguan', 5],
      ['qilihe', 2],
      ['anning', 2],
    ]);
    expect(founded('small').totalAreas).toBe(36);
  });
});
