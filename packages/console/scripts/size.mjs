// The console's first load: the page, its JS and its CSS, at most 60 KB gzip together (it is 17 KB).
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET = 60 * 1024;
const dist = new URL('../dist/', import.meta.url);
const files = ['index.html', ...readdirSync(new URL('assets/', dist)).map((f) => `assets/${f}`)].filter((f) =>
  /\.(html|js|css)$/.test(f),
);
const size = files.reduce((sum, f) => sum + gzipSync(readFileSync(new URL(f, dist)), { level: 9 }).length, 0);
const line = `Console first load (${files.length} files, HTML+JS+CSS): ${size} B gzip (budget ${BUDGET} B)`;
if (size > BUDGET) {
  console.error(`${line}: over budget`);
  process.exit(1);
}
console.log(`${line}: ok`);
