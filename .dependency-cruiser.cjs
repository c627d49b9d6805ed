// The structure of the registry (GUIDE §4.10), checked by dependency-cruiser in `npm run check`
// (npm run structure) and proved by test/structure.spec.ts.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'services-stay-apart',
      comment: 'A service (apps/<service>) never imports another; each owns its streams and talks by events.',
      severity: 'error',
      from: { path: '^apps/(?!registry/)([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'launcher-takes-entry-modules-only',
      comment:
        'apps/registry launches the three services through their entry modules (src/main), nothing deeper.',
      severity: 'error',
      from: { path: '^apps/registry/' },
      to: { path: '^apps/(?!registry/)[^/]+/', pathNot: '^apps/[^/]+/src/main\\.ts$' },
    },
    {
      name: 'libs-stay-below-apps',
      comment: 'Shared code serves the services and tests, never the other way round.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^(apps|test|examples|scripts)/' },
    },
    {
      name: 'domain-is-pure',
      comment:
        'Domain folders decide and evolve only: they import their own domain, #libs/decider, #libs/contracts and zod; no framework, driver, I/O or other lib.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/src/domain/' },
      to: {
        pathNot: [
          '^apps/$1/src/domain/',
          '^libs/decider/src/',
          '^libs/contracts/src/',
          '(^|/)node_modules/zod/',
        ],
      },
    },
    {
      name: 'test-helpers-stay-in-tests',
      comment:
        "A lib's testing folder (e.g. #libs/decider/testing, which uses jest's expect) serves specs and other testing folders only.",
      severity: 'error',
      from: { pathNot: ['\\.(spec|int-spec|e2e-spec)\\.ts$', '/testing/', '^test/'] },
      to: { path: '^libs/[^/]+/src/testing/' },
    },
    {
      name: 'contracts-import-nothing-of-ours',
      comment: 'The published event contracts stand alone: subscribers take them without the registry.',
      severity: 'error',
      from: { path: '^libs/contracts/' },
      to: { path: '^(apps|libs|test|examples|scripts)/', pathNot: '^libs/contracts/' },
    },
    {
      name: 'no-unresolvable',
      comment: 'An import the checker cannot resolve would slip past every rule above.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|coverage|data|reports|\\.stryker-tmp|\\.cache)/' },
    tsPreCompilationDeps: true,
    // '#libs/*' resolves through package.json "imports"; its "types" condition points at the sources.
    enhancedResolveOptions: {
      conditionNames: ['types', 'import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js', '.json'],
      mainFields: ['types', 'main'],
    },
  },
};
