// Builds the SDK: an ESM bundle for bundlers, one minified IIFE file for <script> tags, and one
// self-contained declaration file (the protocol's types inlined) for TypeScript users.
import { writeFileSync } from 'node:fs';
import { generateDtsBundle } from 'dts-bundle-generator';
import { build } from 'esbuild';

// ES2022 keeps private class fields native: smaller than the WeakMap helpers of older targets.
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
const [dts] = generateDtsBundle(
  [{ filePath: 'src/index.ts', libraries: { inlinedLibraries: ['@parley/protocol'] }, output: { noBanner: true } }],
  { preferredConfigPath: 'tsconfig.dts.json' },
);
writeFileSync('dist/parley.d.ts', dts ?? '');
