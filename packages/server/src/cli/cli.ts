/**
 * The `parley` command: serve, seed, users, queues, tenants. Reads the same
 * environment as the server (DATABASE_URL, PARLEY_DATA_DIR, …). Exit codes:
 * 0 done, 1 the action failed (e.g. a taken name), 2 bad usage or configuration.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ChannelType, Role } from '@parley/protocol';
import { CHANNEL_TYPES, ROLES } from '@parley/protocol';
import type { Kysely } from 'kysely';
import { changePassword, createApiKey, hashPassword, listApiKeys, revokeApiKey } from '../auth/index.ts';
import { ConfigError, loadConfig, parseOrigin, type Config } from '../config/index.ts';
import { seedDemo } from '../demo/index.ts';
import { listPresenceProfiles } from '../presence/index.ts';
import { AddressTakenError, createQueue } from '../queues/index.ts';
import { parseScenario, ScenarioError, simulate } from '../simulate/index.ts';
import { audit, openStore, StoreError, type Database } from '../store/index.ts';
import { DEFAULT_TENANT_SLUG, ensureTenant, findTenantBySlug } from '../tenants/index.ts';
import { createUser, findUserForLogin, UsernameTakenError } from '../users/index.ts';

/** Where the CLI writes; tests pass their own. */
export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Reads all of standard input (for --password-stdin). */
  readonly stdin: () => Promise<string>;
  readonly env: Readonly<Record<string, string | undefined>>;
}

class UsageError extends Error {}
class ActionError extends Error {}

export const USAGE = `Usage: parley <command> [options]

Commands:
  serve                          Start the server (same as npm start without the build).
  seed --demo                    Create or refresh the demo tenant, users and queues.
  tenant add <slug> --name N [--origin URL]...
  user add <username> --role agent|supervisor|admin --name N --email E (--password-stdin | --oauth-subject S)
                                 [--tenant SLUG] [--language en]
  user passwd <username> --password-stdin [--tenant SLUG]
  queue add <name> --type phone|chat|email|sms|whatsapp [--address A]... [--priority N]
                                 [--offer-timeout S] [--wrapup S] [--skill K]... [--tenant SLUG]
  api-key add <name> [--tenant SLUG]   A tenant API key for POST /api/v1/agent-tokens, printed once
  api-key list [--tenant SLUG]
  api-key revoke <id> [--tenant SLUG]
  simulate <scenario.json> [--url URL] [--admin USER] [--smtp-port P] [--out FILE]
                                 Traffic against a running server (bench/scenarios/); the admin
                                 password comes from standard input, else PARLEY_DEMO_PASSWORD.

Configuration comes from the environment (see docs/configuration.md).
Exit codes: 0 done, 1 the action failed, 2 bad usage or configuration.`;

