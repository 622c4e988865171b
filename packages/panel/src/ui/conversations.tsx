/**
 * My Conversations: offers, the list of open interactions with the controls
 * their state allows, the consult/transfer dialog, the wrap-up form, the
 * picklist and the dialer. Every button calls the server through the
 * controller; what changes comes back as interaction frames.
 */
import type { Contact, Interaction, Message, Queue } from '@parley/protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { DirectoryEntry, ReasonCode } from '../api/index.ts';
import type { Draft, PanelController, PanelState } from '../controller.ts';
import { t } from '../i18n.ts';

/** Seconds until an ISO time, never below zero; re-renders every second while shown. */
function useSecondsUntil(iso: string | undefined): number | null {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!iso) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [iso]);
  return iso ? Math.max(0, Math.ceil((Date.parse(iso) - now) / 1000)) : null;
}

/** Seconds since an ISO time, ticking every second while shown. */
function useSecondsSince(iso: string | undefined): number | null {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!iso) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [iso]);
  return iso ? Math.max(0, Math.floor((now - Date.parse(iso)) / 1000)) : null;
}

const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;

/** Loads something once for a component; null until it arrives (or when it fails). */
function useLoaded<T>(load: () => Promise<T>, deps: unknown[] = []): T | null {
  const [value, setValue] = useState<T | null>(null);
  useEffect(() => {
    let live = true;
    load().then(
      (v) => live && setValue(v),
      () => live && setValue(null),
    );
    return () => {
      live = false;
    };
  }, deps);
  return value;
}

function ErrorLine({ error }: { error: string | null }) {
  return error ? (
    <span class="error" role="alert">
      {error}
    </span>
  ) : null;
}

/** Incoming offers, announced to screen readers. */
export function Offers({ controller, state }: { controller: PanelController; state: PanelState }) {
  const offers = state.interactions.filter((i) => i.state === 'alerting' && i.direction === 'inbound');
  return (
    <div class="offers" role="status" aria-live="assertive" data-testid="offers">
      {offers.map((i) => (
        <Offer key={i.id} controller={controller} interaction={i} />
      ))}
    </div>
  );
}

function Offer({ controller, interaction: i }: { controller: PanelController; interaction: Interaction }) {
  const seconds = useSecondsUntil(i.offer_expires);
  const [error, setError] = useState<string | null>(null);
  const act = (action: string) => void controller.uiAct(i.id, { action }).then(setError);
  return (
    <div class="offer" data-testid="offer">
      <strong>{t('conv.offer', { channel: t(`channel.${i.channel_type}`), from: i.remote_address })}</strong>
      <span class="muted">{i.queue_name ?? ''}</span>
      {seconds !== null && <span class="countdown">{t('conv.expires', { seconds: String(seconds) })}</span>}
      <div class="actions">
        <button type="button" data-testid="offer-accept" onClick={() => act('accept')}>
          {t('conv.accept')}
        </button>
        <button type="button" class="secondary" data-testid="offer-reject" onClick={() => act('reject')}>
          {t('conv.reject')}
        </button>
      </div>
      <ErrorLine error={error} />
    </div>
  );
}

const STATE_KEYS = {
  incoming: 'state.incoming',
  outgoing: 'state.outgoing',
  alerting: 'state.alerting',
  accepted: 'state.accepted',
  held: 'state.held',
  ended: 'state.ended',
  wrap_up: 'state.wrap_up',
} as const;

