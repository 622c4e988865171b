/**
 * The answers of `cc.getBuddyAgents()` and `cc.getQueues()`, from Parley's
 * directory and queue list, and the checks of a station login. Pure, like
 * mapping.ts.
 */
import type { Queue } from '@parley/protocol';
import { LOGIN_OPTIONS, type WireTeam } from './mapping.ts';

/** One entry of GET api/v1/users. */
export interface Directory {
  readonly id: string;
  readonly display_name: string;
  readonly work_status: string;
}

/** Other agents Available (ready) and Idle (not ready), or only the one `state`; with the team shared with the caller. */
export function buddiesOf(
  directory: readonly Directory[],
  input: { me: string; teams: readonly WireTeam[]; siteId: string; state?: string },
) {
  const wanted =
    input.state === 'Available' ? ['ready'] : input.state === 'Idle' ? ['not_ready'] : ['ready', 'not_ready'];
  const teamOf = (id: string) => input.teams.find((t) => t.members.some((m) => m.user_id === id));
  return directory
    .filter((d) => d.id !== input.me && wanted.includes(d.work_status))
    .map((d) => {
      const team = teamOf(d.id);
      const [firstName = '', ...rest] = d.display_name.split(' ');
      return {
        agentId: d.id,
        agentName: d.display_name,
        firstName,
        lastName: rest.join(' '),
        state: d.work_status === 'ready' ? 'Available' : 'Idle',
        teamId: team?.id ?? '',
        teamName: team?.name ?? '',
        dn: '',
        siteId: input.siteId,
      };
    });
}

/** Queues whose name contains `search` (any case), one page of `pageSize` from page `page` (0-based). */
export function queuePage(all: readonly Queue[], search: unknown, page: unknown, pageSize: unknown) {
  const term = typeof search === 'string' ? search.toLowerCase() : '';
  const size = Math.max(1, Math.min(1000, Math.floor(Number(pageSize) || 100)));
  const from = Math.max(0, Math.floor(Number(page) || 0)) * size;
  return all
    .filter((q) => term === '' || q.name.toLowerCase().includes(term))
    .slice(from, from + size)
    .map((q) => ({
      queueId: q.id,
      queueName: q.name,
      id: q.id,
      name: q.name,
      channelType: q.type === 'phone' ? 'telephony' : q.type,
      isActive: true,
      active: true,
      description: q.addresses.map((a) => a.address).join(', '),
    }));
}

/**
 * What is wrong with a station login, or null: `BROWSER` works; `EXTENSION`
 * and `AGENT_DN` need a dial number and a SIP edge Parley does not have yet;
 * the team must be one of the agent's.
 */
export function deviceProblem(
  login: { teamId?: string; loginOption?: string; dialNumber?: string } | undefined,
  teams: readonly WireTeam[],
): { code: 'invalid_argument' | 'unsupported'; message: string } | null {
  const option = login?.loginOption;
  if (!login || !(LOGIN_OPTIONS as readonly unknown[]).includes(option))
    return { code: 'invalid_argument', message: `loginOption must be 'BROWSER', 'EXTENSION' or 'AGENT_DN'.` };
  if (option !== 'BROWSER') {
    if (typeof login.dialNumber !== 'string' || login.dialNumber.trim() === '')
      return {
        code: 'invalid_argument',
        message: `loginOption '${option}' needs a dialNumber (the extension or number to ring).`,
      };
    return {
      code: 'unsupported',
      message: `loginOption '${option}' rings a desk phone or a number, which needs a SIP trunk this Parley server does not have; log in with loginOption 'BROWSER'.`,
    };
  }
  if (login.teamId !== undefined && teams.length > 0 && !teams.some((t) => t.id === login.teamId))
    return {
      code: 'invalid_argument',
      message: `teamId ${JSON.stringify(login.teamId)} is not one of your teams (${teams.map((t) => `${t.id} ${t.name}`).join(', ')}).`,
    };
  return null;
}
