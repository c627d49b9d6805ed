import {
  curvesOf,
  growthSvg,
  slowdowns,
  verdictsOf,
  type SizeMeasures,
  type Stat,
  type Verdict,
} from '../scripts/bench-growth-report';

/*
 * The pure half of `npm run bench:growth`: the curves across sizes, the growth targets' verdicts
 * (throughput and p50 within 1.5x, RSS within 1 GiB and growing less than 10%, start-up under
 * 15 s, rebuild at least half the speed of a raw read and parse) and the SVG plot.
 */

const stat = (perSecond: number, p50Ms: number): Stat => ({ ops: 100, perSecond, p50Ms, p99Ms: p50Ms * 3 });

interface Knobs {
  scale: string;
  perSecond?: number;
  p50Ms?: number;
  rssMiB?: number;
  startupMs?: number;
  rebuildMs?: number;
}

function size({
  scale,
  perSecond = 100,
  p50Ms = 10,
  rssMiB = 400,
  startupMs = 2000,
  rebuildMs = 1000,
}: Knobs): SizeMeasures {
  return {
    scale,
    data: { districtAreas: 500, districtCommunities: 50, events: 100_000, megabytes: 120 },
    startup: { readyMs: startupMs / 2, currentMs: startupMs },
    memory: { rssMiB, hwmMiB: rssMiB + 50 },
    commands: [
      {
        name: 'occupancy report',
        service: 'community-establishment',
        sequential: stat(perSecond, 2),
        concurrent: stat(perSecond * 3, 6),
      },
    ],
    questions: [
      {
        name: 'areas of the district',
        service: 'community-establishment',
        path: '/a',
        stat: stat(50, p50Ms),
        bytes: 5000,
      },
    ],
    rebuild: [
      { service: 'community-establishment', events: 50_000, rebuildMs, rawMs: 600 },
      { service: 'staffing-elections', events: 50_000, rebuildMs: 1000, rawMs: 400 },
    ],
  };
}

const verdict = (verdicts: Verdict[], starts: string) => {
  const found = verdicts.filter((v) => v.target.startsWith(starts));
  expect(found).toHaveLength(1);
  return found[0];
};

