/**
 * The HTTP edge: error answers (a code becomes its catalogue status), input
 * guards, who is calling (session cookie, bearer, Basic), and the static
 * pages (panel, playground).
 */
export { installErrorHandlers } from './errors.ts';
export { WS_PROTOCOL, assertSameSiteWrite, findCaller, requireCaller, sessionToken } from './caller.ts';
export type { Caller } from './caller.ts';
export { installInputGuards } from './input.ts';
export { panelRoutes } from './panel.ts';
export { consoleCsp, consoleRoutes } from './console.ts';
export { FAVICON_SVG, faviconIco, homeRoutes } from './home.ts';
export { DEFAULT_DIST } from './paths.ts';
export type { DistPaths } from './paths.ts';
export { buildPlayground } from './playground.ts';
