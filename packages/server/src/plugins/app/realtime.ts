/**
 * The live sockets' services: the agent gateway (panels: hello, resume by
 * sequence, the REST tunnel, media offers, session checks), the customer
 * gateway (web chat) and the limits every socket is held to.
 */
import fp from 'fastify-plugin';
import { hasSession, pruneSessionEnds, sessionsEndedSince, sweepSessions } from '../../auth/index.ts';
import { AgentGateway, CustomerGateway, DEFAULT_SOCKET_LIMITS, SocketLimits } from '../../realtime/index.ts';
import { findTenant } from '../../tenants/index.ts';
import { PLUGIN } from '../decorations.ts';

export const realtimePlugin = fp<{ sessionSweepMs?: number | undefined }>(
  async (app, opts) => {
    const { config, db, bus, baseLog: log, agents, interactions, media, online, lifetimes } = app;
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
      sessions: {
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
    });
    const sockets = new SocketLimits(
      {
        perKey: {
          agent: config.sockets.perAgent,
          customer: config.sockets.perAddress,
          phone: config.sockets.perAddress,
        },
        total: DEFAULT_SOCKET_LIMITS.total,
        // A panel carries the host's commands (a script may send many): ten times the public sockets' rate.
        framesPerSecond: {
          agent: config.sockets.framesPerSecond * 10,
          customer: config.sockets.framesPerSecond,
          phone: config.sockets.framesPerSecond,
        },
        sendBufferBytes: config.sockets.sendBufferBytes,
      },
      log.child({ subsystem: 'sockets' }),
    );
    app.decorate('gateway', gateway);
    app.decorate('customers', new CustomerGateway({ bus, interactions, log }));
    app.decorate('sockets', sockets);
  },
  {
    name: PLUGIN.realtime,
    dependencies: [PLUGIN.config, PLUGIN.store, PLUGIN.bus, PLUGIN.auth, PLUGIN.interactions, PLUGIN.media],
  },
);
