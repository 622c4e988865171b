// The web-chat widget's size budget (issue 8): at most 30 KB min+gzip.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET = 30 * 1024;
const file = new URL('../dist/widget.js', import.meta.url);
const size = gzipSync(readFileSync(file), { level: 9 }).length;
const line = `Chat widget dist/widget.js: ${size} B min+gzip (budget ${BUDGET} B)`;
if (size > BUDGET) {
  console.error(`${line}: over budget`);
  process.exit(1);
}
console.log(`${line}: ok`);
