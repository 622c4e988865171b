/** The bus: in-process by default; a throwing subscriber is logged and does not stop the others. */
import fp from 'fastify-plugin';
import { InProcessBus } from '../../bus/index.ts';
import { PLUGIN } from '../decorations.ts';

export const busPlugin = fp(
  async (app) => {
    const log = app.baseLog;
    app.decorate('bus', new InProcessBus((err, type) => log.error({ err, type }, 'bus subscriber failed')));
  },
  { name: PLUGIN.bus, dependencies: [PLUGIN.config] },
);
