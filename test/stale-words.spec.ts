import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/*
 * Words about the code that the code can check: the Nest CLI knows every app and lib, comments
 * cite rule ids rather than tracker items, and the test servers' README says how jest starts them.
 */

const ROOT = resolve(__dirname, '..');
const dirsOf = (dir: string): string[] =>
  readdirSync(join(ROOT, dir)).filter((d) => statSync(join(ROOT, dir, d)).isDirectory());

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') out.push(...sourceFiles(path));
    } else if (/\.(ts|js|mjs|cjs|sh)$/.test(entry.name)) out.push(path);
  }
  return out;
}

describe('stale words', () => {
  it('nest-cli.json lists every app and every lib of the tree', () => {
    const projects = (
      JSON.parse(readFileSync(join(ROOT, 'nest-cli.json'), 'utf8')) as {
        projects: Record<string, { type: string; root: string }>;
      }
    ).projects;
    const listed = Object.values(projects)
      .map((p) => `${p.type} ${p.root}`)
      .sort();
    const inTree = [
      ...dirsOf('apps').map((d) => `application apps/${d}`),
      ...dirsOf('libs').map((d) => `library libs/${d}`),
    ].sort();
    expect(listed).toEqual(inTree);
  });

  it('no comment points at a tracker item: rule ids and reasons say why', () => {
    // Built from parts so that this file does not match itself.
    const trackerItem = new RegExp(['\\b[Ii]ssue \\d', '\\(#\\d+\\)'].join('|'));
    const offending = ['apps', 'libs', 'test', 'scripts', 'examples', 'stryker', 'deploy', '.ci']
      .flatMap((dir) => sourceFiles(join(ROOT, dir)))
      .concat(['eslint.config.mjs', 'jest.config.js', '.dependency-cruiser.cjs'].map((f) => join(ROOT, f)))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .flatMap((line, i) =>
            trackerItem.test(line) ? [`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`] : [],
          ),
      );
    expect(offending).toEqual([]);
  });

  it('test/servers/README.md names the jest global setup and teardown that jest.config.js runs', () => {
    const jestConfig = readFileSync(join(ROOT, 'jest.config.js'), 'utf8');
    const hooks = [
      ...jestConfig.matchAll(/global(?:Setup|Teardown): '<rootDir>\/test\/servers\/([^']+)'/g),
    ].map((m) => m[1]);
    expect(hooks).toEqual(['global-setup.ts', 'global-teardown.ts']);
    const readme = readFileSync(join(ROOT, 'test/servers/README.md'), 'utf8');
    for (const hook of hooks) expect(readme).toContain(hook);
    expect(readme).not.toMatch(/not wired|nothing here is wired/i);
  });
});
