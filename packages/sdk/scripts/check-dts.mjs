// The declaration file stands alone: a strict consumer that knows nothing of the workspace type-checks against it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const dts = new URL('../dist/parley.d.ts', import.meta.url).pathname;
if (/from ['"]@parley\//.test(readFileSync(dts, 'utf8'))) {
  console.error('dist/parley.d.ts imports a workspace package: it must be self-contained');
  process.exit(1);
}
const dir = mkdtempSync(path.join(tmpdir(), 'parley-dts-'));
try {
  writeFileSync(path.join(dir, 'parley.d.ts'), readFileSync(dts));
  writeFileSync(
    path.join(dir, 'consumer.ts'),
    `import { load, type Panel, type Interaction } from './parley.js';
const panel: Panel = await load({ baseUrl: 'https://parley.example.com/', container: 'c' });
const i: Interaction = await panel.accept();
panel.on('interaction:status', (e) => e.interaction.id.toUpperCase());
export const id: string = i.id;
`,
  );
  const tsc = new URL('../../../node_modules/typescript/bin/tsc', import.meta.url).pathname;
  execFileSync(
    process.execPath,
    [
      tsc,
      '--strict',
      '--noEmit',
      '--target',
      'es2022',
      '--module',
      'esnext',
      '--moduleResolution',
      'bundler',
      '--lib',
      'es2022,dom',
      path.join(dir, 'consumer.ts'),
    ],
    // Run from the consumer's own folder: the workspace's node_modules/@types (werift brings DOM codec
    // typings that clash with lib.dom) are not the consumer's.
    { stdio: 'inherit', cwd: dir },
  );
  console.log('SDK dist/parley.d.ts: self-contained, a strict consumer type-checks: ok');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
