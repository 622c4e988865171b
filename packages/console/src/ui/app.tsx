/**
 * The console's shell: sign-in, the header (tenant, link state, theme,
 * language, sign-out), the sections (wallboard, agents) and the live state
 * from the console socket.
 */
import type { AgentRow, ConsoleEvent } from '@parley/protocol';
import { LayoutDashboard, LogOut, Moon, Sun, Users } from 'lucide';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Api } from '../api.ts';
import { language, setLanguage, t, type Language } from '../i18n.ts';
import { LiveLink, type LinkState } from '../live.ts';
import { EMPTY, reduce, type LiveState } from '../model.ts';
import { AgentGrid, type AgentActions } from './agents.tsx';
import { ToastLine, useNow, type Toast } from './common.tsx';
import { Icon } from './icon.tsx';
import { Login } from './login.tsx';
import { Wallboard } from './wallboard.tsx';

export interface Me {
  readonly id: string;
  readonly display_name: string;
  readonly rights: readonly string[];
  readonly language?: string;
  readonly theme?: { readonly dark: boolean };
}

export interface ConsoleEnv {
  readonly api: Api;
  readonly tenantName: string;
  readonly wsUrl: string;
  readonly panelUrl: string;
}

type Section = 'wallboard' | 'agents';
const sectionOf = (hash: string): Section => (hash === '#/agents' ? 'agents' : 'wallboard');

export function App({ env }: { env: ConsoleEnv }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [dark, setDark] = useState(() => matchMedia('(prefers-color-scheme: dark)').matches);
  const [lang, setLang] = useState<Language>(() => setLanguage(navigator.language));
  useEffect(() => {
    env.api.call<Me>('GET', 'api/v1/me').then(setMe, () => setMe(null));
  }, []);
  useEffect(() => {
    document.documentElement.dataset['theme'] = dark ? 'dark' : 'light';
  }, [dark]);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t('app.title');
  }, [lang]);

  const signIn = async (username: string, password: string) => {
    await env.api.call('POST', 'api/v1/auth/login', { username, password });
    const user = await env.api.call<Me>('GET', 'api/v1/me');
    if (user.language) setLang(setLanguage(user.language));
    setMe(user);
  };
  const signOut = async () => {
    await env.api.call('POST', 'api/v1/auth/logout').catch(() => undefined);
    setMe(null);
  };

  if (me === undefined) return <main class="center" aria-busy="true" />;
  if (me === null) return <Login tenantName={env.tenantName} onSubmit={signIn} />;
  if (!me.rights.includes('supervisor'))
    return (
      <main class="center">
        <div class="card login">
          <h1>{t('app.title')}</h1>
          <p role="alert">{t('login.agent')}</p>
          <a class="button primary" href={env.panelUrl}>
            {t('login.openPanel')}
          </a>
          <button type="button" onClick={() => void signOut()}>
            {t('header.signOut')}
          </button>
        </div>
      </main>
    );
  return (
    <Console
      env={env}
      me={me}
      dark={dark}
      onDark={setDark}
      lang={lang}
      onLang={(l) => setLang(setLanguage(l))}
      onSignOut={signOut}
      onEnded={() => setMe(null)}
    />
  );
}

