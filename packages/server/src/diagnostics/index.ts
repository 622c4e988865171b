export type { ClientLog, ClientLogEntry } from './client-logs.ts';
export { storeClientLog, listClientLogs, findClientLog, redactLogText, KEEP_PER_USER } from './client-logs.ts';
