/**
 * The agent's audio: one WebRTC leg to the server (the agent's "station"),
 * made after each `hello` and kept across calls; the ring tone; and call
 * quality from WebRTC stats. Browser-only; the panel's controller drives it
 * through {@link VoiceLike} so it stays testable in Node. The panel plays
 * the far end itself; a headless host takes the track (`onTrack`) and plays
 * it where it likes.
 */

export interface CallQuality {
  /** Round-trip time to the server, ms (null until known). */
  readonly rtt_ms: number | null;
  /** Jitter of the audio received, ms. */
  readonly jitter_ms: number | null;
  /** Share of audio packets lost, 0–1. */
  readonly packet_loss: number | null;
  readonly packets_received: number;
}

export interface VoiceLike {
  /** (Re)connects the station: `offer` carries the SDP offer to the server and returns its answer. */
  attach(offer: (sdp: string) => Promise<string>): Promise<void>;
  ring(on: boolean): void;
  quality(): Promise<CallQuality | null>;
  close(): void;
}

/** Routes an element's or an AudioContext's output to a device, where the browser can (`setSinkId`); else it stays on the default. */
export async function sinkTo(target: object | null, deviceId: string): Promise<void> {
  const sink = target as { setSinkId?: (id: string) => Promise<void> } | null;
  if (typeof sink?.setSinkId !== 'function') return;
  await sink.setSinkId(deviceId).catch(() => undefined);
}

/** How long ICE gathering may take before the offer goes with what it has. */
const GATHER_MS = 2000;

export interface VoiceOptions {
  /** Play the far end in a hidden `<audio>` of the page (the panel); false leaves it to `onTrack`. */
  readonly play?: boolean;
  /** The far end's audio track, on every (re)connection of the station. */
  readonly onTrack?: (track: MediaStreamTrack) => void;
}

export class Voice implements VoiceLike {
  #pc: RTCPeerConnection | null = null;
  #mic: MediaStream | null = null;
  #audio: HTMLAudioElement | null = null;
  #ringer: { ctx: AudioContext; stop: () => void } | null = null;
  #attempt = 0;
  #deviceId: string | undefined;
  #outputId: string | undefined;
  #ringerId: string | undefined;
  #micOn = true;
  readonly #options: VoiceOptions;

  constructor(options: VoiceOptions = {}) {
    this.#options = options;
  }

  /** The microphone track sent to the server, once the station is up. */
  get micTrack(): MediaStreamTrack | null {
    return this.#mic?.getAudioTracks()[0] ?? null;
  }

