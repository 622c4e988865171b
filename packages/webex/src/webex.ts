/**
 * `Webex`: what `Webex.init({ credentials })` and `new Webex({ credentials })`
 * return in the Webex JS SDK, reduced to what a Contact Center integration
 * uses — `webex.cc`, the `ready` event — on Parley. The credentials are a
 * Parley agent token (docs/headless.md); the server is where the script was
 * loaded from unless `parley.baseUrl` says otherwise.
 */
import { ContactCenter } from './contact-center.ts';
import { EventEmitter } from './events.ts';

export interface WebexOptions {
  /** A Parley agent token: the string itself, `{access_token}` or `{supertoken: {access_token}}`. */
  readonly credentials?: string | { access_token?: string; supertoken?: { access_token?: string } };
  /** Accepted and ignored: Webex's own settings (`config.cc`, `logger`, …) have no meaning here. */
  readonly config?: unknown;
  /** Parley's additions: the server, and a function that fetches a new token when the session ends. */
  readonly parley?: { readonly baseUrl?: string; readonly getToken?: () => Promise<string> };
}

let defaultBase: string | undefined;

export class Webex extends EventEmitter {
  /** The SDK's version, as Webex reports it; Parley says what it is. */
  static readonly version = 'parley-webex-cc/1';
  /** The Contact Center plugin. */
  readonly cc: ContactCenter;
  readonly version = Webex.version;
  /** True once the SDK is ready (right after construction; `ready` is emitted then). */
  ready = false;
  /** Whether credentials were given. */
  readonly canAuthorize: boolean;
  readonly #token: string | undefined;

  /** The same as `new Webex(options)`. */
  static init(options: WebexOptions = {}): Webex {
    return new Webex(options);
  }

  /** Where the script came from (`{base}sdk/webex.js`): the IIFE sets it. */
  static setDefaultBaseUrl(url: string): void {
    defaultBase = url;
  }

  constructor(options: WebexOptions = {}) {
    super();
    this.#token = tokenOf(options?.credentials);
    this.canAuthorize = this.#token !== undefined || typeof options?.parley?.getToken === 'function';
    const base = options?.parley?.baseUrl ?? defaultBase ?? (typeof location === 'undefined' ? '' : location.origin);
    const baseUrl = base === '' || base.endsWith('/') ? base : `${base}/`;
    this.cc = new ContactCenter({
      baseUrl,
      token: () => this.#token,
      getToken: options?.parley?.getToken,
    });
    setTimeout(() => {
      this.ready = true;
      this.emit('ready');
    }, 0);
  }
}

function tokenOf(credentials: WebexOptions['credentials']): string | undefined {
  const raw =
    typeof credentials === 'string'
      ? credentials
      : (credentials?.access_token ?? credentials?.supertoken?.access_token ?? undefined);
  if (typeof raw !== 'string') return undefined;
  const token = raw.replace(/^Bearer\s+/i, '').trim();
  return token === '' ? undefined : token;
}
