/**
 * Applies a {@link Plan} to live legs. A leg that hears exactly one other
 * leg gets its packets relayed the moment they arrive — the same G.711
 * bytes, no transcoding, no added delay. Everything else (conferences, hold
 * music, tones on top of a voice, recordings) is decoded, mixed and encoded
 * on a 20 ms clock.
 */
import { FRAME, clip, holdMusic, mixInto, type ToneLoop } from './dsp.ts';
import { SILENCE_BYTE, decode, encode, type G711Codec } from './g711.ts';
import type { Leg } from './leg.ts';
import type { Hearing, Plan } from './plan.ts';

/** How much audio a leg may queue for the mixer before the oldest is dropped (60 ms). */
const MAX_QUEUED = FRAME * 3;

interface LegState {
  readonly leg: Leg;
  /** Decoded samples waiting for the next tick. */
  queue: Int16Array;
  queued: number;
  /** This tick's 20 ms from the leg (null when it sent nothing). */
  current: Int16Array | null;
  hearing: Hearing | null;
  music: ToneLoop | null;
  /** Frames to play on top of whatever the leg hears (DTMF). */
  readonly overlay: Int16Array[];
}

/** A sink of mixed audio (a recording), fed every 20 ms while it lasts. */
export interface MixSink {
  /** The legs whose voices go in. */
  parties: readonly string[];
  write(pcm: Int16Array): void;
}

export interface MixerStats {
  relayed: number;
  mixed: number;
  ticks: number;
  /** Ticks that ran more than 40 ms late. */
  late: number;
}

export class Mixer {
  readonly #legs = new Map<string, LegState>();
  readonly #sinks = new Set<MixSink>();
  #plan: Plan = new Map();
  /** Per source leg, the listeners that hear only it: its packets go to them as they arrive. */
  #relayTo = new Map<string, LegState[]>();
  /** Legs some listener hears in a mix: their audio is decoded for the 20 ms clock. */
  #mixed = new Set<string>();
  #timer: NodeJS.Timeout | null = null;
  #next = 0;
  readonly stats: MixerStats = { relayed: 0, mixed: 0, ticks: 0, late: 0 };

  /** Starts the 20 ms clock (idempotent). */
  start(): void {
    if (this.#timer) return;
    this.#next = performance.now();
    this.#schedule();
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #schedule(): void {
    this.#next += 20;
    const delay = Math.max(0, this.#next - performance.now());
    this.#timer = setTimeout(() => {
      const lag = performance.now() - this.#next;
      if (lag > 40) this.stats.late++;
      // Far behind (a stalled event loop): start afresh rather than bursting.
      if (lag > 200) this.#next = performance.now();
      this.tick();
      this.#schedule();
    }, delay);
    this.#timer.unref();
  }

  add(leg: Leg): void {
    const state: LegState = {
      leg,
      queue: new Int16Array(MAX_QUEUED + FRAME * 4),
      queued: 0,
      current: null,
      hearing: this.#plan.get(leg.id) ?? null,
      music: null,
      overlay: [],
    };
    this.#legs.set(leg.id, state);
    leg.onFrame = (payload, codec) => this.#arrive(state, payload, codec);
    this.#index();
  }

  remove(legId: string): void {
    const state = this.#legs.get(legId);
    if (state) state.leg.onFrame = null;
    this.#legs.delete(legId);
    this.#index();
  }

  has(legId: string): boolean {
    return this.#legs.has(legId);
  }

  setPlan(plan: Plan): void {
    this.#plan = plan;
    for (const [id, state] of this.#legs) {
      state.hearing = plan.get(id) ?? null;
      if (state.hearing?.music) state.music ??= holdMusic();
      else state.music = null;
    }
    this.#index();
  }

  /** Rebuilds who relays to whom and what is mixed, when the plan or the legs change (not per packet). */
  #index(): void {
    this.#relayTo = new Map();
    this.#mixed = new Set();
    for (const listener of this.#legs.values()) {
      const h = listener.hearing;
      if (!h) continue;
      const only = !h.music && h.sources.length === 1 ? h.sources[0] : undefined;
      if (only !== undefined) this.#relayTo.set(only, [...(this.#relayTo.get(only) ?? []), listener]);
      else for (const id of h.sources) this.#mixed.add(id);
    }
  }

  /** Plays frames on top of what the leg hears (in-band DTMF toward it). */
  overlay(legId: string, frames: readonly Int16Array[]): void {
    this.#legs.get(legId)?.overlay.push(...frames);
  }

  addSink(sink: MixSink): void {
    this.#sinks.add(sink);
  }

  removeSink(sink: MixSink): void {
    this.#sinks.delete(sink);
  }

  #arrive(state: LegState, payload: Buffer, codec: G711Codec): void {
    const id = state.leg.id;
    // Relay at once to every leg that hears only this one (unless tones play over it: then the clock mixes).
    let toneOver = false;
    for (const listener of this.#relayTo.get(id) ?? []) {
      if (listener.overlay.length > 0) {
        toneOver = true;
        continue;
      }
      listener.leg.send(codec === listener.leg.codec ? payload : encode(listener.leg.codec, decode(codec, payload)));
      this.stats.relayed++;
    }
    // Decoded only when something mixes or records it; the oldest is dropped beyond 60 ms.
    if (!toneOver && !this.#mixed.has(id) && ![...this.#sinks].some((sink) => sink.parties.includes(id))) return;
    const pcm = decode(codec, payload);
    if (state.queued + pcm.length > MAX_QUEUED) {
      const drop = Math.min(state.queued, state.queued + pcm.length - MAX_QUEUED);
      state.queue.copyWithin(0, drop, state.queued);
      state.queued -= drop;
    }
    state.queue.set(pcm.subarray(0, state.queue.length - state.queued), state.queued);
    state.queued = Math.min(state.queue.length, state.queued + pcm.length);
  }

  /** One 20 ms step: mixes for every leg that needs it, and feeds the sinks. Exposed for tests and benches. */
  tick(): void {
    this.stats.ticks++;
    for (const state of this.#legs.values()) {
      if (state.queued >= FRAME) {
        state.current = state.queue.slice(0, FRAME);
        state.queue.copyWithin(0, FRAME, state.queued);
        state.queued -= FRAME;
      } else state.current = null;
    }
    const acc = new Int32Array(FRAME);
    for (const state of this.#legs.values()) {
      const h = state.hearing;
      if (!h) continue;
      const relayed = !h.music && h.sources.length === 1 && state.overlay.length === 0;
      if (relayed) continue;
      acc.fill(0);
      let any = false;
      for (const id of h.sources) {
        const frame = this.#legs.get(id)?.current;
        if (frame) {
          mixInto(acc, frame);
          any = true;
        }
      }
      if (state.music) {
        mixInto(acc, state.music.next());
        any = true;
      }
      const over = state.overlay.shift();
      if (over) {
        mixInto(acc, over);
        any = true;
      }
      // Silence keeps the stream (and the far end's jitter buffer) going while nothing is heard.
      state.leg.send(any ? encode(state.leg.codec, clip(acc)) : Buffer.alloc(FRAME, SILENCE_BYTE[state.leg.codec]));
      this.stats.mixed++;
    }
    for (const sink of this.#sinks) {
      acc.fill(0);
      for (const id of sink.parties) {
        const frame = this.#legs.get(id)?.current;
        if (frame) mixInto(acc, frame);
      }
      sink.write(clip(acc));
    }
  }
}
