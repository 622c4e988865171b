// Builds the customer pieces: the web-chat widget (with click-to-call) for a <script> tag on any site,
// and the softphone page's script.
import { build } from 'esbuild';

for (const [entry, out] of [
  ['src/chat.ts', 'dist/widget.js'],
  ['src/phone-page.ts', 'dist/phone.js'],
]) {
  await build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    target: 'es2020',
    minify: true,
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
    outfile: out,
  });
}
