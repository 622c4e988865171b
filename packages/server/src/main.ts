/**
 * Entry point: validate the configuration, build, listen, print where
 * everything is, and shut down cleanly on SIGINT/SIGTERM.
 */
import { ConfigError, loadConfig } from './config/index.ts';
import { startupBanner } from './demo/index.ts';
import { StoreError } from './store/index.ts';
import { buildApp } from './app.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`parley: invalid configuration: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }

  let parley;
  try {
    parley = await buildApp({ config });
  } catch (err) {
    if (err instanceof StoreError) {
      console.error(`parley: cannot open the store: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }

  const base = await parley.app.listen({ port: config.port, host: config.host });
  let playgroundUrl: string | null = null;
  if (parley.playground && config.playgroundPort !== null) {
    const address = await parley.playground.listen({ port: config.playgroundPort, host: config.playgroundHost });
    playgroundUrl = `${address.replace('localhost', config.playgroundHost)}/`;
  }

  const lines = [
    '',
    `  Parley is running.`,
    `  Panel, REST and WebSocket:  ${config.publicUrl}   (listening on ${base})`,
    `  Panel page:                 ${config.publicUrl}panel/embedded`,
  ];
  if (playgroundUrl) {
    lines.push(`  Playground (host page):     ${playgroundUrl}`);
    lines.push(`  Demo shop (web chat):       ${playgroundUrl}shop`);
  }
  lines.push(...startupBanner(config));
  lines.push('');
  console.log(lines.join('\n'));

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    parley.log.info({ signal }, 'shutting down');
    parley.close().then(
      () => process.exit(0),
      (err: unknown) => {
        parley.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

void main();
