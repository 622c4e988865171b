export { runCli, USAGE } from './cli.ts';
export type { CliIo } from './cli.ts';
