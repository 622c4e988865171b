/**
 * The desks: routing, the interaction life cycle and conversations, one
 * desk per tenant. Who is online comes from `online`, which the agent
 * gateway keeps; whether a number can ring, from the voice plane once it
 * connects (plugins/app/media.ts).
 */
import fp from 'fastify-plugin';
import { InteractionService, type InteractionServiceOptions } from '../../interactions/index.ts';
import { OnlineUsers } from '../../presence/index.ts';
import { PLUGIN } from '../decorations.ts';

export type InteractionsPluginOptions = Partial<Pick<InteractionServiceOptions, 'clock' | 'timers' | 'routing'>>;

export const interactionsPlugin = fp<InteractionsPluginOptions>(
  async (app, opts) => {
    const online = new OnlineUsers();
    app.decorate('online', online);
    app.decorate(
      'interactions',
      new InteractionService({
        db: app.db,
        bus: app.bus,
        log: app.baseLog.child({ subsystem: 'routing' }),
        isOnline: (t, u) => online.has(t, u),
        routing: app.config.routing,
        ...opts,
      }),
    );
  },
  { name: PLUGIN.interactions, dependencies: [PLUGIN.config, PLUGIN.store, PLUGIN.bus] },
);
