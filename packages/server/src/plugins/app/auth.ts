/** Sign-in and sessions (argon2id, login limits), and agents' state. */
import fp from 'fastify-plugin';
import { AgentService } from '../../agents/index.ts';
import { AuthService } from '../../auth/index.ts';
import { PLUGIN } from '../decorations.ts';

export const authPlugin = fp<{ clock?: (() => number) | undefined }>(
  async (app, opts) => {
    const { config, db, bus, baseLog } = app;
    const lifetimes = { idleSeconds: config.sessionIdleSeconds, maxSeconds: config.sessionMaxSeconds };
    app.decorate('lifetimes', lifetimes);
    app.decorate(
      'auth',
      new AuthService({
        db,
        log: baseLog.child({ subsystem: 'auth' }),
        lifetimes,
        ...(opts.clock ? { now: opts.clock } : {}),
      }),
    );
    app.decorate('agents', new AgentService(db, bus));
  },
  { name: PLUGIN.auth, dependencies: [PLUGIN.config, PLUGIN.store, PLUGIN.bus] },
);
