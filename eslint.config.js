// ESLint: the typescript-eslint recommended rules over the sources, tests,
// scripts and benches. Type-aware rules are left out on purpose: they double
// the lint time on two cores, and `npm run typecheck` runs tsc strict anyway.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'bench/results/', 'conformance/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        performance: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        fetch: 'readonly',
        Response: 'readonly',
        Headers: 'readonly',
        structuredClone: 'readonly',
        crypto: 'readonly',
        queueMicrotask: 'readonly',
        globalThis: 'readonly',
      },
    },
    rules: {
      // `_name` marks a value that is deliberately unused (a destructured-away field, an ignored parameter).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // `x != null` is the one loose comparison allowed: null or undefined, said once.
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // OpenStack's name rules refuse control characters, and the regexes that say so name them.
      'no-control-regex': 'off',
      'no-console': 'off',
    },
  },
  {
    // The dashboard runs in the browser: its globals are the DOM's.
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: {
      globals: { window: 'readonly', document: 'readonly', sessionStorage: 'readonly', localStorage: 'readonly', FormData: 'readonly', navigator: 'readonly' },
    },
  },
);
