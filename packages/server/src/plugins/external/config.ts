/** The validated configuration and the process logger, for every other plugin. */
import fp from 'fastify-plugin';
import type { Config } from '../../config/index.ts';
import type { Logger } from '../../log/index.ts';
import { PLUGIN } from '../decorations.ts';

export const configPlugin = fp<{ config: Config; log: Logger }>(
  async (app, { config, log }) => {
    app.decorate('config', config);
    app.decorate('baseLog', log);
  },
  { name: PLUGIN.config },
);
