// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Lower packages never import upward: protocol ← sdk, panel, widget, server. */
const layering = (/** @type {string[]} */ forbidden) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: forbidden.map((name) => ({
        group: [name, `${name}/*`],
        message: 'Lower packages never import upward.',
      })),
    },
  ],
});

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', '.e2e-tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    files: [
      'packages/sdk/src/**',
      'packages/panel/src/**',
      'packages/widget/src/**',
      'apps/playground/src/**',
      'packages/server/src/demo/pages/**',
    ],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // In tests a wrong assumption fails the test, which is what an assertion is for.
    files: ['**/*.test.ts', 'e2e/**', 'bench/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['packages/protocol/src/**'],
    rules: layering(['@parley/sdk', '@parley/panel', '@parley/widget', '@parley/server']),
  },
  {
    files: ['packages/sdk/src/**', 'packages/panel/src/**', 'packages/widget/src/**'],
    rules: layering(['@parley/server', '@parley/sdk', '@parley/panel', '@parley/widget']),
  },
  {
    files: ['packages/server/src/**'],
    rules: layering(['@parley/sdk', '@parley/panel', '@parley/widget']),
  },
);
