/**
 * The customer-facing wires: the web chat's socket (`{base}ws/customer`) and
 * the virtual PSTN's phone socket (`{base}ws/phone`). The widget and the
 * server both build and read these frames through the types and guards here.
 */
import { isRecord, type ErrorCode } from './errors.ts';
import type { Message } from './objects.ts';

/** How a conversation stands for its customer. */
export type CustomerState = 'waiting' | 'connected' | 'closed';

/** Where the customer stands: the agent's name once connected; place in line and wait while waiting. */
export interface CustomerStanding {
  readonly state: CustomerState;
  readonly agent: string | null;
  /** While waiting: the place in line, 1 being next. */
  readonly position?: number;
  /** While waiting: about how long until an agent answers, in seconds. */
  readonly estimated_wait_s?: number;
}

/** What the server pushes on the customer socket, by frame type. */
export interface CustomerFrameMap {
  readonly hello: {
    readonly conversation: CustomerStanding & { readonly id: string };
    readonly messages: readonly Message[];
  };
  readonly message: Message;
  readonly typing: Record<string, never>;
  readonly state: CustomerStanding;
}
export type CustomerFrameType = keyof CustomerFrameMap;

/** One pushed frame: a sequence number, its type and its data. */
export type CustomerFrame = {
  readonly [K in CustomerFrameType]: { readonly seq: number; readonly type: K; readonly data: CustomerFrameMap[K] };
}[CustomerFrameType];

const CUSTOMER_FRAME_TYPES: readonly string[] = ['hello', 'message', 'typing', 'state'] satisfies CustomerFrameType[];

/** Reads a pushed customer frame; null for anything else (a reply, or garbage). */
export function parseCustomerFrame(value: unknown): CustomerFrame | null {
  if (!isRecord(value) || typeof value['type'] !== 'string' || !CUSTOMER_FRAME_TYPES.includes(value['type']))
    return null;
  if (!isRecord(value['data'])) return null;
  if (value['type'] === 'hello') {
    const data = value['data'];
    if (!isRecord(data['conversation']) || !Array.isArray(data['messages'])) return null;
  }
  return value as unknown as CustomerFrame;
}

/** What the phone page sends. */
export type PhoneClientFrame =
  | { readonly type: 'register'; readonly number: string }
  | { readonly type: 'dial'; readonly call_id: string; readonly to: string; readonly sdp: string }
  | { readonly type: 'accept'; readonly call_id: string; readonly sdp: string }
  | { readonly type: 'reject' | 'hangup'; readonly call_id: string };

/** What the server sends the phone page. */
export type PhoneServerFrame =
  | { readonly type: 'registered'; readonly number: string }
  | { readonly type: 'incoming'; readonly call_id: string; readonly from: string }
  | { readonly type: 'answer'; readonly call_id: string; readonly sdp: string; readonly from?: string }
  | {
      readonly type: 'progress';
      readonly call_id: string;
      readonly status: 'queued' | 'ringing' | 'connected';
      readonly [detail: string]: unknown;
    }
  | { readonly type: 'ended'; readonly call_id: string; readonly reason: string }
  | { readonly type: 'error'; readonly call_id?: string; readonly code: ErrorCode; readonly message: string };

const PHONE_FRAME_FIELDS: Readonly<Record<PhoneServerFrame['type'], readonly string[]>> = {
  registered: ['number'],
  incoming: ['call_id', 'from'],
  answer: ['call_id', 'sdp'],
  progress: ['call_id', 'status'],
  ended: ['call_id', 'reason'],
  error: ['code', 'message'],
};

/** Reads a frame from the phone socket; null when it is not one the server sends. */
export function parsePhoneServerFrame(value: unknown): PhoneServerFrame | null {
  if (!isRecord(value)) return null;
  const type = value['type'];
  if (typeof type !== 'string' || !Object.hasOwn(PHONE_FRAME_FIELDS, type)) return null;
  const fields = PHONE_FRAME_FIELDS[type as PhoneServerFrame['type']];
  return fields.every((f) => typeof value[f] === 'string') ? (value as unknown as PhoneServerFrame) : null;
}
