/**
 * The playground: a host page on its own origin that loads the panel with
 * @parley/sdk, through the modern API or the CPC facade, and shows every call
 * with its code and its result, and every event as it arrives.
 */
import { createCpc, load, ParleyError, type CpcApi, type CpcEvent, type Panel } from '@parley/sdk';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const baseInput = $<HTMLInputElement>('base-url');
const loadButton = $<HTMLButtonElement>('load');
const unloadButton = $<HTMLButtonElement>('unload');
const result = $<HTMLPreElement>('result');
const events = $<HTMLOListElement>('events');
const filter = $<HTMLInputElement>('event-filter');

baseInput.value =
  document.querySelector<HTMLMetaElement>('meta[name="parley-base-url"]')?.content || 'http://localhost:8080/';

type Api = 'modern' | 'cpc';
const apiOf = (): Api =>
  document.querySelector<HTMLInputElement>('input[name="api"]:checked')?.value === 'cpc' ? 'cpc' : 'modern';

let panel: Panel | null = null;
let cpc: CpcApi | null = null;

/** Wire names as a CPC integrator knows them. */
const LABELS: Record<string, string> = { load: 'onload', ready: 'init' };

function log(name: string, detail: unknown, isError = false): void {
  const item = document.createElement('li');
  item.textContent = `${new Date().toLocaleTimeString()}  ${name}${detail === undefined ? '' : `  ${JSON.stringify(detail)}`}`;
  item.dataset['event'] = name;
  if (isError) item.className = 'error';
  item.hidden = !matches(item);
  events.prepend(item);
}

const matches = (item: HTMLElement) =>
  filter.value.trim() === '' || (item.textContent ?? '').toLowerCase().includes(filter.value.trim().toLowerCase());
filter.addEventListener('input', () => {
  for (const item of events.querySelectorAll<HTMLLIElement>('li')) item.hidden = !matches(item);
});

function show(value: unknown): void {
  result.textContent =
    value instanceof ParleyError
      ? `ParleyError ${value.code}: ${value.message}`
      : value instanceof Map
        ? JSON.stringify([...value.entries()], null, 2)
        : JSON.stringify(value, null, 2);
}

/** The command inputs, as the calls use them. */
const id = () => $<HTMLInputElement>('interaction-id').value.trim() || undefined;
const target = () => $<HTMLInputElement>('target').value.trim();
const text = () => $<HTMLInputElement>('text').value;
/** A string as a single-quoted JavaScript literal, so the code shown is the code that runs. */
const lit = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
const q = (v: string | undefined) => (v === undefined ? '' : `, ${lit(v)}`);
const optId = () => (id() ? lit(id() as string) : '');

interface Command {
  readonly id: string;
  readonly label: string;
  readonly modern: [code: () => string, run: (p: Panel) => Promise<unknown>];
  readonly cpc: [code: () => string, run: (c: CpcApi) => Promise<unknown> | unknown];
}

