/**
 * A real server process for benches, as `npm start` runs it: demo tenant,
 * its own data directory, loopback only, waited for until `/healthz`
 * answers. `BENCH_CPU_PROF=<dir>` writes a CPU profile of it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '@parley/e2e/ports';

export interface ServerProcess {
  readonly base: string;
  readonly dir: string;
  readonly child: ChildProcess;
  /** The SQLite file, for benches that write their agents straight into the store. */
  readonly sqliteFile: string;
  /** Stops the process and removes its data. */
  stop(): Promise<void>;
}

export async function startServerProcess(name: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const root = path.resolve(import.meta.dirname, '../..');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `parley-bench-${name}-`));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}/`;
  const profileDir = process.env['BENCH_CPU_PROF'];
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'packages/server/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      PARLEY_PUBLIC_URL: base,
      PLAYGROUND_PORT: 'off',
      PARLEY_SMTP_PORT: 'off',
      PARLEY_DATA_DIR: dir,
      PARLEY_DEMO: 'true',
      LOG_LEVEL: 'error',
      ...env,
    },
    stdio: 'ignore',
  });
  const stop = async () => {
    // A profiled process must exit on its own to write the profile.
    child.kill(profileDir ? 'SIGINT' : 'SIGKILL');
    if (profileDir) await new Promise((r) => setTimeout(r, 3000));
    fs.rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 300; i++) {
    const up = await fetch(`${base}healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return { base, dir, child, sqliteFile: path.join(dir, 'parley.sqlite'), stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`the ${name} bench server did not answer /healthz within 30 s`);
}
