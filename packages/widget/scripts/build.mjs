// Builds the customer web-chat widget: one minified file for a <script> tag on any site.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/chat.ts'],
  bundle: true,
  format: 'iife',
  target: 'es2020',
  minify: true,
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
  outfile: 'dist/widget.js',
});
