/** A conversation's messages and the composer: chat, SMS, WhatsApp (templates) and email (subject, recipients, HTML). */
import { CHANNEL_TRAITS, type Interaction, type Message } from '@parley/protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Draft, PanelController } from '../controller.ts';
import { t } from '../i18n.ts';
import { ErrorLine } from './common.tsx';
import { CannedMenu, useCanned } from './canned.tsx';

function Status({ m }: { m: Message }) {
  if (m.direction !== 'out') return null;
  return (
    <span class={`msg-status status-${m.status}`} data-testid="message-status" title={m.error ?? undefined}>
      {t(`msg.${m.status}`)}
      {m.status === 'failed' && m.error ? `: ${m.error}` : ''}
    </span>
  );
}

/** Email HTML, already sanitised by the server, in a frame that can run nothing. */
function EmailHtml({ html }: { html: string }) {
  return <iframe class="email-html" sandbox="" title={t('email.body')} srcDoc={html} />;
}

function Attachments({ controller, m }: { controller: PanelController; m: Message }) {
  if (!m.attachments?.length) return null;
  return (
    <ul class="attachments" aria-label={t('msg.attachments')}>
      {m.attachments.map((a) => (
        <li key={a.id}>
          <a href={controller.attachmentUrl(a.id)} download={a.name}>
            {a.name}
          </a>{' '}
          <span class="muted">({Math.max(1, Math.round(a.size / 1024))} KB)</span>
        </li>
      ))}
    </ul>
  );
}

