/**
 * The playground: loads the panel with @parley/sdk and shows every call with
 * its code and its result.
 */
import { load, ParleyError, type Panel } from '@parley/sdk';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const baseInput = $<HTMLInputElement>('base-url');
const loadButton = $<HTMLButtonElement>('load');
const unloadButton = $<HTMLButtonElement>('unload');
const result = $<HTMLPreElement>('result');
const events = $<HTMLOListElement>('events');

baseInput.value =
  document.querySelector<HTMLMetaElement>('meta[name="parley-base-url"]')?.content || 'http://localhost:8080/';
$<HTMLPreElement>('load-code').textContent = `const panel = await Parley.load({
  baseUrl: '${baseInput.value}',
  container: 'panel-container',
  onEvent: (name, ...args) => log(name, args),
});`;

let panel: Panel | null = null;

/** Wire names as a CPC integrator knows them. */
const LABELS: Record<string, string> = { load: 'onload', ready: 'init' };

function log(name: string, detail: unknown, isError = false): void {
  const item = document.createElement('li');
  item.textContent = `${new Date().toLocaleTimeString()}  ${LABELS[name] ?? name}${detail === undefined ? '' : `  ${JSON.stringify(detail)}`}`;
  item.dataset['event'] = LABELS[name] ?? name;
  if (isError) item.className = 'error';
  events.prepend(item);
}

function show(value: unknown): void {
  result.textContent =
    value instanceof ParleyError ? `ParleyError ${value.code}: ${value.message}` : JSON.stringify(value, null, 2);
}

const commandButtons = ['get-user', 'logout', 'set-ready', 'set-not-ready', 'get-queues', 'ri-queues'].map((id) =>
  $<HTMLButtonElement>(id),
);

function setLoaded(loaded: boolean): void {
  loadButton.disabled = loaded;
  unloadButton.disabled = !loaded;
  for (const button of commandButtons) button.disabled = !loaded;
}

/** Runs a command on the panel and shows its result (or its ParleyError). */
function command(id: string, run: (p: Panel) => Promise<unknown>): void {
  $<HTMLButtonElement>(id).addEventListener('click', async () => {
    if (!panel) return;
    try {
      show(await run(panel));
    } catch (err) {
      show(err);
    }
  });
}

command('set-ready', (p) => p.setReady(true));
command('set-not-ready', (p) => p.setReady(false, 'break'));
command('get-queues', (p) => p.getQueues());
command('ri-queues', (p) => p.ri('rci', 'GET', '/queues'));

loadButton.addEventListener('click', async () => {
  const userName = $<HTMLInputElement>('username').value.trim();
  const password = $<HTMLInputElement>('password').value;
  loadButton.disabled = true;
  try {
    panel = await load({
      baseUrl: baseInput.value,
      container: 'panel-container',
      ...(userName && password ? { auth: { basic: { userName, password } } } : {}),
      onEvent: (name, ...args) => {
        if (name === 'message') return;
        const detail =
          name === 'ready'
            ? { username: (args[0] as { username: string }).username }
            : args.length
              ? args[0]
              : undefined;
        log(name, detail, name === 'error');
      },
    });
    $<HTMLInputElement>('password').value = '';
    // Handy in the devtools console, and for the end-to-end journeys: `parleyPanel.accept()`.
    (window as unknown as { parleyPanel: Panel }).parleyPanel = panel;
    setLoaded(true);
  } catch (err) {
    show(err);
    loadButton.disabled = false;
  }
});

unloadButton.addEventListener('click', () => {
  panel?.unload();
  panel = null;
  setLoaded(false);
  log('unload', undefined);
});

command('get-user', (p) => p.getDetails('user'));

command('logout', async (p) => {
  await p.logout();
  return 'logged out';
});
