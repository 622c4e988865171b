// Builds the Webex CC dialect: one minified IIFE for <script> tags (`window.Webex`, served at
// {base}sdk/webex.js), an ESM bundle for bundlers and its self-contained declaration file (the
// agent client's and the protocol's types inlined).
import { writeFileSync } from 'node:fs';
import { generateDtsBundle } from 'dts-bundle-generator';
import { build } from 'esbuild';

const common = { bundle: true, target: 'es2022', legalComments: 'none', logLevel: 'warning', sourcemap: true };
await Promise.all([
  build({ ...common, entryPoints: ['src/iife.ts'], format: 'iife', outfile: 'dist/webex.js', minify: true }),
  build({ ...common, entryPoints: ['src/index.ts'], format: 'esm', outfile: 'dist/webex.mjs' }),
]);
const [dts] = generateDtsBundle(
  [
    {
      filePath: 'src/index.ts',
      libraries: { inlinedLibraries: ['@parley/protocol', '@parley/agent'] },
      output: { noBanner: true },
    },
  ],
  { preferredConfigPath: 'tsconfig.dts.json' },
);
writeFileSync('dist/webex.d.ts', dts ?? '');
