/**
 * The events an agent client emits, shared by the panel-mode SDK (`Panel`,
 * which adds its own: `load`, `ready`, `error`, `message`) and the headless
 * agent client (`Agent`): one map, so the same listener code runs on both.
 */
import type { CallQuality } from './host.ts';
import type { Interaction, PresenceProfile, WorkStatus } from './objects.ts';

export interface AgentEventMap {
  /** The in-view interaction changed (`null` when none). */
  'interaction:active': (interaction: Interaction | null) => void;
  /** An interaction changed status: `incoming`, `outgoing`, `accepted`, `rejected`, `ended`, `handled`. */
  'interaction:status': (event: { status: string; interaction: Interaction }) => void;
  /** Hold, mute or recording changed (the panel-mode SDK only with `enableChannelStatusUpdates`). */
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
  /** The client's connection to the server. */
  connection: (state: 'online' | 'reconnecting' | 'offline') => void;
}
