/**
 * Masks what could be a credential in a line of a client log: bearer values
 * (header or WebSocket subprotocol), `pk_` API keys and any opaque string of
 * 40 characters or more. 32-hex ids stay readable. The client masks before it
 * uploads and the server masks again on arrival (`POST api/v1/client-logs`).
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/(bearer\s+|parley\.bearer\.)[^\s"',]+/gi, '$1[redacted]')
    .replace(/\bpk_[A-Za-z0-9_-]+/g, 'pk_[redacted]')
    .replace(/[A-Za-z0-9_\-+/=.]{40,}/g, '[redacted]');
}
