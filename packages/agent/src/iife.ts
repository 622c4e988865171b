/**
 * The single-file `<script>` build, `{base}sdk/parley-agent.js`:
 * `window.ParleyAgent.connect({ baseUrl, token | getToken })` resolves with
 * an {@link Agent}. Failures are `ParleyAgent.CommandError`s with a code.
 */
import { Agent } from './agent.ts';
import { CommandError } from './errors.ts';

(window as unknown as Record<string, unknown>)['ParleyAgent'] = {
  connect: (options: Parameters<typeof Agent.connect>[0]) => Agent.connect(options),
  Agent,
  CommandError,
};
