import type { AgentEventMap, PanelMessage, User } from '@parley/protocol';
import type { ParleyError } from './errors.ts';

/** Every event a {@link Panel} emits, and what it carries: the agent events every client shares, and the panel's own. */
export interface PanelEvents extends AgentEventMap {
  /** The panel document loaded (CPC `onload`); fires again after the panel reloads. */
  load: () => void;
  /** An agent is logged in and the panel accepts commands (CPC `init`). Carries the user. */
  ready: (user: User) => void;
  /** Something went wrong outside a request (e.g. credentials were refused). */
  error: (error: ParleyError) => void;
  /** Every message from the panel, as received on the wire. */
  message: (message: PanelMessage) => void;
}

export type PanelEventName = keyof PanelEvents;
