import { useEffect, useState } from 'preact/hooks';
import type { PanelController, PanelState } from '../controller.ts';
import { setLanguage, t } from '../i18n.ts';
import { ConversationItem, Dialer, Offers, Picklist } from './conversations.tsx';
import { Notices, StateControls, StateLine } from './state.tsx';
import { HeadphoneOff, Headset } from 'lucide';
import { Icon } from './icon.tsx';
import { applyDevices, deviceIds, loadDevices } from '../devices.ts';
import { currentDevices, DevicesDialog } from './devices.tsx';
import { NO_ENV, type PanelEnv } from './env.ts';
import { Menu } from './menu.tsx';
import { Missed } from './missed.tsx';
import { QueueLoads } from './queues.tsx';
import { ShortcutsOverlay, useShortcuts, type DialogRequest } from './shortcuts.tsx';

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

/** How the panel lays itself out, from its URL parameters. */
export interface Layout {
  /** Narrower or lower than this, the panel shows its compact view. */
  readonly minWidth: number;
  readonly minHeight: number;
  /** Whether the compact view offers a pop-out window with the full panel. */
  readonly canPopOut: boolean;
  readonly popOut: () => void;
}

const FULL: Layout = { minWidth: 0, minHeight: 0, canPopOut: false, popOut: () => undefined };

/** True while the window is smaller than the layout's minimum. */
function useCompact(layout: Layout): boolean {
  const measure = () => window.innerWidth < layout.minWidth || window.innerHeight < layout.minHeight;
  const [compact, setCompact] = useState(measure);
  useEffect(() => {
    const onResize = () => setCompact(measure());
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, [layout.minWidth, layout.minHeight]);
  return compact;
}

export function App({
  controller,
  tenantName,
  sso,
  layout = FULL,
  env = NO_ENV,
}: {
  controller: PanelController;
  tenantName: string;
  sso: boolean;
  layout?: Layout;
  env?: PanelEnv;
}) {
  const state = usePanelState(controller);
  const compact = useCompact(layout);
  if (state.user) setLanguage(state.user.language);
  const theme = state.user?.theme;
  useEffect(() => {
    const root = document.documentElement;
    root.dataset['theme'] = theme?.dark ? 'dark' : 'light';
    if (theme) root.style.setProperty('--primary', theme.primary);
    root.lang = state.user?.language ?? 'en';
  }, [theme?.dark, theme?.primary, state.user?.language]);
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
  return <Desk controller={controller} state={state} layout={layout} env={env} compact={compact} />;
}

/** The logged-in panel: its dialogs, shortcuts and device choices live as long as the agent's session. */
function Desk({
  controller,
  state,
  layout,
  env,
  compact,
}: {
  controller: PanelController;
  state: PanelState;
  layout: Layout;
  env: PanelEnv;
  compact: boolean;
}) {
  const user = state.user;
  const [dialog, setDialog] = useState<DialogRequest | null>(null);
  const [devices, setDevices] = useState(false);
  const keys = useShortcuts(controller, setDialog);
  useEffect(() => {
    if (!user || !env.sink) return;
    const sink = env.sink;
    void currentDevices()
      .then((all) => applyDevices(sink, deviceIds(loadDevices(user.preferences), all), null))
      .catch(() => undefined);
  }, [user?.id]);
  if (!user) return null;
  const overlays = (
    <>
      {devices && <DevicesDialog controller={controller} env={env} onClose={() => setDevices(false)} />}
      {keys.help && (
        <ShortcutsOverlay bindings={keys.bindings} setBindings={keys.setBindings} onClose={() => keys.setHelp(false)} />
      )}
    </>
  );
  if (compact)
    return (
      <>
        <CompactView controller={controller} state={state} layout={layout} />
        {overlays}
      </>
    );
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
            <StateLine user={user} />
          </div>
        </div>
        <StateControls controller={controller} user={user} />
        <div class="header-actions">
          <span class={`conn conn-${state.connection}`} data-testid="connection" title={t(`conn.${state.connection}`)}>
            {t(`conn.${state.connection}`)}
          </span>
          <span class={`audio audio-${state.audio}`} data-testid="audio" title={t(`audio.${state.audio}`)}>
            <Icon node={state.audio === 'connected' ? Headset : HeadphoneOff} />
            <span class="sr-only">{t(`audio.${state.audio}`)}</span>
          </span>
          <Menu
            controller={controller}
            user={user}
            onDevices={() => setDevices(true)}
            onShortcuts={() => keys.setHelp(true)}
          />
        </div>
      </header>
      <Notices controller={controller} notices={state.notices} />
      <QueueLoads queues={state.queueLoads} />
      <section class="conversations" aria-labelledby="conv-title">
        <h2 id="conv-title">{t('conversations.title')}</h2>
        <Offers controller={controller} state={state} />
        <Dialer controller={controller} />
        {state.interactions.length === 0 ? (
          <p class="muted">{t('conversations.empty')}</p>
        ) : (
          <ul class="conv-list" aria-labelledby="conv-title">
            {state.interactions.map((i) => (
              <ConversationItem
                key={i.id}
                controller={controller}
                interaction={i}
                active={i.id === state.active}
                all={state.interactions}
                unread={state.unread[i.id] ?? 0}
                dialog={dialog?.id === i.id ? dialog.kind : null}
                setDialog={(kind: DialogRequest['kind'] | null) => setDialog(kind ? { id: i.id, kind } : null)}
              />
            ))}
          </ul>
        )}
        <Missed controller={controller} missed={state.missed} />
        <Picklist controller={controller} queues={state.queueLoads} />
      </section>
      {overlays}
    </div>
  );
}

/** The small view: who and how, offers, and My Conversations with what matters most; the rest in a pop-out. */
function CompactView({
  controller,
  state,
  layout,
}: {
  controller: PanelController;
  state: PanelState;
  layout: Layout;
}) {
  const user = state.user;
  if (!user) return null;
  return (
    <div class="shell compact" data-testid="compact">
      <header class="header">
        <div class="who">
          <div class="name">{user.display_name}</div>
          <StateLine user={user} />
        </div>
        <StateControls controller={controller} user={user} compact />
        <span class={`conn conn-${state.connection}`} data-testid="connection" title={t(`conn.${state.connection}`)}>
          {t(`conn.${state.connection}`)}
        </span>
        <span class={`audio audio-${state.audio}`} data-testid="audio" title={t(`audio.${state.audio}`)}>
          <Icon node={state.audio === 'connected' ? Headset : HeadphoneOff} />
          <span class="sr-only">{t(`audio.${state.audio}`)}</span>
        </span>
        {layout.canPopOut && (
          <button type="button" class="link" data-testid="popout" onClick={layout.popOut}>
            {t('compact.popout')}
          </button>
        )}
      </header>
      <Notices controller={controller} notices={state.notices} />
      <section class="conversations" aria-labelledby="conv-title">
        <h2 id="conv-title">{t('conversations.title')}</h2>
        <Offers controller={controller} state={state} />
        {state.interactions.length === 0 ? (
          <p class="muted">{t('conversations.empty')}</p>
        ) : (
          <ul class="conv-list" aria-labelledby="conv-title">
            {state.interactions.map((i) => (
              <ConversationItem
                key={i.id}
                controller={controller}
                interaction={i}
                active={i.id === state.active}
                all={state.interactions}
                unread={state.unread[i.id] ?? 0}
                compact
              />
            ))}
          </ul>
        )}
      </section>
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
        <Notices controller={controller} notices={state.notices} />
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
