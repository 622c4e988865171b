/** The picklist of waiting contacts, and the dialer for outbound contacts. */
import { CHANNEL_TRAITS, CHANNEL_TYPES, type Contact, type Queue } from '@parley/protocol';
import { useEffect, useState } from 'preact/hooks';
import type { PanelController } from '../controller.ts';
import { t } from '../i18n.ts';
import { ErrorLine, useLoaded } from './common.tsx';

export function Picklist({ controller }: { controller: PanelController }) {
  const [contacts, setContacts] = useState<Contact[]>([]);
  const [error, setError] = useState<string | null>(null);
  const refresh = () =>
    void controller.lookups.picklist().then(
      (c) => setContacts(c),
      () => setContacts([]),
    );
  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, 10_000);
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