/** Runs one CLI invocation; resolves with the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, sub, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    io.out(USAGE);
    return command ? 0 : 2;
  }
  let config: Config;
  try {
    config = loadConfig(io.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.err(`parley: invalid configuration: ${err.message}`);
      return 2;
    }
    throw err;
  }
  if (command === 'serve') {
    await import('../main.ts');
    return 0;
  }
  if (command === 'simulate') {
    try {
      return await simulateCommand(config, [sub ?? '', ...rest].filter(Boolean), io);
    } catch (err) {
      if (err instanceof UsageError) {
        io.err(`parley: ${err.message}\n\n${USAGE}`);
        return 2;
      }
      io.err(`parley: ${err instanceof Error ? err.message : String(err)}`);
      return 1;
    }
  }
  let db: Kysely<Database> | null = null;
  try {
    db = await openStore({ sqliteFile: path.join(config.dataDir, 'parley.sqlite'), databaseUrl: config.databaseUrl });
    switch (`${command} ${sub ?? ''}`.trim()) {
      case 'seed':
      case 'seed --demo':
        return await seed(db, config, [sub ?? '', ...rest], io);
      case 'tenant add':
        return await tenantAdd(db, rest, io);
      case 'user add':
        return await userAdd(db, rest, io);
      case 'user passwd':
        return await userPasswd(db, rest, io);
      case 'queue add':
        return await queueAdd(db, rest, io);
      case 'api-key add':
      case 'api-key list':
      case 'api-key revoke':
        return await apiKeyCommand(db, sub ?? '', rest, io);
      default:
        throw new UsageError(`unknown command "${[command, sub].filter(Boolean).join(' ')}"`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`parley: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof StoreError) {
      io.err(`parley: cannot open the store: ${err.message}`);
      return 2;
    }
    if (err instanceof ActionError || err instanceof UsernameTakenError || err instanceof AddressTakenError) {
      io.err(`parley: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    await db?.destroy();
  }
}

/** `parley simulate`: runs a scenario against a running server; progress on stderr, the summary as JSON. */
async function simulateCommand(config: Config, args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    url: { type: 'string' },
    admin: { type: 'string' },
    'smtp-port': { type: 'string' },
    out: { type: 'string' },
  });
  const file = positionals[0];
  if (!file) throw new UsageError('simulate needs a scenario file, e.g. bench/scenarios/mixed-small.json');
  let scenario;
  try {
    scenario = parseScenario(JSON.parse(await readFile(file, 'utf8')));
  } catch (err) {
    if (err instanceof ScenarioError || err instanceof SyntaxError) throw new UsageError(`${file}: ${err.message}`);
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
  const stdinPassword = (await io.stdin()).replace(/\r?\n$/, '');
  const smtpPort = int(values, 'smtp-port', 1, 65535) ?? config.channels.smtpPort ?? undefined;
  const summary = await simulate(scenario, {
    baseUrl: str(values, 'url') ?? config.publicUrl,
    admin: { username: str(values, 'admin') ?? 'admin', password: stdinPassword || config.demoPassword },
    ...(smtpPort === undefined ? {} : { smtpPort }),
    onProgress: (p) =>
      io.err(
        `t=${p.elapsedSeconds}s arrivals ${p.arrivals} waiting ${p.waiting} handled ${p.handled} abandoned ${p.abandoned}` +
          ` wait p50 ${p.waitP50?.toFixed(1) ?? '–'}s p99 ${p.waitP99?.toFixed(1) ?? '–'}s errors ${p.errors}`,
      ),
  });
  const json = JSON.stringify(summary, null, 2);
  const out = str(values, 'out');
  if (out) await writeFile(out, `${json}\n`);
  io.out(json);
  return summary.errors > 0 || summary.unfinished > 0 ? 1 : 0;
}

