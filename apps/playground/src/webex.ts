/**
 * The playground's "Webex CC (headless)" mode: a small agent UI built only
 * from `webex.cc` calls on `{base}sdk/webex.js` — state, the incoming task,
 * accept, hold, end, wrap-up, and the caller's audio from `task:media`.
 * Each button shows the Webex code it runs.
 */
type Listener = (...args: never[]) => void;
interface Emitter {
  on(name: string, fn: Listener): unknown;
}
interface Task extends Emitter {
  data: {
    interactionId: string;
    isOnHold: boolean;
    interaction: { mediaType: string; state: string; callAssociatedDetails: { ani: string } };
  };
  [method: string]: unknown;
}
interface Cc extends Emitter {
  agentConfig?: {
    agentName: string;
    teams: Array<{ teamId: string }>;
    idleCodes: Array<{ id: string; name: string }>;
    wrapupCodes: Array<{ id: string; name: string }>;
  };
  [method: string]: unknown;
}
interface WebexStatic {
  init(options: { credentials: string }): { cc: Cc };
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const baseInput = $<HTMLInputElement>('base-url');
const tokenInput = $<HTMLInputElement>('token');
const result = $<HTMLPreElement>('result');
const events = $<HTMLOListElement>('events');
baseInput.value =
  document.querySelector<HTMLMetaElement>('meta[name="parley-base-url"]')?.content || 'http://localhost:8080/';

let cc: Cc | null = null;
let task: Task | null = null;

function log(name: string, detail?: unknown): void {
  const item = document.createElement('li');
  item.dataset['event'] = name;
  item.textContent = `${new Date().toLocaleTimeString()}  ${name}${detail === undefined ? '' : `  ${short(detail)}`}`;
  events.prepend(item);
}
const short = (v: unknown) => {
  const text = JSON.stringify(v, (k, x: unknown) => (k === 'parley' || k === 'interaction' ? undefined : x));
  return text && text.length > 200 ? `${text.slice(0, 200)}…` : (text ?? '');
};
const show = (v: unknown) =>
  (result.textContent =
    v instanceof Error
      ? `${v.name}${(v as { code?: string }).code ? ` ${(v as { code?: string }).code}` : ''}: ${v.message}`
      : (JSON.stringify(v, (k, x: unknown) => (k === 'parley' ? undefined : x), 2) ?? 'undefined'));

function renderTask(): void {
  $('task-media').textContent = task?.data.interaction.mediaType ?? '—';
  $('task-from').textContent = task?.data.interaction.callAssociatedDetails.ani ?? '—';
  $('task-state').textContent = task
    ? `${task.data.interaction.state}${task.data.isOnHold ? ' (on hold)' : ''}`
    : 'No task';
}

const TASK_EVENTS = [
  'task:assigned',
  'task:hold',
  'task:unhold',
  'task:end',
  'task:wrapup',
  'task:wrappedup',
  'task:rejected',
  'task:unassigned',
];

function follow(t: Task): void {
  task = t;
  renderTask();
  t.on('task:media', ((track: MediaStreamTrack) => {
    $<HTMLAudioElement>('remote-audio').srcObject = new MediaStream([track]);
    log('task:media', { kind: track.kind });
  }) as Listener);
  for (const name of TASK_EVENTS)
    t.on(name, (() => {
      log(name, { interactionId: t.data.interactionId });
      if (name === 'task:wrappedup' || name === 'task:rejected' || name === 'task:unassigned') {
        if (task === t) task = null;
      }
      renderTask();
    }) as Listener);
}

function attach(c: Cc): void {
  c.on('agent:stateChange', ((e: { state: string; auxCodeId: string; changedByName: string }) => {
    const idle = c.agentConfig?.idleCodes.find((code) => code.id === e.auxCodeId);
    $('agent-state').textContent = `${e.state}${idle ? ` (${idle.name})` : ''} · changed by ${e.changedByName}`;
    log('agent:stateChange', { state: e.state, auxCodeId: e.auxCodeId });
  }) as Listener);
  for (const name of ['agent:stationLoginSuccess', 'agent:logoutSuccess', 'agent:stateChangeFailed'])
    c.on(name, ((e: unknown) => log(name, e)) as Listener);
  c.on('task:incoming', ((t: Task) => {
    log('task:incoming', { interactionId: t.data.interactionId, mediaType: t.data.interaction.mediaType });
    follow(t);
  }) as Listener);
  c.on('task:hydrate', ((t: Task) => {
    log('task:hydrate', { interactionId: t.data.interactionId });
    follow(t);
  }) as Listener);
}

interface Command {
  readonly id: string;
  readonly label: string;
  readonly code: () => string;
  readonly run: (c: Cc) => Promise<unknown>;
}
const call = (target: Cc | Task | null, method: string, ...args: unknown[]): Promise<unknown> => {
  const fn = target?.[method];
  if (typeof fn !== 'function') return Promise.reject(new Error(target ? `no ${method}` : 'There is no task.'));
  return (fn as (...a: unknown[]) => Promise<unknown>).apply(target, args);
};
const firstIdle = () => cc?.agentConfig?.idleCodes[0];
const firstWrap = () => cc?.agentConfig?.wrapupCodes[0];

const COMMANDS: Command[] = [
  {
    id: 'wx-register',
    label: 'Register',
    code: () => 'const profile = await cc.register();',
    run: (c) => call(c, 'register'),
  },
  {
    id: 'wx-station-login',
    label: 'Station login',
    code: () => "await cc.stationLogin({ teamId: profile.teams[0].teamId, loginOption: 'BROWSER' });",
    run: (c) => call(c, 'stationLogin', { teamId: c.agentConfig?.teams[0]?.teamId, loginOption: 'BROWSER' }),
  },
  {
    id: 'wx-available',
    label: 'Available',
    code: () => "await cc.setAgentState({ state: 'Available', auxCodeId: '0' });",
    run: (c) => call(c, 'setAgentState', { state: 'Available', auxCodeId: '0' }),
  },
  {
    id: 'wx-idle',
    label: 'Idle',
    code: () =>
      `await cc.setAgentState({ state: 'Idle', auxCodeId: '${firstIdle()?.id ?? 'idle code id'}' }); // ${firstIdle()?.name ?? 'first idle code'}`,
    run: (c) => call(c, 'setAgentState', { state: 'Idle', auxCodeId: firstIdle()?.id }),
  },
  { id: 'wx-accept', label: 'Accept', code: () => 'await task.accept();', run: () => call(task, 'accept') },
  { id: 'wx-decline', label: 'Decline', code: () => 'await task.decline();', run: () => call(task, 'decline') },
  { id: 'wx-hold', label: 'Hold', code: () => 'await task.hold();', run: () => call(task, 'hold') },
  { id: 'wx-resume', label: 'Resume', code: () => 'await task.resume();', run: () => call(task, 'resume') },
  {
    id: 'wx-mute',
    label: 'Mute / unmute',
    code: () => 'await task.toggleMute();',
    run: () => call(task, 'toggleMute'),
  },
  { id: 'wx-end', label: 'End', code: () => 'await task.end();', run: () => call(task, 'end') },
  {
    id: 'wx-wrapup',
    label: 'Wrap up',
    code: () =>
      `await task.wrapup({ auxCodeId: '${firstWrap()?.id ?? 'wrap-up code id'}', wrapUpReason: 'Handled in the playground' }); // ${firstWrap()?.name ?? ''}`,
    run: () => call(task, 'wrapup', { auxCodeId: firstWrap()?.id, wrapUpReason: 'Handled in the playground' }),
  },
  {
    id: 'wx-buddies',
    label: 'Buddy agents',
    code: () => "await cc.getBuddyAgents({ mediaType: 'telephony' });",
    run: (c) => call(c, 'getBuddyAgents', { mediaType: 'telephony' }),
  },
  { id: 'wx-logs', label: 'Upload logs', code: () => 'await cc.uploadLogs();', run: (c) => call(c, 'uploadLogs') },
  {
    id: 'wx-logout',
    label: 'Station logout',
    code: () => "await cc.stationLogout({ logoutReason: 'End of shift' });",
    run: (c) => call(c, 'stationLogout', { logoutReason: 'End of shift' }),
  },
  { id: 'wx-deregister', label: 'Deregister', code: () => 'await cc.deregister();', run: (c) => call(c, 'deregister') },
];

const list = $<HTMLUListElement>('commands');
const buttons: HTMLButtonElement[] = [];
const renders: Array<() => void> = [];
for (const c of COMMANDS) {
  const item = document.createElement('li');
  const button = document.createElement('button');
  button.id = c.id;
  button.textContent = c.label;
  button.disabled = true;
  const code = document.createElement('code');
  const render = () => (code.textContent = c.code());
  render();
  renders.push(render);
  button.addEventListener('click', async () => {
    if (!cc) return;
    render();
    try {
      const value = await c.run(cc);
      show(value);
      if (c.id === 'wx-register') {
        $('agent-name').textContent = cc.agentConfig?.agentName ?? '—';
        renders.forEach((r) => r());
      }
      if (c.id === 'wx-station-login') $('station').textContent = 'Browser (WebRTC in this page)';
      if (c.id === 'wx-logout') $('station').textContent = 'Logged out';
    } catch (err) {
      show(err);
      log('error', { code: (err as { code?: string }).code, message: (err as Error).message });
    }
  });
  item.append(button, code);
  list.append(item);
  buttons.push(button);
}

function initCode(): void {
  $<HTMLPreElement>('init-code').textContent = `<script src="${baseInput.value}sdk/webex.js"></script>
const webex = Webex.init({ credentials: token });
const cc = webex.cc;
cc.on('task:incoming', (task) => {
  task.on('task:media', (track) => (remoteAudio.srcObject = new MediaStream([track])));
});`;
}
initCode();
baseInput.addEventListener('input', initCode);

$('get-token').addEventListener('click', async () => {
  try {
    const res = await fetch(new URL('api/v1/auth/login', baseInput.value), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        username: $<HTMLInputElement>('username').value,
        password: $<HTMLInputElement>('password').value,
      }),
    });
    const body = (await res.json()) as { token?: string; error?: { message: string } };
    if (!res.ok || !body.token) throw new Error(body.error?.message ?? `HTTP ${res.status}`);
    tokenInput.value = body.token;
    $<HTMLInputElement>('password').value = '';
    show({ token: 'received (hidden in the field above)' });
  } catch (err) {
    show(err);
  }
});

$('load-sdk').addEventListener('click', () => {
  const token = tokenInput.value.trim();
  if (!token) return show(new Error('Get or paste a token first.'));
  const start = () => {
    const Webex = (window as unknown as { Webex?: WebexStatic }).Webex;
    if (!Webex) return show(new Error('webex.js did not define window.Webex'));
    cc = Webex.init({ credentials: token }).cc;
    (window as unknown as { cc: Cc }).cc = cc;
    attach(cc);
    for (const b of buttons) b.disabled = false;
    $<HTMLButtonElement>('load-sdk').disabled = true;
    log('webex ready');
  };
  if ((window as unknown as { Webex?: unknown }).Webex) return start();
  const script = document.createElement('script');
  script.src = new URL('sdk/webex.js', baseInput.value).href;
  script.onload = start;
  script.onerror = () => show(new Error('webex.js did not load: check the base URL.'));
  document.head.append(script);
});
