import { describe, expect, it } from 'vitest';
import { hasRole, mayAct, mayManageAgent, mayRead, type Subject } from './policy.ts';

const agent: Subject = { id: 'a', role: 'agent' };
const other: Subject = { id: 'b', role: 'agent' };
const supervisor: Subject = { id: 's', role: 'supervisor' };
const admin: Subject = { id: 'x', role: 'admin' };
const mine = { agentId: 'a' };

describe('the access policy', () => {
  it.each([
    ['its agent', agent, true, true],
    ['another agent', other, false, false],
    ['a supervisor', supervisor, true, false],
    ['an admin', admin, true, false],
  ])('%s reads (%s) and acts (%s) on an interaction as follows', (_, who, read, act) => {
    expect(mayRead(who, mine)).toBe(read);
    expect(mayAct(who, mine)).toBe(act);
  });

  it('lets nobody act on a waiting contact, and ranks roles', () => {
    expect(mayAct(agent, { agentId: null })).toBe(false);
    expect(mayRead(agent, { agentId: null })).toBe(false);
    expect([hasRole(agent, 'supervisor'), hasRole(supervisor, 'supervisor'), hasRole(supervisor, 'admin')]).toEqual([
      false,
      true,
      false,
    ]);
  });

  it.each([
    ['the agent themself', agent, new Set<string>(), true],
    ['another agent, even one listed', other, new Set(['a']), false],
    ['a supervisor of their team', supervisor, new Set(['a']), true],
    ['a supervisor of other teams', supervisor, new Set(['b']), false],
    ['a supervisor of no team', supervisor, new Set<string>(), false],
    ['an admin, whatever the teams', admin, new Set<string>(), true],
  ])('lets %s manage an agent: %s', (_, who, supervised, may) => {
    expect(mayManageAgent(who, 'a', supervised)).toBe(may);
  });
});
