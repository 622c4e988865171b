/** The store: SQLite by default (`{dataDir}/parley.sqlite`), PostgreSQL with DATABASE_URL; migrated on open. */
import path from 'node:path';
import fp from 'fastify-plugin';
import { openStore } from '../../store/index.ts';
import { PLUGIN } from '../decorations.ts';

export const storePlugin = fp<{ sqliteFile?: string | undefined }>(
  async (app, opts) => {
    const { config } = app;
    app.decorate(
      'db',
      await openStore({
        sqliteFile: opts.sqliteFile ?? path.join(config.dataDir, 'parley.sqlite'),
        databaseUrl: config.databaseUrl,
      }),
    );
  },
  { name: PLUGIN.store, dependencies: [PLUGIN.config] },
);
