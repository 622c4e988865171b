/** The panel's views (Preact). */
export { App, Refused } from './app.tsx';
export type { Layout } from './app.tsx';
export type { PanelEnv } from './env.ts';
