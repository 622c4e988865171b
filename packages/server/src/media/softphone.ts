/**
 * A softphone in Node, with werift: the browser side of a media leg, for
 * tests and benches. It offers PCMU, plays a tone (or silence) every 20 ms
 * and keeps what it hears, decoded, so a test can ask which frequencies
 * arrived; it can press keys as RFC 4733 events. Not used by the server.
 */
import { RtpHeader, RtpPacket, type MediaStreamTrack, type RTCRtpTransceiver } from 'werift';
import { DTMF_EVENTS, FRAME, ToneLoop, goertzel } from './dsp.ts';
import { decode, encode } from './g711.ts';
import { legPeer } from './leg.ts';

export class Softphone {
  /** Offers PCMU and pins RFC 4733 events at payload type 101, which press() sends. */
  readonly pc = legPeer({ address: '127.0.0.1' }, 101);
  readonly #transceiver: RTCRtpTransceiver;
  readonly #tone: ToneLoop | null;
  /** Everything heard, as 8 kHz samples (the last 30 s). */
  heard: Int16Array = new Int16Array(0);
  #chunks: Int16Array[] = [];
  #timer: NodeJS.Timeout | null = null;
  #seq = 1;
  #ts = 1;
  #closing: Promise<void> | null = null;
  /** Hears every audio packet as it arrives, with its arrival time (latency benches). */
  onPacket: ((payload: Buffer, arrivedAt: number) => void) | null = null;
  received = 0;

  constructor(toneHz: number | null) {
    this.#tone = toneHz === null ? null : new ToneLoop([[[toneHz], 1000]], 8000);
    this.#transceiver = this.pc.addTransceiver('audio', { direction: 'sendrecv' });
    this.#transceiver.onTrack.subscribe((track: MediaStreamTrack) => {
      track.onReceiveRtp.subscribe((rtp) => {
        if (rtp.header.payloadType !== 0) return;
        this.received++;
        this.onPacket?.(rtp.payload, performance.now());
        this.#chunks.push(decode('pcmu', rtp.payload));
        if (this.#chunks.length > 1500) this.#chunks.shift();
      });
    });
  }

  /** The complete offer (all candidates). */
  async offer(): Promise<string> {
    await this.pc.setLocalDescription(await this.pc.createOffer());
    if (this.pc.iceGatheringState !== 'complete')
      await new Promise<void>((resolve) => {
        const sub = this.pc.iceGatheringStateChange.subscribe((s) => {
          if (s === 'complete') {
            sub.unSubscribe();
            resolve();
          }
        });
      });
    return this.pc.localDescription?.sdp ?? '';
  }

  /** Applies the answer and starts sending audio every 20 ms. */
  async answer(sdp: string): Promise<void> {
    await this.pc.setRemoteDescription({ type: 'answer', sdp });
    this.#timer = setInterval(() => this.sendFrame(), 20);
  }

  /** Sends one 20 ms frame: the tone, or `payload` when given. */
  sendFrame(payload?: Buffer): void {
    const body = payload ?? (this.#tone ? encode('pcmu', this.#tone.next()) : Buffer.alloc(FRAME, 0xff));
    this.#seq = (this.#seq + 1) & 0xffff;
    this.#ts = (this.#ts + FRAME) >>> 0;
    const header = new RtpHeader({
      payloadType: 0,
      sequenceNumber: this.#seq,
      timestamp: this.#ts,
      ssrc: 1,
      marker: false,
    });
    this.#transceiver.sender.sendRtp(new RtpPacket(header, body)).catch(() => undefined);
  }

  /** Stops the tone (only explicit frames go out). */
  quiet(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Presses a key: RFC 4733 events (three updates, then three ends). */
  press(key: string): void {
    const event = DTMF_EVENTS.indexOf(key);
    if (event < 0) return;
    this.#ts = (this.#ts + FRAME) >>> 0;
    for (let i = 0; i < 6; i++) {
      const end = i >= 3;
      const payload = Buffer.from([event, (end ? 0x80 : 0) | 10, 0, Math.min(255, (i + 1) * 160) & 0xff]);
      this.#seq = (this.#seq + 1) & 0xffff;
      const header = new RtpHeader({
        payloadType: 101,
        sequenceNumber: this.#seq,
        timestamp: this.#ts,
        ssrc: this.#transceiver.sender.ssrc,
        marker: i === 0,
      });
      // The sender stamps its negotiated codec's type on what it sends; the event goes straight to the transport.
      const transport = this.#transceiver.sender.dtlsTransport;
      void transport.sendRtp(payload, header).catch(() => undefined);
    }
  }

  /** The power at `hz` in what was heard during the last `ms`. */
  level(hz: number, ms = 400): number {
    const frames = Math.ceil(ms / 20);
    const recent = this.#chunks.slice(-frames);
    const samples = new Int16Array(recent.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of recent) {
      samples.set(c, at);
      at += c.length;
    }
    return samples.length === 0 ? 0 : goertzel(samples, hz);
  }

  /** Clears what was heard so far. */
  forget(): void {
    this.#chunks = [];
  }

  /** Hangs up for good; closing again does nothing (werift's close does not settle twice). */
  close(): Promise<void> {
    this.quiet();
    this.#closing ??= this.pc.close().catch(() => undefined);
    return this.#closing;
  }
}
