/**
 * Real audio for journeys: Chromium with a fake microphone that plays a
 * known tone, and WebAudio analysis of what an `<audio>` element plays, so a
 * test can tell who hears whom (voice.e2e.ts, webex.e2e.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { wavHeader } from '@parley/server/wav';
import type { Browser, Frame, Page } from 'playwright-core';
import { expect } from 'vitest';
import { launchChromium } from './browser.ts';

export const AGENT_HZ = 1000;
export const CUSTOMER_HZ = 2200;
export const CONSULTANT_HZ = 2800;
/** Hold music's notes (dsp.ts). */
export const MUSIC_HZ = [261.63, 329.63, 392.0];
/** Above this a tone is there; below ABSENT it is not (dBFS of one FFT bin; G.711 noise under hold music reaches about -80). */
export const PRESENT = -65;
export const ABSENT = -72;

/** A two-second sine at 48 kHz for Chromium's fake microphone (it loops the file). */
export function toneWav(freq: number): string {
  const rate = 48000;
  const data = Buffer.alloc(rate * 2 * 2);
  for (let i = 0; i < rate * 2; i++)
    data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * freq * i) / rate) * 9000), i * 2);
  const file = path.join(os.tmpdir(), `parley-tone-${freq}.wav`);
  fs.writeFileSync(file, Buffer.concat([wavHeader(data.length, rate), data]));
  return file;
}

export function launchWithTone(freq: number): Promise<Browser> {
  return launchChromium([
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-audio-capture=${toneWav(freq)}`,
    '--autoplay-policy=no-user-gesture-required',
  ]);
}

/**
 * The loudest level (dBFS) at each frequency in what the element `selector`
 * plays, over `ms`. Peaks, so a 100 ms DTMF tone inside the window counts.
 */
export async function listen(
  target: Page | Frame,
  selector: string,
  freqs: readonly number[],
  ms = 800,
): Promise<number[]> {
  return target.evaluate(
    async ([sel, fs, duration]) => {
      const el = document.querySelector(sel) as HTMLAudioElement | null;
      const stream = el?.srcObject as MediaStream | null;
      if (!stream) return fs.map(() => -Infinity);
      const w = window as unknown as { __ctx?: AudioContext };
      const ctx = (w.__ctx ??= new AudioContext());
      await ctx.resume();
      const src = ctx.createMediaStreamSource(stream);
      const analyser = ctx.createAnalyser();
      analyser.fftSize = 4096;
      analyser.smoothingTimeConstant = 0;
      src.connect(analyser);
      const bins = new Float32Array(analyser.frequencyBinCount);
      const peak = fs.map(() => -Infinity);
      const end = performance.now() + duration;
      while (performance.now() < end) {
        await new Promise((r) => setTimeout(r, 20));
        analyser.getFloatFrequencyData(bins);
        fs.forEach((f, i) => {
          const k = Math.round((f * analyser.fftSize) / ctx.sampleRate);
          peak[i] = Math.max(
            peak[i] ?? -Infinity,
            bins[k - 1] ?? -Infinity,
            bins[k] ?? -Infinity,
            bins[k + 1] ?? -Infinity,
          );
        });
      }
      src.disconnect();
      return peak;
    },
    [selector, freqs, ms] as const,
  );
}

/** Waits until `target` hears (or does not hear) `freq`. */
export async function hears(target: () => Page | Frame, selector: string, freq: number, yes: boolean): Promise<void> {
  const level = expect.poll(async () => (await listen(target(), selector, [freq], 600))[0] ?? -Infinity, {
    timeout: 10_000,
    interval: 100,
  });
  if (yes) await level.toBeGreaterThan(PRESENT);
  else await level.toBeLessThan(ABSENT);
}

/** A virtual PSTN phone page with its own number, in a fresh context of `browser`. */
export async function phonePage(browser: Browser, baseUrl: string, number: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${baseUrl}phone?number=${encodeURIComponent(number)}`);
  await expect.poll(() => page.evaluate(() => document.body.dataset['number'])).toBe(number);
  return page;
}

/** What the virtual phone plays. */
export const PHONE_AUDIO = 'audio[data-parley=phone-audio]';
