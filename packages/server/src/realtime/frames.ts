/** Reading a client's frame on any of the gateways: one JSON text frame of a bounded size. */
import { MAX_CLIENT_FRAME_BYTES } from '@parley/protocol';

/** The parsed JSON, or why the frame breaks the protocol (the socket closes with that reason). */
export function readJsonFrame(
  raw: unknown,
  isBinary: boolean,
): { readonly ok: true; readonly data: unknown } | { readonly ok: false; readonly reason: string } {
  const text = Buffer.isBuffer(raw)
    ? raw.toString('utf8')
    : Array.isArray(raw)
      ? Buffer.concat(raw as Buffer[]).toString('utf8')
      : '';
  if (isBinary || text.length === 0 || text.length > MAX_CLIENT_FRAME_BYTES)
    return { ok: false, reason: 'expected a JSON text frame' };
  try {
    return { ok: true, data: JSON.parse(text) };
  } catch {
    return { ok: false, reason: 'frames must be JSON' };
  }
}
