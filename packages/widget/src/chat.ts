/**
 * The web-chat widget: `<script src="{base}widget.js" data-address="webchat"
 * data-title="Chat with us">`. A button opens a small chat window (in a
 * shadow root, so the site's styles do not leak in): a pre-chat form, then
 * the conversation, which survives a reload of the page (the token is kept
 * in the site's sessionStorage).
 */
import { ChatConversation, type ChatMessage, type ChatState } from './conversation.ts';

const script = document.currentScript as HTMLScriptElement | null;
const base = script ? new URL('./', script.src).href : location.origin + '/';
const address = script?.dataset['address'];
const title = script?.dataset['title'] ?? 'Chat with us';
const storeKey = `parley.chat.${base}`;

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
ol { list-style: none; margin: 0; padding: 8px; flex: 1; overflow: auto; display: flex; flex-direction: column; gap: 6px; }
li { max-width: 85%; padding: 6px 10px; border-radius: 10px; background: #f1f5f9; }
li.in { align-self: flex-end; background: #2563eb; color: #fff; }
li small { display: block; font-size: 11px; opacity: .8; }
form { display: flex; gap: 6px; padding: 8px; border-top: 1px solid #e2e8f0; }
form.start { flex-direction: column; border: 0; }
input, textarea { font: inherit; padding: 6px 8px; border: 1px solid #cbd5e1; border-radius: 6px; }
textarea { flex: 1; resize: none; }
form button { font: inherit; border: 0; border-radius: 6px; background: #2563eb; color: #fff; padding: 6px 12px; cursor: pointer; }
.error { color: #b91c1c; font-size: 12px; }
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

function mount(): void {
  const host = el('div');
  host.setAttribute('data-parley-chat', '');
  const root = host.attachShadow({ mode: 'open' });
  root.append(el('style', { textContent: STYLE }));
  document.body.append(host);

  const launcher = el('button', { className: 'launcher', type: 'button', textContent: title });
  const status = el('div', { className: 'status', role: 'status' });
  const list = el('ol', { role: 'log' });
  list.setAttribute('aria-live', 'polite');
  list.setAttribute('aria-label', 'Messages');
  const closeButton = el('button', { type: 'button', textContent: '×', title: 'Close' });
  closeButton.setAttribute('aria-label', 'Close the chat window');
  const win = el('div', { className: 'window', hidden: true });
  win.setAttribute('role', 'dialog');
  win.setAttribute('aria-label', title);
  win.append(el('header', {}, el('strong', {}, title), closeButton), status);
  root.append(launcher, win);

  let chat: ChatConversation | null = null;
  const show = (open: boolean) => {
    win.hidden = !open;
    launcher.hidden = open;
  };
  launcher.addEventListener('click', () => show(true));
  closeButton.addEventListener('click', () => show(false));

  const typing = el('div', { className: 'status', hidden: true, textContent: 'The agent is typing…' });
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  const addMessage = (m: ChatMessage) => {
    if (m.direction === 'out') typing.hidden = true;
    const item = el('li', { className: m.direction }, el('small', {}, m.author), m.content);
    item.dataset['direction'] = m.direction;
    list.append(item);
    item.scrollIntoView?.({ block: 'nearest' });
  };

  const startForm = el('form', { className: 'start' });
  const name = el('input', { name: 'name', required: true, placeholder: 'Your name', maxLength: 100 });
  const email = el('input', { name: 'email', type: 'email', placeholder: 'Email (optional)', maxLength: 254 });
  const error = el('div', { className: 'error', role: 'alert' });
  name.setAttribute('aria-label', 'Your name');
  email.setAttribute('aria-label', 'Email');
  startForm.append(name, email, el('button', { type: 'submit', textContent: 'Start chat' }), error);

  const compose = el('form');
  const text = el('textarea', { name: 'message', rows: 2, maxLength: 4000, placeholder: 'Type a message' });
  text.setAttribute('aria-label', 'Your message');
  compose.append(text, el('button', { type: 'submit', textContent: 'Send' }));

  const open = (token: string) => {
    startForm.remove();
    win.append(list, typing, compose);
    status.textContent = STATE_TEXT.waiting;
    chat = new ChatConversation(base, token, {
      onMessage: addMessage,
      onState: (state, agent, position) => {
        status.textContent =
          state === 'connected' && agent
            ? `${STATE_TEXT.connected}: ${agent}`
            : state === 'waiting' && position
              ? `${STATE_TEXT.waiting} You are number ${position} in line.`
              : STATE_TEXT[state];
        if (state === 'closed') {
          compose.remove();
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
    if (!content || !chat) return;
    chat.send(content);
    text.value = '';
  });
  text.addEventListener('input', () => chat?.typing());
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
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mount);
else mount();