function Console(props: {
  env: ConsoleEnv;
  me: Me;
  dark: boolean;
  onDark: (dark: boolean) => void;
  lang: Language;
  onLang: (lang: Language) => void;
  onSignOut: () => Promise<void>;
  onEnded: () => void;
}) {
  const { env } = props;
  const [live, setLive] = useState<LiveState>(EMPTY);
  const [link, setLink] = useState<LinkState>('connecting');
  const [section, setSection] = useState<Section>(() => sectionOf(location.hash));
  const [toast, setToast] = useState<Toast | null>(null);
  const now = useNow(live.clockSkewMs);

  useEffect(() => {
    const onHash = () => setSection(sectionOf(location.hash));
    addEventListener('hashchange', onHash);
    const socket = new LiveLink({
      url: env.wsUrl,
      onFrame: (frame: ConsoleEvent) => setLive((s) => reduce(s, frame, Date.now())),
      onState: (state) => {
        setLink(state);
        if (state === 'ended') props.onEnded();
      },
      signedIn: async () =>
        await env.api.call('GET', 'api/v1/me').then(
          () => true,
          () => false,
        ),
    });
    socket.start();
    return () => {
      removeEventListener('hashchange', onHash);
      socket.stop();
    };
  }, []);

  const actions = useMemo<AgentActions>(() => {
    const run = async (work: () => Promise<unknown>, done: string) => {
      try {
        await work();
        setToast({ kind: 'ok', text: done });
      } catch (err) {
        setToast({ kind: 'error', text: err instanceof Error ? err.message : String(err) });
      }
    };
    const state = (a: AgentRow, body: object) => env.api.call('PUT', `api/v1/agents/${a.id}/state`, body);
    return {
      ready: (a) => run(() => state(a, { ready: true }), t('act.done.ready', { name: a.display_name })),
      notReady: (a, reason) =>
        run(
          () => state(a, { ready: false, reason }),
          t('act.done.notReady', {
            name: a.display_name,
            reason: live.hello?.reasons.find((r) => r.code === reason)?.label ?? reason,
          }),
        ),
      logout: (a) =>
        run(() => env.api.call('POST', `api/v1/agents/${a.id}/logout`), t('act.done.logout', { name: a.display_name })),
    };
  }, [live.hello]);

  const nav = (target: Section, icon: typeof Users, label: string) => (
    <a
      href={target === 'agents' ? '#/agents' : '#/'}
      class={section === target ? 'active' : ''}
      aria-current={section === target ? 'page' : undefined}
    >
      <Icon node={icon} />
      {label}
    </a>
  );

  return (
    <div class="shell">
      <header class="topbar">
        <div class="brand">
          <strong>{t('app.title')}</strong>
          <span class="muted">{env.tenantName}</span>
        </div>
        <nav aria-label={t('nav.main')}>
          {nav('wallboard', LayoutDashboard, t('nav.wallboard'))}
          {nav('agents', Users, t('nav.agents'))}
        </nav>
        <div class="tools">
          <span class={`link ${link}`} role="status">
            <span class="dot" aria-hidden="true" />
            {t(`link.${link}`)}
          </span>
          <label class="lang">
            <span class="visually-hidden">{t('header.language')}</span>
            <select value={props.lang} onChange={(e) => props.onLang(e.currentTarget.value as Language)}>
              <option value="en">English</option>
              <option value="de">Deutsch</option>
            </select>
          </label>
          <button
            type="button"
            class="icon-button"
            aria-label={props.dark ? t('header.theme.light') : t('header.theme.dark')}
            title={props.dark ? t('header.theme.light') : t('header.theme.dark')}
            onClick={() => props.onDark(!props.dark)}
          >
            <Icon node={props.dark ? Sun : Moon} />
          </button>
          <span class="who">{props.me.display_name}</span>
          <button
            type="button"
            class="icon-button"
            aria-label={t('header.signOut')}
            title={t('header.signOut')}
            onClick={() => void props.onSignOut()}
          >
            <Icon node={LogOut} />
          </button>
        </div>
      </header>
      <main class="content" lang={language()}>
        {section === 'wallboard' ? (
          <Wallboard queues={live.queues} now={now} dayStart={live.hello?.day_start ?? null} />
        ) : (
          <AgentGrid
            agents={live.agents}
            queues={live.queues}
            teams={live.hello?.teams ?? []}
            reasons={live.hello?.reasons ?? []}
            now={now}
            actions={actions}
          />
        )}
      </main>
      <ToastLine toast={toast} onClose={() => setToast(null)} />
    </div>
  );
}
