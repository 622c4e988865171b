import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, startHarness } from './harness.ts';

describe('the test harness', () => {
  it('fails a run whose log holds one of the secrets it used', async () => {
    const h = await startHarness();
    h.secrets.add('token-that-must-stay-secret');
    h.log.info({ note: `oops token-that-must-stay-secret` }, 'a careless line');
    await expect(h.close()).rejects.toThrow(/secrets reached the log: toke…/);
  });

  it('passes a run whose log holds none', async () => {
    const h = await startHarness();
    const login = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'agent1', password: DEMO_PASSWORD },
    });
    h.secrets.add(login.json().token);
    await expect(h.close()).resolves.toBeUndefined();
  });
});
