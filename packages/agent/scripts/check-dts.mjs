// The headless client's declaration file stands alone (scripts/check-dts.mjs).
import { checkDts } from '../../../scripts/check-dts.mjs';

checkDts(
  'Agent',
  new URL('../dist/parley-agent.d.ts', import.meta.url).pathname,
  `import { Agent, CommandError, type Interaction } from './bundle.js';
const agent = await Agent.connect({ baseUrl: 'https://parley.example.com/', getToken: async () => 'token' });
agent.on('interaction:status', ({ status, interaction }) => console.log(status, interaction.id.toUpperCase()));
agent.on('multi_login', ({ active }) => console.log(active));
agent.audio.on('track', (track: MediaStreamTrack) => console.log(track.kind));
const i: Interaction = await agent.accept('x');
await agent.transfer({ queue_id: 'q' }, i.id);
await agent.outbound({ channel: 'sms', to: '+15555550100', content: 'Hi' });
export const failed = (e: unknown): string | null => (e instanceof CommandError ? e.code : null);
`,
);
