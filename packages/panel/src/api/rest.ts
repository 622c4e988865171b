/**
 * Calls to Parley's REST API, same origin, with the session cookie. Errors
 * come back as {@link CommandError}s carrying the server's code.
 */
import type { Queue, User } from '@parley/protocol';
import { isErrorCode, isRecord } from '@parley/protocol';
import { CommandError } from '../bridge/index.ts';

export class RestClient {
  constructor(readonly baseUrl: string) {}

  /** The logged-in user, or null when there is no session. */
  async me(): Promise<User | null> {
    const res = await this.#fetch('GET', 'api/v1/me');
    if (res.status === 401) return null;
    return (await this.#json(res)) as User;
  }

  /** Logs in with a password; the server sets the session cookie. */
  async login(username: string, password: string): Promise<User> {
    const res = await this.#fetch('POST', 'api/v1/auth/login', { username, password });
    const body = await this.#json(res);
    return (body as { user: User }).user;
  }

  /** Logs in with an OAuth token through the CPC endpoint (the tenant must accept its issuer). */
  async loginWithToken(token: string): Promise<User> {
    const res = await this.#fetch('POST', 'ecfs/authentication/', undefined, { authorization: `Bearer ${token}` });
    const body = await this.#json(res);
    return (body as { user: User }).user;
  }

  /** Ready or not ready, with an optional not-ready reason code. */
  async setReady(ready: boolean, reason?: string): Promise<User> {
    return (await this.#json(
      await this.#fetch('PUT', 'api/v1/me/state', reason === undefined ? { ready } : { ready, reason }),
    )) as User;
  }

  /** Switches the presence profile (id or exact name). */
  async setPresence(profile: string): Promise<User> {
    return (await this.#json(await this.#fetch('PUT', 'api/v1/me/presence', { profile }))) as User;
  }

  /** The queues the agent serves. */
  async myQueues(): Promise<Queue[]> {
    return (await this.#json(await this.#fetch('GET', 'api/v1/me/queues'))) as Queue[];
  }

  /** A CPC RI call in the agent's context; answers with the status and body whatever the status. */
  async ri(api: string, method: string, resource: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    const path = `ecfs/RI/${api}/${resource.replace(/^\/+/, '')}`;
    // The resolved URL must stay under the RI API: no `..` or `%2e%2e` walking to other paths.
    const url = new URL(path, this.baseUrl);
    if (!url.pathname.startsWith(new URL(`ecfs/RI/${api}/`, this.baseUrl).pathname)) {
      throw new CommandError('invalid_argument', 'ri resource must stay within the RI API');
    }
    const res = await this.#fetch(method, path, body);
    return { status: res.status, body: await res.json().catch(() => null) };
  }

  /** Ends the session. */
  async logout(): Promise<void> {
    await this.#fetch('POST', 'api/v1/auth/logout');
  }

  async #fetch(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    try {
      return await fetch(`${this.baseUrl}${path}`, {
        method,
        credentials: 'same-origin',
        headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new CommandError('unreachable', 'The Parley server cannot be reached.');
    }
  }

  async #json(res: Response): Promise<unknown> {
    const body: unknown = await res.json().catch(() => null);
    if (res.ok) return body;
    const error = isRecord(body) && isRecord(body['error']) ? body['error'] : null;
    const code = error && isErrorCode(error['code']) ? error['code'] : 'internal';
    const message = error && typeof error['message'] === 'string' ? error['message'] : `HTTP ${res.status}`;
    throw new CommandError(code, message);
  }
}
