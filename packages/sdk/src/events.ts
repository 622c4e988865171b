import type { CallQuality, Interaction, PanelMessage, PresenceProfile, User, WorkStatus } from '@parley/protocol';
import type { ParleyError } from './errors.ts';

/** Every event a {@link Panel} emits, and what it carries. */
export interface PanelEvents {
  /** The panel document loaded (CPC `onload`); fires again after the panel reloads. */
  load: () => void;
  /** An agent is logged in and the panel accepts commands (CPC `init`). Carries the user. */
  ready: (user: User) => void;
  /** The in-view interaction changed (`null` when none). */
  'interaction:active': (interaction: Interaction | null) => void;
  /** An interaction changed status: `incoming`, `outgoing`, `accepted`, `rejected`, `ended`, `handled`. */
  'interaction:status': (event: { status: string; interaction: Interaction }) => void;
  /** Hold, mute or recording changed (only with `enableChannelStatusUpdates`). */
  'interaction:channel': (event: {
    held: boolean;
    muted: boolean;
    recording: boolean;
    interaction: Interaction;
  }) => void;
  /** A wrap-up code or notes were set. */
  'interaction:disposition': (event: { code?: string; notes?: string; interaction: Interaction }) => void;
  /** Every 5 s during a call: round trip, jitter and packet loss of the agent's audio (WebRTC stats). */
  'interaction:quality': (event: CallQuality & { interaction: Interaction }) => void;
  /** The agent's work status changed. */
  'agent:workStatus': (status: WorkStatus) => void;
  /** The agent's presence profile changed. */
  'agent:profile': (profile: PresenceProfile) => void;
  /** The agent switched theme. */
  theme: (theme: { dark: boolean; primary: string }) => void;
  /** The agent switched language (BCP-47 tag). */
  language: (language: string) => void;
  /** The panel's connection to the server. */
  connection: (state: 'online' | 'reconnecting' | 'offline') => void;
  /** Something went wrong outside a request (e.g. credentials were refused). */
  error: (error: ParleyError) => void;
  /** Every message from the panel, as received on the wire. */
  message: (message: PanelMessage) => void;
}

export type PanelEventName = keyof PanelEvents;