/** One open interaction with the controls its state allows. */
export function ConversationItem({
  controller,
  interaction: i,
  active,
  all,
  compact = false,
}: {
  controller: PanelController;
  interaction: Interaction;
  active: boolean;
  all: readonly Interaction[];
  /** The compact view keeps hang-up and finishing; everything else is in the full panel. */
  compact?: boolean;
}) {
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'transfer' | 'consult' | null>(null);
  const [keypad, setKeypad] = useState(false);
  const act = (body: Record<string, unknown>) => void controller.uiAct(i.id, body).then(setError);
  const phone = i.channel_type === 'phone';
  const talking = i.state === 'accepted' || i.state === 'held';
  const isLeg = i.consultation_of !== undefined && i.direction === 'outbound';
  const running = useSecondsSince(talking ? (i.date_accepted ?? i.created) : undefined);
  const consultation = all.find((c) => c.consultation_of === i.id && c.direction === 'outbound');
  if (i.state === 'alerting' && i.direction === 'inbound') return null; // shown as an offer
  return (
    <li class={active ? 'conv active' : 'conv'} data-testid="conversation" data-state={i.state}>
      <button type="button" class="conv-head" aria-current={active} onClick={() => controller.show(i.id)}>
        <span class={`chan chan-${i.channel_type}`}>{t(`channel.${i.channel_type}`)}</span>
        <span class="addr">{i.remote_address}</span>
        <span class="muted">{isLeg ? t('conv.consultation') : (i.queue_name ?? '')}</span>
        <span class="conv-state">
          {i.state in STATE_KEYS ? t(STATE_KEYS[i.state as keyof typeof STATE_KEYS]) : i.state}
        </span>
        {running !== null && (
          <span class="countdown" data-testid="duration" aria-label={t('conv.duration')}>
            {clock(running)}
          </span>
        )}
      </button>
      <div class="actions">
        {!compact && phone && talking && !isLeg && (
          <button type="button" onClick={() => act({ action: i.held ? 'unhold' : 'hold' })} aria-pressed={i.held}>
            {i.held ? t('conv.unhold') : t('conv.hold')}
          </button>
        )}
        {!compact && phone && talking && (
          <button type="button" onClick={() => act({ action: i.muted ? 'unmute' : 'mute' })} aria-pressed={i.muted}>
            {i.muted ? t('conv.unmute') : t('conv.mute')}
          </button>
        )}
        {!compact && phone && talking && (
          <button
            type="button"
            aria-pressed={i.recording}
            data-testid="record"
            onClick={() => act({ action: i.recording ? 'stop_recording' : 'start_recording' })}
          >
            {i.recording ? t('conv.stopRecording') : t('conv.record')}
          </button>
        )}
        {!compact && phone && i.state === 'accepted' && (
          <button type="button" aria-expanded={keypad} onClick={() => setKeypad(!keypad)}>
            {t('conv.keypad')}
          </button>
        )}
        {!compact && talking && !isLeg && !consultation && (
          <button type="button" data-testid="transfer" onClick={() => setDialog('transfer')}>
            {t('conv.transfer')}
          </button>
        )}
        {!compact && i.channel_type !== 'email' && talking && !isLeg && !consultation && (
          <button type="button" data-testid="consult" onClick={() => setDialog('consult')}>
            {t('conv.consult')}
          </button>
        )}
        {!compact && consultation && consultation.state === 'accepted' && (
          <>
            <button type="button" data-testid="join" onClick={() => act({ action: 'join' })}>
              {t('conv.join')}
            </button>
            <button type="button" data-testid="conference" onClick={() => act({ action: 'conference' })}>
              {t('conv.conference')}
            </button>
          </>
        )}
        {!compact && consultation && (
          <button type="button" class="secondary" onClick={() => act({ action: 'cancel_consult' })}>
            {t('conv.cancelConsult')}
          </button>
        )}
        {(talking || (i.direction === 'outbound' && (i.state === 'alerting' || i.state === 'outgoing'))) && (
          <button type="button" class="danger" data-testid="hangup" onClick={() => act({ action: 'hangup' })}>
            {phone ? t('conv.hangup') : t('conv.end')}
          </button>
        )}
      </div>
      {keypad && phone && i.state === 'accepted' && (
        <div class="keypad" role="group" aria-label={t('conv.keypad')}>
          {['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'].map((d) => (
            <button key={d} type="button" onClick={() => act({ action: 'dtmf', digits: d })}>
              {d}
            </button>
          ))}
        </div>
      )}
      {phone && controller.state.tones[i.id] && (
        <p class="muted" data-testid="caller-keys">
          {t('conv.callerKeys')}: {controller.state.tones[i.id]}
        </p>
      )}
      {!compact && i.conversation_id && (talking || i.state === 'wrap_up' || i.state === 'ended') && (
        <ChatView controller={controller} interaction={i} />
      )}
      {(i.state === 'wrap_up' || i.state === 'ended') &&
        (compact ? (
          <button type="button" data-testid="wrapup-done" onClick={() => act({ action: 'handle' })}>
            {t('conv.done')}
          </button>
        ) : (
          <WrapupForm controller={controller} interaction={i} />
        ))}
      {dialog && (
        <TargetDialog
          controller={controller}
          interaction={i}
          kind={dialog}
          onClose={(message) => {
            setDialog(null);
            setError(message);
          }}
        />
      )}
      <ErrorLine error={error} />
    </li>
  );
}

