/**
 * The host commands' values, checked: each parser takes what a host sent
 * (postMessage, so anything) and returns what the command needs, or throws
 * a CommandError `invalid_argument` that says what to send instead. Pure.
 */
import { requestId as nextRequestId } from '@parley/agent';
import type { OutboundRequest } from '@parley/protocol/rest';
import { CHANNEL_TRAITS, CHANNEL_TYPES, isRecord, type AgentActionName, type ChannelType } from '@parley/protocol';

/** The channels an agent may start a contact on (a chat starts from the customer). */
const OUTBOUND_CHANNELS: readonly string[] = CHANNEL_TYPES.filter((c: ChannelType) => CHANNEL_TRAITS[c].outbound);
import { CommandError } from './bridge/index.ts';

/** A message the agent is about to send; email adds a subject and addresses, WhatsApp may use a template. */
export interface Draft {
  readonly content: string;
  readonly subject?: string;
  readonly to?: readonly string[];
  readonly cc?: readonly string[];
  readonly template_id?: string;
}

/** `callState` values and the REST actions they are. */
export const CALL_STATE_ACTIONS: Readonly<Record<string, AgentActionName>> = {
  hold: 'hold',
  unhold: 'unhold',
  mute: 'mute',
  unmute: 'unmute',
  startRecording: 'start_recording',
  stopRecording: 'stop_recording',
};
/** `interaction` values: the design's, plus (ext) `cancel_consult` and `conference`. */
const INTERACTION_ACTIONS = [
  'accept',
  'reject',
  'hangup',
  'handle',
  'pick',
  'cancel_consult',
  'conference',
] as const satisfies ReadonlyArray<AgentActionName | 'pick'>;

const RI_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

export function parseReady(v: unknown): { ready: boolean; reason: string | undefined } {
  if (!isRecord(v) || typeof v['ready'] !== 'boolean' || (v['reason'] !== undefined && typeof v['reason'] !== 'string'))
    throw new CommandError('invalid_argument', 'ready needs {ready: boolean, reason?: string}');
  return { ready: v['ready'], reason: v['reason'] as string | undefined };
}

export function parsePresence(v: unknown): string {
  if (typeof v !== 'string' || v === '')
    throw new CommandError('invalid_argument', 'presence needs a profile id or exact name');
  return v;
}

