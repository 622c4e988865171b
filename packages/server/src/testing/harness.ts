/**
 * Test harness: a real server on a temporary SQLite file, with every log
 * line captured, and a fake built panel so tests do not depend on a build.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { buildApp, type AppOptions, type ParleyApp } from '../app.ts';
import { loadConfig } from '../config/index.ts';
import type { StoreKind } from '../store/index.ts';
import { createPostgresDatabase } from './stores.ts';

export const DEMO_PASSWORD = 'test-demo-päss:word';
export const HOST_ORIGIN = 'http://127.0.0.1:13999';

export interface Harness extends ParleyApp {
  /** Every log line written so far. */
  readonly logs: string[];
  readonly dir: string;
  /** With `listen`: where the server answers over real HTTP (its public URL). */
  readonly url: string | null;
  /** Passwords and tokens used in the run: close() fails if any of them reached the log. */
  readonly secrets: Set<string>;
}

/** A TCP port free on loopback right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Builds a demo server on the given store (SQLite by default); `env` overrides the test defaults. */
export async function startHarness(
  env: Record<string, string> = {},
  store: StoreKind = 'sqlite',
  options: Pick<AppOptions, 'interactions' | 'voice' | 'authClock' | 'sessionSweepMs'> & {
    /** Listen on a free loopback port (for what calls the server over HTTP, like the demo SMS provider). */
    listen?: boolean;
  } = {},
): Promise<Harness> {
  const { listen, ...appOptions } = options;
  const port = listen ? await freePort() : 18080;
  const url = listen ? `http://127.0.0.1:${port}/` : null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-test-'));
  const postgres = store === 'postgres' ? await createPostgresDatabase() : null;
  const panelDist = path.join(dir, 'panel');
  fs.mkdirSync(path.join(panelDist, 'assets'), { recursive: true });
  fs.writeFileSync(
    path.join(panelDist, 'index.html'),
    '<!doctype html><html><head><title>p</title></head><body></body></html>',
  );
  fs.writeFileSync(path.join(panelDist, 'assets', 'app.js'), 'console.log(1)');
  const consoleDist = path.join(dir, 'console');
  fs.mkdirSync(consoleDist, { recursive: true });
  fs.writeFileSync(
    path.join(consoleDist, 'index.html'),
    '<!doctype html><html><head><title>c</title></head><body></body></html>',
  );
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const config = loadConfig(
    {
      PARLEY_DEMO: 'true',
      PARLEY_DEMO_PASSWORD: DEMO_PASSWORD,
      PARLEY_DATA_DIR: dir,
      PORT: String(port),
      ...(url ? { PARLEY_PUBLIC_URL: url } : {}),
      PLAYGROUND_PORT: 'off',
      PARLEY_ALLOWED_ORIGINS: HOST_ORIGIN,
      LOG_LEVEL: 'trace',
      PARLEY_SMTP_PORT: '0',
      ...(postgres ? { DATABASE_URL: postgres.url } : {}),
      ...env,
    },
    dir,
  );
  const app = await buildApp({
    config,
    logStream,
    dist: {
      panel: panelDist,
      console: consoleDist,
      sdk: path.join(dir, 'sdk'),
      playground: path.join(dir, 'pg'),
      widget: path.join(dir, 'widget'),
    },
    voice: { scriptedFarParty: true },
    ...appOptions,
  });
  if (listen) await app.app.listen({ port, host: '127.0.0.1' });
  const secrets = new Set<string>([DEMO_PASSWORD]);
  return {
    ...app,
    logs,
    dir,
    url,
    secrets,
    async close() {
      const webhook = await app.db
        .selectFrom('tenants')
        .select('webhook_secret')
        .where('id', '=', app.tenant.id)
        .executeTakeFirst()
        .catch(() => undefined);
      if (webhook?.webhook_secret) secrets.add(webhook.webhook_secret);
      await app.close();
      // Every run's log is checked for the secrets it used: a hit fails the test file.
      const leaked = [...secrets].filter((secret) => secret.length >= 8 && logs.some((line) => line.includes(secret)));
      if (leaked.length > 0) {
        await postgres?.drop();
        fs.rmSync(dir, { recursive: true, force: true });
        throw new Error(`secrets reached the log: ${leaked.map((x) => `${x.slice(0, 4)}…`).join(', ')}`);
      }
      await postgres?.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The form body of a CPC basic login. */
export function basicForm(username: string, password: string): string {
  return new URLSearchParams({
    Authorization: `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`,
  }).toString();
}

/** The session cookie value from a response's set-cookie header. */
export function sessionCookie(setCookie: string | string[] | undefined): string {
  const header = Array.isArray(setCookie) ? setCookie.join('\n') : (setCookie ?? '');
  const match = /parley_session=([^;]*)/.exec(header);
  if (!match?.[1]) throw new Error(`no session cookie in ${header}`);
  return match[1];
}
