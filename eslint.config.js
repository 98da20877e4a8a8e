// Lint for the whole project. The workflow block is the one that matters most: Temporal replays
// workflow code, so anything non-deterministic or with I/O must stay out of src/workflows.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...new Set(builtinModules.map((name) => name.replace(/^node:/, '')))];

/**
 * The schema library (zod) and the fields built with it, as types only: each new workflow evaluates
 * the modules its code imports afresh, and loading zod doubled the worker's CPU per workflow. A
 * command's request builds its body from the kit the API hands in (src/domain/fields.ts).
 */
const schemaLibraryTypesOnly = [
  { group: ['zod', 'zod/*'], allowTypeImports: true, message: "Workflow and domain code import zod as a type only: a command's request builds its body from the kit the API hands in (schemaKit)." },
  { group: ['**/fields.js'], allowTypeImports: true, message: 'The fields people fill in are built by the API (schemaKit): import them here as types only.' },
];

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
    { group: ['**/modules/**', '**/api/**', '**/config/**', '**/dev/**', '**/bench/**', '**/cli/**', '**/worker/**', '**/activities/**'], message: 'Workflow and domain code must not reach into application modules: activities are called through the contracts in *.messages.ts.' },
    ...schemaLibraryTypesOnly,
  ],
};


/** A folder of src/, as an import path reaches it from anywhere else in src/. */
const folder = (name) => [`**/${name}/**`, `**/${name}/*`, `../${name}`, `../../${name}`];

/**
 * The layers, lowest first: each may import the ones below it, never one above. Entry points
 * (main.ts, worker.ts, dev.ts) sit on top and may import anything.
 *   domain ← workflows ← config ← modules ← activities ← worker
 *                                 modules ← api, cli
 * Beside the product, the tools: the dev command's supervision (dev/: the embedded database, the
 * Temporal servers, supervised processes) and the benchmarks (bench/) use the modules and each
 * other; nothing of the product imports them.
 */
const tools = [...folder('dev'), ...folder('bench')];
export const layerRules = {
  'src/domain': [{ group: folder('workflows'), message: 'The domain is the lowest layer: it must not import workflows.' }],
  'src/workflows': [],
  'src/config': [{ group: [...folder('modules'), ...folder('activities'), ...folder('worker'), ...folder('api'), ...folder('cli'), ...tools], message: 'Configuration is a low layer: it must not import modules, activities, the worker, the API, the CLI or the tools.' }],
  'src/modules': [{ group: [...folder('activities'), ...folder('worker'), ...folder('api'), ...folder('cli'), ...tools], message: 'Modules must not import activities, the worker, the API, the CLI or the tools (they sit above modules).' }],
  'src/activities': [{ group: [...folder('worker'), ...folder('api'), ...folder('cli'), ...tools], message: 'Activities must not import the worker wiring, the API, the CLI or the tools.' }],
  'src/worker': [{ group: [...folder('api'), ...folder('cli'), ...tools], message: 'The worker must not import the API, the CLI or the tools.' }],
  'src/api': [
    { group: [...folder('activities'), ...folder('worker'), ...folder('cli'), ...tools], message: 'The API must not import activities, the worker, the CLI or the tools: it reaches workflows through the Temporal client.' },
    { group: ['@temporalio/worker', '@temporalio/worker/*', '**/case-replayer*', '**/temporal-worker.service*', '**/workflow-source*', '**/temporal-runtime*'], message: 'The API process must not load the Temporal worker package or the workflow bundle.' },
  ],
  'src/cli': [{ group: [...folder('api'), ...folder('activities'), ...folder('worker'), ...folder('bench')], message: 'Commands use modules (and the dev tools), not the API, the activities, the worker wiring or the benchmarks.' }],
  'src/dev': [{ group: [...folder('api'), ...folder('activities'), ...folder('worker'), ...folder('cli'), ...folder('bench')], message: "The dev command's supervision uses modules only: not the API, the activities, the worker wiring, the CLI or the benchmarks." }],
  'src/bench': [{ group: [...folder('api'), ...folder('activities'), ...folder('worker')], message: 'Benchmarks drive the system from outside: not the API, the activities or the worker wiring.' }],
};

/** One validation system: requests are zod schemas made into DTOs by nestjs-zod (src/api/common/text.ts). */
const validationImports = [
  { name: 'class-validator', message: 'Describe requests as zod schemas (nestjs-zod): one schema gives the validation, the OpenAPI document and the types.' },
  { name: 'class-transformer', message: 'Describe requests as zod schemas (nestjs-zod); a query value is converted by its schema (queryInteger, queryBoolean).' },
];

/**
 * One typed path to the case store: the entity manager, or Kysely typed from the entities
 * (StoreDatabase). SQL of its own is kept to these files, each listed with its reason in
 * docs/database.md; the database folder holds the helpers, the listener and the migrations.
 */
