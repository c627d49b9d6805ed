import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');

let built = false;

/**
 * The compiled registry (`npm run build`, incremental), for tests that run `node dist/...` as a
 * user does. Built once per test process; fails when one of `outputs` (paths under the project)
 * is still missing afterwards.
 */
export function buildDist(...outputs: string[]): void {
  if (!built) {
    const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
    built = true;
  }
  for (const output of outputs)
    if (!existsSync(join(ROOT, output))) throw new Error(`npm run build did not produce ${output}`);
}
