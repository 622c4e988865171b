// Builds the headless agent client: one minified IIFE for <script> tags (`window.ParleyAgent`,
// served at {base}sdk/parley-agent.js) and an ESM bundle for bundlers.
import { build } from 'esbuild';

const common = { bundle: true, target: 'es2022', legalComments: 'none', logLevel: 'warning', sourcemap: true };
await Promise.all([
  build({ ...common, entryPoints: ['src/iife.ts'], format: 'iife', outfile: 'dist/parley-agent.js', minify: true }),
  build({ ...common, entryPoints: ['src/index.ts'], format: 'esm', outfile: 'dist/parley-agent.mjs' }),
]);
