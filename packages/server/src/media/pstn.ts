/**
 * The virtual PSTN: a {@link Trunk} whose "phones" are browser pages. A
 * page connects to `/ws/phone`, may register a number (when the virtual
 * PSTN is on: demo mode, tests), dials queue numbers, and rings when an
 * agent calls its number. The click-to-call button speaks the same
 * protocol without registering: it dials one queue number.
 *
 * Frames are JSON. Page → server: `register {number}`, `dial {call_id, to,
 * sdp}`, `accept {call_id, sdp}`, `reject {call_id}`, `hangup {call_id}`.
 * Server → page: `registered {number}`, `answer {call_id, sdp}`,
 * `incoming {call_id, from}`, `progress {call_id, status, …}`,
 * `ended {call_id, reason}`, `error {call_id?, code, message}`.
 */
import type { PhoneServerFrame } from '@parley/protocol';
import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { Logger } from '../log/index.ts';
import { MediaError } from './errors.ts';
import { answerOffer, checkOffer, MAX_SDP_BYTES, type LegNetwork } from './leg.ts';
import { OutsideCall, type CallProgress, type EndReason, type Trunk } from './trunk.ts';

/** What the media plane does with a call to a number: route it, or refuse with a MediaError. */
export interface PstnHooks {
  /** Refuses (MediaError `not_found`) a number nobody answers, before any media is set up. */
  resolve(to: string): Promise<void>;
  /** The call's media is up: it becomes an interaction. */
  incoming(call: OutsideCall): Promise<void>;
}

const NUMBER = /^\+?[0-9]{3,15}$/;
const CALL_ID = /^[\w-]{1,64}$/;
/** Calls one page may have at once. */
const MAX_CALLS_PER_PAGE = 4;

interface Page {
  readonly socket: WebSocket;
  /** The client's address, for the dial limit. */
  readonly ip: string;
  number: string | null;
  /** The page's calls by the id the page knows them by. */
  readonly calls: Map<string, OutsideCall>;
}

export class VirtualPstn implements Trunk {
  readonly #pages = new Set<Page>();
  readonly #byNumber = new Map<string, Page>();
  readonly #timers = new Map<OutsideCall, NodeJS.Timeout>();

  constructor(
    private readonly opts: {
      readonly network: LegNetwork;
      readonly log: Logger;
      readonly hooks: PstnHooks;
      /** Whether pages may register numbers (else only click-to-call dialling works). */
      readonly registration: boolean;
      readonly ringSeconds: number;
      /** Calls one client address may start per minute. */
      readonly dialsPerMinute: number;
    },
  ) {}

  /** Recent dials per client address. */
  readonly #dials = new Map<string, number[]>();

