// The Webex dialect's declaration file stands alone (scripts/check-dts.mjs).
import { checkDts } from '../../../scripts/check-dts.mjs';

checkDts(
  'Webex CC dialect',
  new URL('../dist/webex.d.ts', import.meta.url).pathname,
  `import { Webex, type Task, ContactCenterError } from './bundle.js';
const webex = Webex.init({ credentials: 'token' });
const cc = webex.cc;
const profile = await cc.register();
await cc.stationLogin({ teamId: profile.teams[0]?.teamId, loginOption: 'BROWSER' });
cc.on('task:incoming', (task: Task) => void task.accept());
const task = await cc.startOutdial('+15555550100');
await task.wrapup({ auxCodeId: profile.wrapupCodes[0]?.id ?? '', wrapUpReason: 'done' });
export const code = (e: unknown) => (e instanceof ContactCenterError ? e.code : null);
`,
);
