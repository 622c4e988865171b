/**
 * Boot: read the embedded config, decide which host we talk to, start the
 * controller and the bridge, render.
 */
import { render } from 'preact';
import { AgentSocket, RestClient, Voice } from '@parley/agent';
import { readBootConfig } from './boot-config.ts';
import { createWindowTransport, HostBridge, resolveHostOrigin } from './bridge/index.ts';
import { PanelController } from './controller.ts';
import { handOver, popoutUrl, receiveSession } from './popout.ts';
import { App, Refused, type Layout, type PanelEnv } from './ui/index.ts';
import { BrowserAlerts, panelVisible } from './alerts.ts';
import { t } from './i18n.ts';
import './styles.css';

const config = readBootConfig(document);
const params = new URLSearchParams(location.search);
const verbose = params.get('sap-ui-debug') === 'true' || params.get('debug') === 'true';
const debug = (message: string, detail?: unknown) => {
  if (verbose) console.debug(`[parley panel] ${message}`, detail ?? '');
};

const host = resolveHostOrigin(
  {
    framed: window.parent !== window,
    ancestorOrigins: location.ancestorOrigins ? Array.from(location.ancestorOrigins) : undefined,
    referrer: document.referrer,
    hostParam: params.get('host'),
  },
  config.allowedOrigins,
);

/** sessionStorage, or null where the browser refuses it (sandboxed or privacy modes). */
function sessionStore(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

const root = document.getElementById('app');
if (root && host.kind === 'refused') {
  debug('host origin is not allowed', host.origin);
  render(<Refused origin={host.origin} />, root);
} else if (root) {
  const rest = new RestClient(config.baseUrl, sessionStore());
  const wsUrl = `${config.baseUrl.replace(/^http/, 'ws')}ws/agent`;
  // Where the session cookie is refused, the token rides along as a WebSocket subprotocol.
  const protocols = () => (rest.token ? ['parley.v1', `parley.bearer.${rest.token}`] : undefined);
  const voice = typeof RTCPeerConnection === 'function' && navigator.mediaDevices ? new Voice() : null;
  let showInteraction: (id: string) => void = () => undefined;
  // The ringer's device id in this browser, as the voice station was told it (the chimes follow it).
  let ringerId = '';
  const alerts: BrowserAlerts = new BrowserAlerts({
    ringer: () => ringerId,
    show: (id) => showInteraction(id),
    words: (i, m): { title: string; body: string } => {
      const from: string = controller.state.cards[i.id]?.customer.name ?? i.remote_address;
      return m
        ? { title: t('alert.message', { from }), body: m.content.slice(0, 140) }
        : { title: t('alert.offer', { channel: t(`channel.${i.channel_type}`), from }), body: i.queue_name ?? '' };
    },
  });
  const controller: PanelController = new PanelController({
    rest,
    alerts,
    visible: () => panelVisible(),
    openSocket: (handlers) => {
      const socket = new AgentSocket(wsUrl, handlers, protocols);
      rest.carry(socket);
      return socket;
    },
    ...(voice ? { voice } : {}),
  });
  showInteraction = (id) => controller.show(id);
  // Back at the panel: what is in view has been seen.
  const backAtPanel = () => {
    const active = controller.state.active;
    if (active && panelVisible()) controller.workspace.seen(active);
  };
  window.addEventListener('focus', backAtPanel);
  document.addEventListener('visibilitychange', backAtPanel);
  const sink = voice && {
    setInputDevice: (id: string) => voice.setInputDevice(id),
    setOutputDevice: (id: string) => voice.setOutputDevice(id),
    setRingerDevice: (id: string) => {
      ringerId = id;
      voice.setRingerDevice(id);
    },
  };
  const env: PanelEnv = { sink, chime: () => alerts.chime(), embedded: window.parent !== window };
  if (host.kind === 'allowed') {
    const bridge = new HostBridge(createWindowTransport(window, window.parent, host.origin, debug), {
      handle: controller.handle,
      debug,
    });
    controller.attachBridge(bridge);
  }
  const isPopout = params.get('popout') === '1' && window.opener !== null && window.parent === window;
  const size = (name: string, fallback: number) => {
    const value = Number(params.get(name));
    return Number.isInteger(value) && value > 0 && value < 10_000 ? value : fallback;
  };
  const layout: Layout = {
    minWidth: size('minWidth', 500),
    minHeight: size('minHeight', 400),
    // A pop-out is the full panel; the embedded one may offer it unless the host denied pop-outs.
    canPopOut: !isPopout && host.kind === 'allowed' && params.get('denyPopout') !== 'true',
    popOut: () => {
      // Opened at once, in the click, so pop-up blockers let it through; the session follows by message.
      const win = window.open(popoutUrl(), 'parley-popout', 'popup,width=560,height=760');
      if (win) handOver(win, controller.popoutToken());
    },
  };
  render(
    <App
      controller={controller}
      tenantName={config.tenantName}
      sso={config.sso && host.kind === 'allowed'}
      layout={layout}
      env={env}
    />,
    root,
  );
  if (isPopout) {
    void receiveSession(window.opener as Window).then((token) => {
      if (token) rest.adoptToken(token);
      return controller.start();
    });
  } else {
    void controller.start();
  }
}
