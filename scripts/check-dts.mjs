// A declaration bundle stands alone: a strict consumer that knows nothing of the workspace type-checks
// against it. `checkDts(label, dtsFile, consumerSource)`; the consumer imports from './bundle.js'.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export function checkDts(label, dtsFile, consumer) {
  const text = readFileSync(dtsFile, 'utf8');
  if (/from ['"]@parley\//.test(text) || /from ['"]@sinclair\//.test(text)) {
    console.error(`${label}: ${path.basename(dtsFile)} imports a package: it must be self-contained`);
    process.exit(1);
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-dts-'));
  try {
    writeFileSync(path.join(dir, 'bundle.d.ts'), text);
    writeFileSync(path.join(dir, 'consumer.ts'), consumer);
    const tsc = new URL('../node_modules/typescript/bin/tsc', import.meta.url).pathname;
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
    console.log(`${label} ${path.basename(dtsFile)}: self-contained, a strict consumer type-checks: ok`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
