export { AgentService, requireRole, supervisedBy } from './agents.ts';
