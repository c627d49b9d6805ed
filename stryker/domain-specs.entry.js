// One test file that loads every domain spec of the service under mutation (STRYKER_SERVICE), so a
// mutant's run loads zod and the libs once, not once per spec file. Paths are the sandbox's (cwd).
const path = require('node:path');
const fs = require('node:fs');
const dir = path.join(process.cwd(), 'apps', process.env.STRYKER_SERVICE, 'src', 'domain');
for (const file of fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.spec.ts'))
  .sort())
  require(path.join(dir, file));
