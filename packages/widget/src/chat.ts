/**
 * The web-chat widget: `<script src="{base}widget.js" data-address="webchat"
 * data-title="Chat with us">`. A button opens a small chat window (in a
 * shadow root, so the site's styles do not leak in): a pre-chat form, then
 * the conversation, which survives a reload of the page (the token is kept
 * in the site's sessionStorage).
 *
 * With `data-call="+15555550100"` a "Call us" button dials that queue
 * number from the browser (click-to-call, over Parley's media plane);
 * `data-chat="off"` leaves only the call button.
 *
 * `data-field-<name>="value"` (e.g. `data-field-order="A-17"`) sends what
 * the page knows about the visitor with the chat: the agent sees it on the
 * customer card, the host in the offer (`attributes`).
 */
import { Paperclip, Phone as PhoneIcon, type IconNode } from 'lucide';
import { ChatConversation, type ChatMessage, type ChatState } from './conversation.ts';
import { Phone } from './phone.ts';

const script = document.currentScript as HTMLScriptElement | null;
const base = script ? new URL('./', script.src).href : location.origin + '/';
const address = script?.dataset['address'];
const title = script?.dataset['title'] ?? 'Chat with us';
/** Click-to-call: a queue number the "Call us" button dials from the browser. */
const callNumber = script?.dataset['call'];
const storeKey = `parley.chat.${base}`;
/** The page's data for the agent: `data-field-order` → `{order}`. */
const fields = Object.fromEntries(
  Object.entries(script?.dataset ?? {})
    .filter(([k, v]) => /^field[A-Z]/.test(k) && v !== undefined)
    .map(([k, v]) => [k.charAt(5).toLowerCase() + k.slice(6), String(v).slice(0, 500)]),
);

const STYLE = `
:host { all: initial; font-family: system-ui, sans-serif; font-size: 14px; }
[hidden] { display: none !important; }
.launcher { position: fixed; right: 16px; bottom: 16px; border: 0; border-radius: 24px; padding: 12px 18px;
  background: #2563eb; color: #fff; font: inherit; cursor: pointer; box-shadow: 0 4px 12px rgba(0,0,0,.2); }
.window { position: fixed; right: 16px; bottom: 16px; width: 320px; height: 440px; background: #fff; color: #0f172a;
  border-radius: 12px; box-shadow: 0 8px 24px rgba(0,0,0,.25); display: flex; flex-direction: column; overflow: hidden; }
header { background: #2563eb; color: #fff; padding: 10px 12px; display: flex; justify-content: space-between; align-items: center; }
header button { background: none; border: 0; color: #fff; font: inherit; cursor: pointer; }
.status { font-size: 12px; padding: 6px 12px; background: #f1f5f9; }
.log { flex: 1; overflow: auto; }
ol { list-style: none; margin: 0; padding: 8px; display: flex; flex-direction: column; gap: 6px; }
li { max-width: 85%; padding: 6px 10px; border-radius: 10px; background: #f1f5f9; overflow-wrap: anywhere; }
li.in { align-self: flex-end; background: #2563eb; color: #fff; }
li small { display: block; font-size: 11px; opacity: .8; }
li .receipt { text-align: right; }
li a { color: inherit; display: block; }
.attach { background: #e2e8f0; color: #0f172a; display: inline-flex; align-items: center; }
.icon { vertical-align: -3px; flex: none; }
.after { padding: 8px; display: flex; flex-direction: column; gap: 6px; }
form { display: flex; gap: 6px; padding: 8px; border-top: 1px solid #e2e8f0; }
form.start { flex-direction: column; border: 0; }
input, textarea { font: inherit; padding: 6px 8px; border: 1px solid #cbd5e1; border-radius: 6px; }
textarea { flex: 1; resize: none; }
form button { font: inherit; border: 0; border-radius: 6px; background: #2563eb; color: #fff; padding: 6px 12px; cursor: pointer; }
.error { color: #b91c1c; font-size: 12px; }
.call { position: fixed; right: 16px; bottom: 72px; display: flex; gap: 8px; align-items: center; }
.window:not([hidden]) ~ .call { bottom: 468px; }
.call button { border: 0; border-radius: 24px; padding: 10px 16px; background: #16a34a; color: #fff; font: inherit; cursor: pointer; }
.call button.end { background: #b91c1c; }
.call span { background: #fff; color: #0f172a; border-radius: 8px; padding: 4px 8px; box-shadow: 0 2px 6px rgba(0,0,0,.2); }
:focus-visible { outline: 2px solid #1d4ed8; outline-offset: 2px; }
`;

