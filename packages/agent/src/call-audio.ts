/**
 * The agent's call audio as the panel drives it: the station attached after
 * every hello, ringing while a call is offered, and the call quality
 * reported to the host every few seconds while a call is in progress.
 */
import type { CallQuality, Interaction } from '@parley/protocol';
import type { VoiceLike } from './voice.ts';

/** How often the host hears the call quality while a call is in progress. */
export const QUALITY_EVERY_MS = 5000;

export interface CallAudioHooks {
  /** The station is connected, or cannot be. */
  audio(state: 'connected' | 'unavailable'): void;
  /** A quality sample for a call in progress. */
  quality(value: CallQuality, interaction: Interaction): void;
  /** The agent's interactions now. */
  interactions(): readonly Interaction[];
}

export class CallAudio {
  readonly #voice: VoiceLike | undefined;
  readonly #hooks: CallAudioHooks;
  #qualityTimer: ReturnType<typeof setInterval> | null = null;

  constructor(voice: VoiceLike | undefined, hooks: CallAudioHooks) {
    this.#voice = voice;
    this.#hooks = hooks;
  }

  /** (Re)connects the station; `offer` carries the SDP offer to the server and returns its answer. */
  attach(offer: ((sdp: string) => Promise<string>) | null): void {
    if (!this.#voice || !offer) return;
    this.#voice
      .attach(offer)
      .then(() => this.#hooks.audio('connected'))
      .catch((err: unknown) => {
        this.#hooks.audio('unavailable');
        console.warn('[parley] call audio is unavailable:', err instanceof Error ? err.message : err);
      });
  }

  /** Rings while a call is offered, and reports call quality while one is in progress. */
  follow(): void {
    const voice = this.#voice;
    if (!voice) return;
    const calls = this.#hooks.interactions().filter((i) => i.channel_type === 'phone');
    voice.ring(calls.some((i) => i.direction === 'inbound' && i.state === 'alerting'));
    const talking = calls.some((i) => i.state === 'accepted' || i.state === 'held');
    if (talking && !this.#qualityTimer) {
      this.#qualityTimer = setInterval(() => void this.#report(), QUALITY_EVERY_MS);
    } else if (!talking) this.#stopReports();
  }

  close(): void {
    this.#voice?.close();
    this.#stopReports();
  }

  #stopReports(): void {
    if (this.#qualityTimer) clearInterval(this.#qualityTimer);
    this.#qualityTimer = null;
  }

  async #report(): Promise<void> {
    const quality = await this.#voice?.quality().catch(() => null);
    if (!quality) return;
    for (const interaction of this.#hooks.interactions())
      if (interaction.channel_type === 'phone' && interaction.state === 'accepted')
        this.#hooks.quality(quality, interaction);
  }
}
