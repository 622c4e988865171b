/**
 * `agent.audio`: the headless client's voice station in the host page. One
 * WebRTC leg to the server carries every call of the agent (as the panel's
 * does); the host gets the far end's `MediaStreamTrack` and plays it where
 * it likes (or lets the client play it), and controls the microphone in the
 * page: mute, unmute, the input device. Muting here silences the mic at the
 * source; `agent.mute()` mutes the call on the server and shows in the
 * interaction's `muted`.
 */
import { Emitter } from '@parley/protocol';
import { CommandError } from './errors.ts';
import { Voice, type VoiceOptions } from './voice.ts';

/** `off` until started; `unavailable` when the browser gave no microphone or the server no answer. */
export type AudioState = 'off' | 'connecting' | 'connected' | 'unavailable';

export interface AgentAudioEvents {
  /** The far end's audio track, on every (re)connection of the station. */
  track: (track: MediaStreamTrack) => void;
  state: (state: AudioState) => void;
}

/** What the audio needs of the station (the Voice class in browsers; tests pass their own). */
export interface StationLike {
  attach(offer: (sdp: string) => Promise<string>): Promise<void>;
  setMicEnabled(on: boolean): void;
  setInputDevice(deviceId: string): Promise<void>;
  close(): void;
}

export class AgentAudio extends Emitter<AgentAudioEvents> {
  readonly #offer: () => ((sdp: string) => Promise<string>) | null;
  readonly #make: (options: VoiceOptions) => StationLike;
  #station: StationLike | null = null;
  #state: AudioState = 'off';
  #track: MediaStreamTrack | null = null;
  #muted = false;

  constructor(
    offer: () => ((sdp: string) => Promise<string>) | null,
    make: (options: VoiceOptions) => StationLike = (options) => new Voice(options),
  ) {
    super();
    this.#offer = offer;
    this.#make = make;
  }

  get state(): AudioState {
    return this.#state;
  }
  /** The far end's audio (the caller, hold music, the consulted agent), or null before the station is up. */
  get track(): MediaStreamTrack | null {
    return this.#track;
  }
  /** Whether the microphone is off in the page. */
  get muted(): boolean {
    return this.#muted;
  }

  /**
   * Asks for the microphone and connects the station; resolves once it is
   * up. `play: true` lets the client play the far end in a hidden `<audio>`;
   * by default the host plays `track` (the `track` event hands it over).
   */
  async start(options: { play?: boolean } = {}): Promise<void> {
    if (this.#station && this.#state === 'connected') return;
    if (typeof RTCPeerConnection === 'undefined' || typeof navigator === 'undefined' || !navigator.mediaDevices)
      throw new CommandError(
        'unsupported',
        'This page cannot make WebRTC calls (no RTCPeerConnection or microphone API).',
      );
    this.#station ??= this.#make({
      play: options.play === true,
      onTrack: (track) => {
        this.#track = track;
        this.emit('track', track);
      },
    });
    await this.#attach();
  }

  /** Connects the station again after the agent socket reconnected (the server drops it with the old one). */
  reattach(): void {
    if (this.#station) void this.#attach().catch(() => undefined);
  }

  async #attach(): Promise<void> {
    const station = this.#station;
    const offer = this.#offer();
    if (!station) return;
    if (!offer) throw new CommandError('unreachable', 'The agent socket is not open; the station connects once it is.');
    this.#setState('connecting');
    try {
      await station.attach(offer);
      station.setMicEnabled(!this.#muted);
      this.#setState('connected');
    } catch (err) {
      this.#setState('unavailable');
      const why = err instanceof Error ? err.message : String(err);
      throw new CommandError(
        'unreachable',
        `The voice station could not connect: ${why}. Allow the microphone and retry.`,
      );
    }
  }

  /** Turns the microphone off in the page. */
  mute(): void {
    this.#muted = true;
    this.#station?.setMicEnabled(false);
  }
  unmute(): void {
    this.#muted = false;
    this.#station?.setMicEnabled(true);
  }

  /** The microphones the browser offers (labels once the page may use the mic). */
  async inputs(): Promise<Array<{ deviceId: string; label: string }>> {
    if (typeof navigator === 'undefined' || !navigator.mediaDevices) return [];
    const devices = await navigator.mediaDevices.enumerateDevices();
    return devices.filter((d) => d.kind === 'audioinput').map((d) => ({ deviceId: d.deviceId, label: d.label }));
  }

  /** Switches the microphone, in a call too. */
  async setInputDevice(deviceId: string): Promise<void> {
    if (!this.#station) throw new CommandError('invalid_state', 'Start the audio first (agent.audio.start()).');
    try {
      await this.#station.setInputDevice(deviceId);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new CommandError('invalid_argument', `No usable microphone ${JSON.stringify(deviceId)}: ${why}.`);
    }
  }

  /** Closes the station: calls of this agent are heard on another of their clients, or wait for one. */
  stop(): void {
    this.#station?.close();
    this.#station = null;
    this.#track = null;
    this.#setState('off');
  }

  #setState(state: AudioState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.emit('state', state);
  }
}
