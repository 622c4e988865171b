/**
 * The live sockets' services: the agent gateway (panels: hello, resume by
 * sequence, the REST tunnel, media offers, session checks), the customer
 * gateway (web chat) and the limits every socket is held to.
 */
import fp from 'fastify-plugin';
import { hasSession, pruneSessionEnds, sessionsEndedSince, sweepSessions } from '../../auth/index.ts';
import {
  AgentGateway,
  ConsoleGateway,
  CustomerGateway,
  DEFAULT_SOCKET_LIMITS,
  SessionWatch,
  SocketLimits,
} from '../../realtime/index.ts';
import { listReasonCodes } from '../../presence/index.ts';
import { Supervision, supervisionScope } from '../../supervision/index.ts';
import { findTenant } from '../../tenants/index.ts';
import { PLUGIN } from '../decorations.ts';

export const realtimePlugin = fp<{ sessionSweepMs?: number | undefined }>(
  async (app, opts) => {
    const { config, db, bus, baseLog: log, agents, interactions, media, online, lifetimes } = app;
    // One watch for every live socket (panels, the console): a session ended anywhere closes them.
    const sessions = new SessionWatch(
      {
        endedSince: (cursor) => sessionsEndedSince(db, cursor),
        sweep: async (hashes) => {
          await pruneSessionEnds(db);
          return sweepSessions(db, hashes, lifetimes);
        },
        // The agent's last session is over: offline, as after a logout.
        ended: async (tenantId, userId) => {
          const t = (await hasSession(db, userId)) ? null : await findTenant(db, tenantId);
          if (t) await agents.loggedOut(t, userId);
        },
        ...(opts.sessionSweepMs ? { sweepMs: opts.sessionSweepMs } : {}),
      },
      log.child({ subsystem: 'realtime' }),
    );
    app.addHook('onClose', async () => sessions.close());
    const gateway = new AgentGateway({
      log: log.child({ subsystem: 'realtime' }),
      bus,
      snapshot: (t, u) => agents.snapshot(t, u),
      agentState: (t, u, connected) => agents.agentState(t, u, connected),
      interactions,
      online,
      db,
      typing: (t, agentId, interactionId) =>
        void interactions.typing(t, { agentId, interactionId }).catch(() => undefined),
      media: {
        offer: (t, u, sdp, owner) => media.attachStation(t, u, sdp, owner),
        closed: (t, u, owner) => media.detachStation(t, u, owner),
      },
      sessions,
    });
    const sockets = new SocketLimits(
      {
        perKey: {
          agent: config.sockets.perAgent,
          customer: config.sockets.perAddress,
          phone: config.sockets.perAddress,
          console: DEFAULT_SOCKET_LIMITS.perKey.console,
        },
        total: DEFAULT_SOCKET_LIMITS.total,
        // A panel carries the host's commands (a script may send many): ten times the public sockets' rate.
        framesPerSecond: {
          agent: config.sockets.framesPerSecond * 10,
          customer: config.sockets.framesPerSecond,
          phone: config.sockets.framesPerSecond,
          console: config.sockets.framesPerSecond,
        },
        sendBufferBytes: config.sockets.sendBufferBytes,
      },
      log.child({ subsystem: 'sockets' }),
    );
    const supervision = new Supervision({
      db,
      bus,
      log: log.child({ subsystem: 'supervision' }),
      online: (t) => gateway.onlineUsers(t),
      timeZone: async (t) => {
        const zone = (await findTenant(db, t))?.settings['time_zone'];
        return typeof zone === 'string' ? zone : null;
      },
    });
    const consoles = new ConsoleGateway(
      {
        scope: (t, user) => supervisionScope(db, t, user),
        watch: (t, w) => supervision.watch(t, w),
        wallboard: (t, scope) => supervision.wallboard(t, scope),
        waiting: (t, scope) => supervision.waiting(t, scope),
        agents: (t, scope, only) => supervision.agents(t, scope, only),
        dayStart: (t) => supervision.dayStart(t),
        reasons: async (t) =>
          (await listReasonCodes(db, t, 'not_ready')).map((r) => ({ code: r.code, label: r.label })),
        media: {
          offer: (t, u, sdp, owner) => media.attachStation(t, u, sdp, owner),
          closed: (t, u, owner) => media.detachStation(t, u, owner),
        },
      },
      log.child({ subsystem: 'console' }),
      sessions,
    );
    app.addHook('onClose', async () => {
      consoles.close();
      supervision.close();
    });
    app.decorate('supervision', supervision);
    app.decorate('consoles', consoles);
    app.decorate('gateway', gateway);
    app.decorate('customers', new CustomerGateway({ bus, interactions, log }));
    app.decorate('sockets', sockets);
  },
  {
    name: PLUGIN.realtime,
    dependencies: [PLUGIN.config, PLUGIN.store, PLUGIN.bus, PLUGIN.auth, PLUGIN.interactions, PLUGIN.media],
  },
);
