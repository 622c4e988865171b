import { describe, expect, it } from 'vitest';
import { FRAME, ToneLoop, clip, detectDtmf, dtmfFrames, goertzel, holdMusic, mixInto } from './dsp.ts';
import { decode, encode } from './g711.ts';

function sine(freq: number, n: number, amp = 8000): Int16Array {
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.round(Math.sin((2 * Math.PI * freq * i) / 8000) * amp);
  return out;
}

describe('G.711', () => {
  it.each(['pcmu', 'pcma'] as const)('%s round-trips within its quantisation step', (codec) => {
    const pcm = sine(440, 800, 20000);
    const back = decode(codec, encode(codec, pcm));
    for (let i = 0; i < pcm.length; i++) {
      const v = pcm[i] ?? 0;
      expect(Math.abs((back[i] ?? 0) - v)).toBeLessThanOrEqual(Math.max(16, Math.abs(v) / 16));
    }
  });

  it('knows the reference values of G.711', () => {
    expect([...encode('pcmu', new Int16Array([0, -1, 32767, -32768]))]).toEqual([0xff, 0x7f, 0x80, 0x00]);
    expect([...encode('pcma', new Int16Array([0, 32767, -32768]))]).toEqual([0xd5, 0xaa, 0x2a]);
    expect(decode('pcmu', new Uint8Array([0xff, 0x00]))[1]).toBe(-32124);
  });
});

describe('tones', () => {
  it('finds a tone that is there and not one that is not', () => {
    const s = sine(1000, 800);
    expect(goertzel(s, 1000)).toBeGreaterThan(goertzel(s, 440) * 1000);
  });

  it('detects every DTMF key it generates, after G.711', () => {
    for (const key of '0123456789*#ABCD') {
      const frames = dtmfFrames(key).slice(0, 5);
      const pcm = new Int16Array(frames.length * FRAME);
      frames.forEach((f, i) => pcm.set(f, i * FRAME));
      expect(detectDtmf(decode('pcmu', encode('pcmu', pcm)))).toBe(key);
    }
    expect(detectDtmf(sine(440, 800))).toBeNull();
    expect(detectDtmf(new Int16Array(800))).toBeNull();
  });

  it('hold music is audible and stays below 450 Hz', () => {
    const music = holdMusic();
    const pcm = new Int16Array(FRAME * 50);
    for (let i = 0; i < 50; i++) pcm.set(music.next(), i * FRAME);
    const low = [262, 330, 392].reduce((n, f) => n + goertzel(pcm, f), 0);
    expect(low).toBeGreaterThan(100 * (goertzel(pcm, 1000) + goertzel(pcm, 697) + goertzel(pcm, 1209)));
  });

  it('mixes by adding and clips at 16 bits', () => {
    const acc = new Int32Array(4);
    mixInto(acc, new Int16Array([30000, -30000, 5, 0]));
    mixInto(acc, new Int16Array([30000, -30000, 5, 0]));
    expect([...clip(acc)]).toEqual([32767, -32768, 10, 0]);
  });

  it('loops its steps', () => {
    const loop = new ToneLoop([
      [[1000], 20],
      [[], 20],
    ]);
    const a = loop.next();
    const quiet = loop.next();
    const b = loop.next();
    expect(goertzel(a, 1000)).toBeGreaterThan(1e5);
    expect(Math.max(...quiet.map(Math.abs))).toBe(0);
    expect(goertzel(b, 1000)).toBeGreaterThan(1e5);
  });
});
