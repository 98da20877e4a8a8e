// Lint for the whole project. The workflow block is the one that matters most: Temporal replays
// workflow code, so anything non-deterministic or with I/O must stay out of src/workflows.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...new Set(builtinModules.map((name) => name.replace(/^node:/, '')))];

export const workflowRestrictedImports = {
  paths: nodeBuiltins.flatMap((name) => [
    { name, message: 'Workflow code is replayed in a sandbox: no Node built-ins. Do I/O in an activity.' },
    { name: `node:${name}`, message: 'Workflow code is replayed in a sandbox: no Node built-ins. Do I/O in an activity.' },
  ]),
  patterns: [
    { group: ['node:*'], message: 'Workflow code is replayed in a sandbox: no Node built-ins.' },
    { group: ['@nestjs/*'], message: 'Workflow code must not depend on Nest: keep it pure.' },
    { group: ['@mikro-orm/*', 'pg', 'pg-*'], message: 'Workflow code must not touch the database: use an activity.' },
    {
      group: ['@temporalio/client', '@temporalio/worker', '@temporalio/activity', '@temporalio/testing'],
      message: 'Workflow code may import only @temporalio/workflow.',
    },
    { group: ['**/modules/**', '**/api/**', '**/config/**', '**/infra/**'], message: 'Workflow and domain code must not reach into application modules.' },
    {
      group: ['**/activities/**', '**/activities/*'],
      allowTypeImports: true,
      message: 'Workflows may import activity types only (import type), never their code.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      'no-console': 'error',
    },
  },
  {
    // Nest reads constructor parameter types at run time (emitDecoratorMetadata), so an import that
    // is used only as an injected type must stay a value import.
    files: ['src/**/*.ts', 'test/**/*.ts'],
    ignores: ['src/workflows/**', 'src/domain/**'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    // Workflow code, and the pure domain rules it shares with the API.
    files: ['src/workflows/**/*.ts', 'src/domain/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', workflowRestrictedImports],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'Workflow code must not read the process: pass values in as input.' },
        { name: 'require', message: 'Workflow code uses ES imports only.' },
        { name: 'fetch', message: 'Workflow code must not do I/O: use an activity.' },
      ],
    },
  },
  {
    // Command-line entry points and test support print to the terminal by design.
    files: ['scripts/**', 'src/cli/**', 'src/dev.ts', 'test/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
);
