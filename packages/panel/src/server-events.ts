/**
 * What a server frame asks of the panel, decided from the state before it:
 * a pure function, so the controller only carries the reaction out (apply
 * the user, replace or update the conversations, add messages, show typing
 * and tones, set up or follow the call audio).
 */
import type { Interaction, InteractionFrame, Message, ServerEvent, User } from '@parley/protocol';
import { isRecord } from '@parley/protocol';
import type { PanelState } from './panel-state.ts';

/** How long "typing…" shows after the customer's last keystroke news. */
export const TYPING_SHOWN_MS = 4000;

export interface Reaction {
  /** The user as the server has it now. */
  readonly user?: User;
  /** Every open interaction, replacing what the panel holds (a hello, or a resume that could not replay). */
  readonly reset?: { readonly interactions: readonly Interaction[]; readonly eventSeq: number };
  /** One interaction event to apply. */
  readonly frame?: InteractionFrame;
  /** Messages that arrived with the event, for its conversation. */
  readonly messages?: { readonly interactionId: string; readonly messages: readonly Message[] };
  /** What else of the state changes (typing, tones). */
  readonly patch?: Partial<Pick<PanelState, 'typing' | 'tones' | 'audio' | 'queueLoads'>>;
  /** A new connection: set the call audio up on it. */
  readonly attachVoice?: boolean;
  /** Calls may have changed: the audio follows them. */
  readonly followAudio?: boolean;
}

export function react(state: PanelState, event: ServerEvent, now: number): Reaction {
  switch (event.type) {
    case 'hello':
      return {
        user: event.data.user,
        reset: { interactions: event.data.interactions, eventSeq: event.data.event_seq },
        attachVoice: true,
        followAudio: true,
      };
    case 'user':
      return { user: event.data.user };
    case 'interaction':
      return interactionEvent(state, event.data);
    case 'interactions':
      return { reset: { interactions: event.data.interactions, eventSeq: event.data.event_seq }, followAudio: true };
    case 'typing':
      return { patch: { typing: { ...state.typing, [event.data.interaction_id]: now + TYPING_SHOWN_MS } } };
    case 'agent':
      // Agent frames feed the supervisor view, which arrives with the full panel.
      return {};
    case 'station':
      // Another window or client of the agent took the calls (multi_login), or gave them back.
      return { patch: { audio: event.data.active ? 'connected' : 'standby' } };
    case 'queues':
      return { patch: { queueLoads: event.data.queues } };
  }
}

function interactionEvent(state: PanelState, frame: InteractionFrame): Reaction {
  const id = frame.interaction.id;
  let messages: Reaction['messages'];
  let typing: PanelState['typing'] | undefined;
  let tones: PanelState['tones'] | undefined;
  if (frame.event === 'message' || frame.event === 'message_status') {
    // The frame's shape is the server's word, not a guarantee: a detail without a message adds nothing.
    const message: unknown = frame.detail?.message;
    if (isRecord(message)) {
      messages = { interactionId: id, messages: [message as unknown as Message] };
      // The customer's message ends their "typing…".
      if (message['direction'] === 'in') {
        const { [id]: _done, ...rest } = state.typing;
        typing = rest;
      }
    }
  }
  if (frame.event === 'dtmf_received' && typeof frame.detail?.digits === 'string')
    tones = { ...state.tones, [id]: `${state.tones[id] ?? ''}${frame.detail.digits}`.slice(-32) };
  return {
    frame,
    ...(messages ? { messages } : {}),
    ...(typing || tones ? { patch: { ...(typing ? { typing } : {}), ...(tones ? { tones } : {}) } } : {}),
    ...(frame.interaction.channel_type === 'phone' ? { followAudio: true } : {}),
  };
}
