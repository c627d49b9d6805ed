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
                '#libs/event-sourcing',
                '#libs/http',
                '#libs/hosting',
                '#libs/messaging',
                '#libs/read-store',
                '#libs/profile',
              ],
              message: 'domain code is pure: no framework, driver or I/O imports',
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
