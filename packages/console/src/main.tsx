/** Boot: read the embedded config, render the console. */
import { render } from 'preact';
import { Api } from './api.ts';
import { App } from './ui/index.ts';
import './styles.css';

interface BootConfig {
  readonly baseUrl: string;
  readonly tenantName: string;
}

function readBootConfig(): BootConfig {
  const fallback: BootConfig = { baseUrl: `${location.origin}/`, tenantName: 'Parley' };
  try {
    const value = JSON.parse(document.getElementById('parley-config')?.textContent ?? '{}') as Partial<BootConfig>;
    return {
      baseUrl: typeof value.baseUrl === 'string' ? value.baseUrl : fallback.baseUrl,
      tenantName: typeof value.tenantName === 'string' ? value.tenantName : fallback.tenantName,
    };
  } catch {
    return fallback;
  }
}

const config = readBootConfig();
const root = document.getElementById('app');
if (root)
  render(
    <App
      env={{
        api: new Api(config.baseUrl),
        tenantName: config.tenantName,
        wsUrl: `${config.baseUrl.replace(/^http/, 'ws')}ws/console`,
        panelUrl: `${config.baseUrl}panel/embedded`,
      }}
    />,
    root,
  );