export function parseRi(value: unknown): { api: 'rci' | 'rmi'; method: string; resource: string; body: unknown } {
  if (!isRecord(value)) throw new CommandError('invalid_argument', 'ri needs {api, method, resource, body?}');
  const { api, method, resource, body } = value;
  if (api !== 'rci' && api !== 'rmi') throw new CommandError('invalid_argument', 'ri api must be rci or rmi');
  const verb = typeof method === 'string' ? method.toUpperCase() : '';
  if (!(RI_METHODS as readonly string[]).includes(verb))
    throw new CommandError('invalid_argument', `ri method must be one of ${RI_METHODS.join(', ')}`);
  if (
    typeof resource !== 'string' ||
    !/^\/?[A-Za-z0-9._~!$&'()*+,;=:@%/-]*(\?[^#]*)?$/.test(resource) ||
    resource.includes('..')
  ) {
    throw new CommandError('invalid_argument', 'ri resource must be a relative path such as /queues');
  }
  return { api, method: verb, resource, body };
}

export function parseInteractionAction(v: unknown): (typeof INTERACTION_ACTIONS)[number] {
  if (typeof v !== 'string' || !(INTERACTION_ACTIONS as readonly string[]).includes(v))
    throw new CommandError('invalid_argument', `interaction needs value ${INTERACTION_ACTIONS.join(', ')}`);
  return v as (typeof INTERACTION_ACTIONS)[number];
}

export function parseCallState(v: unknown): AgentActionName {
  const mapped = typeof v === 'string' ? CALL_STATE_ACTIONS[v] : undefined;
  if (!mapped)
    throw new CommandError('invalid_argument', `callState needs value ${Object.keys(CALL_STATE_ACTIONS).join(', ')}`);
  return mapped;
}

export function parseWrapup(v: unknown): { code?: string; notes?: string } {
  if (
    !isRecord(v) ||
    (v['code'] !== undefined && typeof v['code'] !== 'string') ||
    (v['notes'] !== undefined && typeof v['notes'] !== 'string')
  )
    throw new CommandError('invalid_argument', 'wrapup needs {code?: string, notes?: string}');
  return {
    ...(v['code'] === undefined ? {} : { code: v['code'] as string }),
    ...(v['notes'] === undefined ? {} : { notes: v['notes'] as string }),
  };
}

export function parsePicklist(
  limit: number | undefined,
  queues: unknown,
): { limit: number; queues: string | undefined } {
  const n = limit ?? 100;
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw new CommandError('invalid_argument', 'picklist limit must be an integer from 1 to 1000');
  if (queues !== undefined && (typeof queues !== 'string' || !/^[0-9a-f]{32}(,[0-9a-f]{32})*$/.test(queues)))
    throw new CommandError('invalid_argument', 'picklist queueId must be a queue id or several, comma-separated');
  return { limit: n, queues: queues as string | undefined };
}

export function parseDtmf(v: unknown): string {
  const digits = isRecord(v) ? v['content'] : undefined;
  if (typeof digits !== 'string' || !/^[0-9*#A-D]{1,32}$/.test(digits))
    throw new CommandError('invalid_argument', 'dtmf needs value {content}: tones 0-9 * # A-D');
  return digits;
}

export function parseMessage(v: unknown): string {
  const content = isRecord(v) ? v['content'] : undefined;
  if (typeof content !== 'string' || content.trim() === '' || content.length > 4000)
    throw new CommandError('invalid_argument', 'message needs value {content}: 1–4000 characters');
  return content;
}

/** What `outbound` asks for: the REST body, and the draft to prefill when the agent sends it themselves. */
export function parseOutbound(value: unknown): { body: Omit<OutboundRequest, 'request_id'>; draft: Draft | null } {
  if (!isRecord(value)) throw new CommandError('invalid_argument', 'outbound needs {channel, to, from?}');
  const channel = value['channel'];
  if (typeof channel !== 'string' || !OUTBOUND_CHANNELS.includes(channel))
    throw new CommandError('invalid_argument', `outbound channel must be ${OUTBOUND_CHANNELS.join(', ')}`);
  const traits = CHANNEL_TRAITS[channel as ChannelType];
  const rawTo = value['to'];
  const recipients = traits.subject && Array.isArray(rawTo) ? rawTo : [rawTo];
  const [to, ...moreTo] = recipients;
  if (typeof to !== 'string' || to.length === 0 || moreTo.some((r) => typeof r !== 'string' || r === ''))
    throw new CommandError(
      'invalid_argument',
      traits.subject ? `outbound ${channel} needs to: [address, …]` : 'outbound needs to',
    );
  const from = value['from'];
  if (from !== undefined && typeof from !== 'string')
    throw new CommandError('invalid_argument', 'outbound from must be an address of a queue you serve');
  const content = value['content'];
  const subject = value['subject'];
  const template = value['defaultReplyTemplateId'] ?? value['template_id'];
  if (content !== undefined && typeof content !== 'string')
    throw new CommandError('invalid_argument', 'outbound content must be text');
  if (subject !== undefined && typeof subject !== 'string')
    throw new CommandError('invalid_argument', 'outbound subject must be text');
  if (template !== undefined && (typeof template !== 'string' || !traits.templates))
    throw new CommandError('invalid_argument', 'defaultReplyTemplateId is a WhatsApp template id');
  const direct = value['direct'] === true;
  if (direct) {
    if (traits.voice) throw new CommandError('invalid_argument', 'a call has no direct content');
    if (!traits.templates && !content?.trim())
      throw new CommandError('invalid_argument', `direct: true needs content (the ${channel} to send)`);
    if (traits.templates && !content?.trim() && !template)
      throw new CommandError('invalid_argument', 'direct: true needs content or defaultReplyTemplateId');
    if (traits.subject && !subject?.trim())
      throw new CommandError('invalid_argument', 'direct: true needs a subject for an email');
    // A text goes from one of the queue's numbers; an email may go from the queue's first address.
    if (!traits.subject && from === undefined)
      throw new CommandError('invalid_argument', 'direct: true needs from (the queue number to send from)');
  }
  const body: Omit<OutboundRequest, 'request_id'> = {
    channel: channel as ChannelType,
    to,
    ...(from === undefined ? {} : { from }),
    ...(subject === undefined ? {} : { subject }),
    ...(moreTo.length ? { cc: moreTo as string[] } : {}),
    ...(direct && content ? { content } : {}),
    ...(direct && template ? { template_id: template } : {}),
  };
  if (direct || (content === undefined && template === undefined && subject === undefined && moreTo.length === 0))
    return { body, draft: null };
  return {
    body,
    draft: {
      content: content ?? '',
      ...(subject ? { subject } : {}),
      // Every address the host gave is a recipient of the email the agent sends.
      ...(moreTo.length > 0 ? { to: recipients as string[] } : {}),
      ...(typeof template === 'string' ? { template_id: template } : {}),
    },
  };
}

/** A transfer or consult target: a string (queue address, username or number) or `{to}` of one. */
export function parseTarget(value: unknown, command: string): Record<string, string> {
  const to = isRecord(value) ? value['to'] : value;
  if (typeof to === 'string' && to.length > 0 && to.length <= 320) return { address: to };
  if (isRecord(to)) {
    for (const key of ['queue_id', 'agent_id', 'number', 'address'] as const)
      if (typeof to[key] === 'string' && Object.keys(to).length === 1) return { [key]: to[key] as string };
  }
  throw new CommandError('invalid_argument', `${command} needs value {to}: a queue address, a username or a number`);
}

/** A fresh client request id, so a retried action is not carried out twice. */
export const requestId = (): string => nextRequestId('p');
