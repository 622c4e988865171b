// The SDK size budget (DESIGN.md): the IIFE must stay within 5 KB min+gzip.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET = 5 * 1024;
const file = new URL('../dist/parley.js', import.meta.url);
const size = gzipSync(readFileSync(file), { level: 9 }).length;
const line = `SDK IIFE dist/parley.js: ${size} B min+gzip (budget ${BUDGET} B)`;
if (size > BUDGET) {
  console.error(`${line}: over budget`);
  process.exit(1);
}
console.log(`${line}: ok`);
