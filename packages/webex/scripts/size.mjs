// The Webex dialect's size budget. The `webex` browser bundle a Webex CC integrator loads is about 1 MB
// (every Webex plugin: meetings, messaging, calling, contact center). Parley's dialect is the headless
// agent client (16 KB budget) plus the Contact Center surface — profile, station, agent state, tasks — so
// it is held to 24 KB min+gzip: under 3 % of what it replaces.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET = 24 * 1024;
const file = new URL('../dist/webex.js', import.meta.url);
const size = gzipSync(readFileSync(file), { level: 9 }).length;
const line = `Webex CC dialect dist/webex.js: ${size} B min+gzip (budget ${BUDGET} B)`;
if (size > BUDGET) {
  console.error(`${line}: over budget`);
  process.exit(1);
}
console.log(`${line}: ok`);
