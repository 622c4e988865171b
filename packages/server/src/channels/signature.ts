/**
 * Webhook signatures in the widely used provider form: HMAC-SHA1, keyed with
 * the account's secret, over the full URL the provider called followed by
 * every POST parameter's name and value, sorted by name; base64 in the
 * `X-Twilio-Signature` header. Pure: no I/O.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-twilio-signature';

/** Form parameters as parsed: a name may repeat. */
export type FormParams = Readonly<Record<string, string | readonly string[] | undefined>>;

/** The signature a provider sends for a request to `url` with `params`. */
export function signRequest(secret: string, url: string, params: FormParams): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name];
    if (value === undefined) continue;
    for (const v of typeof value === 'string' ? [value] : [...value].sort()) data += name + v;
  }
  return createHmac('sha1', secret).update(data, 'utf8').digest('base64');
}

/** True when `signature` is the one `secret` gives; constant time. */
export function verifyRequest(secret: string, url: string, params: FormParams, signature: string | undefined): boolean {
  if (!signature) return false;
  const expected = Buffer.from(signRequest(secret, url, params));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
