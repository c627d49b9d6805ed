import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Curve, SizeMeasures, Verdict } from '../scripts/bench-growth-report';
import { buildDist, ROOT } from './support/build';

/*
 * `npm run bench:growth` as a user runs it (node dist/scripts/bench-growth.js), at the seed's small
 * scale measured twice and with few commands: it seeds the scale, measures `npm start` on copies,
 * and reports every measure as a positive number at both sizes and every target with a verdict.
 * The second measure of the same scale finds the same data as the first: the commands were sent
 * to a copy, and the seeded directory keeps its history.
 */

interface Results {
  readonly sizes: SizeMeasures[];
  readonly curves: Curve[];
  readonly verdicts: Verdict[];
}

const SERVICES = ['community-establishment', 'staffing-elections', 'facility-construction'];

const events = (dir: string) =>
  SERVICES.reduce((n, s) => {
    const db = new DatabaseSync(join(dir, `${s}.sqlite`), { readOnly: true });
    try {
      return n + Number(db.prepare('SELECT count(*) AS n FROM events').get()!.n);
    } finally {
      db.close();
    }
  }, 0);

describe('npm run bench:growth at the small scale', () => {
  let dir: string;
  let run: SpawnSyncReturns<string>;
  let results: Results;

  beforeAll(() => {
    buildDist('dist/scripts/bench-growth.js', 'dist/scripts/seed.js', 'dist/apps/registry/main.js');
    dir = mkdtempSync(join(tmpdir(), 'bench-growth-'));
    run = spawnSync(
      process.execPath,
      [
        'dist/scripts/bench-growth.js',
        ...[
          '--sizes',
          'small,small',
          '--data-root',
          join(dir, 'data'),
          '--commands',
          '8',
          '--questions',
          '2',
        ],
        ...['--svg', join(dir, 'growth.svg'), '--json', join(dir, 'growth.json')],
      ],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent' } },
    );
    if (run.status !== 0) throw new Error(`bench:growth exited ${run.status}:\n${run.stdout}\n${run.stderr}`);
    results = JSON.parse(readFileSync(join(dir, 'growth.json'), 'utf8')) as Results;
  }, 180_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('measures commands of all three services at both levels and questions of all three', () => {
    for (const size of results.sizes) {
      expect(new Set(size.commands.map((c) => c.service))).toEqual(new Set(SERVICES));
      expect(new Set(size.questions.map((q) => q.service))).toEqual(new Set(SERVICES));
      expect(size.rebuild.map((r) => r.service)).toEqual(SERVICES);
      for (const c of size.commands) {
        expect(c.sequential.ops).toBeGreaterThanOrEqual(4);
        expect(c.concurrent.ops).toBe(c.sequential.ops);
      }
      for (const q of size.questions) expect(q.stat.ops).toBe(2);
    }
  });

  it('reports every measure of every curve as a positive number at each size', () => {
    expect(results.curves.length).toBeGreaterThan(100);
    for (const curve of results.curves) {
      expect(curve.values).toHaveLength(2);
      for (const v of curve.values) {
        expect(Number.isFinite(v)).toBe(true);
        expect(v).toBeGreaterThan(0);
      }
    }
  });

  it('gives every target its verdict and prints them, with the curves and the plot', () => {
    const kinds = [
      'commands/s within 1.5x',
      'p50 within 1.5x',
      'RSS at',
      'RSS growth',
      'start-up',
      'rebuild',
    ];
    for (const kind of kinds) expect(results.verdicts.some((v) => v.target.startsWith(kind))).toBe(true);
    for (const v of results.verdicts) {
      expect(['met', 'NOT met']).toContain(v.verdict);
      expect(Number.isFinite(v.ratio)).toBe(true);
      expect(run.stdout).toContain(v.target);
    }
    expect(run.stdout).toContain('== Curves');
    expect(existsSync(join(dir, 'growth.svg'))).toBe(true);
  });

  it('measures on copies: the seeded history is unchanged, so the second measure finds the same data', () => {
    const [first, second] = results.sizes;
    expect(second.data).toEqual(first.data);
    expect(events(join(dir, 'data', 'small'))).toBe(first.data.events);
    expect(existsSync(join(dir, 'data', 'small.measuring'))).toBe(false);
    // The commands did reach the copies: the rebuilds read more events than were seeded.
    const rebuilt = first.rebuild.reduce((n, r) => n + r.events, 0);
    expect(rebuilt).toBeGreaterThan(first.data.events);
  });
});