/** Every command the playground offers, in both APIs: what it shows and what it runs. */
const COMMANDS: readonly Command[] = [
  {
    id: 'get-user',
    label: 'Get my details',
    modern: [() => `await panel.getDetails('user')`, (p) => p.getDetails('user')],
    cpc: [() => `await CPC.getDetails('user')`, (c) => c.getDetails('user')],
  },
  {
    id: 'set-ready',
    label: 'Set ready',
    modern: [() => `await panel.setReady(true)`, (p) => p.setReady(true)],
    cpc: [() => `await CPC.setReady(true)`, (c) => c.setReady(true)],
  },
  {
    id: 'set-not-ready',
    label: 'Set not ready (break)',
    modern: [() => `await panel.setReady(false, 'break')`, (p) => p.setReady(false, 'break')],
    cpc: [
      () => `await CPC.xdmSendAction({ command: 'ready', value: { ready: false, reason: 'break' } })`,
      (c) => c.xdmSendAction({ command: 'ready', value: { ready: false, reason: 'break' } }),
    ],
  },
  {
    id: 'get-queues',
    label: 'My queues',
    modern: [() => `await panel.getQueues()`, (p) => p.getQueues()],
    cpc: [() => `await CPC.getCurrentUserQueues()`, (c) => c.getCurrentUserQueues()],
  },
  {
    id: 'ongoing',
    label: 'Ongoing interactions',
    modern: [() => `panel.ongoingInteractions()`, async (p) => p.ongoingInteractions()],
    cpc: [() => `CPC.ongoingInteractions()`, (c) => c.ongoingInteractions()],
  },
  {
    id: 'accept',
    label: 'Accept',
    modern: [() => `await panel.accept(${optId()})`, (p) => p.accept(id())],
    cpc: [() => `await CPC.interaction('accept'${q(id())})`, (c) => c.interaction('accept', id())],
  },
  {
    id: 'hold',
    label: 'Hold',
    modern: [() => `await panel.hold(${optId()})`, (p) => p.hold(id())],
    cpc: [() => `await CPC.callState('hold'${q(id())})`, (c) => c.callState('hold', id())],
  },
  {
    id: 'unhold',
    label: 'Unhold',
    modern: [() => `await panel.unhold(${optId()})`, (p) => p.unhold(id())],
    cpc: [() => `await CPC.callState('unhold'${q(id())})`, (c) => c.callState('unhold', id())],
  },
  {
    id: 'send-message',
    label: 'Send the text',
    modern: [() => `await panel.message(${lit(text())}${q(id())})`, (p) => p.message(text(), id())],
    cpc: [() => `await CPC.message(${lit(text())}${q(id())})`, (c) => c.message(text(), id())],
  },
  {
    id: 'transfer',
    label: 'Transfer to the address',
    modern: [() => `await panel.transfer(${lit(target())}${q(id())})`, (p) => p.transfer(target(), id())],
    cpc: [() => `await CPC.transfer(${lit(target())}${q(id())})`, (c) => c.transfer(target(), id())],
  },
  {
    id: 'hangup',
    label: 'Hang up / end',
    modern: [() => `await panel.hangup(${optId()})`, (p) => p.hangup(id())],
    cpc: [() => `await CPC.interaction('hangup'${q(id())})`, (c) => c.interaction('hangup', id())],
  },
  {
    id: 'handle',
    label: 'Finish wrap-up',
    modern: [() => `await panel.handle(${optId()})`, (p) => p.handle(id())],
    cpc: [() => `await CPC.interaction('handle'${q(id())})`, (c) => c.interaction('handle', id())],
  },
  {
    id: 'call-out',
    label: 'Call the number',
    modern: [() => `await panel.callOut(${lit(target())})`, (p) => p.callOut(target())],
    cpc: [() => `await CPC.callOut(${lit(target())})`, (c) => c.callOut(target())],
  },
  {
    id: 'send-sms',
    label: 'Send an SMS (draft)',
    modern: [
      () => `await panel.sendSMS({ to: ${lit(target())}, content: ${lit(text())} })`,
      (p) => p.sendSMS({ to: target(), content: text() }),
    ],
    cpc: [
      () => `await CPC.sendSMS({ to: ${lit(target())}, content: ${lit(text())} })`,
      (c) => c.sendSMS({ to: target(), content: text() }),
    ],
  },
  {
    id: 'picklist',
    label: 'Waiting contacts',
    modern: [() => `await panel.picklist(10)`, (p) => p.picklist(10)],
    cpc: [() => `await CPC.picklist(10)`, (c) => c.picklist(10)],
  },
  {
    id: 'ri-queues',
    label: 'RI: GET rci /queues',
    modern: [() => `await panel.ri('rci', 'GET', '/queues')`, (p) => p.ri('rci', 'GET', '/queues')],
    cpc: [() => `await CPC.RI.request('rci', 'GET', '/queues')`, (c) => c.RI.request('rci', 'GET', '/queues')],
  },
  {
    id: 'logout',
    label: 'Log out',
    modern: [
      () => `await panel.logout()`,
      async (p) => {
        await p.logout();
        return 'logged out';
      },
    ],
    cpc: [() => `await CPC.xdmSendAction({ command: 'logout' })`, (c) => c.xdmSendAction({ command: 'logout' })],
  },
];

const list = $<HTMLUListElement>('commands');
const buttons: HTMLButtonElement[] = [];
const codes: Array<() => void> = [];
for (const c of COMMANDS) {
  const item = document.createElement('li');
  const button = document.createElement('button');
  button.id = c.id;
  button.textContent = c.label;
  button.disabled = true;
  const code = document.createElement('code');
  const render = () => (code.textContent = (apiOf() === 'cpc' ? c.cpc[0] : c.modern[0])());
  codes.push(render);
  button.addEventListener('click', async () => {
    render();
    try {
      if (panel) show(await c.modern[1](panel));
      else if (cpc) show(await c.cpc[1](cpc));
    } catch (err) {
      show(err);
    }
  });
  item.append(button, code);
  list.append(item);
  buttons.push(button);
}

