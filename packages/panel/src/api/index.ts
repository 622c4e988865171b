/** The panel's wire to the server: REST (through the socket's tunnel or fetch) and the agent socket. */
export { RestClient } from './rest.ts';
export type { DirectoryEntry, ReasonCode } from './rest.ts';
export { AgentSocket } from './socket.ts';
export type { ConnectionState, SocketHandlers } from './socket.ts';
