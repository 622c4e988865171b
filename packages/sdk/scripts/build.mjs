// Builds the SDK: an ESM bundle for bundlers and one minified IIFE file for <script> tags.
import { build } from 'esbuild';

const common = { bundle: true, target: 'es2022', legalComments: 'none', logLevel: 'warning' };
await Promise.all([
  build({ ...common, entryPoints: ['src/index.ts'], format: 'esm', outfile: 'dist/parley.mjs', sourcemap: true }),
  build({
    ...common,
    entryPoints: ['src/iife.ts'],
    format: 'iife',
    outfile: 'dist/parley.js',
    minify: true,
    sourcemap: true,
  }),
]);
