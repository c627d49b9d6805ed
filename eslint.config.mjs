// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'eslint.config.mjs',
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'data/**',
      '.cache/**',
      'jest.config.js',
      '.dependency-cruiser.cjs',
      'stryker/**',
      'reports/**',
      '.stryker-tmp/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // Domain folders are pure (GUIDE §4.10): no framework, no driver, no I/O.
    files: ['apps/*/src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@nestjs/*',
                'fastify',
                'mongoose',
                'kafkajs',
                '@kurrent/*',
                'node:*',
                'fs',
                'path',
                'jose',
              ],
              message: 'domain code is pure: no framework, driver or I/O imports',
            },
            {
              // A regex, not a group: in a group's gitignore syntax a leading '#' starts a comment.
              // #libs/decider/testing is the shared given/when/then of the domain specs; depcruise
              // keeps it out of production code (test-helpers-stay-in-tests).
              regex: '^#libs/(?!(decider|contracts|decider/testing)$)',
              message: 'domain code takes of our libs only #libs/decider and #libs/contracts',
            },
          ],
        },
      ],
    },
  },
  {
    // Scripts and tests read JSON answers of the HTTP API, untyped by nature.
    files: ['scripts/**/*.ts', 'test/**/*.ts', '**/*.e2e-spec.ts'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
);
