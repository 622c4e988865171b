/**
 * What integrators get from the published build (`dist/parley-agent.mjs`
 * and `dist/parley-agent.d.ts`): the headless client and its types. The
 * workspace's door (index.ts) also exports the parts the panel is built on.
 */
export { Agent, requestId, type AgentEvents, type ConnectOptions, type OutboundOptions, type Target } from './agent.ts';
export { AgentAudio, type AgentAudioEvents, type AudioState, type StationLike } from './audio.ts';
export { CommandError } from './errors.ts';
export type { ConnectionState } from './socket.ts';
export type {
  AgentEventMap,
  CallQuality,
  ChannelType,
  ErrorCode,
  Interaction,
  InteractionState,
  Message,
  PresenceProfile,
  User,
  WorkStatus,
} from '@parley/protocol';