  #countDial(ip: string): void {
    const now = Date.now();
    const recent = (this.#dials.get(ip) ?? []).filter((t) => now - t < 60_000);
    if (recent.length >= this.opts.dialsPerMinute)
      throw new MediaError('rate_limited', 'Too many calls from this address; wait a minute and call again.');
    this.#dials.set(ip, [...recent, now]);
    // Forget addresses that went quiet, so the table does not grow without end.
    if (this.#dials.size > 10_000)
      for (const [key, times] of this.#dials) if (times.every((t) => now - t >= 60_000)) this.#dials.delete(key);
  }

  reachable(number: string): boolean {
    return this.#byNumber.has(number);
  }

  /** The numbers registered now. */
  numbers(): string[] {
    return [...this.#byNumber.keys()];
  }

  dial(to: string, from: string): OutsideCall {
    const page = this.#byNumber.get(to);
    const call = new OutsideCall('outbound', to, from, this.#far(page ?? null));
    if (!page) {
      setImmediate(() => call.farEnded('unreachable'));
      return call;
    }
    const callId = `in-${randomBytes(6).toString('hex')}`;
    page.calls.set(callId, call);
    this.#send(page, { type: 'incoming', call_id: callId, from });
    const timer = setTimeout(() => {
      this.#timers.delete(call);
      if (call.leg || call.ended) return;
      call.farEnded('no_answer');
      this.#send(page, { type: 'ended', call_id: callId, reason: 'no_answer' });
      page.calls.delete(callId);
    }, this.opts.ringSeconds * 1000);
    timer.unref();
    this.#timers.set(call, timer);
    return call;
  }

  /** How the server side of a call reaches its page. */
  #far(page: Page | null) {
    const idOf = (call: OutsideCall) => {
      if (page) for (const [id, c] of page.calls) if (c === call) return id;
      return null;
    };
    return {
      progress: (call: OutsideCall, status: CallProgress, detail?: Record<string, unknown>) => {
        const id = idOf(call);
        if (page && id) this.#send(page, { type: 'progress', call_id: id, status, ...detail });
      },
      end: (call: OutsideCall, reason: EndReason) => {
        const id = idOf(call);
        this.#clearTimer(call);
        if (page && id) {
          page.calls.delete(id);
          this.#send(page, { type: 'ended', call_id: id, reason });
        }
      },
    };
  }

  #clearTimer(call: OutsideCall): void {
    const t = this.#timers.get(call);
    if (t) clearTimeout(t);
    this.#timers.delete(call);
  }

  /** Adopts a page's socket. */
  accept(socket: WebSocket, ip: string): void {
    const page: Page = { socket, ip, number: null, calls: new Map() };
    this.#pages.add(page);
    socket.on('message', (raw, isBinary) => {
      void this.#onMessage(page, raw, isBinary).catch((err: unknown) => {
        this.opts.log.error({ err }, 'phone request failed');
        this.#send(page, { type: 'error', code: 'internal', message: 'Something went wrong on our side.' });
      });
    });
    socket.on('close', () => this.#gone(page));
    socket.on('error', (err) => this.opts.log.debug({ err }, 'phone socket error'));
  }

  #gone(page: Page): void {
    this.#pages.delete(page);
    if (page.number && this.#byNumber.get(page.number) === page) this.#byNumber.delete(page.number);
    for (const call of page.calls.values()) {
      this.#clearTimer(call);
      call.farEnded('hangup');
    }
    page.calls.clear();
  }

  close(): void {
    for (const page of [...this.#pages]) {
      page.socket.close(1001, 'server shutting down');
      this.#gone(page);
    }
  }

  #send(page: Page, frame: PhoneServerFrame): void {
    if (page.socket.readyState === page.socket.OPEN) page.socket.send(JSON.stringify(frame));
  }

  async #onMessage(page: Page, raw: unknown, isBinary: boolean): Promise<void> {
    const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : '';
    let frame: unknown;
    try {
      if (isBinary || text.length === 0 || text.length > MAX_SDP_BYTES + 1024) throw new Error('size');
      frame = JSON.parse(text);
    } catch {
      this.#send(page, {
        type: 'error',
        code: 'invalid_argument',
        message: 'frames are JSON objects of at most 17 KB',
      });
      return;
    }
    const f = (typeof frame === 'object' && frame !== null ? frame : {}) as Record<string, unknown>;
    const callId = typeof f['call_id'] === 'string' && CALL_ID.test(f['call_id']) ? f['call_id'] : null;
    const fail = (err: unknown) => {
      const e = err instanceof MediaError ? err : new MediaError('invalid_argument', String(err));
      this.#send(page, { type: 'error', ...(callId ? { call_id: callId } : {}), code: e.code, message: e.message });
    };
    try {
      switch (f['type']) {
        case 'register':
          return this.#register(page, f['number']);
        case 'dial':
          if (!callId)
            throw new MediaError(
              'invalid_argument',
              'call_id: give an id of your own for the call (letters, digits, - or _)',
            );
          return await this.#dial(page, callId, f['to'], f['sdp']);
        case 'accept':
          return await this.#accept(page, callId, f['sdp']);
        case 'reject':
        case 'hangup': {
          const call = callId ? page.calls.get(callId) : undefined;
          if (!call || !callId) throw new MediaError('not_found', 'call_id: no such call on this phone');
          page.calls.delete(callId);
          this.#clearTimer(call);
          call.farEnded(f['type'] === 'reject' && !call.leg ? 'rejected' : 'hangup');
          this.#send(page, { type: 'ended', call_id: callId, reason: 'hangup' });
          return;
        }
        default:
          throw new MediaError(
            'invalid_argument',
            `type: one of register, dial, accept, reject, hangup; got ${JSON.stringify(String(f['type']).slice(0, 40))}`,
          );
      }
    } catch (err) {
      fail(err);
    }
  }

  #register(page: Page, number: unknown): void {
    if (!this.opts.registration)
      throw new MediaError(
        'invalid_state',
        'The virtual PSTN is off here (PARLEY_VIRTUAL_PSTN): numbers cannot be registered.',
      );
    if (typeof number !== 'string' || !NUMBER.test(number))
      throw new MediaError('invalid_argument', 'number: 3–15 digits, optionally after a +');
    const holder = this.#byNumber.get(number);
    if (holder && holder !== page)
      throw new MediaError('conflict', `${number} is registered by another phone already.`);
    if (page.number && page.number !== number) this.#byNumber.delete(page.number);
    page.number = number;
    this.#byNumber.set(number, page);
    this.#send(page, { type: 'registered', number });
  }

  async #dial(page: Page, callId: string, to: unknown, sdp: unknown): Promise<void> {
    if (typeof to !== 'string' || !NUMBER.test(to.replace(/[\s()-]/g, '')))
      throw new MediaError('invalid_argument', 'to: the number to call, 3–15 digits, optionally after a +');
    if (page.calls.has(callId)) throw new MediaError('conflict', `call_id: ${callId} is in use on this phone`);
    if (page.calls.size >= MAX_CALLS_PER_PAGE)
      throw new MediaError('invalid_state', `A phone may have ${MAX_CALLS_PER_PAGE} calls at once; hang one up first.`);
    const offer = checkOffer(sdp);
    this.#countDial(page.ip);
    const number = to.replace(/[\s()-]/g, '');
    await this.opts.hooks.resolve(number);
    const from = page.number ?? `web-${randomBytes(4).toString('hex')}`;
    const call = new OutsideCall('inbound', from, number, this.#far(page));
    page.calls.set(callId, call);
    const { leg, sdp: answer } = await answerOffer(offer, this.opts.network).catch((err: unknown) => {
      page.calls.delete(callId);
      throw err;
    });
    if (page.calls.get(callId) !== call) {
      await leg.close();
      return;
    }
    this.#send(page, { type: 'answer', call_id: callId, sdp: answer, from });
    call.answered(leg);
    await this.opts.hooks.incoming(call).catch((err: unknown) => {
      call.hangup('failed');
      throw err;
    });
  }

  async #accept(page: Page, callId: string | null, sdp: unknown): Promise<void> {
    const call = callId ? page.calls.get(callId) : undefined;
    if (!call || !callId) throw new MediaError('not_found', 'call_id: no such call ringing on this phone');
    if (call.leg) throw new MediaError('invalid_state', 'This call is answered already.');
    const { leg, sdp: answer } = await answerOffer(checkOffer(sdp), this.opts.network);
    if (page.calls.get(callId) !== call || call.ended) {
      await leg.close();
      throw new MediaError('invalid_state', 'The call ended before it was answered.');
    }
    this.#clearTimer(call);
    this.#send(page, { type: 'answer', call_id: callId, sdp: answer });
    call.answered(leg);
  }
}
