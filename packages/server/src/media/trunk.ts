/**
 * The outside world's side of a call. A {@link Trunk} rings numbers and
 * hands over calls to queue numbers; each call is an {@link OutsideCall}.
 * The first trunk is the virtual PSTN (browsers with numbers, `pstn.ts`);
 * a SIP trunk implements the same interface.
 */
import { randomUUID } from 'node:crypto';
import type { Leg } from './leg.ts';

/** What a ringing or connected outside call can end with. */
export type EndReason = 'hangup' | 'rejected' | 'no_answer' | 'unreachable' | 'failed';

/** What the far party is told about their call (a phone shows it; a SIP trunk may ignore it). */
export type CallProgress = 'queued' | 'ringing' | 'connected';

/** One call with the outside: ringing, then connected with a media leg, then ended. */
export class OutsideCall {
  readonly id = randomUUID();
  #leg: Leg | null = null;
  #ended: EndReason | null = null;
  /** The far end answered (an outbound call) or the call's media is up (an inbound one). */
  onAnswer: ((leg: Leg) => void) | null = null;
  /** The far end ended it, declined, or did not answer. */
  onEnd: ((reason: EndReason) => void) | null = null;
  /** The far end pressed a key. */
  onDtmf: ((key: string) => void) | null = null;

  constructor(
    readonly direction: 'inbound' | 'outbound',
    /** The caller's number (inbound) or the number rung (outbound). */
    readonly remote: string,
    /** The number called (inbound) or the caller id shown (outbound). */
    readonly local: string,
    /** How the trunk tells its far end about the server's side: progress and hang-up. */
    private readonly far: {
      progress(call: OutsideCall, status: CallProgress, detail?: Record<string, unknown>): void;
      end(call: OutsideCall, reason: EndReason): void;
    },
  ) {}

  get leg(): Leg | null {
    return this.#leg;
  }

  get ended(): EndReason | null {
    return this.#ended;
  }

  /** The trunk: media is up. */
  answered(leg: Leg): void {
    if (this.#ended) {
      void leg.close();
      return;
    }
    this.#leg = leg;
    leg.onDtmf = (key) => this.onDtmf?.(key);
    leg.onGone = () => this.farEnded('hangup');
    this.onAnswer?.(leg);
  }

  /** The trunk: the far end ended the call. */
  farEnded(reason: EndReason): void {
    if (this.#ended) return;
    this.#ended = reason;
    void this.#leg?.close();
    this.onEnd?.(reason);
  }

  /** The server: tells the far party how the call is going. */
  progress(status: CallProgress, detail?: Record<string, unknown>): void {
    if (!this.#ended) this.far.progress(this, status, detail);
  }

  /** The server ends the call. */
  hangup(reason: EndReason = 'hangup'): void {
    if (this.#ended) return;
    this.#ended = reason;
    this.far.end(this, reason);
    void this.#leg?.close();
  }
}

/** Rings outside numbers and brings in calls to queue numbers. */
export interface Trunk {
  /** Whether `number` can be rung now. */
  reachable(number: string): boolean;
  /** Rings `to` showing `from` as caller id; the call answers or ends (see its callbacks). */
  dial(to: string, from: string): OutsideCall;
}
