import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MINIMUM_NODE, unsupportedNodeMessage } from './node-version';

describe('the Node runtime check at start', () => {
  it('refuses a Node older than the minimum, saying what to run', () => {
    for (const old of ['20.20.2', 'v22.12.0', '24.0.0', '24.20.9']) {
      const message = unsupportedNodeMessage(old);
      expect(message).toContain(`needs Node >=24.21`);
      expect(message).toContain(`this is Node ${old.replace(/^v/, '')}`);
      expect(message).toContain('npm start');
      expect(message).toContain('node_modules/.bin/node dist/apps/<service>/src/main.js');
    }
  });

  it('accepts the minimum and anything newer', () => {
    for (const ok of ['24.21.0', 'v24.21.0', '24.22.1', '25.0.0'])
      expect(unsupportedNodeMessage(ok)).toBeUndefined();
  });

  it('has the lower bound of package.json engines and the pinned node dev dependency', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
      engines: { node: string };
      devDependencies: { node: string };
    };
    expect(pkg.engines.node).toMatch(new RegExp(`^>=${MINIMUM_NODE.replace(/\./g, '\\.')}\\b`));
    expect(unsupportedNodeMessage(pkg.devDependencies.node)).toBeUndefined();
  });
});
