/**
 * The agent client: everything an agent's UI needs from Parley without the
 * UI — the REST client (carried over the socket while it is open), the
 * agent socket with resume by sequence, the interaction store that turns
 * server frames into host events, and the voice station (WebRTC to the
 * media plane). The panel is a view over it; a headless client (issue 18)
 * builds on the same parts.
 */
export { CommandError } from './errors.ts';
export { RestClient, type DirectoryEntry, type ReasonCode, type RestCarrier, type TokenStore } from './rest.ts';
export { AgentSocket, type ConnectionState, type SocketHandlers } from './socket.ts';
export { Conversations, mergeMessages } from './conversations.ts';
export { CallAudio, QUALITY_EVERY_MS } from './call-audio.ts';
export { Voice, sinkTo, type CallQuality, type VoiceLike, type VoiceOptions } from './voice.ts';
export { AgentAudio, type AgentAudioEvents, type AudioState, type StationLike } from './audio.ts';
export type { CallAudioHooks } from './call-audio.ts';
export { Agent, requestId, type AgentEvents, type ConnectOptions, type SocketLike } from './agent.ts';
export { userChanges } from './user-changes.ts';
export { AgentSession, type SessionHooks, type SessionSocket } from './session.ts';