export const rawSqlFiles = [
  'src/modules/platform/database/**/*.ts',
  'src/modules/contact-cases/case-store.service.ts',
  'src/modules/contact-cases/case-queries.service.ts',
  'src/modules/mi/mi-counts.statement.ts',
  'src/modules/mi/mi-measures.service.ts',
  'src/modules/alerts/alert-queries.service.ts',
  'src/modules/platform/access/rate-limit.store.ts',
  'src/cli/mi-what-if.ts',
];
/** Files that open a connection of their own: the listener, the migration lock, the readiness probe and the benchmarks' seeding. */
export const pgClientFiles = ['src/modules/platform/database/**/*.ts', 'src/dev/embedded-database.ts', 'src/bench/*.ts'];

const storeImports = {
  pg: { name: 'pg', message: 'Reach the case store through StoreDatabase (src/modules/platform/database/store-db.ts): Kysely, typed from the entities.' },
  sql: { name: 'kysely', importNames: ['sql'], message: 'Write statements with the typed builder (StoreDatabase.db); SQL of its own stays in the files listed in docs/database.md (rawSqlFiles in eslint.config.js).' },
};
const rawQueryCall = {
  selector: "CallExpression[callee.property.name=/^(query|execute)$/][arguments.0.type=/^(Literal|TemplateLiteral)$/]",
  message: 'No SQL strings: write the statement with the typed builder (StoreDatabase.db); SQL of its own stays in the files listed in docs/database.md.',
};
const restrictedImports = (...extra) => ['error', { paths: [...validationImports, ...extra] }];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'test-artifacts/**', 'desk/src/api-schema.d.ts'] },
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
      'no-restricted-imports': restrictedImports(),
    },
  },
  // The product's source reaches the store by the typed path only; tests may seed and inspect it freely.
  { files: ['src/**/*.ts'], rules: { 'no-restricted-imports': restrictedImports(storeImports.pg, storeImports.sql), 'no-restricted-syntax': ['error', rawQueryCall] } },
  { files: rawSqlFiles, ignores: pgClientFiles, rules: { 'no-restricted-imports': restrictedImports(storeImports.pg), 'no-restricted-syntax': 'off' } },
  { files: pgClientFiles, ignores: rawSqlFiles, rules: { 'no-restricted-imports': restrictedImports(storeImports.sql), 'no-restricted-syntax': 'off' } },
  { files: rawSqlFiles.filter((file) => pgClientFiles.includes(file)).concat(['src/modules/platform/database/**/*.ts']), rules: { 'no-restricted-imports': restrictedImports(), 'no-restricted-syntax': 'off' } },
  {
    // Nest reads constructor parameter types at run time (emitDecoratorMetadata), so an import that
    // is used only as an injected type must stay a value import.
    files: ['src/**/*.ts', 'test/**/*.ts'],
    ignores: ['src/workflows/**', 'src/domain/**'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  // Every layer's imports (the domain's and the workflows' come with the purity rules below).
  ...Object.entries(layerRules)
    .filter(([dir]) => dir !== 'src/domain' && dir !== 'src/workflows')
    .map(([dir, patterns]) => ({ files: [`${dir}/**/*.ts`], rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] } })),
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
    files: ['src/domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { ...workflowRestrictedImports, patterns: [...workflowRestrictedImports.patterns, ...layerRules['src/domain']] }],
    },
  },
  {
    // The one domain file that builds the fields people fill in; only the API loads it.
    files: ['src/domain/fields.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { ...workflowRestrictedImports, patterns: [...workflowRestrictedImports.patterns.filter((pattern) => !schemaLibraryTypesOnly.includes(pattern)), ...layerRules['src/domain']] },
      ],
    },
  },
  {
    // Settings come from one place: the configuration reads the environment, and the entry points
    // hand it in (or pass it on to the processes they start). Nothing else reads process.env.
    files: ['src/**/*.ts'],
    ignores: ['src/config/**', 'src/main.ts', 'src/worker.ts', 'src/dev.ts', 'src/cli/**', 'src/bench/**', 'src/dev/embedded-database.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read settings through loadConfig (src/config/app-config.ts), or take the environment as an argument from the entry point.' }],
    },
  },
  {
    // Command-line entry points and test support print to the terminal by design.
    files: ['scripts/**', 'src/cli/**', 'src/bench/**', 'src/dev.ts', 'test/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // The management information page's script runs in the browser.
    files: ['public/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The handler's desk runs in the browser; of the product it may import only the pure domain
    // (permission names, roles), and it reaches everything else through the API.
    files: ['desk/**/*.ts', 'desk/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/src/*', '!**/src/domain', '**/src/*/**', '!**/src/domain/**'], message: 'The desk reaches the system through the API: of the product it imports only src/domain.' }] },
      ],
    },
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
