/** What the start-up banner says about demo mode: loudly that it is on, and how to turn it off. */
import { DEFAULT_DEMO_PASSWORD } from '../config/index.ts';
import { DEMO_USERS } from './seed.ts';

export function startupBanner(config: { readonly demo: boolean; readonly demoPassword: string }): string[] {
  if (!config.demo) return [];
  return [
    '',
    '  DEMO MODE is on: demo users with a shared password, the demo SMS provider, handsets and',
    '  mailbox, and the virtual PSTN. Not for production: set PARLEY_DEMO=false (docs/security.md,',
    '  "Production checklist").',
    '',
    // The documented default is printed; a password the operator chose is a secret and never echoed.
    `  Demo logins (password for all: ${config.demoPassword === DEFAULT_DEMO_PASSWORD ? config.demoPassword : 'the one set in PARLEY_DEMO_PASSWORD'}):`,
    `    ${DEMO_USERS.map((u) => `${u.username} (${u.role})`).join(', ')}`,
  ];
}
