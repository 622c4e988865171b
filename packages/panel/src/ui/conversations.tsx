/**
 * My Conversations: offers, the list of open interactions with the controls
 * their state allows, the consult/transfer dialog, the wrap-up form, the
 * picklist and the dialer. Every button calls the server through the
 * controller; what changes comes back as interaction frames.
 */
import type { AgentActionName, Interaction } from '@parley/protocol';
import { useState } from 'preact/hooks';
import type { ActionBody, PanelController, PanelState } from '../controller.ts';
import { t } from '../i18n.ts';
import { clock, ErrorLine, useLoaded, useSecondsSince, useSecondsUntil } from './common.tsx';
import { ChatView, isThread } from './chat-view.tsx';
import { TargetDialog, WrapupForm } from './dialogs.tsx';
import { CustomerCard, Notes } from './customer.tsx';
import { Parties } from './parties.tsx';
export { Dialer, Picklist } from './picklist.tsx';

export function Offers({ controller, state }: { controller: PanelController; state: PanelState }) {
  const offers = state.interactions.filter((i) => i.state === 'alerting' && i.direction === 'inbound');
  return (
    <div class="offers" role="status" aria-live="assertive" data-testid="offers">
      {offers.map((i) => (
        <Offer key={i.id} controller={controller} interaction={i} />
      ))}
    </div>
  );
}

function Offer({ controller, interaction: i }: { controller: PanelController; interaction: Interaction }) {
  const seconds = useSecondsUntil(i.offer_expires);
  const [error, setError] = useState<string | null>(null);
  const act = (action: AgentActionName) => void controller.uiAct(i.id, { action }).then(setError);
  return (
    <div class="offer" data-testid="offer">
      <strong>{t('conv.offer', { channel: t(`channel.${i.channel_type}`), from: i.remote_address })}</strong>
      <span class="muted">{i.queue_name ?? ''}</span>
      {seconds !== null && <span class="countdown">{t('conv.expires', { seconds: String(seconds) })}</span>}
      <div class="actions">
        <button type="button" data-testid="offer-accept" onClick={() => act('accept')}>
          {t('conv.accept')}
        </button>
        <button type="button" class="secondary" data-testid="offer-reject" onClick={() => act('reject')}>
          {t('conv.reject')}
        </button>
      </div>
      <ErrorLine error={error} />
    </div>
  );
}

const STATE_KEYS = {
  incoming: 'state.incoming',
  outgoing: 'state.outgoing',
  alerting: 'state.alerting',
  accepted: 'state.accepted',
  held: 'state.held',
  ended: 'state.ended',
  wrap_up: 'state.wrap_up',
} as const;

