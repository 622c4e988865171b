/** Who may do what: the one access policy. */
export { hasRole, mayAct, mayManageAgent, mayRead, type Subject } from './policy.ts';
