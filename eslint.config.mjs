// ESLint (flat config) with typescript-eslint, as the VS Code extension samples use. Formatting
// is Prettier's (eslint-config-prettier turns off the rules that would fight it); `npm run lint`
// runs both, and `npm test` runs it, so CI fails on a violation.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/** What the engine may not import: it runs in the server, the client and the CLI alike, and reads no file itself. */
const NOT_IN_THE_ENGINE = {
  paths: ['vscode', 'fs', 'path', 'os', 'child_process', 'net', 'http', 'https', 'worker_threads', 'url'].map((name) => ({
    name,
    message: 'The engine has no VS Code, LSP or Node I/O: its callers give it what it needs (see the Catalog source).',
  })),
  patterns: [
    {
      group: ['vscode-*', 'vscode-languageserver*', 'vscode-languageclient*', 'vscode-jsonrpc*'],
      message: 'The engine has no LSP or VS Code: adapt its results in server/src/features or the client.',
    },
    { group: ['node:*'], message: 'The engine does no Node I/O: its callers give it what it needs.' },
    { group: ['@cloud-copilot/*'], message: 'The engine reads the catalog through the source its callers give it.' },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'engine/out/**',
      'dist/**',
      'node_modules/**',
      'test/fixtures/**',
      'test/vscode/workspace/**',
      '**/*.d.ts',
      '.venv*/**',
      '.test-runs/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // node:test's describe/it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] }] },
      ],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      // This project's subject is characters IAM refuses: its patterns name control characters on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    // The engine's project (engine/tsconfig.json) has no Node types and no files outside
    // engine/src; this keeps its imports free of LSP, VS Code and I/O as well.
    files: ['engine/src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', NOT_IN_THE_ENGINE] },
  },
  {
    // The bins are CommonJS entry points that load the bundles.
    files: ['bin/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: {
      globals: {
        fetch: 'readonly',
        AbortSignal: 'readonly',
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        Buffer: 'readonly',
        __dirname: 'readonly',
        require: 'readonly',
        module: 'readonly',
      },
    },
  },
  prettier,
);