/** One open interaction with the controls its state allows. */
export function ConversationItem({
  controller,
  interaction: i,
  active,
  all,
  unread = 0,
  compact = false,
  dialog = null,
  setDialog = () => undefined,
}: {
  controller: PanelController;
  interaction: Interaction;
  active: boolean;
  all: readonly Interaction[];
  /** Customer messages the agent has not seen yet. */
  unread?: number;
  /** The compact view keeps hang-up and finishing; everything else is in the full panel. */
  compact?: boolean;
  /** The transfer or consult dialog open on this interaction (a button or a keyboard shortcut opened it). */
  dialog?: 'transfer' | 'consult' | null;
  setDialog?: (kind: 'transfer' | 'consult' | null) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [keypad, setKeypad] = useState(false);
  const act = (body: ActionBody) => void controller.uiAct(i.id, body).then(setError);
  const phone = i.channel_type === 'phone';
  const talking = i.state === 'accepted' || i.state === 'held';
  const isLeg = i.consultation_of !== undefined && i.direction === 'outbound';
  // A consultation offered to me, not yet joined: who asks, and about which customer.
  const consulted = isThread(i) && i.direction === 'inbound';
  const running = useSecondsSince(talking ? (i.date_accepted ?? i.created) : undefined);
  const onHold = useSecondsSince(i.held ? i.held_since : undefined);
  const consultation = all.find((c) => c.consultation_of === i.id && c.direction === 'outbound');
  if (i.state === 'alerting' && i.direction === 'inbound') return null; // shown as an offer
  return (
    <li class={active ? 'conv active' : 'conv'} data-testid="conversation" data-state={i.state}>
      <button type="button" class="conv-head" aria-current={active} onClick={() => controller.show(i.id)}>
        <span class={`chan chan-${i.channel_type}`}>{t(`channel.${i.channel_type}`)}</span>
        {consulted ? (
          <ConsultedBy controller={controller} interaction={i} />
        ) : isLeg ? (
          <Colleague controller={controller} address={i.remote_address} />
        ) : (
          <span class="addr">{i.remote_address}</span>
        )}
        <span class="muted">{isLeg || consulted ? t('conv.consultation') : (i.queue_name ?? '')}</span>
        {onHold !== null ? (
          <span class="conv-state held-time" data-testid="hold-time">
            {t('conv.onHold', { time: clock(onHold) })}
          </span>
        ) : (
          <span class="conv-state">
            {i.state in STATE_KEYS ? t(STATE_KEYS[i.state as keyof typeof STATE_KEYS]) : i.state}
          </span>
        )}
        {running !== null && (
          <span class="countdown" data-testid="duration" aria-label={t('conv.duration')}>
            {clock(running)}
          </span>
        )}
        {i.recording && (
          <span class="rec" data-testid="recording">
            <span class="rec-dot" aria-hidden="true" />
            {t('conv.recording')}
          </span>
        )}
        {unread > 0 && (
          <span class="badge" data-testid="unread" aria-label={t('unread.count', { count: String(unread) })}>
            {unread}
          </span>
        )}
      </button>
      <div class="actions">
        {!compact && phone && talking && !isLeg && (
          <button type="button" onClick={() => act({ action: i.held ? 'unhold' : 'hold' })} aria-pressed={i.held}>
            {i.held ? t('conv.unhold') : t('conv.hold')}
          </button>
        )}
        {!compact && phone && talking && (
          <button type="button" onClick={() => act({ action: i.muted ? 'unmute' : 'mute' })} aria-pressed={i.muted}>
            {i.muted ? t('conv.unmute') : t('conv.mute')}
          </button>
        )}
        {!compact && phone && talking && (
          <button
            type="button"
            aria-pressed={i.recording}
            data-testid="record"
            onClick={() => act({ action: i.recording ? 'stop_recording' : 'start_recording' })}
          >
            {i.recording ? t('conv.stopRecording') : t('conv.record')}
          </button>
        )}
        {!compact && phone && i.state === 'accepted' && (
          <button type="button" aria-expanded={keypad} onClick={() => setKeypad(!keypad)}>
            {t('conv.keypad')}
          </button>
        )}
        {!compact && talking && !isLeg && !consulted && !consultation && (
          <button type="button" data-testid="transfer" onClick={() => setDialog('transfer')}>
            {t('conv.transfer')}
          </button>
        )}
        {!compact && i.channel_type !== 'email' && talking && !isLeg && !consulted && !consultation && (
          <button type="button" data-testid="consult" onClick={() => setDialog('consult')}>
            {t('conv.consult')}
          </button>
        )}
        {!compact && consultation && consultation.state === 'accepted' && (
          <>
            <button type="button" data-testid="join" onClick={() => act({ action: 'join' })}>
              {t('conv.join')}
            </button>
            <button type="button" data-testid="conference" onClick={() => act({ action: 'conference' })}>
              {t('conv.conference')}
            </button>
          </>
        )}
        {!compact && consultation && (
          <button type="button" class="secondary" onClick={() => act({ action: 'cancel_consult' })}>
            {t('conv.cancelConsult')}
          </button>
        )}
        {(talking || (i.direction === 'outbound' && (i.state === 'alerting' || i.state === 'outgoing'))) && (
          <button type="button" class="danger" data-testid="hangup" onClick={() => act({ action: 'hangup' })}>
            {phone ? t('conv.hangup') : t('conv.end')}
          </button>
        )}
      </div>
      {keypad && phone && i.state === 'accepted' && (
        <div class="keypad" role="group" aria-label={t('conv.keypad')}>
          {['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'].map((d) => (
            <button key={d} type="button" onClick={() => act({ action: 'dtmf', digits: d })}>
              {d}
            </button>
          ))}
        </div>
      )}
      {phone && controller.state.tones[i.id] && (
        <p class="muted" data-testid="caller-keys">
          {t('conv.callerKeys')}: {controller.state.tones[i.id]}
        </p>
      )}
      {!compact && i.conference && talking && <Parties controller={controller} interaction={i} />}
      {!compact && active && <CustomerCard controller={controller} interaction={i} />}
      {/* Master/detail: the transcript, the card and the notes of the conversation in view; the others stay one line with their controls. */}
      {!compact && active && i.conversation_id && (talking || i.state === 'wrap_up' || i.state === 'ended') && (
        <ChatView controller={controller} interaction={i} />
      )}
      {!compact && active && i.state !== 'alerting' && <Notes controller={controller} interaction={i} />}
      {(i.state === 'wrap_up' || i.state === 'ended') &&
        (compact ? (
          <button type="button" data-testid="wrapup-done" onClick={() => act({ action: 'handle' })}>
            {t('conv.done')}
          </button>
        ) : (
          <WrapupForm controller={controller} interaction={i} />
        ))}
      {dialog && (
        <TargetDialog
          controller={controller}
          interaction={i}
          kind={dialog}
          onClose={(message) => {
            setDialog(null);
            setError(message);
          }}
        />
      )}
      <ErrorLine error={error} />
    </li>
  );
}

/** The colleague (or queue, or number) I consult: a username shows as their display name. */
function Colleague({ controller, address }: { controller: PanelController; address: string }) {
  const people = useLoaded(controller.lookups.directory);
  return <span class="addr">{people?.find((p) => p.username === address)?.display_name ?? address}</span>;
}

/** The colleague who consults me (their display name, from the directory) and their customer. */
function ConsultedBy({ controller, interaction: i }: { controller: PanelController; interaction: Interaction }) {
  const people = useLoaded(controller.lookups.directory);
  const name = people?.find((p) => p.username === i.remote_address)?.display_name ?? i.remote_address;
  return (
    <span class="addr" data-testid="consulted-by">
      {t('conv.consultFrom', { agent: name, customer: i.local_address })}
    </span>
  );
}