  /** Turns the microphone off or on in the page (the far end hears silence). */
  setMicEnabled(on: boolean): void {
    this.#micOn = on;
    for (const t of this.#mic?.getAudioTracks() ?? []) t.enabled = on;
  }

  /** Switches the microphone to another input device, in the call too. */
  async setInputDevice(deviceId: string): Promise<void> {
    const mic = await navigator.mediaDevices.getUserMedia({ audio: this.#constraints(deviceId) });
    const track = mic.getAudioTracks()[0];
    if (!track) throw new Error('that device gave no audio track');
    track.enabled = this.#micOn;
    this.#deviceId = deviceId;
    const sender = this.#pc?.getSenders().find((s) => s.track?.kind === 'audio');
    if (sender) await sender.replaceTrack(track);
    for (const t of this.#mic?.getTracks() ?? []) t.stop();
    this.#mic = mic;
  }

  /** Plays the far end on this output device (`''`: the system default). */
  async setOutputDevice(deviceId: string): Promise<void> {
    this.#outputId = deviceId;
    await sinkTo(this.#audio, deviceId);
  }

  /** Rings on this output device (`''`: the system default), e.g. loudspeakers while calls go to a headset. */
  setRingerDevice(deviceId: string): void {
    this.#ringerId = deviceId;
  }

  #constraints(deviceId: string | undefined): MediaTrackConstraints {
    return { echoCancellation: true, noiseSuppression: true, ...(deviceId ? { deviceId: { exact: deviceId } } : {}) };
  }

  async attach(offer: (sdp: string) => Promise<string>): Promise<void> {
    const attempt = ++this.#attempt;
    this.#pc?.close();
    this.#pc = null;
    this.#mic ??= await navigator.mediaDevices.getUserMedia({ audio: this.#constraints(this.#deviceId) });
    this.setMicEnabled(this.#micOn);
    if (attempt !== this.#attempt) return;
    const pc = new RTCPeerConnection();
    this.#pc = pc;
    for (const track of this.#mic.getAudioTracks()) pc.addTrack(track, this.#mic);
    pc.ontrack = (e) => {
      this.#options.onTrack?.(e.track);
      if (this.#options.play === false) return;
      if (!this.#audio) {
        this.#audio = document.createElement('audio');
        this.#audio.autoplay = true;
        this.#audio.dataset['parley'] = 'call-audio';
        this.#audio.hidden = true;
        document.body.append(this.#audio);
      }
      this.#audio.srcObject = e.streams[0] ?? new MediaStream([e.track]);
      if (this.#outputId) void sinkTo(this.#audio, this.#outputId);
      void this.#audio.play().catch(() => undefined);
    };
    await pc.setLocalDescription(await pc.createOffer());
    await new Promise<void>((resolve) => {
      if (pc.iceGatheringState === 'complete') return resolve();
      const timer = setTimeout(resolve, GATHER_MS);
      pc.addEventListener('icegatheringstatechange', () => {
        if (pc.iceGatheringState === 'complete') {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const sdp = pc.localDescription?.sdp ?? '';
    const answer = await offer(sdp);
    if (attempt !== this.#attempt) return;
    await pc.setRemoteDescription({ type: 'answer', sdp: answer });
  }

  /** The North American ring (440 + 480 Hz, 2 s on, 4 s off), generated in the page. */
  ring(on: boolean): void {
    if (!on) {
      this.#ringer?.stop();
      this.#ringer = null;
      return;
    }
    if (this.#ringer) return;
    const ctx = new AudioContext();
    if (this.#ringerId) void sinkTo(ctx, this.#ringerId);
    const gain = ctx.createGain();
    gain.gain.value = 0;
    gain.connect(ctx.destination);
    const oscillators = [440, 480].map((f) => {
      const o = ctx.createOscillator();
      o.frequency.value = f;
      o.connect(gain);
      o.start();
      return o;
    });
    const cadence = () => {
      const t = ctx.currentTime;
      gain.gain.setValueAtTime(0.08, t);
      gain.gain.setValueAtTime(0, t + 2);
    };
    cadence();
    const timer = setInterval(cadence, 6000);
    this.#ringer = {
      ctx,
      stop: () => {
        clearInterval(timer);
        for (const o of oscillators) o.stop();
        void ctx.close();
      },
    };
  }

  async quality(): Promise<CallQuality | null> {
    const pc = this.#pc;
    if (!pc) return null;
    const stats = await pc.getStats();
    let rtt: number | null = null;
    let jitter: number | null = null;
    let received = 0;
    let lost = 0;
    stats.forEach((s: Record<string, unknown>) => {
      if (s['type'] === 'candidate-pair' && s['nominated'] && typeof s['currentRoundTripTime'] === 'number')
        rtt = (s['currentRoundTripTime'] as number) * 1000;
      if (s['type'] === 'remote-inbound-rtp' && typeof s['roundTripTime'] === 'number' && rtt === null)
        rtt = (s['roundTripTime'] as number) * 1000;
      if (s['type'] === 'inbound-rtp' && s['kind'] === 'audio') {
        jitter = typeof s['jitter'] === 'number' ? (s['jitter'] as number) * 1000 : null;
        received = Number(s['packetsReceived'] ?? 0);
        lost = Math.max(0, Number(s['packetsLost'] ?? 0));
      }
    });
    return {
      rtt_ms: rtt === null ? null : Math.round((rtt as number) * 10) / 10,
      jitter_ms: jitter === null ? null : Math.round((jitter as number) * 10) / 10,
      packet_loss: received + lost > 0 ? Math.round((lost / (received + lost)) * 1000) / 1000 : null,
      packets_received: received,
    };
  }

  close(): void {
    this.#attempt++;
    this.#pc?.close();
    this.#pc = null;
    for (const t of this.#mic?.getTracks() ?? []) t.stop();
    this.#mic = null;
    this.#audio?.remove();
    this.#audio = null;
    this.ring(false);
  }
}
