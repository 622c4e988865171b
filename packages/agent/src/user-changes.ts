/** What changed of the agent between two copies of the user, as the status news hosts hear (PROTOCOL.md §1.4). */
import type { StatusPayload, User } from '@parley/protocol';

export function userChanges(before: User | null, after: User): StatusPayload[] {
  if (!before) return [];
  const out: StatusPayload[] = [];
  if (before.work_status !== after.work_status) out.push({ attribute: 'work_status', value: after.work_status });
  if (before.presence !== after.presence) {
    const profile = after.presence_profiles.find((p) => p.id === after.presence);
    if (profile) out.push({ attribute: 'profile', value: profile });
  }
  if (before.theme.dark !== after.theme.dark || before.theme.primary !== after.theme.primary)
    out.push({ attribute: 'theme', value: after.theme });
  if (before.language !== after.language) out.push({ attribute: 'language', value: after.language });
  return out;
}
