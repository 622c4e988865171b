// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Lower packages never import upward: protocol ← sdk, panel, widget, server. */
const upward = (/** @type {string[]} */ forbidden) =>
  forbidden.map((name) => ({ group: [name, `${name}/*`], message: 'Lower packages never import upward.' }));

/**
 * A folder is a module with one door: from outside it, only its `index.ts`
 * may be imported (folders of files their parent loads, `migrations/` and
 * `pages/`, are not modules).
 */
const DOORS = [
  {
    regex: String.raw`^(\.\./)+[a-z][a-z-]*/(?!index\.tsx?$).+$`,
    message: 'Import another module through its index.ts door, never a file inside it.',
  },
  {
    regex: String.raw`^\./(?!migrations/|pages/)[a-z][a-z-]*/(?!index\.tsx?$).+$`,
    message: 'Import a sub-module through its index.ts door, never a file inside it.',
  },
];

/** Below the edge: the domain knows nothing of HTTP, Fastify, the app context or the routes. */
const DOMAIN = [
  {
    group: ['fastify', '@fastify/*'],
    message: 'Domain modules do not use Fastify; take what you need as a parameter.',
  },
  {
    regex: String.raw`^(\.\./)+(http|routes|rest|ri|demo)/`,
    message: 'Domain modules do not import the HTTP edge (http/, routes/, rest/, ri/, demo/).',
  },
  { regex: String.raw`^(\.\./)+context\.ts$`, message: 'Domain modules do not see the app context.' },
];

const restricted = (/** @type {object[]} */ patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

/** The server's modules below the edge. */
const SERVER_DOMAIN = [
  'access',
  'agents',
  'auth',
  'bus',
  'channels',
  'config',
  'diagnostics',
  'interactions',
  'log',
  'media',
  'presence',
  'queues',
  'realtime',
  'routing',
  'store',
  'supervision',
  'teams',
  'tenants',
  'users',
].map((m) => `packages/server/src/${m}/**`);

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
      'packages/console/src/**',
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
    rules: restricted([
      ...upward(['@parley/sdk', '@parley/panel', '@parley/widget', '@parley/server', '@parley/agent', '@parley/webex']),
      ...DOORS,
    ]),
  },
  {
    // The agent client is below the panel: it knows nothing of a UI, a host page or the server's code.
    files: ['packages/agent/src/**'],
    rules: restricted([
      ...upward(['@parley/server', '@parley/sdk', '@parley/panel', '@parley/widget', '@parley/agent', '@parley/webex']),
      ...DOORS,
    ]),
  },
  {
    // The Webex dialect sits on the agent client, beside the panel: no UI package, no server code.
    files: ['packages/webex/src/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restricted([
      ...upward(['@parley/server', '@parley/sdk', '@parley/panel', '@parley/widget', '@parley/webex']),
      ...DOORS,
    ]),
  },
  {
    files: ['packages/sdk/src/**', 'packages/panel/src/**', 'packages/widget/src/**', 'packages/console/src/**'],
    rules: restricted([
      ...upward(['@parley/server', '@parley/sdk', '@parley/panel', '@parley/widget', '@parley/console']),
      ...DOORS,
    ]),
  },
  {
    files: ['packages/server/src/**'],
    rules: restricted([...upward(['@parley/sdk', '@parley/panel', '@parley/widget']), ...DOORS]),
  },
  {
    // Tests drive a module from the outside (a whole app, the demo's handset): only the code is held to the layers.
    files: SERVER_DOMAIN,
    ignores: ['**/*.test.ts'],
    rules: restricted([...upward(['@parley/sdk', '@parley/panel', '@parley/widget']), ...DOORS, ...DOMAIN]),
  },
);
