export type { Config } from './config.ts';
export { loadConfig, parseOrigin, ConfigError, DEFAULT_DEMO_PASSWORD } from './config.ts';
