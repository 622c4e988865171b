/**
 * Login limits over a real server behind a trusted proxy
 * (PARLEY_TRUST_PROXY=127.0.0.1, so X-Forwarded-For names the client):
 * parallel guesses are counted before the hash is checked, a spread-out
 * attack does not lock the owner out, an admin unlocks, and an untrusted
 * peer's X-Forwarded-For is ignored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, startHarness, type Harness } from '../testing/index.ts';

let h: Harness;
// The limits' clock stands still unless a test moves it: no delay runs out because the machine is slow.
let now = Date.now();
beforeAll(async () => {
  h = await startHarness({ PARLEY_TRUST_PROXY: '127.0.0.1' }, 'sqlite', { authClock: () => now });
});
afterAll(async () => {
  await h.close();
});

const login = (username: string, password: string, client: string, remoteAddress = '127.0.0.1') =>
  h.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { 'x-forwarded-for': client },
    remoteAddress,
    payload: { username, password },
  });

async function failures(ip: string): Promise<number> {
  const rows = await h.db.selectFrom('audit_log').select('detail').where('action', '=', 'login_failed').execute();
  return rows.filter((r) => JSON.parse(r.detail).ip === ip).length;
}

const statuses = (list: Array<{ statusCode: number }>) => {
  const count = new Map<number, number>();
  for (const r of list) count.set(r.statusCode, (count.get(r.statusCode) ?? 0) + 1);
  return Object.fromEntries(count);
};

describe('login limits under concurrency and from many places', () => {
  it('60 parallel wrong passwords for one user from one place: 5 are judged, 55 get 429', async () => {
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => login('agent2', `wrong-${i}`, '198.51.100.1')),
    );
    expect(statuses(answers)).toEqual({ 401: 5, 429: 55 });
    expect(await failures('198.51.100.1')).toBe(5);
  }, 60_000);

  it('80 parallel attempts from one address, each for another name: 50 are judged, 30 get 429', async () => {
    const answers = await Promise.all(
      Array.from({ length: 80 }, (_, i) => login(`ghost${i}`, 'wrong-password', '198.51.100.2')),
    );
    expect(statuses(answers)).toEqual({ 401: 50, 429: 30 });
    expect(await failures('198.51.100.2')).toBe(50);
  }, 60_000);

  it('an attack on one user from many places slows the places, not the owner at home; a login at home or an admin unlocks', async () => {
    const attack = async (from: number) => {
      for (let a = from; a < from + 25; a++) await login('agent3', 'wrong-password', `203.0.113.${a}`);
    };
    const home = await login('agent3', DEMO_PASSWORD, '192.0.2.10');
    expect(home.statusCode).toBe(200);
    const agent3 = home.json().user.id as string;
    await attack(0);
    expect((await login('agent3', DEMO_PASSWORD, '203.0.113.200')).statusCode).toBe(429);
    // The delay doubles with each attempt it lets through: one more after a second, then two.
    now += 1000;
    expect((await login('agent3', 'wrong-password', '203.0.113.201')).statusCode).toBe(401);
    now += 1000;
    expect((await login('agent3', DEMO_PASSWORD, '203.0.113.202')).statusCode).toBe(429);
    // At a place the owner logged in from: no wait at all, and it ends the delays of new places.
    expect((await login('agent3', DEMO_PASSWORD, '192.0.2.10')).statusCode).toBe(200);
    expect((await login('agent3', DEMO_PASSWORD, '192.0.2.77')).statusCode).toBe(200);
    // Again, and this time an admin lifts the delays (audited).
    await attack(100);
    expect((await login('agent3', DEMO_PASSWORD, '192.0.2.78')).statusCode).toBe(429);
    const admin = await login('admin', DEMO_PASSWORD, '192.0.2.1');
    expect(admin.statusCode, admin.body).toBe(200);
    const unlocked = await h.app.inject({
      method: 'POST',
      url: `/api/v1/users/${agent3}/unlock`,
      headers: { authorization: `Bearer ${admin.json().token}` },
    });
    expect(unlocked.statusCode).toBe(204);
    expect((await login('agent3', DEMO_PASSWORD, '192.0.2.78')).statusCode).toBe(200);
    const audit = await h.db.selectFrom('audit_log').select('detail').where('action', '=', 'login_unlocked').execute();
    expect(audit.map((r) => JSON.parse(r.detail).target)).toEqual([agent3]);
  }, 60_000);

  it('believes X-Forwarded-For from the trusted proxy only', async () => {
    expect((await login('agent4', 'wrong-password', '198.51.100.50')).statusCode).toBe(401);
    expect(await failures('198.51.100.50')).toBe(1);
    // A peer that is not the proxy cannot pick its address.
    expect((await login('agent4', 'wrong-password', '198.51.100.51', '10.9.9.9')).statusCode).toBe(401);
    expect(await failures('198.51.100.51')).toBe(0);
    expect(await failures('10.9.9.9')).toBe(1);
  });
});
