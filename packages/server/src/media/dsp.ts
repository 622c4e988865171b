/**
 * Audio arithmetic for the media plane, on 8 kHz 16-bit PCM in 20 ms frames
 * (160 samples): tones (hold music, DTMF, ring-back), mixing, and the
 * Goertzel filter that tells whether a frequency is present.
 */

export const SAMPLE_RATE = 8000;
/** Samples in one 20 ms packet. */
export const FRAME = 160;

/** The DTMF keys and their (low, high) frequencies (ITU-T Q.23). */
export const DTMF_FREQUENCIES: Readonly<Record<string, readonly [number, number]>> = {
  '1': [697, 1209],
  '2': [697, 1336],
  '3': [697, 1477],
  A: [697, 1633],
  '4': [770, 1209],
  '5': [770, 1336],
  '6': [770, 1477],
  B: [770, 1633],
  '7': [852, 1209],
  '8': [852, 1336],
  '9': [852, 1477],
  C: [852, 1633],
  '*': [941, 1209],
  '0': [941, 1336],
  '#': [941, 1477],
  D: [941, 1633],
};

/** RFC 4733 event codes: 0–9, *, #, A–D. */
export const DTMF_EVENTS = '0123456789*#ABCD';

/**
 * An endless source of frames: a sequence of tones, each `[frequencies, ms]`
 * (an empty list is a pause), played in a loop.
 */
export class ToneLoop {
  readonly #steps: ReadonlyArray<{ freqs: readonly number[]; samples: number; level: number }>;
  readonly #total: number;
  #t = 0;

  constructor(steps: ReadonlyArray<readonly [readonly number[], number]>, level = 6000) {
    this.#steps = steps.map(([freqs, ms]) => ({ freqs, samples: Math.round((ms * SAMPLE_RATE) / 1000), level }));
    this.#total = this.#steps.reduce((n, s) => n + s.samples, 0);
  }

  /** The next 20 ms. */
  next(out = new Int16Array(FRAME)): Int16Array {
    for (let i = 0; i < out.length; i++, this.#t = (this.#t + 1) % this.#total) {
      let at = this.#t;
      let value = 0;
      for (const step of this.#steps) {
        if (at < step.samples) {
          // A short fade at both ends keeps the steps from clicking.
          const edge = Math.min(1, at / 40, (step.samples - at) / 40);
          for (const f of step.freqs)
            value += (Math.sin((2 * Math.PI * f * this.#t) / SAMPLE_RATE) * step.level * edge) / step.freqs.length;
          break;
        }
        at -= step.samples;
      }
      out[i] = value;
    }
    return out;
  }
}

/**
 * Hold music: a slow, quiet arpeggio (C major, A minor, F major, G major) —
 * generated, so nothing needs licensing or bundling. Its notes lie between
 * 260 and 400 Hz, well apart from DTMF and the test tones.
 */
export function holdMusic(): ToneLoop {
  const chords = [
    [261.63, 329.63, 392.0],
    [220.0, 261.63, 329.63],
    [174.61, 220.0, 261.63],
    [196.0, 246.94, 293.66],
  ];
  const steps: Array<[number[], number]> = [];
  for (const chord of chords) for (const note of chord) steps.push([[note], 320]);
  return new ToneLoop(steps, 5000);
}

/** Ring-back as a caller hears it while the call waits for an answer (North American cadence). */
export function ringback(): ToneLoop {
  return new ToneLoop([
    [[440, 480], 2000],
    [[], 4000],
  ]);
}

/** The frames of one DTMF key: 100 ms of its two tones, then 60 ms of quiet. */
export function dtmfFrames(key: string): Int16Array[] {
  const pair = DTMF_FREQUENCIES[key.toUpperCase()];
  if (!pair) return [];
  const tone = new ToneLoop([[pair, 100]], 9000);
  const frames: Int16Array[] = [];
  for (let i = 0; i < 5; i++) frames.push(tone.next());
  for (let i = 0; i < 3; i++) frames.push(new Int16Array(FRAME));
  return frames;
}

/** Adds `frame` into the 32-bit accumulator. */
export function mixInto(acc: Int32Array, frame: Int16Array): void {
  for (let i = 0; i < acc.length; i++) acc[i] = (acc[i] ?? 0) + (frame[i] ?? 0);
}

/** Clips an accumulator back to 16 bits. */
export function clip(acc: Int32Array, out = new Int16Array(acc.length)): Int16Array {
  for (let i = 0; i < acc.length; i++) out[i] = Math.max(-32768, Math.min(32767, acc[i] ?? 0));
  return out;
}

/** The power of one frequency in `samples` (Goertzel), normalised by length. */
export function goertzel(samples: ArrayLike<number>, freq: number, rate = SAMPLE_RATE): number {
  const k = (2 * Math.cos((2 * Math.PI * freq) / rate)) as number;
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < samples.length; i++) {
    const s = (samples[i] ?? 0) + k * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  const power = s1 * s1 + s2 * s2 - k * s1 * s2;
  return power / (samples.length * samples.length);
}

/** The mean power of `samples`. */
export function energy(samples: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += (samples[i] ?? 0) ** 2;
  return samples.length === 0 ? 0 : sum / samples.length;
}

/** The DTMF key whose two tones dominate `samples` (at least 40 ms of audio), or null. */
export function detectDtmf(samples: ArrayLike<number>, rate = SAMPLE_RATE): string | null {
  const total = energy(samples);
  if (total < 1e4) return null;
  let best: string | null = null;
  let bestPower = 0;
  for (const [key, [low, high]] of Object.entries(DTMF_FREQUENCIES)) {
    const p = Math.min(goertzel(samples, low, rate), goertzel(samples, high, rate));
    if (p > bestPower) {
      bestPower = p;
      best = key;
    }
  }
  // A pure sine of amplitude A has mean power A²/2 and Goertzel power A²/4: both tones hold most of it.
  return best !== null && bestPower * 4 > total * 0.3 ? best : null;
}