/** A conversation's messages and, while it runs, the box to answer in (chat, SMS, WhatsApp, email). */
export function ChatView({ controller, interaction: i }: { controller: PanelController; interaction: Interaction }) {
  const traits = CHANNEL_TRAITS[i.channel_type];
  const email = traits.subject;
  // A consultation's leg: the customer's transcript to read, and a thread with the colleague to write in.
  const thread = isThread(i);
  const draft = controller.state.drafts[i.id];
  const messages = controller.state.messages[i.id] ?? [];
  const lastIn = [...messages].reverse().find((m) => m.direction === 'in');
  const customer = lastIn?.from ?? i.remote_address.match(/<([^>]+)>/)?.[1] ?? i.remote_address;
  const threadSubject = [...messages].reverse().find((m) => m.subject)?.subject ?? i.subject ?? '';
  const [content, setTyped] = useState(unsent.get(i.id) ?? draft?.content ?? '');
  // What the agent typed and did not send stays when they look at another conversation and come back.
  const setContent = (text: string) => {
    if (text) unsent.set(i.id, text);
    else unsent.delete(i.id);
    setTyped(text);
  };
  // Nothing is cut without a word: what is over the server's limit stays, and says so.
  const limit = email ? 20_000 : 4000;
  const tooLong = content.trim().length > limit;
  const [subject, setSubject] = useState(draft?.subject ?? (threadSubject ? reply(threadSubject) : ''));
  const [to, setTo] = useState((draft?.to ?? [customer]).join(', '));
  const [cc, setCc] = useState((draft?.cc ?? []).join(', '));
  const [template, setTemplate] = useState(draft?.template_id ?? '');
  const [templates, setTemplates] = useState<Array<{ id: string; name: string; body: string }> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const canned = useCanned(controller, i, content, setContent);
  const typingUntil = controller.state.typing[i.id] ?? 0;
  const [, redraw] = useState(0);
  useEffect(() => {
    // Hide the indicator when its time is up.
    const left = typingUntil - Date.now();
    if (left <= 0) return;
    const timer = setTimeout(() => redraw((n) => n + 1), left + 50);
    return () => clearTimeout(timer);
  }, [typingUntil]);
  const end = useRef<HTMLLIElement>(null);
  useEffect(() => {
    void controller.loadMessages(i.id).catch(() => undefined);
  }, [i.id]);
  useEffect(() => end.current?.scrollIntoView?.({ block: 'nearest' }), [messages.length]);
  // The customer of a chat sees that their messages were read once they are on screen here.
  useEffect(() => {
    if (i.channel_type === 'chat' && !thread && lastIn && lastIn.status !== 'read')
      controller.markRead(i.id, lastIn.id);
  }, [lastIn?.id, lastIn?.status]);
  useEffect(() => {
    if (traits.templates && !thread && templates === null)
      void controller.templates().then(setTemplates, () => setTemplates([]));
  }, [i.channel_type]);
  const open = i.state === 'accepted' || i.state === 'held';
  const list = (value: string) =>
    value
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean);
  /** Reply, reply-all and forward fill the form from a message. */
  const answer = (m: Message, kind: 'reply' | 'all' | 'forward') => {
    const base = m.subject ?? threadSubject;
    if (kind === 'forward') {
      setTo('');
      setCc('');
      setSubject(/^fwd?:/i.test(base) ? base : `Fwd: ${base}`);
      setContent(
        `\n\n---------- ${t('email.forwarded')} ----------\n${t('email.from')}: ${m.from ?? m.author}\n\n${m.content}`,
      );
      return;
    }
    const sender = m.direction === 'in' ? (m.from ?? customer) : customer;
    setTo(sender);
    const others =
      kind === 'all' ? [...(m.to ?? []), ...(m.cc ?? [])].filter((a) => a !== sender && a !== i.local_address) : [];
    setCc(others.join(', '));
    setSubject(reply(base));
  };
  return (
    <div class={email ? 'chat email' : 'chat'}>
      {/* The log role goes on a wrapper: on the list itself it would hide the list from assistive technology. */}
      <div role="log" aria-live="polite" aria-label={t('chat.history')} data-testid="messages">
        <ol class="messages">
          {messages.map((m) => (
            <li
              key={m.id}
              class={`msg msg-${m.direction}${m.internal ? ' msg-internal' : ''}`}
              data-direction={m.direction}
              data-internal={m.internal ? 'true' : undefined}
              data-testid="message"
            >
              <span class="msg-author">
                {m.author}
                {m.internal && <span class="msg-tag">{t('chat.internal')}</span>}
              </span>
              {email && (
                <div class="email-head">
                  <strong data-testid="email-subject">{m.subject}</strong>
                  <span class="muted">
                    {t('email.from')}: {m.from ?? m.author} · {t('email.to')}: {(m.to ?? []).join(', ')}
                    {m.cc?.length ? ` · ${t('email.cc')}: ${m.cc.join(', ')}` : ''}
                  </span>
                </div>
              )}
              {email && m.html ? <EmailHtml html={m.html} /> : <span class="msg-body">{m.content}</span>}
              {m.media?.map((url) => (
                <a key={url} href={url} target="_blank" rel="noopener noreferrer">
                  {t('msg.media')}
                </a>
              ))}
              <Attachments controller={controller} m={m} />
              {!m.internal && <Status m={m} />}
              {email && open && (
                <span class="email-actions">
                  <button type="button" class="link" onClick={() => answer(m, 'reply')}>
                    {t('email.reply')}
                  </button>
                  <button type="button" class="link" onClick={() => answer(m, 'all')}>
                    {t('email.replyAll')}
                  </button>
                  <button type="button" class="link" onClick={() => answer(m, 'forward')}>
                    {t('email.forward')}
                  </button>
                </span>
              )}
            </li>
          ))}
          <li ref={end} aria-hidden="true" class="msg-end" />
        </ol>
      </div>
      {typingUntil > Date.now() && (
        <p class="muted typing" data-testid="typing">
          {t('chat.typing')}
        </p>
      )}
      {open && thread && (
        <p class="muted thread-note" data-testid="thread-note">
          {t('chat.threadNote')}
        </p>
      )}
      {open && (
        <form
          class={thread ? 'compose compose-internal' : 'compose'}
          onSubmit={(e) => {
            e.preventDefault();
            const text = content.trim();
            if (!text && !template) return;
            if (tooLong) return;
            const body: Draft = email
              ? { content: text, subject: subject.trim(), to: list(to), ...(list(cc).length ? { cc: list(cc) } : {}) }
              : { content: text, ...(template ? { template_id: template } : {}) };
            void controller.uiSend(i.id, body).then((err) => {
              setError(err);
              if (!err) {
                setContent('');
                setTemplate('');
              }
            });
          }}
        >
          {email && (
            <>
              <input
                aria-label={t('email.to')}
                placeholder={t('email.to')}
                value={to}
                required
                data-testid="email-to"
                onInput={(e) => setTo(e.currentTarget.value)}
              />
              <input
                aria-label={t('email.cc')}
                placeholder={t('email.cc')}
                value={cc}
                onInput={(e) => setCc(e.currentTarget.value)}
              />
              <input
                aria-label={t('email.subject')}
                placeholder={t('email.subject')}
                value={subject}
                required
                data-testid="email-subject-input"
                onInput={(e) => setSubject(e.currentTarget.value)}
              />
            </>
          )}
          {traits.templates && templates && templates.length > 0 && (
            <select
              aria-label={t('wa.template')}
              value={template}
              data-testid="template"
              onChange={(e) => setTemplate(e.currentTarget.value)}
            >
              <option value="">{t('wa.freeText')}</option>
              {templates.map((tpl) => (
                <option key={tpl.id} value={tpl.id}>
                  {tpl.name}
                </option>
              ))}
            </select>
          )}
          <CannedMenu canned={canned} />
          <textarea
            data-testid="compose"
            aria-label={thread ? t('chat.composeInternal') : t('chat.compose')}
            rows={email ? 6 : 2}
            aria-invalid={tooLong}
            aria-describedby={tooLong ? `too-long-${i.id}` : undefined}
            value={template ? (templates?.find((tpl) => tpl.id === template)?.body ?? '') : content}
            readOnly={Boolean(template)}
            onInput={(e) => {
              setContent(e.currentTarget.value);
              controller.typing(i.id);
            }}
            role={canned.items ? 'combobox' : undefined}
            aria-expanded={canned.items ? true : undefined}
            aria-controls={canned.items ? canned.listId : undefined}
            aria-activedescendant={canned.items?.length ? `${canned.listId}-${canned.index}` : undefined}
            onKeyDown={(e) => {
              if (canned.onKey(e)) {
                e.preventDefault();
                return;
              }
              // Enter sends a chat line, Shift+Enter starts a new one; email is written freely.
              if (!email && e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                e.currentTarget.form?.requestSubmit();
              }
            }}
          />
          <button type="submit" data-testid="send">
            {t('chat.send')}
          </button>
        </form>
      )}
      {tooLong && (
        <p class="error" id={`too-long-${i.id}`} role="alert" data-testid="too-long">
          {t('chat.tooLong', {
            count: content.trim().length.toLocaleString(locale()),
            limit: limit.toLocaleString(locale()),
          })}
        </p>
      )}
      <ErrorLine error={error} />
    </div>
  );
}

/** Unsent text by interaction id, for as long as the panel is open. */
const unsent = new Map<string, string>();

/** Whether an interaction is a consultation's leg (not yet joined or made a conference): its messages stay between agents. */
export function isThread(i: Interaction): boolean {
  return i.consultation_of !== undefined && (i.direction === 'outbound' || i.peer_id !== undefined) && !i.conference;
}

/** The panel's language, for numbers (the document's, set from the agent's language). */
const locale = () => document.documentElement.lang || 'en';

/** `Re: subject`, without piling up prefixes. */
function reply(subject: string): string {
  return /^re:/i.test(subject.trim()) ? subject : `Re: ${subject}`;
}
