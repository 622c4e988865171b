// Builds the Webex CC dialect: one minified IIFE for <script> tags (`window.Webex`, served at
// {base}sdk/webex.js) and an ESM bundle for bundlers.
import { build } from 'esbuild';

const common = { bundle: true, target: 'es2022', legalComments: 'none', logLevel: 'warning', sourcemap: true };
await Promise.all([
  build({ ...common, entryPoints: ['src/iife.ts'], format: 'iife', outfile: 'dist/webex.js', minify: true }),
  build({ ...common, entryPoints: ['src/index.ts'], format: 'esm', outfile: 'dist/webex.mjs' }),
]);
