/** The app context the route plugins get: the decorations gathered into one object (context.ts). */
import fp from 'fastify-plugin';
import type { AppContext } from '../../context.ts';
import { PLUGIN } from '../decorations.ts';

export const contextPlugin = fp(
  async (app) => {
    const ctx: AppContext = {
      config: app.config,
      db: app.db,
      log: app.baseLog,
      bus: app.bus,
      tenants: app.tenants,
      selfOrigin: new URL(app.config.publicUrl).origin,
      lifetimes: app.lifetimes,
      auth: app.auth,
      agents: app.agents,
      gateway: app.gateway,
      consoles: app.consoles,
      supervision: app.supervision,
      sockets: app.sockets,
      interactions: app.interactions,
      customers: app.customers,
      media: app.media,
      recorder: app.recorder,
      mailer: app.mailer,
      baseUrlOf: app.origins.baseUrlOf,
      allowedOrigins: app.origins.allowedOrigins,
      isAllowedOrigin: app.origins.isAllowedOrigin,
    };
    app.decorate('parley', ctx);
  },
  {
    name: PLUGIN.context,
    dependencies: [
      PLUGIN.config,
      PLUGIN.store,
      PLUGIN.bus,
      PLUGIN.tenants,
      PLUGIN.auth,
      PLUGIN.interactions,
      PLUGIN.media,
      PLUGIN.realtime,
      PLUGIN.channels,
    ],
  },
);