const STATE_TEXT: Record<ChatState, string> = {
  waiting: 'Waiting for an agent…',
  connected: 'Connected',
  closed: 'The chat has ended.',
};

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Record<string, string | number | boolean> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  Object.assign(node, props);
  node.append(...children);
  return node;
}

const SVG = 'http://www.w3.org/2000/svg';

/** A Lucide icon as inline SVG, hidden from assistive technology (the control's text or label names it). */
function icon(node: IconNode): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  const attrs: Record<string, string> = {
    width: '16',
    height: '16',
    viewBox: '0 0 24 24',
    fill: 'none',
    stroke: 'currentColor',
    'stroke-width': '2',
    'stroke-linecap': 'round',
    'stroke-linejoin': 'round',
    'aria-hidden': 'true',
    class: 'icon',
  };
  for (const [k, v] of Object.entries(attrs)) svg.setAttribute(k, v);
  for (const [tag, a] of node) {
    const child = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(a)) if (v !== undefined) child.setAttribute(k, String(v));
    svg.append(child);
  }
  return svg;
}

function mount(): void {
  const host = el('div');
  host.setAttribute('data-parley-chat', '');
  const root = host.attachShadow({ mode: 'open' });
  root.append(el('style', { textContent: STYLE }));
  document.body.append(host);

  const launcher = el('button', { className: 'launcher', type: 'button', textContent: title });
  const status = el('div', { className: 'status', role: 'status' });
  // The log role sits on a wrapper: on the list itself it would hide the list semantics.
  const list = el('ol');
  const log = el('div', { className: 'log', role: 'log' }, list);
  log.setAttribute('aria-live', 'polite');
  log.setAttribute('aria-label', 'Messages');
  const closeButton = el('button', { type: 'button', textContent: '×', title: 'Close' });
  closeButton.setAttribute('aria-label', 'Close the chat window');
  const win = el('div', { className: 'window', hidden: true });
  win.setAttribute('role', 'dialog');
  win.setAttribute('aria-label', title);
  win.append(el('header', {}, el('strong', {}, title), closeButton), status);
  root.append(launcher, win);
  if (callNumber) root.append(callButton(callNumber));
  if (script?.dataset['chat'] === 'off') {
    launcher.remove();
    win.remove();
    return;
  }

  let chat: ChatConversation | null = null;
  const show = (open: boolean) => {
    win.hidden = !open;
    launcher.hidden = open;
  };
  launcher.addEventListener('click', () => {
    show(true);
    markRead();
  });
  closeButton.addEventListener('click', () => show(false));

  const typing = el('div', { className: 'status', hidden: true, textContent: 'The agent is typing…' });
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  const items = new Map<string, HTMLLIElement>();
  let lastAgentMessage: string | null = null;
  /** Tells the agent what the customer has seen: the agent's messages, once the window shows them. */
  const markRead = () => {
    if (lastAgentMessage && !win.hidden && document.visibilityState === 'visible') chat?.read(lastAgentMessage);
  };
  document.addEventListener('visibilitychange', markRead);
  const addMessage = (m: ChatMessage) => {
    if (m.direction === 'out') typing.hidden = true;
    const receipt =
      m.direction === 'in' ? el('small', { className: 'receipt' }, m.status === 'read' ? 'Read' : 'Sent') : '';
    const files = (m.attachments ?? []).map((a) => {
      const link = el('a', { href: '#' }, icon(Paperclip), ` ${a.name}`);
      link.addEventListener('click', (e) => {
        e.preventDefault();
        void chat?.download(a.id).then((blob) => {
          const url = URL.createObjectURL(blob);
          const save = el('a', { href: url, download: a.name });
          save.click();
          setTimeout(() => URL.revokeObjectURL(url), 10_000);
        });
      });
      return link;
    });
    const item = el('li', { className: m.direction }, el('small', {}, m.author), m.content, ...files, receipt);
    item.dataset['direction'] = m.direction;
    const before = items.get(m.id);
    items.set(m.id, item);
    if (before) before.replaceWith(item);
    else {
      list.append(item);
      item.scrollIntoView?.({ block: 'nearest' });
    }
    if (m.direction === 'out' && m.status !== 'read') {
      lastAgentMessage = m.id;
      markRead();
    }
  };

  const startForm = el('form', { className: 'start' });
  const name = el('input', { name: 'name', required: true, placeholder: 'Your name', maxLength: 100 });
  const email = el('input', { name: 'email', type: 'email', placeholder: 'Email (optional)', maxLength: 254 });
  const error = el('div', { className: 'error', role: 'alert' });
  name.setAttribute('aria-label', 'Your name');
  email.setAttribute('aria-label', 'Email');
  startForm.append(name, email, el('button', { type: 'submit', textContent: 'Start chat' }), error);

  const compose = el('form');
  const text = el('textarea', { name: 'message', rows: 2, placeholder: 'Type a message' });
  text.setAttribute('aria-label', 'Your message');
  const picker = el('input', { type: 'file', hidden: true, accept: 'image/*,application/pdf,text/plain,text/csv' });
  const attach = el('button', { type: 'button', className: 'attach', title: 'Attach a file' }, icon(Paperclip));
  attach.setAttribute('aria-label', 'Attach a file');
  attach.addEventListener('click', () => picker.click());
  const sendError = el('div', { className: 'error', role: 'alert' });
  picker.addEventListener('change', () => {
    const file = picker.files?.[0];
    picker.value = '';
    if (!file || !chat) return;
    sendError.textContent = '';
    const c = chat;
    c.upload(file).then(
      (id) => c.send(text.value.trim(), [id]),
      (err: unknown) => (sendError.textContent = err instanceof Error ? err.message : String(err)),
    );
    text.value = '';
  });
  compose.append(attach, picker, text, el('button', { type: 'submit', textContent: 'Send' }));

  // After the chat: the transcript by email.
  const after = el('div', { className: 'after' });
  const transcript = el('button', { type: 'button', textContent: 'Email me the transcript' });
  const afterStatus = el('div', { role: 'status' });
  after.append(transcript, afterStatus);
  transcript.addEventListener('click', () => {
    transcript.disabled = true;
    chat?.transcript().then(
      (to) => (afterStatus.textContent = `We sent a link to ${to}: open it to get the transcript.`),
      (err: unknown) => {
        transcript.disabled = false;
        afterStatus.textContent = err instanceof Error ? err.message : String(err);
      },
    );
  });

  // Nobody there: leave a message, answered by email.
  const leaveForm = el('form', { className: 'start' });
  const leaveName = el('input', { required: true, placeholder: 'Your name', maxLength: 100 });
  const leaveEmail = el('input', { type: 'email', required: true, placeholder: 'Email', maxLength: 254 });
  const leaveText = el('textarea', { required: true, rows: 4, placeholder: 'Your message' });
  const leaveError = el('div', { className: 'error', role: 'alert' });
  leaveName.setAttribute('aria-label', 'Your name');
  leaveEmail.setAttribute('aria-label', 'Email');
  leaveText.setAttribute('aria-label', 'Your message');
  leaveForm.append(
    leaveName,
    leaveEmail,
    leaveText,
    el('button', { type: 'submit', textContent: 'Leave a message' }),
    leaveError,
  );
  leaveForm.addEventListener('submit', (e) => {
    e.preventDefault();
    if (overLimit(leaveText, leaveError)) return;
    leaveError.textContent = '';
    ChatConversation.leaveMessage(base, {
      name: leaveName.value.trim(),
      email: leaveEmail.value.trim(),
      message: leaveText.value.trim(),
      ...(address ? { address } : {}),
    }).then(
      () => {
        leaveForm.remove();
        status.textContent = 'Thank you! We will answer you by email.';
      },
      (err: unknown) => (leaveError.textContent = err instanceof Error ? err.message : String(err)),
    );
  });

  const open = (token: string) => {
    startForm.remove();
    win.append(log, typing, compose, sendError);
    status.textContent = STATE_TEXT.waiting;
    chat = new ChatConversation(base, token, {
      onMessage: addMessage,
      onState: (state, agent, position, wait) => {
        const about = wait ? ` (about ${wait < 90 ? `${wait} s` : `${Math.round(wait / 60)} min`})` : '';
        status.textContent =
          state === 'connected' && agent
            ? `${STATE_TEXT.connected}: ${agent}`
            : state === 'waiting' && position
              ? `${STATE_TEXT.waiting} You are number ${position} in line${about}.`
              : STATE_TEXT[state];
        if (state === 'closed') {
          compose.remove();
          win.append(after);
          sessionStorage.removeItem(storeKey);
        }
      },
      onTyping: () => {
        typing.hidden = false;
        clearTimeout(typingTimer);
        typingTimer = setTimeout(() => (typing.hidden = true), 4000);
      },
      onConnection: (online) => {
        if (!online) status.textContent = 'Reconnecting…';
      },
    });
    chat.connect();
  };

  startForm.addEventListener('submit', (e) => {
    e.preventDefault();
    error.textContent = '';
    ChatConversation.start(base, {
      name: name.value.trim(),
      ...(email.value.trim() ? { email: email.value.trim() } : {}),
      ...(address ? { address } : {}),
      ...(Object.keys(fields).length > 0 ? { fields } : {}),
    }).then(
      (token) => {
        try {
          sessionStorage.setItem(storeKey, token);
        } catch {
          // No storage: the chat lasts as long as the page.
        }
        open(token);
      },
      (err: unknown) => {
        error.textContent = err instanceof Error ? err.message : String(err);
      },
    );
  });
  compose.addEventListener('submit', (e) => {
    e.preventDefault();
    const content = text.value.trim();
    if (!content || !chat || overLimit(text, sendError)) return;
    chat.send(content);
    text.value = '';
  });
  text.addEventListener('input', () => {
    chat?.typing();
    overLimit(text, sendError);
  });
  leaveText.addEventListener('input', () => overLimit(leaveText, leaveError));
  text.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      compose.requestSubmit();
    }
  });

  const saved = (() => {
    try {
      return sessionStorage.getItem(storeKey);
    } catch {
      return null;
    }
  })();
  if (saved) {
    open(saved);
    show(true);
  } else {
    status.textContent = 'Tell us who you are and we will connect you.';
    win.append(startForm);
    // Nobody online: offer to leave a message instead (if the business takes email).
    ChatConversation.availability(base, address).then(
      (a) => {
        if (a.available || !a.leave_message) return;
        startForm.remove();
        status.textContent = 'Nobody is here right now. Leave us a message and we will answer by email.';
        win.append(leaveForm);
      },
      () => undefined,
    );
  }
}

