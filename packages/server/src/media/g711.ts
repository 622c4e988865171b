/**
 * G.711 µ-law (PCMU) and A-law (PCMA) codecs (ITU-T G.711), by table: a
 * call's audio is decoded to 16-bit PCM only where it is mixed (conference,
 * hold music, recording); a two-party call is relayed as it arrives.
 */

export type G711Codec = 'pcmu' | 'pcma';

function linearToUlaw(sample: number): number {
  const BIAS = 0x84;
  const CLIP = 32635;
  let s = sample;
  const sign = s < 0 ? 0x80 : 0;
  if (sign) s = -s;
  if (s > CLIP) s = CLIP;
  s += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; exponent--, mask >>= 1);
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

function ulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  const t = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
  return u & 0x80 ? 0x84 - t : t - 0x84;
}

function linearToAlaw(sample: number): number {
  let s = sample >> 3;
  let mask: number;
  if (s >= 0) mask = 0xd5;
  else {
    mask = 0x55;
    s = -s - 1;
  }
  const ends = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];
  let seg = 0;
  while (seg < 8 && s > (ends[seg] ?? 0)) seg++;
  if (seg >= 8) return 0x7f ^ mask;
  const aval = (seg << 4) | (seg < 2 ? (s >> 1) & 0x0f : (s >> seg) & 0x0f);
  return aval ^ mask;
}

function alawToLinear(byte: number): number {
  const a = byte ^ 0x55;
  let t = (a & 0x0f) << 4;
  const seg = (a & 0x70) >> 4;
  if (seg === 0) t += 8;
  else if (seg === 1) t += 0x108;
  else t = (t + 0x108) << (seg - 1);
  return a & 0x80 ? t : -t;
}

const DECODE: Record<G711Codec, Int16Array> = { pcmu: new Int16Array(256), pcma: new Int16Array(256) };
const ENCODE: Record<G711Codec, Uint8Array> = { pcmu: new Uint8Array(65536), pcma: new Uint8Array(65536) };
for (let b = 0; b < 256; b++) {
  DECODE.pcmu[b] = ulawToLinear(b);
  DECODE.pcma[b] = alawToLinear(b);
}
for (let s = -32768; s < 32768; s++) {
  ENCODE.pcmu[s & 0xffff] = linearToUlaw(s);
  ENCODE.pcma[s & 0xffff] = linearToAlaw(s);
}

/** Decodes G.711 bytes into 16-bit PCM (`out` is reused when given). */
export function decode(codec: G711Codec, bytes: Uint8Array, out = new Int16Array(bytes.length)): Int16Array {
  const table = DECODE[codec];
  for (let i = 0; i < bytes.length; i++) out[i] = table[bytes[i] ?? 0xff] ?? 0;
  return out;
}

/** Encodes 16-bit PCM into G.711 bytes, clipping what does not fit. */
export function encode(codec: G711Codec, pcm: Int16Array | Int32Array | Float64Array): Buffer {
  const table = ENCODE[codec];
  const out = Buffer.allocUnsafe(pcm.length);
  for (let i = 0; i < pcm.length; i++) {
    const v = Math.max(-32768, Math.min(32767, Math.round(pcm[i] ?? 0)));
    out[i] = table[v & 0xffff] ?? 0;
  }
  return out;
}

/** The byte a codec uses for silence. */
export const SILENCE_BYTE: Record<G711Codec, number> = { pcmu: 0xff, pcma: 0xd5 };

/** The RTP payload types of RFC 3551. */
export const PAYLOAD_TYPE: Record<G711Codec, number> = { pcmu: 0, pcma: 8 };
