/**
 * How the server is put together (after fastify/demo): `external/` brings
 * the outside libraries in, `app/` builds the services on them, each an
 * `fp` plugin that declares its dependencies and decorates the instance
 * (decorations.ts types every decoration once). buildApp() registers them
 * in order, then the routes with the context.
 */
export * from './external/index.ts';
export * from './app/index.ts';
export { PLUGIN, type Origins } from './decorations.ts';
