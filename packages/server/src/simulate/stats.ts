/**
 * What a simulation run counts, and the small helpers its parties use:
 * the tones they speak in and listening for the other side's.
 */
import type { Softphone } from '../media/index.ts';

/** The tones the simulated parties speak in, so each side can tell it hears the other. */
export const AGENT_TONE_HZ = 1000;
export const CALLER_TONE_HZ = 2200;
/** Goertzel power above which a tone counts as heard (the tests' threshold). */
const HEARD = 1e5;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether `phone` hears a tone at `hz` at some point before `until` settles (checked every 200 ms). */
export async function listen(phone: Softphone, hz: number, until: Promise<unknown>): Promise<boolean> {
  let done = false;
  const stop = () => {
    done = true;
  };
  until.then(stop, stop);
  let heard = false;
  while (!done && !heard) {
    await Promise.race([until, sleep(200)]);
    heard = phone.level(hz, 400) > HEARD;
  }
  return heard;
}
export const quantile = (sorted: readonly number[], q: number): number | null =>
  sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? null) : null;

export class Stats {
  arrivals = { chat: 0, sms: 0, email: 0, call: 0 };
  handled = 0;
  transferred = 0;
  held = 0;
  connected = 0;
  callerHeardAgent = 0;
  agentHeardCaller = 0;
  abandoned = 0;
  customerMessages = 0;
  agentMessages = 0;
  waits: number[] = [];
  errors = 0;
  samples: string[] = [];
  get total() {
    return this.arrivals.chat + this.arrivals.sms + this.arrivals.email + this.arrivals.call;
  }
  error(what: string) {
    this.errors += 1;
    if (this.samples.length < 10) this.samples.push(what);
  }
}
