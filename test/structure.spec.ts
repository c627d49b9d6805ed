import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ESLint } from 'eslint';

/*
 * The structure of the registry (GUIDE §4.10) is checked by dependency-cruiser with
 * .dependency-cruiser.cjs (`npm run structure`, part of `npm run check`), and the purity of the
 * domain folders also by ESLint while editing. These tests run both checkers on imports that break
 * the structure and on imports that keep it.
 */

const ROOT = resolve(__dirname, '..');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs');

interface Violation {
  rule: string;
  from: string;
  to: string;
}

/** Runs depcruise (the CLI `npm run check` runs, with the project's config) over `dirs` of `cwd`. */
function cruise(cwd: string, dirs: string[]): { violations: Violation[]; modules: number } {
  const run = spawnSync(process.execPath, [DEPCRUISE, '--config', CONFIG, '--output-type', 'json', ...dirs], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (!run.stdout) throw new Error(`depcruise gave no output (exit ${run.status}): ${run.stderr}`);
  const result = JSON.parse(run.stdout) as {
    modules: unknown[];
    summary: { violations: Array<{ rule: { name: string }; from: string; to: string }> };
  };
  return {
    modules: result.modules.length,
    violations: result.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to })),
  };
}

/** A miniature registry in a temp dir: each file imports what `files` says, nothing else. */
function miniatureRegistry(files: Record<string, string[]>): string {
  const dir = mkdtempSync(join(tmpdir(), 'registry-structure-'));
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { imports: unknown };
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'miniature', imports: pkg.imports }));
  // zod and node's types resolve as in the real tree.
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const [file, imports] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    const lines = imports.map((spec, i) => `import * as m${i} from '${spec}';`);
    writeFileSync(
      join(dir, file),
      [...lines, `export const used = [${imports.map((_, i) => `m${i}`).join(', ')}];`, ''].join('\n'),
    );
  }
  return dir;
}

