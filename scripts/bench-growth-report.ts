/*
 * The pure half of `npm run bench:growth` (scripts/bench-growth.ts): what one size measured, the
 * curves across the sizes, the growth targets with their verdicts, the text tables and the SVG
 * plot. No I/O here, so that unit tests can check the verdicts and the plot on numbers of their own.
 */

/** Latencies and throughput of one measured workload. */
export interface Stat {
  readonly ops: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** A command of one service, one at a time and many in flight. */
export interface CommandMeasure {
  readonly name: string;
  readonly service: string;
  readonly sequential: Stat;
  readonly concurrent: Stat;
}

/** A question (GET), one at a time; `bytes` is the median size of its answer. */
export interface QuestionMeasure {
  readonly name: string;
  readonly service: string;
  readonly path: string;
  readonly stat: Stat;
  readonly bytes: number;
}

/** A rebuild of one service's read models (into its SQLite read store) beside a raw read and parse of its rows. */
export interface RebuildMeasure {
  readonly service: string;
  readonly events: number;
  readonly rebuildMs: number;
  readonly rawMs: number;
}

/** Everything measured on one seeded size. */
export interface SizeMeasures {
  readonly scale: string;
  /** What the seeded data directory held before the benchmark's commands. */
  readonly data: {
    readonly districtAreas: number;
    readonly districtCommunities: number;
    readonly events: number;
    readonly megabytes: number;
  };
  /** From the spawn to every /health/ready answering 200, and to every read model current. */
  readonly startup: { readonly readyMs: number; readonly currentMs: number };
  /** VmRSS and VmHWM of the registry process after the measurements, MiB. */
  readonly memory: { readonly rssMiB: number; readonly hwmMiB: number };
  readonly commands: readonly CommandMeasure[];
  readonly questions: readonly QuestionMeasure[];
  readonly rebuild: readonly RebuildMeasure[];
}

export type CurveKind = 'throughput' | 'p50' | 'p99' | 'memory' | 'time' | 'ratio' | 'size';

/** One measure at every size, in the order of the sizes. */
export interface Curve {
  readonly group: string;
  readonly measure: string;
  readonly kind: CurveKind;
  readonly unit: string;
  readonly values: readonly number[];
}

/** A growth target needs two sizes at least: with one it is not judged (and says so). */
export type Judgement = 'met' | 'NOT met' | 'not judged';

export interface Verdict {
  readonly target: string;
  /** The measured value, as printed. */
  readonly value: string;
  readonly verdict: Judgement;
  /** The measure against its limit: above 1 is past it (for "at least" targets, limit ÷ value). */
  readonly ratio: number;
}

/** The targets' limits. */
export const TARGETS = {
  /** Throughput and p50 from the smallest size to the largest: no worse than this factor. */
  slowdown: 1.5,
  rssMiB: 1024,
  /** RSS growth from the middle size to the largest. */
  rssGrowth: 0.1,
  startupMs: 15_000,
  /** Rebuild speed as a share of a raw read and parse of the same rows. */
  rebuildShare: 0.5,
} as const;

export const COMMAND_CONCURRENCY = 16;

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** Rebuild speed ÷ raw read-and-parse speed over all read models of a size. */
export const rebuildShare = (size: SizeMeasures): number =>
  sum(size.rebuild.map((r) => r.rawMs)) / sum(size.rebuild.map((r) => r.rebuildMs));

/** The measures of every size as rows; every size must have measured the same workloads. */
export function curvesOf(sizes: readonly SizeMeasures[]): Curve[] {
  if (sizes.length === 0) throw new Error('no size measured');
  const first = sizes[0];
  const at = <T>(pick: (s: SizeMeasures) => T) => sizes.map(pick);
  const command = (s: SizeMeasures, name: string) => {
    const c = s.commands.find((x) => x.name === name);
    if (!c) throw new Error(`${s.scale} did not measure the command "${name}"`);
    return c;
  };
  const question = (s: SizeMeasures, name: string) => {
    const q = s.questions.find((x) => x.name === name);
    if (!q) throw new Error(`${s.scale} did not measure the question "${name}"`);
    return q;
  };
  const rebuild = (s: SizeMeasures, service: string) => {
    const r = s.rebuild.find((x) => x.service === service);
    if (!r) throw new Error(`${s.scale} did not rebuild ${service}`);
    return r;
  };
  const curves: Curve[] = [
    {
      group: 'data',
      measure: 'areas of 城关区',
      kind: 'size',
      unit: '',
      values: at((s) => s.data.districtAreas),
    },
    {
      group: 'data',
      measure: 'communities of 城关区',
      kind: 'size',
      unit: '',
      values: at((s) => s.data.districtCommunities),
    },
    {
      group: 'data',
      measure: 'events, all services',
      kind: 'size',
      unit: '',
      values: at((s) => s.data.events),
    },
    {
      group: 'data',
      measure: 'data directory',
      kind: 'size',
      unit: 'MB',
      values: at((s) => s.data.megabytes),
    },
  ];
  for (const { name, service } of first.commands)
    for (const [label, pick] of [
      ['1 at a time', (c: CommandMeasure) => c.sequential],
      [`${COMMAND_CONCURRENCY} in flight`, (c: CommandMeasure) => c.concurrent],
    ] as const) {
      const measure = `${name}, ${label}`;
      const group = `commands: ${service}`;
      curves.push(
        {
          group,
          measure,
          kind: 'throughput',
          unit: '/s',
          values: at((s) => pick(command(s, name)).perSecond),
        },
        { group, measure, kind: 'p50', unit: 'ms', values: at((s) => pick(command(s, name)).p50Ms) },
        { group, measure, kind: 'p99', unit: 'ms', values: at((s) => pick(command(s, name)).p99Ms) },
      );
    }
  for (const { name, service } of first.questions) {
    const group = `questions: ${service}`;
    curves.push(
      { group, measure: name, kind: 'p50', unit: 'ms', values: at((s) => question(s, name).stat.p50Ms) },
      { group, measure: name, kind: 'p99', unit: 'ms', values: at((s) => question(s, name).stat.p99Ms) },
      { group, measure: name, kind: 'size', unit: 'kB', values: at((s) => question(s, name).bytes / 1000) },
    );
  }
  curves.push(
    {
      group: 'process',
      measure: 'RSS (VmRSS)',
      kind: 'memory',
      unit: 'MiB',
      values: at((s) => s.memory.rssMiB),
    },
    {
      group: 'process',
      measure: 'peak RSS (VmHWM)',
      kind: 'memory',
      unit: 'MiB',
      values: at((s) => s.memory.hwmMiB),
    },
    {
      group: 'process',
      measure: 'start-up to ready',
      kind: 'time',
      unit: 's',
      values: at((s) => s.startup.readyMs / 1000),
    },
    {
      group: 'process',
      measure: 'start-up to read models current',
      kind: 'time',
      unit: 's',
      values: at((s) => s.startup.currentMs / 1000),
    },
  );
  for (const { service } of first.rebuild) {
    const group = `rebuild: ${service}`;
    curves.push(
      {
        group,
        measure: 'rebuild',
        kind: 'time',
        unit: 's',
        values: at((s) => rebuild(s, service).rebuildMs / 1000),
      },
      {
        group,
        measure: 'raw read + parse',
        kind: 'time',
        unit: 's',
        values: at((s) => rebuild(s, service).rawMs / 1000),
      },
      {
        group,
        measure: 'rebuild ÷ raw speed',
        kind: 'ratio',
        unit: '',
        values: at((s) => rebuild(s, service).rawMs / rebuild(s, service).rebuildMs),
      },
    );
  }
  curves.push({
    group: 'rebuild: all',
    measure: 'rebuild ÷ raw speed',
    kind: 'ratio',
    unit: '',
    values: at(rebuildShare),
  });
  return curves;
}

/**
 * How much worse a curve is at each size than at the first: for a throughput the first ÷ the
 * value, for a latency the value ÷ the first. 1 is flat; above 1 is slower.
 */
export function slowdowns(curve: Curve): number[] {
  const [first] = curve.values;
  return curve.values.map((v) => (curve.kind === 'throughput' ? first / v : v / first));
}

const x = (n: number) => `${n.toFixed(2)}x`;
const mib = (n: number) => `${Math.round(n)} MiB`;

/**
 * The growth targets, each with its verdict. Growth targets take the worst size against the
 * smallest; the others are judged at the largest size measured (the full Lanzhou in a full run).
 */
export function verdictsOf(
  sizes: readonly SizeMeasures[],
  curves: readonly Curve[] = curvesOf(sizes),
): Verdict[] {
  const largest = sizes[sizes.length - 1];
  const middle = sizes[Math.max(0, sizes.length - 2)];
  const span = `${sizes[0].scale} → ${largest.scale}`;
  const growing = sizes.length > 1;
  const judge = (met: boolean, judged = true): Judgement =>
    !judged ? 'not judged' : met ? 'met' : 'NOT met';
  const verdicts: Verdict[] = [];
  for (const c of curves.filter(
    (c) =>
      (c.kind === 'throughput' && c.group.startsWith('commands')) ||
      (c.kind === 'p50' && c.group.startsWith('questions')),
  )) {
    const worst = Math.max(...slowdowns(c));
    verdicts.push({
      target: `${c.kind === 'throughput' ? 'commands/s' : 'p50'} within ${TARGETS.slowdown}x, ${span}: ${c.measure}`,
      value: growing ? x(worst) : 'one size',
      verdict: judge(worst <= TARGETS.slowdown, growing),
      ratio: worst / TARGETS.slowdown,
    });
  }
  const rss = largest.memory.rssMiB;
  verdicts.push({
    target: `RSS at ${largest.scale} ≤ 1 GiB`,
    value: mib(rss),
    verdict: judge(rss <= TARGETS.rssMiB),
    ratio: rss / TARGETS.rssMiB,
  });
  const growth = rss / middle.memory.rssMiB - 1;
  verdicts.push({
    target: `RSS growth ${middle.scale} → ${largest.scale} < 10%`,
    value: growing ? `${(growth * 100).toFixed(1)}%` : 'one size',
    verdict: judge(growth < TARGETS.rssGrowth, growing),
    ratio: Math.max(0, growth) / TARGETS.rssGrowth,
  });
  const startup = Math.max(largest.startup.readyMs, largest.startup.currentMs);
  verdicts.push({
    target: `start-up on ${largest.scale} < 15 s (ready, read models current)`,
    value: `${(startup / 1000).toFixed(1)} s`,
    verdict: judge(startup < TARGETS.startupMs),
    ratio: startup / TARGETS.startupMs,
  });
  const share = rebuildShare(largest);
  verdicts.push({
    target: `rebuild of all read models on ${largest.scale} ≥ 50% of raw read + parse`,
    value: `${(share * 100).toFixed(1)}%`,
    verdict: judge(share >= TARGETS.rebuildShare),
    ratio: TARGETS.rebuildShare / share,
  });
  return verdicts;
}

// ---- text ----------------------------------------------------------------------------------------

/** Three significant digits for small values, whole numbers from 100; counts always whole. */
const cell = (v: number, c: Curve): string => {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  const digits = c.kind === 'size' && c.unit === '' ? 0 : a < 1 ? 3 : a < 10 ? 2 : a < 100 ? 1 : 0;
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
};

/** Columns a terminal gives a text: Chinese characters take two (城关区 in a measure's name). */
const columns = (text: string): number =>
  [...text].reduce(
    (n, ch) =>
      n +
      (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(
        ch,
      )
        ? 2
        : 1),
    0,
  );

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, c) => Math.max(columns(h), ...rows.map((r) => columns(r[c]))));
  const pad = (text: string, c: number) => ' '.repeat(widths[c] - columns(text));
  const line = (cells: string[]) =>
    cells.map((text, c) => (c === 0 ? text + pad(text, c) : pad(text, c) + text)).join('  ');
  return [line(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The curves as one table per group: a row per measure, a column per size and the slowdown. */
export function curvesTable(scales: readonly string[], curves: readonly Curve[]): string {
  const out: string[] = [];
  for (const group of [...new Set(curves.map((c) => c.group))]) {
    const rows = curves
      .filter((c) => c.group === group)
      .map((c) => [
        `${c.measure} ${c.kind === 'throughput' ? 'commands/s' : c.kind === 'p50' || c.kind === 'p99' ? c.kind : ''}`.trim() +
          (c.unit && c.kind !== 'throughput' ? ` (${c.unit})` : ''),
        ...c.values.map((v) => cell(v, c)),
        c.kind === 'throughput' || c.kind === 'p50' || c.kind === 'p99' ? x(Math.max(...slowdowns(c))) : '',
      ]);
    out.push(table([group, ...scales, 'worst ×'], rows));
  }
  return out.join('\n\n');
}

export function verdictsTable(verdicts: readonly Verdict[]): string {
  return table(
    ['target', 'measured', 'verdict', '÷ limit'],
    verdicts.map((v) => [v.target, v.value, v.verdict, v.ratio.toFixed(2)]),
  );
}

// ---- the plot ------------------------------------------------------------------------------------

const PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#7f7f7f',
  '#bcbd22',
];
const DASHES = ['', '6 3', '2 3', '8 3 2 3'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

interface Panel {
  readonly title: string;
  readonly lines: readonly { readonly label: string; readonly values: readonly number[] }[];
}

/**
 * The curves as an SVG: commands/s and question p50 normalised to the smallest size (the
 * slowdown: 1 is flat, the band up to 1.5x is the target), on a logarithmic axis so that a curve
 * 40 times slower still leaves the band readable. Hand-written polylines: the chart libraries
 * that render SVG without a browser are large for a dozen lines, and this needs no DOM.
 */
export function growthSvg(scales: readonly string[], curves: readonly Curve[]): string {
  const panels: Panel[] = [
    {
      title: 'commands: slowdown of commands/s against the smallest size',
      lines: curves
        .filter((c) => c.kind === 'throughput')
        .map((c) => ({ label: c.measure, values: slowdowns(c) })),
    },
    {
      title: 'questions: slowdown of p50 against the smallest size',
      lines: curves
        .filter((c) => c.kind === 'p50' && c.group.startsWith('questions'))
        .map((c) => ({ label: c.measure, values: slowdowns(c) })),
    },
  ];
  const areas = curves.find((c) => c.measure === 'areas of 城关区')?.values;
  const width = 980;
  const plotW = 420;
  const plotH = 260;
  const left = 60;
  const legendX = left + plotW + 45;
  const rowH = 14;
  const panelH = (p: Panel) => Math.max(plotH + 70, p.lines.length * rowH + 50);
  const height = 40 + panels.reduce((h, p) => h + panelH(p), 0);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${left}" y="22" font-size="14" font-weight="bold">npm run bench:growth: cost against the size of the registry (1 = flat; shaded: within ${TARGETS.slowdown}x)</text>`,
  ];
  let top = 40;
  for (const panel of panels) {
    // Each panel its own range, from 0.5x to its worst: a question 400 times slower must not
    // flatten the commands' curves into the band.
    const all = panel.lines.flatMap((l) => l.values).filter((v) => Number.isFinite(v) && v > 0);
    const lo = Math.min(0.5, ...all);
    const hi = Math.max(2, ...all);
    const [logLo, logHi] = [Math.log(lo), Math.log(hi)];
    const y0 = top + 30;
    const yOf = (v: number) => y0 + plotH - ((Math.log(v) - logLo) / (logHi - logLo)) * plotH;
    const xOf = (i: number) => left + (scales.length === 1 ? plotW / 2 : (i * plotW) / (scales.length - 1));
    parts.push(
      `<text x="${left}" y="${top + 18}" font-size="12" font-weight="bold">${esc(panel.title)}</text>`,
    );
    parts.push(
      `<rect x="${left}" y="${yOf(TARGETS.slowdown)}" width="${plotW}" height="${yOf(lo) - yOf(TARGETS.slowdown)}" fill="#e8f5e9"/>`,
      `<rect x="${left}" y="${y0}" width="${plotW}" height="${plotH}" fill="none" stroke="#444"/>`,
    );
    for (const tick of [0.25, 0.5, 1, 1.5, 2, 5, 10, 20, 50, 100, 200, 500, 1000].filter(
      (t) => t >= lo && t <= hi,
    )) {
      const y = yOf(tick);
      parts.push(
        tick === TARGETS.slowdown
          ? `<line x1="${left}" x2="${left + plotW}" y1="${y}" y2="${y}" stroke="#2e7d32" stroke-dasharray="4 2"/>`
          : `<line x1="${left}" x2="${left + plotW}" y1="${y}" y2="${y}" stroke="${tick === 1 ? '#444' : '#ddd'}"/>`,
        `<text x="${left - 6}" y="${y + 4}" text-anchor="end">${tick}x</text>`,
      );
    }
    scales.forEach((scale, i) => {
      parts.push(
        `<text x="${xOf(i)}" y="${y0 + plotH + 16}" text-anchor="middle">${esc(scale)}</text>`,
        areas
          ? `<text x="${xOf(i)}" y="${y0 + plotH + 30}" text-anchor="middle" fill="#555">${areas[i]} areas</text>`
          : '',
      );
    });
    panel.lines.forEach((line, k) => {
      const color = PALETTE[k % PALETTE.length];
      const dash = DASHES[Math.floor(k / PALETTE.length) % DASHES.length];
      const points = line.values.map(
        (v, i) => `${xOf(i).toFixed(1)},${yOf(Math.min(hi, Math.max(lo, v))).toFixed(1)}`,
      );
      parts.push(
        `<polyline points="${points.join(' ')}" fill="none" stroke="${color}" stroke-width="1.8"${dash ? ` stroke-dasharray="${dash}"` : ''}><title>${esc(line.label)}: ${line.values.map((v) => x(v)).join(', ')}</title></polyline>`,
      );
      for (const p of points) {
        const [px, py] = p.split(',');
        parts.push(`<circle cx="${px}" cy="${py}" r="2.5" fill="${color}"/>`);
      }
      const ly = y0 + k * rowH;
      parts.push(
        `<line x1="${legendX}" x2="${legendX + 22}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`,
        `<text x="${legendX + 28}" y="${ly + 4}">${esc(line.label)} (${x(Math.max(...line.values))})</text>`,
      );
    });
    top += panelH(panel);
  }
  parts.push('</svg>');
  return `${parts.filter(Boolean).join('\n')}\n`;
}
