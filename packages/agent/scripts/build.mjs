// Builds the headless agent client: one minified IIFE for <script> tags (`window.ParleyAgent`,
// served at {base}sdk/parley-agent.js), an ESM bundle for bundlers and its self-contained
// declaration file (the protocol's types inlined).
import { writeFileSync } from 'node:fs';
import { generateDtsBundle } from 'dts-bundle-generator';
import { build } from 'esbuild';

const common = { bundle: true, target: 'es2022', legalComments: 'none', logLevel: 'warning', sourcemap: true };
await Promise.all([
  build({ ...common, entryPoints: ['src/iife.ts'], format: 'iife', outfile: 'dist/parley-agent.js', minify: true }),
  build({ ...common, entryPoints: ['src/public.ts'], format: 'esm', outfile: 'dist/parley-agent.mjs' }),
]);
const [dts] = generateDtsBundle(
  [{ filePath: 'src/public.ts', libraries: { inlinedLibraries: ['@parley/protocol'] }, output: { noBanner: true } }],
  { preferredConfigPath: 'tsconfig.dts.json' },
);
writeFileSync('dist/parley-agent.d.ts', dts ?? '');
