/**
 * A browser phone on Parley's virtual PSTN (`{base}ws/phone`): the
 * softphone page (`/phone`) and the click-to-call button both use it. It
 * dials queue numbers, may register a number of its own and then rings when
 * an agent calls it, answers, hangs up and sends keys (RFC 4733, through
 * the browser's DTMF sender). Audio is WebRTC to the server, in G.711.
 */

import { parsePhoneServerFrame, type PhoneClientFrame, type PhoneServerFrame } from '@parley/protocol';

export type PhoneEvent =
  | { type: 'registered'; number: string }
  | { type: 'incoming'; callId: string; from: string }
  | { type: 'progress'; callId: string; status: 'queued' | 'ringing' | 'connected' }
  | { type: 'answered'; callId: string }
  | { type: 'ended'; callId: string; reason: string }
  | { type: 'error'; callId?: string; code: string; message: string }
  | { type: 'connection'; online: boolean };

interface Call {
  pc: RTCPeerConnection | null;
  readonly direction: 'in' | 'out';
}

export class Phone {
  #ws: WebSocket | null = null;
  #open: Promise<void> | null = null;
  #mic: MediaStream | null = null;
  readonly #calls = new Map<string, Call>();
  #seq = 0;
  /** Where the far party's voice plays (the page may show it or analyse it). */
  readonly audio: HTMLAudioElement;

  constructor(
    readonly base: string,
    readonly onEvent: (e: PhoneEvent) => void,
  ) {
    this.audio = document.createElement('audio');
    this.audio.autoplay = true;
    this.audio.dataset['parley'] = 'phone-audio';
  }

  #connect(): Promise<void> {
    if (this.#open && this.#ws && this.#ws.readyState <= 1) return this.#open;
    const ws = new WebSocket(`${this.base.replace(/^http/, 'ws')}ws/phone`);
    this.#ws = ws;
    this.#open = new Promise((resolve, reject) => {
      ws.onopen = () => {
        this.onEvent({ type: 'connection', online: true });
        resolve();
      };
      ws.onerror = () => reject(new Error('cannot reach the phone service'));
    });
    ws.onclose = () => {
      this.onEvent({ type: 'connection', online: false });
      for (const [callId, call] of this.#calls) {
        call.pc?.close();
        this.onEvent({ type: 'ended', callId, reason: 'connection lost' });
      }
      this.#calls.clear();
    };
    ws.onmessage = (m) => void this.#frame(m.data);
    return this.#open;
  }

  #send(frame: PhoneClientFrame): void {
    this.#ws?.send(JSON.stringify(frame));
  }

  async #frame(raw: unknown): Promise<void> {
    let f: PhoneServerFrame | null;
    try {
      f = parsePhoneServerFrame(JSON.parse(String(raw)));
    } catch {
      return;
    }
    if (!f) return;
    const callId = 'call_id' in f && f.call_id ? f.call_id : '';
    const call = this.#calls.get(callId);
    switch (f.type) {
      case 'registered':
        this.onEvent({ type: 'registered', number: f.number });
        return;
      case 'incoming':
        this.#calls.set(callId, { pc: null, direction: 'in' });
        this.onEvent({ type: 'incoming', callId, from: f.from });
        return;
      case 'answer':
        if (call?.pc) {
          await call.pc.setRemoteDescription({ type: 'answer', sdp: f.sdp });
          this.onEvent({ type: 'answered', callId });
        }
        return;
      case 'progress':
        this.onEvent({ type: 'progress', callId, status: f.status });
        return;
      case 'ended':
        call?.pc?.close();
        this.#calls.delete(callId);
        this.onEvent({ type: 'ended', callId, reason: f.reason });
        return;
      case 'error':
        if (call && !call.pc?.remoteDescription) {
          call.pc?.close();
          this.#calls.delete(callId);
        }
        this.onEvent({
          type: 'error',
          ...(callId ? { callId } : {}),
          code: f.code,
          message: f.message,
        });
    }
  }

  /** Takes a number on the virtual PSTN (where the server allows it). */
  async register(number: string): Promise<void> {
    await this.#connect();
    this.#send({ type: 'register', number });
  }

  async #peer(call: Call): Promise<string> {
    this.#mic ??= await navigator.mediaDevices.getUserMedia({ audio: true });
    const pc = new RTCPeerConnection();
    call.pc = pc;
    for (const t of this.#mic.getAudioTracks()) pc.addTrack(t, this.#mic);
    pc.ontrack = (e) => {
      this.audio.srcObject = e.streams[0] ?? new MediaStream([e.track]);
      void this.audio.play().catch(() => undefined);
    };
    await pc.setLocalDescription(await pc.createOffer());
    await new Promise<void>((resolve) => {
      if (pc.iceGatheringState === 'complete') return resolve();
      const timer = setTimeout(resolve, 2000);
      pc.onicegatheringstatechange = () => {
        if (pc.iceGatheringState !== 'complete') return;
        clearTimeout(timer);
        resolve();
      };
    });
    return pc.localDescription?.sdp ?? '';
  }

  /** Calls a number (a queue's); returns the call's id. */
  async dial(to: string): Promise<string> {
    await this.#connect();
    const callId = `out-${Date.now().toString(36)}-${++this.#seq}`;
    const call: Call = { pc: null, direction: 'out' };
    this.#calls.set(callId, call);
    const sdp = await this.#peer(call);
    this.#send({ type: 'dial', call_id: callId, to, sdp });
    return callId;
  }

  /** Answers a ringing call. */
  async accept(callId: string): Promise<void> {
    const call = this.#calls.get(callId);
    if (!call || call.pc) return;
    const sdp = await this.#peer(call);
    this.#send({ type: 'accept', call_id: callId, sdp });
  }

  reject(callId: string): void {
    this.#send({ type: 'reject', call_id: callId });
  }

  hangup(callId: string): void {
    this.#calls.get(callId)?.pc?.close();
    this.#send({ type: 'hangup', call_id: callId });
  }

  /** Sends keys into a call (RFC 4733 events). */
  dtmf(callId: string, keys: string): void {
    const sender = this.#calls.get(callId)?.pc?.getSenders()[0]?.dtmf;
    if (sender?.canInsertDTMF) sender.insertDTMF(keys, 120, 80);
  }

  close(): void {
    for (const call of this.#calls.values()) call.pc?.close();
    this.#ws?.close();
    for (const t of this.#mic?.getTracks() ?? []) t.stop();
  }
}
