/**
 * The console's shell: sign-in, the header (tenant, link state, theme,
 * language, sign-out), the sections (wallboard, agents) and the live state
 * from the console socket.
 */
import type { AgentRow, ConsoleEvent } from '@parley/protocol';
import { Hourglass, LayoutDashboard, LogOut, Moon, Sun, Users } from 'lucide';
import { Voice } from '@parley/agent';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, type Api } from '../api.ts';
import { language, setLanguage, t, type Language } from '../i18n.ts';
import { LiveLink, type LinkState } from '../live.ts';
import { EMPTY, reduce, type LiveState } from '../model.ts';
import { AgentGrid, type AgentActions } from './agents.tsx';
import { ToastLine, useNow, type Toast } from './common.tsx';
import { Icon } from './icon.tsx';
import { Login } from './login.tsx';
import { MyCall, type CallActions } from './monitor.tsx';
import { Wallboard } from './wallboard.tsx';
import { Waiting, type WaitingActions } from './waiting.tsx';

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

type Section = 'wallboard' | 'agents' | 'waiting';
const sectionOf = (hash: string): Section =>
  hash === '#/agents' ? 'agents' : hash === '#/waiting' ? 'waiting' : 'wallboard';

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
  const linkRef = useRef<LiveLink | null>(null);
  // The supervisor's voice station, attached on the first call they join (the browser asks for the microphone then).
  const station = useRef<{ voice: Voice; ready: Promise<void> } | null>(null);
  const [myCall, setMyCall] = useState<{ id: string; customer: string } | null>(null);

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
    linkRef.current = socket;
    socket.start();
    return () => {
      removeEventListener('hashchange', onHash);
      socket.stop();
      station.current?.voice.close();
    };
  }, []);

  const say = (kind: Toast['kind'], text: string) => setToast({ kind, text });
  const failed = (err: unknown) => say('error', err instanceof Error ? err.message : String(err));
  const run = async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      say('ok', done);
    } catch (err) {
      failed(err);
    }
  };
  const actions = useMemo<AgentActions>(() => {
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

  const ensureStation = (): Promise<void> => {
    if (!station.current) {
      const voice = new Voice();
      const ready = voice.attach(async (sdp) => {
        const link = linkRef.current;
        if (!link) throw new Error('The console is not connected; try again.');
        return ((await link.request('media.offer', { sdp })) as { sdp: string }).sdp;
      });
      station.current = { voice, ready };
      ready.catch(() => (station.current = null));
    }
    return station.current.ready;
  };
  const calls: CallActions = {
    monitor: async (agent, work, mode) => {
      try {
        if (mode === null) await env.api.call('DELETE', `api/v1/interactions/${work.id}/monitor`);
        else {
          await ensureStation();
          await env.api.call('PUT', `api/v1/interactions/${work.id}/monitor`, { mode });
        }
        say('ok', mode === null ? t('mon.done.leave') : t(`mon.done.${mode}`, { name: agent.display_name }));
      } catch (err) {
        failed(err);
      }
    },
    intercept: async (agent, work) => {
      try {
        await ensureStation();
        const call = await env.api.call<{ id: string }>('POST', `api/v1/interactions/${work.id}/intercept`);
        setMyCall({ id: call.id, customer: work.customer });
        say('ok', t('mon.done.takeOver', { customer: work.customer, name: agent.display_name }));
      } catch (err) {
        failed(err);
      }
    },
  };
  const line: WaitingActions = {
    raise: (c) =>
      run(
        () => env.api.call('PATCH', `api/v1/supervision/waiting/${c.id}`, { priority: Math.min(100, c.priority + 10) }),
        t('wait.done.raise', { customer: c.customer }),
      ),
    move: (c, q) =>
      run(
        () => env.api.call('PATCH', `api/v1/supervision/waiting/${c.id}`, { queue_id: q.queue_id }),
        t('wait.done.move', { customer: c.customer, queue: q.name }),
      ),
    assign: (c, a) =>
      run(
        () => env.api.call('PATCH', `api/v1/supervision/waiting/${c.id}`, { agent_id: a.id }),
        t('wait.done.assign', { customer: c.customer, name: a.display_name }),
      ),
  };
  const hangUp = async () => {
    const call = myCall;
    if (!call) return;
    const act = (action: string) => env.api.call('POST', `api/v1/interactions/${call.id}/actions`, { action });
    try {
      // The customer may have hung up already (then only the wrap-up is left), or a queue without wrap-up
      // finished it at the hang-up: neither is a failure.
      const unlessOver = (err: unknown) => {
        if (!(err instanceof ApiError) || err.code !== 'invalid_state') throw err;
      };
      await act('hangup').catch(unlessOver);
      await act('handle').catch(unlessOver);
      setMyCall(null);
      say('ok', t('mine.done', { customer: call.customer }));
    } catch (err) {
      failed(err);
    }
  };

  const nav = (target: Section, icon: typeof Users, label: string) => (
    <a
      href={target === 'wallboard' ? '#/' : `#/${target}`}
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
          {nav('waiting', Hourglass, `${t('nav.waiting')} (${live.waiting.length})`)}
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
        {myCall ? <MyCall customer={myCall.customer} onHangup={() => void hangUp()} /> : null}
        {section === 'wallboard' ? (
          <Wallboard queues={live.queues} now={now} dayStart={live.hello?.day_start ?? null} />
        ) : section === 'waiting' ? (
          <Waiting contacts={live.waiting} queues={live.queues} agents={live.agents} now={now} actions={line} />
        ) : (
          <AgentGrid
            agents={live.agents}
            queues={live.queues}
            teams={live.hello?.teams ?? []}
            reasons={live.hello?.reasons ?? []}
            now={now}
            actions={actions}
            me={props.me.id}
            calls={calls}
          />
        )}
      </main>
      <ToastLine toast={toast} onClose={() => setToast(null)} />
    </div>
  );
}