describe('bench:growth curves and verdicts', () => {
  it('gives one curve per command level, question and process measure, a value per size', () => {
    const curves = curvesOf([size({ scale: 'a' }), size({ scale: 'b', perSecond: 50 })]);
    const throughput = curves.filter((c) => c.kind === 'throughput');
    expect(throughput.map((c) => c.measure)).toEqual([
      'occupancy report, 1 at a time',
      'occupancy report, 16 in flight',
    ]);
    expect(throughput[0].values).toEqual([100, 50]);
    expect(slowdowns(throughput[0])).toEqual([1, 2]);
    expect(curves.find((c) => c.kind === 'p50' && c.group.startsWith('questions'))?.values).toEqual([10, 10]);
    // rebuild speed ÷ raw speed over all read models: (600 + 400) ÷ (1000 + 1000)
    expect(curves.find((c) => c.group === 'rebuild: all')?.values).toEqual([0.5, 0.5]);
  });

  it('refuses sizes that measured different workloads (a curve would compare unlike things)', () => {
    const other = { ...size({ scale: 'b' }), commands: [] };
    expect(() => curvesOf([size({ scale: 'a' }), other])).toThrow(
      'b did not measure the command "occupancy report"',
    );
  });

  it('meets the throughput target within 1.5x and misses it past, judged by the worst size', () => {
    const within = verdictsOf([size({ scale: 'a' }), size({ scale: 'b', perSecond: 70 })]);
    expect(verdict(within, 'commands/s within 1.5x, a → b: occupancy report, 1 at a time')).toMatchObject({
      verdict: 'met',
      value: '1.43x',
    });
    // The middle size is the slowest: the curve left the band, though the last size is back in it.
    const dip = verdictsOf([
      size({ scale: 'a' }),
      size({ scale: 'b', perSecond: 60 }),
      size({ scale: 'c', perSecond: 90 }),
    ]);
    expect(verdict(dip, 'commands/s within 1.5x, a → c: occupancy report, 1 at a time')).toMatchObject({
      verdict: 'NOT met',
      value: '1.67x',
    });
  });

  it('judges each question by its p50 growth', () => {
    const v = verdictsOf([size({ scale: 'a' }), size({ scale: 'b', p50Ms: 16 })]);
    expect(verdict(v, 'p50 within 1.5x, a → b: areas of the district')).toMatchObject({
      verdict: 'NOT met',
      value: '1.60x',
    });
    expect(verdict(v, 'p50 within 1.5x, a → b: areas of the district').ratio).toBeCloseTo(1.6 / 1.5);
  });

  it('holds RSS at the largest size to 1 GiB and its growth from the middle size to under 10%', () => {
    const sizes = (middle: number, full: number) => [
      size({ scale: 'a', rssMiB: 300 }),
      size({ scale: 'b', rssMiB: middle }),
      size({ scale: 'c', rssMiB: full }),
    ];
    const ok = verdictsOf(sizes(900, 981));
    expect(verdict(ok, 'RSS at c')).toMatchObject({ verdict: 'met', value: '981 MiB' });
    expect(verdict(ok, 'RSS growth b → c')).toMatchObject({ verdict: 'met', value: '9.0%' });
    const grown = verdictsOf(sizes(900, 1000));
    expect(verdict(grown, 'RSS growth b → c')).toMatchObject({ verdict: 'NOT met', value: '11.1%' });
    expect(verdict(verdictsOf(sizes(1000, 1030)), 'RSS at c')).toMatchObject({ verdict: 'NOT met' });
  });

  it('judges start-up by the later of ready and read models current, and rebuild against raw', () => {
    const slow = verdictsOf([size({ scale: 'a' }), size({ scale: 'b', startupMs: 16_000, rebuildMs: 1100 })]);
    // ready at 8 s, read models current at 16 s
    expect(verdict(slow, 'start-up on b')).toMatchObject({ verdict: 'NOT met', value: '16.0 s' });
    // (600 + 400) ÷ (1100 + 1000) = 47.6%
    expect(verdict(slow, 'rebuild of all read models on b')).toMatchObject({
      verdict: 'NOT met',
      value: '47.6%',
    });
    const fast = verdictsOf([size({ scale: 'a' }), size({ scale: 'b', startupMs: 14_000, rebuildMs: 900 })]);
    expect(verdict(fast, 'start-up on b')).toMatchObject({ verdict: 'met' });
    expect(verdict(fast, 'rebuild of all read models on b')).toMatchObject({
      verdict: 'met',
      value: '52.6%',
    });
  });

  it('does not judge growth from one size, and still judges the others', () => {
    const v = verdictsOf([size({ scale: 'a', rssMiB: 2000 })]);
    expect(verdict(v, 'commands/s within 1.5x, a → a: occupancy report, 1 at a time').verdict).toBe(
      'not judged',
    );
    expect(verdict(v, 'RSS growth a → a').verdict).toBe('not judged');
    expect(verdict(v, 'RSS at a').verdict).toBe('NOT met');
  });
});

describe('bench:growth plot', () => {
  const sizes = [
    size({ scale: 'lanzhou-10' }),
    size({ scale: 'lanzhou-40', perSecond: 80, p50Ms: 14 }),
    size({ scale: 'lanzhou', perSecond: 20, p50Ms: 40 }),
  ];
  const svg = growthSvg(
    sizes.map((s) => s.scale),
    curvesOf(sizes),
  );

  it('draws every throughput curve and question p50 normalised to the smallest size, with the 1.5x band', () => {
    const polylines = [...svg.matchAll(/<polyline points="([^"]+)"[^>]*><title>([^<]+)<\/title>/g)];
    expect(polylines.map((m) => m[2])).toEqual([
      'occupancy report, 1 at a time: 1.00x, 1.25x, 5.00x',
      'occupancy report, 16 in flight: 1.00x, 1.25x, 5.00x',
      'areas of the district: 1.00x, 1.40x, 4.00x',
    ]);
    // Three sizes, three points each, every one on the plot.
    for (const [, points] of polylines) expect(points.split(' ')).toHaveLength(3);
    expect(svg).toContain('fill="#e8f5e9"');
    expect(svg).toContain('>1.5x</text>');
    for (const scale of ['lanzhou-10', 'lanzhou-40', 'lanzhou']) expect(svg).toContain(`>${scale}</text>`);
  });

  it('is well-formed: one svg element, no attribute given twice in a tag, text escaped', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    for (const [tag] of svg.matchAll(/<[a-z]+\s[^>]*>/g)) {
      const names = [...tag.matchAll(/\s([a-z-]+)="/g)].map((m) => m[1]);
      expect(new Set(names).size).toBe(names.length);
    }
    const odd = growthSvg(['a<b', 'c&d'], curvesOf([size({ scale: 'a<b' }), size({ scale: 'c&d' })]));
    expect(odd).toContain('>a&lt;b</text>');
    expect(odd).toContain('>c&amp;d</text>');
  });
});
