/**
 * One WebRTC media leg between the server and a browser (an agent's panel,
 * a customer's phone page or click-to-call button), with `werift`. The
 * browser always offers and the server answers, with G.711 only (PCMU, then
 * PCMA) and RFC 4733 telephone events, so what arrives can be relayed to
 * another leg as it is. Candidates are gathered before the answer is
 * returned (no trickle): one round trip sets a leg up.
 */
import { randomUUID } from 'node:crypto';
import {
  RTCPeerConnection,
  RTCRtpCodecParameters,
  RtpHeader,
  RtpPacket,
  type MediaStreamTrack,
  type RTCRtpTransceiver,
} from 'werift';
import { DTMF_EVENTS } from './dsp.ts';
import { MediaError } from './errors.ts';
import { PAYLOAD_TYPE, type G711Codec } from './g711.ts';

/** What a leg needs from the deployment: where its sockets bind and what it tells the browser. */
export interface LegNetwork {
  /** The IPv4 address the leg's UDP sockets bind to and announce (127.0.0.1 by default). */
  readonly address: string;
  /** A UDP port range for media, inclusive; the OS picks when left out. */
  readonly ports?: readonly [number, number];
}

/** A media leg, as the mixer sees it. */
export interface Leg {
  readonly id: string;
  /** The codec this leg sends and expects (negotiated). */
  readonly codec: G711Codec;
  /** A 20 ms G.711 frame arrived from the far end. */
  onFrame: ((payload: Buffer, codec: G711Codec) => void) | null;
  /** The far end pressed a key (RFC 4733), once per press. */
  onDtmf: ((key: string) => void) | null;
  /** The leg's transport failed or closed. */
  onGone: (() => void) | null;
  /** Sends one 20 ms frame in this leg's codec. */
  send(payload: Buffer): void;
  /** Packets sent and received so far. */
  readonly counters: { sent: number; received: number };
  close(): Promise<void>;
}

/** Largest offer accepted: a browser's audio-only offer is 3–6 KB. */
export const MAX_SDP_BYTES = 16 * 1024;

/** G.711 (PCMU first, then PCMA) and RFC 4733 events; `eventType` pins the events' payload type (an offerer's choice). */
export function legCodecs(eventType?: number): RTCRtpCodecParameters[] {
  return [
    new RTCRtpCodecParameters({ mimeType: 'audio/PCMU', clockRate: 8000, channels: 1, payloadType: 0 }),
    new RTCRtpCodecParameters({ mimeType: 'audio/PCMA', clockRate: 8000, channels: 1, payloadType: 8 }),
    new RTCRtpCodecParameters({
      mimeType: 'audio/telephone-event',
      clockRate: 8000,
      channels: 1,
      ...(eventType === undefined ? {} : { payloadType: eventType }),
    }),
  ];
}

/** A peer connection for a media leg: those codecs, and only the configured address (no host scan, no STUN). */
export function legPeer(network: LegNetwork, eventType?: number): RTCPeerConnection {
  return new RTCPeerConnection({
    codecs: { audio: legCodecs(eventType) },
    iceUseIpv4: false,
    iceUseIpv6: false,
    iceAdditionalHostAddresses: [network.address],
    iceInterfaceAddresses: { udp4: network.address },
    ...(network.ports ? { icePortRange: [network.ports[0], network.ports[1]] as [number, number] } : {}),
  });
}

/** Checks an offer before any socket is opened: it must offer audio in PCMU or PCMA. */
export function checkOffer(sdp: unknown): string {
  if (typeof sdp !== 'string' || sdp.length === 0)
    throw new MediaError('invalid_argument', 'sdp: give the offer, a string');
  if (sdp.length > MAX_SDP_BYTES)
    throw new MediaError('invalid_argument', `sdp: an offer may be ${MAX_SDP_BYTES} bytes at most`);
  if (!/^v=0\r?\n/.test(sdp))
    throw new MediaError('invalid_argument', 'sdp: not a session description (starts with v=0)');
  if (!/^m=audio /m.test(sdp)) throw new MediaError('invalid_argument', 'sdp: the offer has no audio');
  if (!/^a=rtpmap:\d+ (PCMU|PCMA)\/8000/im.test(sdp))
    throw new MediaError('invalid_argument', 'sdp: the offer must include G.711 audio (PCMU or PCMA)');
  return sdp;
}

