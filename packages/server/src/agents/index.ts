export { AgentService, mayManage, requireRole } from './agents.ts';