function parse(args: readonly string[], options: NonNullable<Parameters<typeof parseArgs>[0]>['options']) {
  try {
    return parseArgs({ args: [...args], options: options ?? {}, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function str(values: Record<string, unknown>, name: string, required: true): string;
function str(values: Record<string, unknown>, name: string, required?: false): string | undefined;
function str(values: Record<string, unknown>, name: string, required = false): string | undefined {
  const value = values[name];
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (required) throw new UsageError(`--${name} is required`);
  return undefined;
}

function int(values: Record<string, unknown>, name: string, min: number, max: number): number | undefined {
  const raw = str(values, name);
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw) || Number(raw) < min || Number(raw) > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  return Number(raw);
}

async function tenantFor(db: Kysely<Database>, slug: string | undefined) {
  const tenant = await findTenantBySlug(db, slug ?? DEFAULT_TENANT_SLUG);
  if (!tenant) throw new ActionError(`no tenant "${slug ?? DEFAULT_TENANT_SLUG}" (create it with: parley tenant add)`);
  return tenant;
}

async function readPassword(io: CliIo): Promise<string> {
  const password = (await io.stdin()).replace(/\r?\n$/, '');
  if (password.length < 8) throw new UsageError('the password from standard input must be at least 8 characters');
  return password;
}

async function seed(db: Kysely<Database>, config: Config, args: readonly string[], io: CliIo): Promise<number> {
  if (!args.includes('--demo')) throw new UsageError('seed needs --demo (the only seed there is)');
  const tenant = await seedDemo(db, { password: config.demoPassword, allowedOrigins: [] });
  io.out(`Demo tenant "${tenant.name}" is ready: agent1…agent5, supervisor, admin; six queues.`);
  return 0;
}

async function tenantAdd(db: Kysely<Database>, args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { name: { type: 'string' }, origin: { type: 'string', multiple: true } });
  const slug = positionals[0];
  if (!slug || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(slug))
    throw new UsageError('tenant add needs a slug of lowercase letters, digits and dashes');
  if (slug === DEFAULT_TENANT_SLUG) throw new UsageError('"default" is the tenant at the base URL; it exists already');
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  const origins = ((values['origin'] as string[] | undefined) ?? []).map((o) => {
    const origin = parseOrigin(o);
    if (!origin) throw new UsageError(`--origin ${o} is not an origin (scheme://host[:port])`);
    return origin;
  });
  if (await findTenantBySlug(db, slug)) throw new ActionError(`tenant "${slug}" exists already`);
  const tenant = await ensureTenant(db, { slug, name: str(values, 'name', true), allowedOrigins: origins });
  io.out(`Tenant "${tenant.name}" created; its base URL is {PARLEY_PUBLIC_URL}t/${slug}/`);
  return 0;
}

async function userAdd(db: Kysely<Database>, args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    role: { type: 'string' },
    name: { type: 'string' },
    email: { type: 'string' },
    tenant: { type: 'string' },
    language: { type: 'string' },
    'oauth-subject': { type: 'string' },
    'password-stdin': { type: 'boolean' },
  });
  const username = positionals[0];
  if (!username || !/^[A-Za-z0-9._@-]{1,128}$/.test(username))
    throw new UsageError('user add needs a username (letters, digits, . _ @ -)');
  const role = str(values, 'role', true);
  if (!(ROLES as readonly string[]).includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
  const email = str(values, 'email', true);
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new UsageError('--email must be an email address');
  const oauthSubject = str(values, 'oauth-subject');
  if (!values['password-stdin'] && !oauthSubject)
    throw new UsageError('a user needs --password-stdin or --oauth-subject to log in');
  const tenant = await tenantFor(db, str(values, 'tenant'));
  const passwordHash = values['password-stdin'] ? await hashPassword(await readPassword(io)) : null;
  const profiles = await listPresenceProfiles(db, tenant.id);
  const user = await db.transaction().execute(async (trx) => {
    const created = await createUser(trx, tenant.id, {
      username,
      displayName: str(values, 'name', true),
      email,
      role: role as Role,
      passwordHash,
      oauthSubject: oauthSubject ?? null,
      language: str(values, 'language') ?? 'en',
      presenceProfileId: profiles[0]?.id ?? null,
    });
    await audit(trx, {
      tenantId: tenant.id,
      actorId: null,
      action: 'user_created',
      detail: { target: created.id, username, via: 'cli' },
    });
    return created;
  });
  io.out(`User ${user.username} (${user.role}) created in tenant "${tenant.slug}" with id ${user.id}.`);
  return 0;
}

async function userPasswd(db: Kysely<Database>, args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { tenant: { type: 'string' }, 'password-stdin': { type: 'boolean' } });
  const username = positionals[0];
  if (!username) throw new UsageError('user passwd needs a username');
  if (!values['password-stdin']) throw new UsageError('user passwd reads the new password with --password-stdin');
  const tenant = await tenantFor(db, str(values, 'tenant'));
  const found = await findUserForLogin(db, tenant.id, username);
  if (!found) throw new ActionError(`no user "${username}" in tenant "${tenant.slug}"`);
  // A new password ends the sessions opened with the old one.
  await changePassword(db, {
    tenantId: tenant.id,
    userId: found.user.id,
    password: await readPassword(io),
    actorId: null,
    via: 'cli',
  });
  io.out(`Password of ${username} changed; their sessions were ended.`);
  return 0;
}