describe('the structure rule (dependency-cruiser, .dependency-cruiser.cjs)', () => {
  const DOMAIN = 'apps/community-establishment/src/domain';
  let dir: string;
  let violations: Violation[];

  beforeAll(() => {
    dir = miniatureRegistry({
      'libs/decider/src/index.ts': [],
      'libs/decider/src/testing/index.ts': [],
      'libs/contracts/src/index.ts': [],
      'libs/event-sourcing/src/index.ts': [],
      'test/servers/servers.ts': [],
      'examples/subscriber/subscriber.ts': [],
      'apps/community-establishment/src/main.ts': ['./domain/events'],
      [`${DOMAIN}/events.ts`]: [],
      // Kept: the own domain, #libs/decider, #libs/contracts and zod.
      [`${DOMAIN}/decide.ts`]: ['./events', '#libs/decider', '#libs/contracts', 'zod'],
      // The shared given/when/then: a domain's testing folder and specs take it, its decide does not.
      [`${DOMAIN}/testing/given-when-then.ts`]: ['#libs/decider/testing'],
      [`${DOMAIN}/decide.spec.ts`]: ['#libs/decider/testing'],
      // Broken, one import each.
      [`${DOMAIN}/policy.ts`]: ['#libs/decider/testing'],
      [`${DOMAIN}/stored.ts`]: ['#libs/event-sourcing'],
      [`${DOMAIN}/io.ts`]: ['node:fs'],
      [`${DOMAIN}/framework.ts`]: ['@nestjs/common'],
      'apps/staffing-elections/src/application/peek.ts': [
        '../../../community-establishment/src/domain/events',
      ],
      'apps/registry/main.ts': ['../community-establishment/src/main'],
      'apps/registry/reach.ts': ['../community-establishment/src/domain/events'],
      'libs/event-sourcing/src/up.ts': ['../../../apps/community-establishment/src/main'],
      'libs/event-sourcing/src/testing/servers.ts': ['../../../../test/servers/servers'],
      'libs/event-sourcing/src/example.ts': ['../../../examples/subscriber/subscriber'],
      'libs/contracts/src/leak.ts': ['#libs/decider'],
    });
    violations = cruise(dir, ['apps', 'libs', 'test', 'examples']).violations;
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const of = (from: string) => violations.filter((v) => v.from === from).map((v) => [v.rule, v.to]);

  it('domain-is-pure: a domain file may not import #libs/event-sourcing, node:fs or a framework', () => {
    expect(of(`${DOMAIN}/stored.ts`)).toEqual([['domain-is-pure', 'libs/event-sourcing/src/index.ts']]);
    expect(of(`${DOMAIN}/io.ts`)).toEqual([['domain-is-pure', 'fs']]);
    expect(of(`${DOMAIN}/framework.ts`)).toEqual([
      ['domain-is-pure', expect.stringMatching(/node_modules\/@nestjs\/common\//)],
    ]);
  });

  it('domain-is-pure: its own domain, #libs/decider, #libs/contracts and zod are allowed', () => {
    expect(of(`${DOMAIN}/decide.ts`)).toEqual([]);
  });

  it('test-helpers-stay-in-tests: #libs/decider/testing serves specs and testing folders, not production code', () => {
    expect(of(`${DOMAIN}/policy.ts`)).toEqual([
      ['test-helpers-stay-in-tests', 'libs/decider/src/testing/index.ts'],
    ]);
    expect(of(`${DOMAIN}/testing/given-when-then.ts`)).toEqual([]);
    expect(of(`${DOMAIN}/decide.spec.ts`)).toEqual([]);
  });

  it('services-stay-apart: a service may not import another service', () => {
    expect(of('apps/staffing-elections/src/application/peek.ts')).toEqual([
      ['services-stay-apart', `${DOMAIN}/events.ts`],
    ]);
  });

  it('launcher-takes-entry-modules-only: apps/registry imports a service by its src/main only', () => {
    expect(of('apps/registry/main.ts')).toEqual([]);
    expect(of('apps/registry/reach.ts')).toEqual([
      ['launcher-takes-entry-modules-only', `${DOMAIN}/events.ts`],
    ]);
  });

  it('libs-stay-below-apps: a lib (its testing folder too) may not import apps, test/ or examples/', () => {
    expect(of('libs/event-sourcing/src/up.ts')).toEqual([
      ['libs-stay-below-apps', 'apps/community-establishment/src/main.ts'],
    ]);
    expect(of('libs/event-sourcing/src/testing/servers.ts')).toEqual([
      ['libs-stay-below-apps', 'test/servers/servers.ts'],
    ]);
    expect(of('libs/event-sourcing/src/example.ts')).toEqual([
      ['libs-stay-below-apps', 'examples/subscriber/subscriber.ts'],
    ]);
  });

  it('contracts-import-nothing-of-ours: libs/contracts may not import another lib', () => {
    expect(of('libs/contracts/src/leak.ts')).toEqual([
      ['contracts-import-nothing-of-ours', 'libs/decider/src/index.ts'],
    ]);
  });

  it('finds nothing else in the miniature', () => {
    expect(violations).toHaveLength(10);
  });

  it('the registry as it is keeps every rule', () => {
    const real = cruise(ROOT, ['apps', 'libs', 'test', 'examples', 'scripts']);
    expect(real.modules).toBeGreaterThan(200);
    expect(real.violations).toEqual([]);
  }, 60_000);
});

describe('the domain purity rule of ESLint (no-restricted-imports, eslint.config.mjs)', () => {
  const eslint = new ESLint({
    cwd: ROOT,
    ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
    // Only the import rule runs: no type information needed for in-memory sources.
    overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
  });
  const restricted = async (source: string, file: string) =>
    (await eslint.lintText(source, { filePath: join(ROOT, file) }))[0].messages.map((m) => m.message);

  it('rejects #libs/event-sourcing (and every lib but decider and contracts) in a domain file', async () => {
    const domainFile = 'apps/staffing-elections/src/domain/probe.ts';
    for (const lib of ['event-sourcing', 'http', 'hosting', 'messaging', 'read-store', 'profile'])
      expect(
        await restricted(`import * as l from '#libs/${lib}';\nexport const used = l;\n`, domainFile),
      ).toEqual([expect.stringContaining(`'#libs/${lib}' import is restricted`)]);
    expect(
      await restricted(`import * as n from '@nestjs/common';\nexport const used = n;\n`, domainFile),
    ).toHaveLength(1);
  });

  it('accepts #libs/decider, #libs/contracts and zod in a domain file, and #libs/event-sourcing outside one', async () => {
    const source =
      "import * as d from '#libs/decider';\nimport * as c from '#libs/contracts';\nimport { z } from 'zod';\nexport const used = [d, c, z];\n";
    expect(await restricted(source, 'apps/staffing-elections/src/domain/probe.ts')).toEqual([]);
    expect(
      await restricted(
        "import * as l from '#libs/event-sourcing';\nexport const used = l;\n",
        'apps/staffing-elections/src/application/probe.ts',
      ),
    ).toEqual([]);
  });
});
