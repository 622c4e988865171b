import { fileURLToPath } from 'node:url';

/** Where the built front-end pieces live in the workspace. */
export const DEFAULT_DIST = {
  panel: fileURLToPath(new URL('../../../panel/dist/', import.meta.url)),
  console: fileURLToPath(new URL('../../../console/dist/', import.meta.url)),
  sdk: fileURLToPath(new URL('../../../sdk/dist/', import.meta.url)),
  agent: fileURLToPath(new URL('../../../agent/dist/', import.meta.url)),
  webex: fileURLToPath(new URL('../../../webex/dist/', import.meta.url)),
  widget: fileURLToPath(new URL('../../../widget/dist/', import.meta.url)),
  playground: fileURLToPath(new URL('../../../../apps/playground/dist/', import.meta.url)),
} as const;

export type DistPaths = { readonly [K in keyof typeof DEFAULT_DIST]: string };
