// Three tiers by file suffix (GUIDE §4.9): unit (*.spec.ts), integration with real
// stores (*.int-spec.ts) and end-to-end through HTTP (*.e2e-spec.ts).
const base = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleNameMapper: {
    // Test-only helpers of a lib live under a subpath of their own, outside its production index.
    '^#libs/decider/testing$': '<rootDir>/libs/decider/src/testing/index',
    '^#libs/(.*)$': '<rootDir>/libs/$1/src',
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};
module.exports = {
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,test,examples}/**/*.spec.ts'] },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,test,examples}/**/*.int-spec.ts'],
      // Real Kafka and FerretDB for the whole integration run (test/servers/README.md).
      globalSetup: '<rootDir>/test/servers/global-setup.ts',
      globalTeardown: '<rootDir>/test/servers/global-teardown.ts',
    },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/{apps,libs,test}/**/*.e2e-spec.ts'] },
  ],
};
