/**
 * One access policy: who may read an interaction, who may act on it, who
 * may manage an agent's state, who holds a role. Pure; every route and the
 * desk ask it instead of deciding for themselves.
 */
import type { Role } from '@parley/protocol';

/** Who is asking. */
export interface Subject {
  readonly id: string;
  readonly role: Role;
}

const RANK: Readonly<Record<Role, number>> = { agent: 0, supervisor: 1, admin: 2 };

/** True when the subject holds `role` or a higher one. */
export function hasRole(subject: Subject, role: Role): boolean {
  return RANK[subject.role] >= RANK[role];
}

/**
 * May see an interaction and what belongs to it (history, recordings,
 * attachments, the far party's controls in the demo): the agent it is
 * assigned to, or a supervisor or admin of the tenant.
 */
export function mayRead(subject: Subject, interaction: { readonly agentId: string | null }): boolean {
  return interaction.agentId === subject.id || hasRole(subject, 'supervisor');
}

/**
 * May act on an interaction as its agent (accept, hold, transfer, write,
 * wrap up): only the agent it is assigned to. Supervisors act on others'
 * work through their own features (force state, monitor), never as the agent.
 */
export function mayAct(subject: { readonly id: string }, interaction: { readonly agentId: string | null }): boolean {
  return interaction.agentId === subject.id;
}

/**
 * May read or change an agent's state (force ready / not ready / logout,
 * later monitor their calls): the agent themself, an admin, or a supervisor
 * of a team the agent belongs to (`supervised`: the agents of the teams the
 * subject supervises). A supervisor of no team supervises nobody.
 */
export function mayManageAgent(subject: Subject, agentId: string, supervised: ReadonlySet<string>): boolean {
  if (subject.id === agentId || hasRole(subject, 'admin')) return true;
  return hasRole(subject, 'supervisor') && supervised.has(agentId);
}
