/**
 * What the browser benchmarks stand on: a blank host page on its own origin
 * (a CRM) and a Parley server on loopback whose demo tenant allows that
 * origin. `close()` stops both and removes the data.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { buildApp, loadConfig } from '@parley/server';
import { freePort } from '@parley/e2e/ports';

export const BENCH_PASSWORD = 'bench-password-1';

export async function startHostAndServer(): Promise<{ hostOrigin: string; baseUrl: string; close(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-'));
  const host = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><html><body><div id="c" style="width:520px;height:600px"></div></body></html>');
  });
  await new Promise<void>((r) => host.listen(0, '127.0.0.1', r));
  const hostOrigin = `http://127.0.0.1:${(host.address() as { port: number }).port}`;
  const port = String(await freePort());
  const config = loadConfig({
    PORT: port,
    PLAYGROUND_PORT: 'off',
    PARLEY_SMTP_PORT: 'off',
    PARLEY_DATA_DIR: dir,
    PARLEY_DEMO_PASSWORD: BENCH_PASSWORD,
    PARLEY_ALLOWED_ORIGINS: hostOrigin,
    LOG_LEVEL: 'warn',
  });
  const server = await buildApp({ config });
  await server.app.listen({ port: Number(port), host: 'localhost' });
  return {
    hostOrigin,
    baseUrl: config.publicUrl,
    close: async () => {
      await server.close();
      await new Promise((r) => host.close(r));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