async function queueAdd(db: Kysely<Database>, args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    type: { type: 'string' },
    address: { type: 'string', multiple: true },
    skill: { type: 'string', multiple: true },
    priority: { type: 'string' },
    'offer-timeout': { type: 'string' },
    wrapup: { type: 'string' },
    tenant: { type: 'string' },
  });
  const name = positionals[0];
  if (!name) throw new UsageError('queue add needs a name');
  const type = str(values, 'type', true);
  if (!(CHANNEL_TYPES as readonly string[]).includes(type))
    throw new UsageError(`--type must be one of ${CHANNEL_TYPES.join(', ')}`);
  const priority = int(values, 'priority', -100, 100);
  const offerTimeout = int(values, 'offer-timeout', 5, 900);
  const wrapup = int(values, 'wrapup', 0, 900);
  const tenant = await tenantFor(db, str(values, 'tenant'));
  const exists = await db
    .selectFrom('queues')
    .select('id')
    .where('tenant_id', '=', tenant.id)
    .where('name', '=', name)
    .executeTakeFirst();
  if (exists) throw new ActionError(`a queue named "${name}" exists already`);
  const queue = await db.transaction().execute(async (trx) => {
    const q = await createQueue(trx, tenant.id, {
      name,
      channel: type as ChannelType,
      addresses: (values['address'] as string[] | undefined) ?? [],
      skills: (values['skill'] as string[] | undefined) ?? [],
      ...(priority === undefined ? {} : { priority }),
      ...(offerTimeout === undefined ? {} : { offerTimeoutSeconds: offerTimeout }),
      ...(wrapup === undefined ? {} : { wrapupSeconds: wrapup }),
    });
    await audit(trx, {
      tenantId: tenant.id,
      actorId: null,
      action: 'queue_created',
      detail: { target: q.id, name, via: 'cli' },
    });
    return q;
  });
  io.out(
    `Queue ${queue.name} (${queue.channel}) created with id ${queue.id}${queue.addresses.length ? `; addresses ${queue.addresses.join(', ')}` : ''}.`,
  );
  return 0;
}

/** `parley api-key add|list|revoke`: the tenant API keys that mint agent tokens (docs/headless.md). */
async function apiKeyCommand(db: Kysely<Database>, sub: string, args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { tenant: { type: 'string' } });
  const tenant = await tenantFor(db, str(values, 'tenant'));
  if (sub === 'add') {
    const name = positionals[0];
    if (!name || name.length > 100) throw new UsageError('api-key add needs a name (at most 100 characters)');
    const key = await createApiKey(db, { tenantId: tenant.id, name, createdBy: null });
    await audit(db, {
      tenantId: tenant.id,
      actorId: null,
      action: 'api_key_created',
      detail: { target: key.id, name, via: 'cli' },
    });
    io.out(`API key ${key.id} (${name}) for tenant "${tenant.slug}". Keep it now, it is not shown again:`);
    io.out(key.key);
    return 0;
  }
  if (sub === 'list') {
    for (const k of await listApiKeys(db, tenant.id))
      io.out(
        `${k.id}  ${k.revokedAt ? `revoked ${k.revokedAt}` : 'live'}  last used ${k.lastUsedAt ?? 'never'}  ${k.name}`,
      );
    return 0;
  }
  const id = positionals[0];
  if (!id) throw new UsageError('api-key revoke needs the key id (from api-key list)');
  if (!(await revokeApiKey(db, tenant.id, id)))
    throw new ActionError(`no live API key ${id} in tenant "${tenant.slug}"`);
  await audit(db, {
    tenantId: tenant.id,
    actorId: null,
    action: 'api_key_revoked',
    detail: { target: id, via: 'cli' },
  });
  io.out(`API key ${id} revoked.`);
  return 0;
}
