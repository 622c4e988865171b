/**
 * Starts the real Parley server process (as `npm start` does, from the built
 * front-ends) on free ports, plus two bare helper origins: one allowlisted
 * host page and one foreign page.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from './ports.ts';

export const DEMO_PASSWORD = 'e2e-demo-pässword';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    playgroundUrl: string;
    allowedHostUrl: string;
    foreignUrl: string;
    serverLogFile: string;
    demoPassword: string;
    smtpPort: number;
  }
}

function blankPageServer(): http.Server {
  return http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><html><head><title>helper</title></head><body></body></html>');
  });
}

async function waitForHealth(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${log()}`);
    try {
      const res = await fetch(`${url}healthz`);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not become healthy:\n${log()}`);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = path.resolve(import.meta.dirname, '../..');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-e2e-'));
  const [port, playgroundPort, allowedPort, foreignPort, smtpPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const allowedHostUrl = `http://127.0.0.1:${allowedPort}/`;
  const foreignUrl = `http://127.0.0.1:${foreignPort}/`;

  const helpers = [blankPageServer(), blankPageServer()];
  await new Promise<void>((r) => helpers[0]!.listen(allowedPort, '127.0.0.1', r));
  await new Promise<void>((r) => helpers[1]!.listen(foreignPort, '127.0.0.1', r));

  const serverLogFile = path.join(dataDir, 'server.log');
  const logFd = fs.openSync(serverLogFile, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      PLAYGROUND_PORT: String(playgroundPort),
      PARLEY_DATA_DIR: dataDir,
      PARLEY_DEMO: 'true',
      PARLEY_DEMO_PASSWORD: DEMO_PASSWORD,
      PARLEY_SMTP_PORT: String(smtpPort),
      PARLEY_ALLOWED_ORIGINS: allowedHostUrl.slice(0, -1),
      LOG_LEVEL: 'debug',
    },
    stdio: ['ignore', logFd, logFd],
  });
  const baseUrl = `http://localhost:${port}/`;
  await waitForHealth(baseUrl, child, () => fs.readFileSync(serverLogFile, 'utf8'));

  project.provide('baseUrl', baseUrl);
  project.provide('playgroundUrl', `http://127.0.0.1:${playgroundPort}/`);
  project.provide('allowedHostUrl', allowedHostUrl);
  project.provide('foreignUrl', foreignUrl);
  project.provide('serverLogFile', serverLogFile);
  project.provide('demoPassword', DEMO_PASSWORD);
  project.provide('smtpPort', smtpPort);

  return async () => {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    fs.closeSync(logFd);
    // The run's secrets never reach the server log: the demo password, in clear or inside a Basic header.
    const log = fs.readFileSync(serverLogFile, 'utf8');
    const leaked = [DEMO_PASSWORD, Buffer.from(`agent1:${DEMO_PASSWORD}`).toString('base64')].filter((s) =>
      log.includes(s),
    );
    if (leaked.length > 0) throw new Error(`the server log holds ${leaked.length} secret(s) of this run`);
    await Promise.all(helpers.map((s) => new Promise((r) => s.close(r))));
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
