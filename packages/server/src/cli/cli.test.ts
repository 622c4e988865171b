import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword, createSession, findSession } from '../auth/index.ts';
import { openStore } from '../store/index.ts';
import { findTenantBySlug } from '../tenants/index.ts';
import { findUserForLogin } from '../users/index.ts';
import { runCli } from './cli.ts';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-cli-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function cli(args: string, stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args.split(' ').filter(Boolean), {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    stdin: async () => stdin,
    env: { PARLEY_DATA_DIR: dir, PARLEY_DEMO_PASSWORD: 'cli-demo-password' },
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function withDb<T>(fn: (db: Awaited<ReturnType<typeof openStore>>) => Promise<T>): Promise<T> {
  const db = await openStore({ sqliteFile: path.join(dir, 'parley.sqlite') });
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

describe('parley CLI', () => {
  it('seeds the demo tenant, adds a user who can log in, and refuses a taken username', async () => {
    expect((await cli('seed --demo')).code).toBe(0);
    const added = await cli(
      'user add zoe --role supervisor --name Zoe --email zoe@x.example --password-stdin',
      'zoe-password-1\n',
    );
    expect(added).toMatchObject({ code: 0, err: '' });
    expect(added.out).toMatch(/^User zoe \(supervisor\) created in tenant "default" with id [0-9a-f]{32}\.$/);
    const stored = await withDb(async (db) => findUserForLogin(db, (await findTenantBySlug(db, 'default'))!.id, 'zoe'));
    expect(await verifyPassword(stored!.passwordHash!, 'zoe-password-1')).toBe(true);
    const again = await cli(
      'user add zoe --role agent --name Zoe --email zoe@x.example --password-stdin',
      'zoe-password-1',
    );
    expect(again).toMatchObject({ code: 1, err: 'parley: username zoe is already taken' });
  });

  it('changes a password and ends the old sessions', async () => {
    const token = await withDb(async (db) => {
      const tenant = (await findTenantBySlug(db, 'default'))!;
      const zoe = (await findUserForLogin(db, tenant.id, 'zoe'))!;
      return (
        await createSession(db, { tenantId: tenant.id, userId: zoe.user.id }, { idleSeconds: 600, maxSeconds: 6000 })
      ).token;
    });
    expect((await cli('user passwd zoe --password-stdin', 'zoe-password-2')).code).toBe(0);
    await withDb(async (db) => {
      expect(await findSession(db, token, { idleSeconds: 600, maxSeconds: 6000 })).toBeNull();
      const tenant = (await findTenantBySlug(db, 'default'))!;
      expect(
        await verifyPassword((await findUserForLogin(db, tenant.id, 'zoe'))!.passwordHash!, 'zoe-password-2'),
      ).toBe(true);
    });
  });

  it('adds tenants and queues; a taken address fails with exit 1 and writes nothing', async () => {
    expect((await cli('tenant add acme --name Acme --origin https://crm.acme.example')).code).toBe(0);
    expect((await cli('queue add Billing --type phone --address +15555550777 --priority 4 --tenant acme')).code).toBe(
      0,
    );
    const clash = await cli('queue add Other --type phone --address +15555550777 --tenant acme');
    expect(clash).toMatchObject({
      code: 1,
      err: 'parley: The address +15555550777 is already in use; each number and email address can route to one queue only.',
    });
    const names = await withDb(async (db) =>
      (
        await db
          .selectFrom('queues')
          .select('name')
          .where('tenant_id', '=', (await findTenantBySlug(db, 'acme'))!.id)
          .execute()
      ).map((r) => r.name),
    );
    expect(names).toEqual(['Billing']);
  });

  it.each([
    ['', 2, /Usage: parley/],
    ['frobnicate', 2, /unknown command "frobnicate"/],
    [
      'user add x --role boss --name X --email x@x --password-stdin',
      2,
      /--role must be one of agent, supervisor, admin/,
    ],
    ['user add x --role agent --name X --email x@x', 2, /--password-stdin or --oauth-subject/],
    ['user add x --role agent --name X --email x@x --password-stdin --bogus', 2, /Unknown option '--bogus'/],
    ['queue add Q --type fax', 2, /--type must be one of/],
    ['queue add Q --type phone --priority high', 2, /--priority must be a whole number/],
    ['tenant add Bad_Slug --name X', 2, /slug/],
    ['user passwd ghost --password-stdin', 1, /no user "ghost"/],
    ['user add y --role agent --name Y --email y@x --password-stdin --tenant nope', 1, /no tenant "nope"/],
  ])('"%s" exits %i', async (args, code, message) => {
    const result = await cli(args, 'long-enough-pw');
    expect(result.code).toBe(code);
    expect(`${result.out}\n${result.err}`).toMatch(message);
  });

  it('refuses a short password from standard input', async () => {
    const result = await cli('user add shorty --role agent --name S --email s@x.example --password-stdin', 'short');
    expect(result).toMatchObject({ code: 2 });
    expect(result.err).toMatch(/at least 8 characters/);
  });
});

describe('parley simulate', () => {
  it('explains what is wrong with its arguments and scenario files, before any traffic', async () => {
    expect(await cli('simulate')).toMatchObject({ code: 2, err: expect.stringContaining('needs a scenario file') });
    expect(await cli(`simulate ${path.join(dir, 'missing.json')}`)).toMatchObject({
      code: 2,
      err: expect.stringContaining('cannot read'),
    });
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ agents: { queues: ['Web Chat'] }, customers: { fax: { per_second: 1 } } }));
    expect(await cli(`simulate ${bad}`)).toMatchObject({ code: 2, err: expect.stringContaining('customers.fax') });
    fs.writeFileSync(bad, '{ not json');
    expect(await cli(`simulate ${bad}`)).toMatchObject({ code: 2, err: expect.stringContaining('bad.json') });
    // The bundled scenarios are valid.
    for (const name of fs.readdirSync(path.resolve(import.meta.dirname, '../../../../bench/scenarios'))) {
      const file = path.resolve(import.meta.dirname, '../../../../bench/scenarios', name);
      const { parseScenario } = await import('../simulate/index.ts');
      expect(() => parseScenario(JSON.parse(fs.readFileSync(file, 'utf8')))).not.toThrow();
    }
  });
});
