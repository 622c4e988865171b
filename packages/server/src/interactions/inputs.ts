/**
 * What the desk takes and gives: the inputs of its operations and the views
 * it answers with. Plain types, shared by the desk's parts and its callers.
 */
import type { AgentActionName, ChannelType, Message } from '@parley/protocol';
import type { CustomerState } from '../bus/index.ts';
import type { InboundMessage, OutgoingMessage } from '../channels/index.ts';

export type { OutgoingMessage };

/** Who acts: an agent (or supervisor) acting on their own interactions. */
export interface Actor {
  readonly id: string;
  readonly username: string;
}

/** Where a transfer or consultation goes: one of these, or `address` to be resolved (queue address, username, number). */
export interface TargetInput {
  readonly queueId?: string;
  readonly agentId?: string;
  readonly number?: string;
  readonly address?: string;
}

export interface InboundInput {
  readonly queueId: string;
  readonly from: string;
  /** The address the customer reached; the queue's first address by default. */
  readonly to?: string;
  readonly subject?: string;
  readonly preferredAgentId?: string;
  /** The customer's conversation, when the contact continues one (web chat). */
  readonly conversationId?: string;
  /** The customer's name when `from` does not carry it. */
  readonly name?: string;
  /** The customer, when already known (a conversation that continues); else matched by `from`. */
  readonly customerId?: string;
  /** Data that comes with the contact (pre-chat fields, a host's user data). */
  readonly attributes?: Readonly<Record<string, string>>;
}

/** A customer starting a web chat. */
export interface ChatStartInput {
  readonly queueId: string;
  readonly name: string;
  readonly email: string | null;
  readonly tokenHash: string;
  /** The pre-chat form's other fields and the embedding page's data. */
  readonly attributes?: Readonly<Record<string, string>>;
}

export interface OutboundInput {
  readonly channel: ChannelType;
  readonly to: string;
  /** An address of a queue the agent serves: the caller id or sender. */
  readonly from?: string;
  readonly queueId?: string;
  readonly subject?: string;
  /** A first message sent at once (SMS, WhatsApp, email); without it the conversation opens empty (a draft). */
  readonly message?: MessageInput;
  /** Data that comes with the contact (a host's user data). */
  readonly attributes?: Readonly<Record<string, string>>;
}

/** What an agent writes: chat, SMS and WhatsApp use `content`; email adds a subject and addresses. */
export interface MessageInput {
  readonly content: string;
  readonly clientMessageId?: string;
  readonly subject?: string;
  /** Email recipients; a reply goes to the customer when left out. */
  readonly to?: readonly string[];
  readonly cc?: readonly string[];
  /** A WhatsApp template: its text is sent (with `content` ignored when empty). */
  readonly templateId?: string;
  /** Files uploaded to the conversation before (web chat). */
  readonly attachmentIds?: readonly string[];
}

/** A message from a customer on SMS, WhatsApp or email, as a connector received it (the channels' shape). */
export type InboundMessageInput = InboundMessage;

/** What the far party (customer, external number) does; the demo API and channel connectors report it. */
export type RemoteEvent = 'answer' | 'hangup' | 'reject' | 'no_answer' | 'fail';

export type AgentAction =
  | { readonly type: 'accept' | 'reject' | 'hangup' | 'hold' | 'unhold' }
  | { readonly type: 'mute' | 'unmute' | 'start_recording' | 'stop_recording' }
  | { readonly type: 'handle'; readonly code?: string; readonly notes?: string }
  | { readonly type: 'wrapup'; readonly code?: string; readonly notes?: string; readonly extendSeconds?: number }
  | { readonly type: 'transfer' | 'consult'; readonly to: TargetInput }
  | { readonly type: 'cancel_consult' | 'join' | 'conference' }
  | { readonly type: 'dtmf'; readonly digits: string }
  /** Hangs up on one party of the agent's conference (the interaction id of their part). */
  | { readonly type: 'drop'; readonly party: string };

/** Every action name of the protocol has its shape above, and no other: a new name fails to compile until it does. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const EVERY_ACTION: Same<AgentAction['type'], AgentActionName> = true;
void EVERY_ACTION;

/** A conversation as its customer sees it. */
export interface ConversationView {
  readonly id: string;
  readonly state: CustomerState;
  readonly agent: string | null;
  /** While waiting in a queue: the place in line, 1 being next. */
  readonly position?: number;
  /** While waiting: about how long until an agent answers (seconds), when the queue's recent pace tells. */
  readonly estimatedWaitSeconds?: number;
  readonly messages: Message[];
}

export interface WaitingEntry {
  readonly contactId: string;
  readonly queueId: string;
  readonly arrivedAt: number;
  readonly priority: number;
  readonly offeredTo: string | null;
  readonly channel?: ChannelType;
  readonly remoteAddress?: string;
}
