/** The `detail` command: what the panel knows about the agent, their queues and interactions. */
import type { Interaction, Message, Queue, User } from '@parley/protocol';
import { DETAIL_SUBJECTS, isHexId } from '@parley/protocol';
import { CommandError } from './bridge/index.ts';

/** Where the answers come from. */
export interface DetailSources {
  readonly rest: { myQueues(): Promise<Queue[]>; interaction(id: string): Promise<Interaction> };
  readonly conversations: {
    list(): readonly Interaction[];
    readonly active: Interaction | null;
    get(id: string): Interaction | null | undefined;
  };
  readonly audioConnected: boolean;
  transcript(interactionId: string): Promise<readonly Message[]>;
}

export function answerDetail(subject: unknown, user: User, src: DetailSources): unknown {
  if (subject === 'user') return user;
  if (subject === 'queues') return src.rest.myQueues();
  if (subject === 'interactions') return src.conversations.list();
  if (subject === 'interaction' || subject === 'activeInteraction') return src.conversations.active;
  if (subject === 'queue') {
    const queueId = src.conversations.active?.queue_id;
    if (!queueId) return null;
    return src.rest.myQueues().then((queues) => queues.find((q) => q.id === queueId) ?? null);
  }
  if (subject === 'transcript') {
    const active = src.conversations.active;
    return active ? src.transcript(active.id) : [];
  }
  // Calls ring at the panel's own WebRTC station; without audio there is no extension.
  if (subject === 'activeExtension') return src.audioConnected ? 'panel' : '';
  if (typeof subject === 'string' && isHexId(subject))
    return src.conversations.get(subject) ?? src.rest.interaction(subject);
  if (typeof subject === 'string' && (DETAIL_SUBJECTS as readonly string[]).includes(subject)) {
    throw new CommandError('unsupported', `detail ${subject} is not available in this Parley version yet.`);
  }
  throw new CommandError('invalid_argument', `detail needs one of ${DETAIL_SUBJECTS.join(', ')} or an interaction id`);
}
