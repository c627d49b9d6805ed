// Mutation testing: one service's own unit specs, nothing else, so that a mutant of one
// service's decider is judged by that service's tests only (STRYKER_SERVICE names the service).
const service = process.env.STRYKER_SERVICE;
if (!service)
  throw new Error(
    'STRYKER_SERVICE is not set (community-establishment, staffing-elections, facility-construction)',
  );
// The sandbox Stryker runs jest in.
const root = process.cwd();
module.exports = {
  rootDir: root,
  testEnvironment: 'node',
  // Type errors a mutant makes are not test failures: the instrumenter marks files @ts-nocheck and
  // ts-jest only transpiles (tsc --noEmit is the type check).
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', isolatedModules: true }] },
  moduleNameMapper: {
    '^#libs/decider/testing$': '<rootDir>/libs/decider/src/testing/index',
    '^#libs/(.*)$': '<rootDir>/libs/$1/src',
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // The service's domain specs (where its deciders and policies are tested), through one entry file:
  // the application specs start NestJS for each mutant, which made a run take hours here.
  roots: [`<rootDir>/apps/${service}/src/domain`, '<rootDir>/stryker'],
  testMatch: ['<rootDir>/stryker/domain-specs.entry.js'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};