/** How a message's delivery stands, for the agent's own messages. */
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
function ChatView({ controller, interaction: i }: { controller: PanelController; interaction: Interaction }) {
  const email = i.channel_type === 'email';
  const draft = controller.state.drafts[i.id];
  const messages = controller.state.messages[i.id] ?? [];
  const lastIn = [...messages].reverse().find((m) => m.direction === 'in');
  const customer = lastIn?.from ?? i.remote_address.match(/<([^>]+)>/)?.[1] ?? i.remote_address;
  const threadSubject = [...messages].reverse().find((m) => m.subject)?.subject ?? i.subject ?? '';
  const [content, setContent] = useState(draft?.content ?? '');
  const [subject, setSubject] = useState(draft?.subject ?? (threadSubject ? reply(threadSubject) : ''));
  const [to, setTo] = useState((draft?.to ?? [customer]).join(', '));
  const [cc, setCc] = useState((draft?.cc ?? []).join(', '));
  const [template, setTemplate] = useState(draft?.template_id ?? '');
  const [templates, setTemplates] = useState<Array<{ id: string; name: string; body: string }> | null>(null);
  const [error, setError] = useState<string | null>(null);
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
    if (i.channel_type === 'chat' && lastIn && lastIn.status !== 'read') controller.markRead(i.id, lastIn.id);
  }, [lastIn?.id, lastIn?.status]);
  useEffect(() => {
    if (i.channel_type === 'whatsapp' && templates === null)
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
            <li key={m.id} class={`msg msg-${m.direction}`} data-direction={m.direction} data-testid="message">
              <span class="msg-author">{m.author}</span>
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
              <Status m={m} />
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
      {open && (
        <form
          class="compose"
          onSubmit={(e) => {
            e.preventDefault();
            const text = content.trim();
            if (!text && !template) return;
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
          {i.channel_type === 'whatsapp' && templates && templates.length > 0 && (
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
          <textarea
            data-testid="compose"
            aria-label={t('chat.compose')}
            rows={email ? 6 : 2}
            maxLength={email ? 20000 : 4000}
            value={template ? (templates?.find((tpl) => tpl.id === template)?.body ?? '') : content}
            readOnly={Boolean(template)}
            onInput={(e) => {
              setContent(e.currentTarget.value);
              controller.typing(i.id);
            }}
            onKeyDown={(e) => {
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
      <ErrorLine error={error} />
    </div>
  );
}

/** `Re: subject`, without piling up prefixes. */
function reply(subject: string): string {
  return /^re:/i.test(subject.trim()) ? subject : `Re: ${subject}`;
}

function WrapupForm({ controller, interaction: i }: { controller: PanelController; interaction: Interaction }) {
  const codes = useLoaded<ReasonCode[]>(controller.lookups.wrapupCodes);
  const [code, setCode] = useState(i.wrapup?.code ?? '');
  const [notes, setNotes] = useState(i.wrapup?.notes ?? '');
  const [error, setError] = useState<string | null>(null);
  const left = useSecondsUntil(i.state === 'wrap_up' ? i.wrapup_until : undefined);
  return (
    <form
      class="wrapup"
      onSubmit={(e) => {
        e.preventDefault();
        void controller
          .uiAct(i.id, { action: 'handle', ...(code ? { code } : {}), ...(notes ? { notes } : {}) })
          .then(setError);
      }}
    >
      {left !== null && (
        <span class="countdown" role="timer">
          {t('conv.wrapupLeft', { seconds: String(left) })}
        </span>
      )}
      <label>
        {t('conv.code')}
        <select data-testid="wrapup-code" value={code} onChange={(e) => setCode(e.currentTarget.value)}>
          <option value="">—</option>
          {(codes ?? []).map((c) => (
            <option key={c.id} value={c.code}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('conv.notes')}
        <textarea value={notes} onInput={(e) => setNotes(e.currentTarget.value)} rows={2} maxLength={4000} />
      </label>
      <div class="actions">
        <button type="submit" data-testid="wrapup-done">
          {t('conv.done')}
        </button>
        {i.state === 'wrap_up' && (
          <button
            type="button"
            class="secondary"
            onClick={() => void controller.uiAct(i.id, { action: 'wrapup', extend_seconds: 60 }).then(setError)}
          >
            {t('conv.extend')}
          </button>
        )}
      </div>
      <ErrorLine error={error} />
    </form>
  );
}

/** Where to transfer or consult: queues of the channel, agents (ready first) or a number; searchable. */
function TargetDialog({
  controller,
  interaction: i,
  kind,
  onClose,
}: {
  controller: PanelController;
  interaction: Interaction;
  kind: 'transfer' | 'consult';
  onClose: (error: string | null) => void;
}) {
  const queues = useLoaded<Queue[]>(controller.lookups.queues);
  const people = useLoaded<DirectoryEntry[]>(controller.lookups.directory);
  const [filter, setFilter] = useState('');
  const [number, setNumber] = useState('');
  const search = useRef<HTMLInputElement>(null);
  useEffect(() => search.current?.focus(), []);
  const me = controller.state.user?.id;
  const match = (text: string) => text.toLowerCase().includes(filter.trim().toLowerCase());
  const go = (to: Record<string, string>) => void controller.uiAct(i.id, { action: kind, to }).then(onClose);
  const rank = (s: string) => (s === 'ready' ? 0 : s === 'not_ready' || s === 'wrap_up' || s === 'busy' ? 1 : 2);
  return (
    <div
      class="dialog"
      role="dialog"
      aria-modal="true"
      aria-labelledby={`dlg-${i.id}`}
      data-testid="target-dialog"
      onKeyDown={(e) => e.key === 'Escape' && onClose(null)}
    >
      <h3 id={`dlg-${i.id}`}>{kind === 'transfer' ? t('conv.transferTo') : t('conv.consultWith')}</h3>
      <input
        ref={search}
        type="search"
        aria-label={t('conv.search')}
        placeholder={t('conv.search')}
        value={filter}
        onInput={(e) => setFilter(e.currentTarget.value)}
      />
      <ul class="targets" aria-label={t('conv.targets')}>
        {(queues ?? [])
          .filter((q) => q.type === i.channel_type && match(q.name))
          .map((q) => (
            <li key={q.id}>
              <button type="button" onClick={() => go({ queue_id: q.id })}>
                {q.name}
              </button>
            </li>
          ))}
        {(people ?? [])
          .filter((p) => p.id !== me && match(`${p.display_name} ${p.username}`))
          .sort((a, b) => rank(a.work_status) - rank(b.work_status))
          .map((p) => (
            <li key={p.id}>
              <button type="button" data-testid={`target-${p.username}`} onClick={() => go({ agent_id: p.id })}>
                {p.display_name}{' '}
                <span class={`status status-${p.work_status}`}>{t(`status.${p.work_status as 'ready'}`)}</span>
              </button>
            </li>
          ))}
      </ul>
      {i.channel_type === 'phone' && (
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            if (number.trim()) go({ number: number.trim() });
          }}
        >
          <input
            type="tel"
            aria-label={t('conv.number')}
            placeholder={t('conv.number')}
            value={number}
            onInput={(e) => setNumber(e.currentTarget.value)}
          />
          <button type="submit">{kind === 'transfer' ? t('conv.transfer') : t('conv.consult')}</button>
        </form>
      )}
      <button type="button" class="secondary" onClick={() => onClose(null)}>
        {t('conv.cancel')}
      </button>
    </div>
  );
}

/** Contacts waiting in my queues, to pick; refreshed every 10 s while shown. */
export function Picklist({ controller }: { controller: PanelController }) {
  const [contacts, setContacts] = useState<Contact[]>([]);
  const [error, setError] = useState<string | null>(null);
  const refresh = () =>
    void controller.lookups.picklist().then(
      (c) => setContacts(c),
      () => setContacts([]),
    );
  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, 10_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <section class="picklist" aria-labelledby="pick-title">
      <h2 id="pick-title">
        {t('pick.title')}{' '}
        <button type="button" class="link" onClick={refresh}>
          {t('pick.refresh')}
        </button>
      </h2>
      {contacts.length === 0 ? (
        <p class="muted">{t('pick.empty')}</p>
      ) : (
        <ul aria-labelledby="pick-title" data-testid="picklist">
          {contacts.map((c) => (
            <li key={c.id}>
              <span class={`chan chan-${c.channel_type}`}>{t(`channel.${c.channel_type}`)}</span> {c.remote_address}{' '}
              <button
                type="button"
                data-testid="pick"
                onClick={() =>
                  void controller.uiPick(c.id).then((e) => {
                    setError(e);
                    refresh();
                  })
                }
              >
                {t('pick.pick')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <ErrorLine error={error} />
    </section>
  );
}

/** Start a call, SMS, WhatsApp or email from an address of a queue I serve. */
export function Dialer({ controller }: { controller: PanelController }) {
  const queues = useLoaded<Queue[]>(controller.lookups.myQueues);
  const [open, setOpen] = useState(false);
  const [channel, setChannel] = useState('phone');
  const [to, setTo] = useState('');
  const [from, setFrom] = useState('');
  const [error, setError] = useState<string | null>(null);
  const addresses = (queues ?? []).filter((q) => q.type === channel).flatMap((q) => q.addresses.map((a) => a.address));
  if (!open)
    return (
      <button type="button" class="link" data-testid="new-outbound" onClick={() => setOpen(true)}>
        {t('dial.open')}
      </button>
    );
  return (
    <form
      class="dialer"
      aria-label={t('dial.open')}
      onSubmit={(e) => {
        e.preventDefault();
        void controller.uiOutbound({ channel, to: to.trim(), ...(from ? { from } : {}) }).then((err) => {
          setError(err);
          if (!err) {
            setTo('');
            setOpen(false);
          }
        });
      }}
    >
      <select aria-label={t('dial.channel')} value={channel} onChange={(e) => setChannel(e.currentTarget.value)}>
        {(['phone', 'sms', 'whatsapp', 'email'] as const).map((c) => (
          <option key={c} value={c}>
            {t(`channel.${c}`)}
          </option>
        ))}
      </select>
      <input
        required
        aria-label={t('dial.to')}
        placeholder={t('dial.to')}
        value={to}
        onInput={(e) => setTo(e.currentTarget.value)}
      />
      <select aria-label={t('dial.from')} value={from} onChange={(e) => setFrom(e.currentTarget.value)}>
        <option value="">{t('dial.defaultFrom')}</option>
        {addresses.map((a) => (
          <option key={a} value={a}>
            {a}
          </option>
        ))}
      </select>
      <button type="submit">{t('dial.start')}</button>
      <button type="button" class="secondary" onClick={() => setOpen(false)}>
        {t('conv.cancel')}
      </button>
      <ErrorLine error={error} />
    </form>
  );
}
