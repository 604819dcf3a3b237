import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'coverage/', 'test-artifacts/', 'bench/results/'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Tests read JSON bodies whose shape the assertions check.
    files: ['test/**/*.ts', '**/*.test.ts', '**/*.contract.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['public/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: {
        window: 'readonly', document: 'readonly', navigator: 'readonly', localStorage: 'readonly', sessionStorage: 'readonly',
        fetch: 'readonly', EventSource: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly',
        clearInterval: 'readonly', console: 'readonly', URL: 'readonly', URLSearchParams: 'readonly', requestAnimationFrame: 'readonly',
        HTMLElement: 'readonly', Node: 'readonly', matchMedia: 'readonly', queueMicrotask: 'readonly', AbortController: 'readonly',
        Intl: 'readonly', performance: 'readonly', location: 'readonly', history: 'readonly', crypto: 'readonly', Event: 'readonly',
        CustomEvent: 'readonly', KeyboardEvent: 'readonly', visualViewport: 'readonly', getComputedStyle: 'readonly', Audio: 'readonly',
        Notification: 'readonly', DOMException: 'readonly', FormData: 'readonly', Blob: 'readonly', TextEncoder: 'readonly', ResizeObserver: 'readonly', CSS: 'readonly', Element: 'readonly',
      },
    },
  },
);
