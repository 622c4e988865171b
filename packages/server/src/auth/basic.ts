/**
 * The CPC basic-login wire format (PROTOCOL.md §3): header
 * `Authorization: ECFAuth`, form body `Authorization=Basic <base64(user:pass)>`.
 * Pure: no I/O.
 */

/** The result of reading a basic-login request. */
export type BasicLoginParse =
  | { readonly ok: true; readonly username: string; readonly password: string }
  | { readonly ok: false; readonly message: string };

const MAX_FIELD = 1024;

/** Reads the form field `Authorization` (`Basic <base64(user:password)>`, UTF-8). */
export function parseBasicAuthorization(field: unknown): BasicLoginParse {
  if (typeof field !== 'string' || field.length === 0) {
    return { ok: false, message: 'body field Authorization is required: Authorization=Basic <base64(user:password)>' };
  }
  if (field.length > MAX_FIELD) return { ok: false, message: 'body field Authorization is too long' };
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)$/i.exec(field.trim());
  if (!match?.[1])
    return { ok: false, message: 'body field Authorization must be "Basic " followed by base64(user:password)' };
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0)
    return { ok: false, message: 'the decoded Authorization value must be user:password with a non-empty user' };
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  if (password.length === 0) return { ok: false, message: 'the password is empty' };
  if (decoded.includes('\uFFFD')) return { ok: false, message: 'user and password must be UTF-8' };
  return { ok: true, username, password };
}

/** Encodes credentials the way CPC clients do (used by tests and tools). */
export function encodeBasicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}
