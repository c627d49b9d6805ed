// Mutation testing of one service's deciders and policies against that service's own specs.
// `npm run test:mutation` runs it for each service (scripts/mutation.sh); it is a
// benchmark-like tool, not part of `npm test`.
const service = process.env.STRYKER_SERVICE;
if (!service) throw new Error('STRYKER_SERVICE is not set');

export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: { projectType: 'custom', configFile: 'stryker/jest.config.js', enableFindRelatedTests: false },
  coverageAnalysis: 'perTest',
  // The decider is decide.ts and, where it is sliced by what it decides, the files under decide/.
  mutate: [
    `apps/${service}/src/domain/decide.ts`,
    `apps/${service}/src/domain/decide/**/*.ts`,
    `apps/${service}/src/domain/policy.ts`,
  ],
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${service}.html` },
  jsonReporter: { fileName: `reports/mutation/${service}.json` },
  tempDirName: `.stryker-tmp/${service}`,
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 2),
  timeoutMS: 10000,
  thresholds: { high: 95, low: 90, break: null },
  cleanTempDir: 'always',
  // The sandbox needs the sources and configs only.
  ignorePatterns: ['dist', 'data', 'reports', 'deploy', 'examples', '.cache', '*.log'],
};
