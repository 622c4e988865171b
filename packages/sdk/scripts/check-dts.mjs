// The SDK's declaration file stands alone (scripts/check-dts.mjs).
import { checkDts } from '../../../scripts/check-dts.mjs';

checkDts(
  'SDK',
  new URL('../dist/parley.d.ts', import.meta.url).pathname,
  `import { load, type Panel, type Interaction } from './bundle.js';
const panel: Panel = await load({ baseUrl: 'https://parley.example.com/', container: 'c' });
const i: Interaction = await panel.accept();
panel.on('interaction:status', (e) => e.interaction.id.toUpperCase());
export const id: string = i.id;
`,
);
