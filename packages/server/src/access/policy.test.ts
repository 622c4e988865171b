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
    expect([mayManageAgent(agent, 'a'), mayManageAgent(other, 'a'), mayManageAgent(supervisor, 'a')]).toEqual([
      true,
      false,
      true,
    ]);
  });
});
