/** The agent's missed offers and their queues' abandoned contacts, with a call back or a reply on the same channel. */
import type { MissedEntry } from '@parley/protocol';
import { useState } from 'preact/hooks';
import { PhoneMissed, Reply, PhoneOutgoing } from 'lucide';
import type { PanelController } from '../controller.ts';
import { t } from '../i18n.ts';
import { ErrorLine } from './common.tsx';
import { Icon } from './icon.tsx';

/** How to get back to the customer: the channel and address to start from, or null (a chat without an address). */
export function callBack(m: MissedEntry): { channel: string; to: string } | null {
  const email =
    /<([^<>\s]+@[^<>\s]+)>/.exec(m.remote_address)?.[1] ?? (m.remote_address.includes('@') ? m.remote_address : null);
  if (m.channel_type === 'phone' || m.channel_type === 'sms' || m.channel_type === 'whatsapp')
    return { channel: m.channel_type, to: m.remote_address };
  return email ? { channel: 'email', to: email } : null;
}

const time = (iso: string) =>
  new Date(iso).toLocaleTimeString(document.documentElement.lang || 'en', { hour: '2-digit', minute: '2-digit' });

export function Missed({ controller, missed }: { controller: PanelController; missed: readonly MissedEntry[] }) {
  const [error, setError] = useState<string | null>(null);
  const [cleared, setCleared] = useState<string | null>(null);
  const shown = cleared ? missed.filter((m) => m.at > cleared) : missed;
  if (shown.length === 0) return null;
  return (
    <section class="missed" aria-labelledby="missed-title" data-testid="missed">
      <h2 id="missed-title">
        <Icon node={PhoneMissed} /> {t('missed.title')} <span class="badge">{shown.length}</span>{' '}
        <button type="button" class="link" onClick={() => setCleared(shown[0]?.at ?? null)}>
          {t('missed.clear')}
        </button>
      </h2>
      <ul>
        {shown.map((m) => {
          const back = callBack(m);
          const taken = m.state === 'accepted' || m.state === 'handled' || m.state === 'wrap_up';
          return (
            <li key={m.interaction_id} data-testid="missed-entry" data-reason={m.reason}>
              <div>
                <span class={`chan chan-${m.channel_type}`}>{t(`channel.${m.channel_type as 'phone'}`)}</span>{' '}
                <strong>{m.remote_address}</strong> <time dateTime={m.at}>{time(m.at)}</time>
              </div>
              <div class="muted small">
                {m.queue_name ? `${m.queue_name} · ` : ''}
                {taken ? t('missed.taken') : m.reason === 'timeout' ? t('missed.timeout') : t('missed.abandoned')}
              </div>
              {back && !taken && (
                <button
                  type="button"
                  class="secondary"
                  data-testid="missed-callback"
                  onClick={() => void controller.uiOutbound(back).then(setError)}
                >
                  <Icon node={back.channel === 'phone' ? PhoneOutgoing : Reply} />{' '}
                  {back.channel === 'phone' ? t('missed.callBack') : t('missed.reply')}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      <ErrorLine error={error} />
    </section>
  );
}
