// The headless client's size budget. Webex's browser SDK, the `webex` bundle a Webex CC integrator loads for
// the same job, is about 1 MB; Parley's client is the socket, the REST calls and the interaction store, so it
// is held to 16 KB min+gzip (the panel-mode SDK, which only relays to the iframe, has 5 KB).
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET = 16 * 1024;
const file = new URL('../dist/parley-agent.js', import.meta.url);
const size = gzipSync(readFileSync(file), { level: 9 }).length;
const line = `Agent IIFE dist/parley-agent.js: ${size} B min+gzip (budget ${BUDGET} B)`;
if (size > BUDGET) {
  console.error(`${line}: over budget`);
  process.exit(1);
}
console.log(`${line}: ok`);