// REST passthrough: any CPC REST interface call, made by the panel with the agent's session.
const riRun = $<HTMLButtonElement>('ri-run');
/** The REST body as typed: parsed when it is JSON, else the reason it is not (shown, never thrown). */
const riBody = (): { text: string; value?: unknown; error?: string } => {
  const text = $<HTMLTextAreaElement>('ri-body').value.trim();
  if (!text) return { text };
  try {
    return { text, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { text, error: `The body is not valid JSON yet: ${err instanceof Error ? err.message : String(err)}` };
  }
};
const riParts = () => ({
  api: $<HTMLSelectElement>('ri-api').value as 'rci' | 'rmi',
  method: $<HTMLSelectElement>('ri-method').value,
  resource: $<HTMLInputElement>('ri-resource').value,
});
const riCode = () => {
  const { api, method, resource } = riParts();
  const { text: body } = riBody();
  $<HTMLPreElement>('ri-code').textContent =
    apiOf() === 'cpc'
      ? `await CPC.RI.request(${lit(api)}, ${lit(method)}, ${lit(resource)}${body ? `, ${body}` : ''})`
      : `const { status, body } = await panel.ri(${lit(api)}, ${lit(method)}, ${lit(resource)}${body ? `, ${body}` : ''})`;
};
riRun.addEventListener('click', async () => {
  try {
    const { api, method, resource } = riParts();
    const body = riBody();
    if (body.error) return void (result.textContent = body.error);
    if (panel) show(await panel.ri(api, method, resource, body.value));
    else if (cpc) show(await cpc.RI.request(api, method, resource, body.value));
  } catch (err) {
    show(err);
  }
});
for (const input of ['ri-api', 'ri-method', 'ri-resource', 'ri-body']) $(input).addEventListener('input', riCode);

function loadCode(): void {
  $<HTMLPreElement>('load-code').textContent =
    apiOf() === 'cpc'
      ? `await CPC.load({
  tenantBaseUrl: '${baseInput.value}',
  parentElement: 'panel-container',
  authentication: { basic: { userName, password } }, // optional
  eventHandler: (event) => log(event.type, event.payload),
});
await CPC.init();`
      : `const panel = await Parley.load({
  baseUrl: '${baseInput.value}',
  container: 'panel-container',
  auth: { basic: { userName, password } }, // optional
  onEvent: (name, ...args) => log(name, args),
});`;
  for (const render of codes) render();
  riCode();
}
loadCode();
baseInput.addEventListener('input', loadCode);
for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="api"]'))
  radio.addEventListener('change', loadCode);
for (const input of ['interaction-id', 'target', 'text'])
  $(input).addEventListener('input', () => codes.forEach((r) => r()));

function setLoaded(loaded: boolean): void {
  loadButton.disabled = loaded;
  unloadButton.disabled = !loaded;
  riRun.disabled = !loaded;
  for (const button of buttons) button.disabled = !loaded;
  for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="api"]')) radio.disabled = loaded;
}

loadButton.addEventListener('click', async () => {
  const userName = $<HTMLInputElement>('username').value.trim();
  const password = $<HTMLInputElement>('password').value;
  const credentials = userName && password ? { basic: { userName, password } } : undefined;
  loadButton.disabled = true;
  try {
    if (apiOf() === 'cpc') {
      cpc = createCpc();
      const ok = await cpc.load({
        tenantBaseUrl: baseInput.value,
        parentElement: 'panel-container',
        ...(credentials ? { authentication: credentials } : {}),
        eventHandler: (event: CpcEvent) => log(event.type, event.payload ?? undefined),
      });
      if (!ok) throw new Error('CPC.load answered false: check the base URL');
      (window as unknown as { parleyCpc: CpcApi }).parleyCpc = cpc;
      // As the code shown says: init resolves once the agent is signed in inside the panel.
      void cpc.init().then((initialized) => log('CPC.init()', initialized));
    } else {
      panel = await load({
        baseUrl: baseInput.value,
        container: 'panel-container',
        ...(credentials ? { auth: credentials } : {}),
        onEvent: (name, ...args) => {
          if (name === 'message') return;
          const detail =
            name === 'ready'
              ? { username: (args[0] as { username: string }).username }
              : args.length
                ? args[0]
                : undefined;
          log(LABELS[name] ?? name, detail, name === 'error');
        },
      });
      // Handy in the devtools console, and for the end-to-end journeys: `parleyPanel.accept()`.
      (window as unknown as { parleyPanel: Panel }).parleyPanel = panel;
    }
    $<HTMLInputElement>('password').value = '';
    setLoaded(true);
  } catch (err) {
    show(err instanceof Error && !(err instanceof ParleyError) ? err.message : err);
    cpc = null;
    loadButton.disabled = false;
  }
});

unloadButton.addEventListener('click', () => {
  panel?.unload();
  cpc?.unload();
  panel = null;
  cpc = null;
  setLoaded(false);
  log('unload', undefined);
});

// The panel's frame moves by its handle and resizes from its corner, like a panel docked in a CRM.
const frame = $<HTMLDivElement>('panel-frame');
const handle = $<HTMLDivElement>('drag-handle');
handle.addEventListener('pointerdown', (down) => {
  // Relative positioning: the offset adds to where the frame was moved before.
  const start = {
    x: down.clientX,
    y: down.clientY,
    left: parseFloat(frame.style.left || '0'),
    top: parseFloat(frame.style.top || '0'),
  };
  handle.setPointerCapture(down.pointerId);
  const move = (e: PointerEvent) => {
    frame.style.left = `${start.left + e.clientX - start.x}px`;
    frame.style.top = `${start.top + e.clientY - start.y}px`;
  };
  const up = () => {
    handle.removeEventListener('pointermove', move);
    handle.removeEventListener('pointerup', up);
  };
  handle.addEventListener('pointermove', move);
  handle.addEventListener('pointerup', up);
});