/** The click-to-call button: dials the queue number from the browser (microphone asked on the first call). */
function callButton(number: string): HTMLElement {
  const start = el('button', { type: 'button' }, icon(PhoneIcon), ' Call us');
  const end = el('button', { type: 'button', className: 'end', textContent: 'Hang up', hidden: true });
  const state = el('span', { role: 'status', hidden: true });
  const bar = el('div', { className: 'call' }, state, start, end);
  bar.setAttribute('data-parley-call', 'idle');
  let callId: string | null = null;
  const say = (text: string, phase: string) => {
    state.hidden = false;
    state.textContent = text;
    bar.setAttribute('data-parley-call', phase);
  };
  const phone = new Phone(base, (e) => {
    if (e.type === 'progress')
      say(
        e.status === 'connected' ? 'Connected' : e.status === 'queued' ? 'Waiting for an agent…' : 'Ringing…',
        e.status,
      );
    else if (e.type === 'ended' || (e.type === 'error' && e.callId === callId)) {
      say(e.type === 'ended' ? 'Call ended' : e.message, 'ended');
      callId = null;
      start.hidden = false;
      end.hidden = true;
    }
  });
  phone.audio.hidden = true;
  bar.append(phone.audio);
  start.addEventListener('click', () => {
    start.hidden = true;
    end.hidden = false;
    say('Calling…', 'calling');
    phone.dial(number).then(
      (id) => (callId = id),
      (err: Error) => {
        say(err.message, 'ended');
        start.hidden = false;
        end.hidden = true;
      },
    );
  });
  end.addEventListener('click', () => {
    if (callId) phone.hangup(callId);
  });
  return bar;
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mount);
else mount();

/** How many characters one message may have (the server's limit for chat messages). */
const MESSAGE_LIMIT = 4000;
const LIMIT_NOTE = 'characters; at most 4,000 fit in one message. Shorten it, or send it in parts.';

/**
 * Says so, under the box, when what the customer typed or pasted is longer
 * than a message may be (nothing is cut without a word); true while it is.
 */
function overLimit(box: HTMLTextAreaElement, note: HTMLElement): boolean {
  const over = box.value.trim().length > MESSAGE_LIMIT;
  if (over) note.textContent = `Your message has ${box.value.trim().length.toLocaleString('en')} ${LIMIT_NOTE}`;
  else if (note.textContent?.endsWith(LIMIT_NOTE)) note.textContent = '';
  box.setAttribute('aria-invalid', String(over));
  return over;
}
