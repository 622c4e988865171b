/** What changed of the agent between two copies of the user, as the status news hosts hear (PROTOCOL.md §1.4). */
import type { AgentStateChange, StatusPayload, User } from '@parley/protocol';

export function userChanges(before: User | null, after: User): StatusPayload[] {
  if (!before) return [];
  const out: StatusPayload[] = [];
  if (before.work_status !== after.work_status) out.push({ attribute: 'work_status', value: after.work_status });
  if (
    before.work_status !== after.work_status ||
    (before.not_ready_reason ?? null) !== (after.not_ready_reason ?? null) ||
    (before.state_changed_at ?? null) !== (after.state_changed_at ?? null)
  )
    out.push({ attribute: 'agent_state', value: agentState(after) });
  if (before.presence !== after.presence) {
    const profile = after.presence_profiles.find((p) => p.id === after.presence);
    if (profile) out.push({ attribute: 'profile', value: profile });
  }
  if (before.theme.dark !== after.theme.dark || before.theme.primary !== after.theme.primary)
    out.push({ attribute: 'theme', value: after.theme });
  if (before.language !== after.language) out.push({ attribute: 'language', value: after.language });
  return out;
}

/** The agent's state as hosts hear it: work status, reason, who changed it and when. */
export function agentState(u: User): AgentStateChange {
  return {
    work_status: u.work_status,
    reason:
      u.not_ready_reason_code && u.work_status !== 'ready'
        ? { code: u.not_ready_reason_code, label: u.not_ready_reason_label ?? u.not_ready_reason_code }
        : null,
    changed_by: u.state_changed_by
      ? { id: u.state_changed_by, name: u.state_changed_by_name ?? u.state_changed_by }
      : null,
    changed_at: u.state_changed_at ?? null,
  };
}
