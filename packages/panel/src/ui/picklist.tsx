/** The picklist of waiting contacts, and the dialer for outbound contacts. */
import { CHANNEL_TRAITS, CHANNEL_TYPES, type Contact, type Queue, type QueueLoad } from '@parley/protocol';
import { useEffect, useState } from 'preact/hooks';
import type { PanelController } from '../controller.ts';
import { t } from '../i18n.ts';
import { clock, ErrorLine, useLoaded, useSecondsSince } from './common.tsx';

/** How long a contact has been waiting, ticking. */
function Waited({ since }: { since: string }) {
  const seconds = useSecondsSince(since);
  return seconds === null ? null : <span class="muted small">{t('pick.waited', { time: clock(seconds) })}</span>;
}

export function Picklist({ controller, queues = [] }: { controller: PanelController; queues?: readonly QueueLoad[] }) {
  const [contacts, setContacts] = useState<Contact[]>([]);
  const [error, setError] = useState<string | null>(null);
  const refresh = () =>
    void controller.lookups.picklist().then(
      (c) => setContacts(c),
      () => setContacts([]),
    );
  // The server pushes the queue lines: a changed line refreshes the list (and a slow timer covers the rest).
  const lines = queues.map((q) => `${q.queue_id}:${q.waiting}:${q.oldest_waiting_since ?? ''}`).join();
  useEffect(() => {
    refresh();
  }, [lines]);
  useEffect(() => {
    const timer = setInterval(refresh, 30_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <section class="picklist" aria-labelledby="pick-title">
      <h2 id="pick-title">
        {t('pick.title')}{' '}
        <button type="button" class="link" onClick={refresh}>
          {t('pick.refresh')}
        </button>
      </h2>
      {contacts.length === 0 ? (
        <p class="muted">{t('pick.empty')}</p>
      ) : (
        <ul aria-labelledby="pick-title" data-testid="picklist">
          {contacts.map((c) => (
            <li key={c.id}>
              <span class={`chan chan-${c.channel_type}`}>{t(`channel.${c.channel_type}`)}</span> {c.remote_address}{' '}
              <span class="muted">{queues.find((q) => q.queue_id === c.queue_id)?.name ?? ''}</span>{' '}
              <Waited since={c.waiting_since} />{' '}
              <button
                type="button"
                data-testid="pick"
                onClick={() =>
                  void controller.uiPick(c.id).then((e) => {
                    setError(e);
                    refresh();
                  })
                }
              >
                {t('pick.pick')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <ErrorLine error={error} />
    </section>
  );
}

/** Start a call, SMS, WhatsApp or email from an address of a queue I serve. */
export function Dialer({ controller }: { controller: PanelController }) {
  const queues = useLoaded<Queue[]>(controller.lookups.myQueues);
  const [open, setOpen] = useState(false);
  const [channel, setChannel] = useState('phone');
  const [to, setTo] = useState('');
  const [from, setFrom] = useState('');
  const [error, setError] = useState<string | null>(null);
  const addresses = (queues ?? []).filter((q) => q.type === channel).flatMap((q) => q.addresses.map((a) => a.address));
  if (!open)
    return (
      <button type="button" class="link" data-testid="new-outbound" onClick={() => setOpen(true)}>
        {t('dial.open')}
      </button>
    );
  return (
    <form
      class="dialer"
      aria-label={t('dial.open')}
      onSubmit={(e) => {
        e.preventDefault();
        // A number is checked here, in the agent's language, before the server is asked.
        if (channel !== 'email' && !/^\+?[0-9]{3,20}$/.test(to.replace(/[\s()./-]/g, ''))) {
          setError(t('dial.badNumber', { to: to.trim() }));
          return;
        }
        void controller.uiOutbound({ channel, to: to.trim(), ...(from ? { from } : {}) }).then((err) => {
          setError(err);
          if (!err) {
            setTo('');
            setOpen(false);
          }
        });
      }}
    >
      <select aria-label={t('dial.channel')} value={channel} onChange={(e) => setChannel(e.currentTarget.value)}>
        {CHANNEL_TYPES.filter((c) => CHANNEL_TRAITS[c].outbound).map((c) => (
          <option key={c} value={c}>
            {t(`channel.${c}`)}
          </option>
        ))}
      </select>
      <input
        required
        aria-label={t('dial.to')}
        placeholder={t('dial.to')}
        value={to}
        onInput={(e) => setTo(e.currentTarget.value)}
      />
      <select aria-label={t('dial.from')} value={from} onChange={(e) => setFrom(e.currentTarget.value)}>
        <option value="">{t('dial.defaultFrom')}</option>
        {addresses.map((a) => (
          <option key={a} value={a}>
            {a}
          </option>
        ))}
      </select>
      <button type="submit">{t('dial.start')}</button>
      <button type="button" class="secondary" onClick={() => setOpen(false)}>
        {t('conv.cancel')}
      </button>
      <ErrorLine error={error} />
    </form>
  );
}
