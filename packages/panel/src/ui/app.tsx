import type { Interaction } from '@parley/protocol';
import { useEffect, useState } from 'preact/hooks';
import type { PanelController, PanelState } from '../controller.ts';
import { setLanguage, t } from '../i18n.ts';

/** Follows the controller's state. */
function usePanelState(controller: PanelController): PanelState {
  const [state, setState] = useState(controller.state);
  useEffect(() => {
    const unsubscribe = controller.subscribe(setState);
    // A change between the first render and this effect would otherwise be missed.
    setState(controller.state);
    return unsubscribe;
  }, [controller]);
  return state;
}

export function App({
  controller,
  tenantName,
  sso,
}: {
  controller: PanelController;
  tenantName: string;
  sso: boolean;
}) {
  const state = usePanelState(controller);
  if (state.user) setLanguage(state.user.language);
  if (state.phase === 'loading') return <main class="center">{t('loading')}</main>;
  if (state.phase === 'login' || !state.user) {
    return sso && !state.loginError ? (
      <main class="center" data-testid="sso-wait">
        {t('login.sso')}
      </main>
    ) : (
      <LoginForm controller={controller} state={state} tenantName={tenantName} />
    );
  }
  const user = state.user;
  return (
    <div class="shell">
      <header class="header">
        <div class="who">
          <span class="avatar" aria-hidden="true">
            {user.display_name.slice(0, 1)}
          </span>
          <div>
            <div class="name" data-testid="agent-name">
              {user.display_name}
            </div>
            <div class={`status status-${user.work_status}`} data-testid="work-status">
              {t(`status.${user.work_status}`)}
            </div>
          </div>
        </div>
        <StateControls controller={controller} user={user} />
        <div class="header-actions">
          <span class={`conn conn-${state.connection}`} data-testid="connection" title={t(`conn.${state.connection}`)}>
            {t(`conn.${state.connection}`)}
          </span>
          <button type="button" class="link" onClick={() => void controller.logout()}>
            {t('header.logout')}
          </button>
        </div>
      </header>
      <section class="conversations" aria-labelledby="conv-title">
        <h2 id="conv-title">{t('conversations.title')}</h2>
        <Offers controller={controller} state={state} />
        {state.interactions.length === 0 ? (
          <p class="muted">{t('conversations.empty')}</p>
        ) : (
          <ul class="conv-list" aria-labelledby="conv-title">
            {state.interactions.map((i) => (
              <ConversationItem key={i.id} controller={controller} interaction={i} active={i.id === state.active} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

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

/** Incoming offers are announced to screen readers. */
function Offers({ controller, state }: { controller: PanelController; state: PanelState }) {
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
      {error && (
        <span class="error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

/** One open interaction with the controls its state allows. */
function ConversationItem({
  controller,
  interaction: i,
  active,
}: {
  controller: PanelController;
  interaction: Interaction;
  active: boolean;
}) {
  const [error, setError] = useState<string | null>(null);
  const [notes, setNotes] = useState('');
  const wrapupLeft = useSecondsUntil(i.state === 'wrap_up' ? i.wrapup_until : undefined);
  const act = (body: Record<string, unknown>) => void controller.uiAct(i.id, body).then(setError);
  const phone = i.channel_type === 'phone';
  const talking = i.state === 'accepted' || i.state === 'held';
  return (
    <li class={active ? 'conv active' : 'conv'} data-testid="conversation" data-state={i.state}>
      <button type="button" class="conv-head" aria-current={active} onClick={() => controller.show(i.id)}>
        <span class={`chan chan-${i.channel_type}`}>{t(`channel.${i.channel_type}`)}</span>
        <span class="addr">{i.remote_address}</span>
        <span class="muted">{i.queue_name ?? ''}</span>
        <span class="conv-state">
          {i.state in STATE_KEYS ? t(STATE_KEYS[i.state as keyof typeof STATE_KEYS]) : i.state}
        </span>
      </button>
      <div class="actions">
        {phone && talking && (
          <button type="button" onClick={() => act({ action: i.held ? 'unhold' : 'hold' })} aria-pressed={i.held}>
            {i.held ? t('conv.unhold') : t('conv.hold')}
          </button>
        )}
        {phone && talking && (
          <button type="button" onClick={() => act({ action: i.muted ? 'unmute' : 'mute' })} aria-pressed={i.muted}>
            {i.muted ? t('conv.unmute') : t('conv.mute')}
          </button>
        )}
        {(talking || (i.direction === 'outbound' && (i.state === 'alerting' || i.state === 'outgoing'))) && (
          <button type="button" class="danger" data-testid="hangup" onClick={() => act({ action: 'hangup' })}>
            {phone ? t('conv.hangup') : t('conv.end')}
          </button>
        )}
      </div>
      {(i.state === 'wrap_up' || i.state === 'ended') && (
        <form
          class="wrapup"
          onSubmit={(e) => {
            e.preventDefault();
            act({ action: 'handle', ...(notes ? { notes } : {}) });
          }}
        >
          {wrapupLeft !== null && (
            <span class="countdown">{t('conv.wrapupLeft', { seconds: String(wrapupLeft) })}</span>
          )}
          <label>
            {t('conv.notes')}
            <textarea value={notes} onInput={(e) => setNotes(e.currentTarget.value)} rows={2} maxLength={4000} />
          </label>
          <button type="submit" data-testid="wrapup-done">
            {t('conv.done')}
          </button>
        </form>
      )}
      {error && (
        <span class="error" role="alert">
          {error}
        </span>
      )}
    </li>
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

/** Ready toggle and presence profile: the agent's own state, as every other client sees it. */
function StateControls({ controller, user }: { controller: PanelController; user: NonNullable<PanelState['user']> }) {
  const [error, setError] = useState<string | null>(null);
  const run = (action: () => Promise<void>) => {
    setError(null);
    action().catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  };
  const ready = user.work_status === 'ready';
  return (
    <div class="state">
      <button
        type="button"
        class={ready ? 'toggle on' : 'toggle'}
        aria-pressed={ready}
        data-testid="ready-toggle"
        onClick={() => run(() => controller.setReady(!ready))}
      >
        {ready ? t('state.setNotReady') : t('state.setReady')}
      </button>
      <label class="presence">
        <span class="sr-only">{t('state.presence')}</span>
        <select
          data-testid="presence"
          value={user.presence}
          onChange={(e) => run(() => controller.setPresence(e.currentTarget.value))}
        >
          {user.presence_profiles.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      {error && (
        <span class="error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

function LoginForm({
  controller,
  state,
  tenantName,
}: {
  controller: PanelController;
  state: PanelState;
  tenantName: string;
}) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  return (
    <main class="center">
      <form
        class="login"
        onSubmit={(event) => {
          event.preventDefault();
          void controller.submitLogin(username.trim(), password).then(() => setPassword(''));
        }}
      >
        <h1>{tenantName}</h1>
        <h2>{t('login.title')}</h2>
        <label>
          {t('login.username')}
          <input
            name="username"
            autocomplete="username"
            required
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
          />
        </label>
        <label>
          {t('login.password')}
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        {state.loginError && (
          <p class="error" role="alert">
            {state.loginError}
          </p>
        )}
        <button type="submit" disabled={state.busy}>
          {state.busy ? t('login.busy') : t('login.submit')}
        </button>
      </form>
    </main>
  );
}

/** Shown instead of the panel when the embedding page is not allowlisted. */
export function Refused({ origin }: { origin: string | null }) {
  return (
    <main class="center" data-testid="refused">
      <h1>{t('refused.title')}</h1>
      <p>{t('refused.body', { origin: origin ?? 'this page' })}</p>
    </main>
  );
}