class WebRtcLeg implements Leg {
  readonly id = randomUUID();
  onFrame: Leg['onFrame'] = null;
  onDtmf: Leg['onDtmf'] = null;
  onGone: Leg['onGone'] = null;
  readonly counters = { sent: 0, received: 0 };
  readonly #pc: RTCPeerConnection;
  readonly #transceiver: RTCRtpTransceiver;
  #seq = Math.floor(Math.random() * 0x7fff);
  #timestamp = Math.floor(Math.random() * 0x7fffffff);
  #lastEvent = -1;
  #gone = false;

  constructor(pc: RTCPeerConnection, transceiver: RTCRtpTransceiver) {
    this.#pc = pc;
    this.#transceiver = transceiver;
    pc.connectionStateChange.subscribe((state) => {
      if (state === 'failed' || state === 'closed') this.#end();
    });
  }

  /** The far end's audio track (werift announces it while the offer is applied). */
  listen(track: MediaStreamTrack): void {
    track.onReceiveRtp.subscribe((rtp) => this.#receive(rtp));
  }

  get codec(): G711Codec {
    return this.#transceiver.sender.codec?.mimeType.toLowerCase() === 'audio/pcma' ? 'pcma' : 'pcmu';
  }

  #receive(rtp: RtpPacket): void {
    const pt = rtp.header.payloadType;
    if (pt === PAYLOAD_TYPE.pcmu || pt === PAYLOAD_TYPE.pcma) {
      this.counters.received++;
      this.onFrame?.(rtp.payload, pt === PAYLOAD_TYPE.pcma ? 'pcma' : 'pcmu');
      return;
    }
    // RFC 4733: a key press is many packets with one timestamp; report it once.
    if (rtp.payload.length >= 4 && rtp.header.timestamp !== this.#lastEvent) {
      const key = DTMF_EVENTS[rtp.payload[0] ?? 255];
      if (key === undefined) return;
      this.#lastEvent = rtp.header.timestamp;
      this.onDtmf?.(key);
    }
  }

  send(payload: Buffer): void {
    if (this.#gone) return;
    this.#seq = (this.#seq + 1) & 0xffff;
    this.#timestamp = (this.#timestamp + payload.length) >>> 0;
    const header = new RtpHeader({
      payloadType: PAYLOAD_TYPE[this.codec],
      sequenceNumber: this.#seq,
      timestamp: this.#timestamp,
      ssrc: 0,
      marker: this.counters.sent === 0,
    });
    this.counters.sent++;
    this.#transceiver.sender.sendRtp(new RtpPacket(header, payload)).catch(() => undefined);
  }

  #end(): void {
    if (this.#gone) return;
    this.#gone = true;
    this.onGone?.();
  }

  async close(): Promise<void> {
    this.#end();
    await this.#pc.close().catch(() => undefined);
  }
}

/** Answers a browser's offer: the leg, and the answer to send back (all candidates included). */
export async function answerOffer(offer: string, network: LegNetwork): Promise<{ leg: Leg; sdp: string }> {
  checkOffer(offer);
  const pc = legPeer(network);
  const tracks: MediaStreamTrack[] = [];
  const early = pc.onTrack.subscribe((track) => tracks.push(track));
  try {
    await pc.setRemoteDescription({ type: 'offer', sdp: offer });
    const transceiver = pc.getTransceivers().find((t) => t.kind === 'audio');
    if (!transceiver) throw new MediaError('invalid_argument', 'sdp: the offer has no audio');
    transceiver.setDirection('sendrecv');
    const leg = new WebRtcLeg(pc, transceiver);
    early.unSubscribe();
    for (const track of tracks) leg.listen(track);
    pc.onTrack.subscribe((track) => leg.listen(track));
    await pc.setLocalDescription(await pc.createAnswer());
    if (pc.iceGatheringState !== 'complete')
      await new Promise<void>((resolve) => {
        const sub = pc.iceGatheringStateChange.subscribe((state) => {
          if (state === 'complete') {
            sub.unSubscribe();
            resolve();
          }
        });
      });
    const sdp = pc.localDescription?.sdp;
    if (!sdp) throw new MediaError('invalid_argument', 'sdp: no answer could be made for this offer');
    if (!/^a=rtpmap:\d+ (PCMU|PCMA)\/8000/im.test(sdp))
      throw new MediaError('invalid_argument', 'sdp: the offer must include G.711 audio (PCMU or PCMA)');
    return { leg, sdp };
  } catch (err) {
    await pc.close().catch(() => undefined);
    if (err instanceof MediaError) throw err;
    throw new MediaError('invalid_argument', `sdp: the offer cannot be answered (${(err as Error).message})`);
  }
}
