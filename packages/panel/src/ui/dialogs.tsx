/** The wrap-up form and the transfer/consult target dialog. */
import type { Interaction, Queue } from '@parley/protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { DirectoryEntry, ReasonCode } from '@parley/agent';
import type { PanelController } from '../controller.ts';
import { t } from '../i18n.ts';
import { ErrorLine, useLoaded, useSecondsUntil } from './common.tsx';

export function WrapupForm({ controller, interaction: i }: { controller: PanelController; interaction: Interaction }) {
  const codes = useLoaded<ReasonCode[]>(controller.lookups.wrapupCodes);
  const [code, setCode] = useState(i.wrapup?.code ?? '');
  const [notes, setNotes] = useState(i.wrapup?.notes ?? '');
  const [error, setError] = useState<string | null>(null);
  const left = useSecondsUntil(i.state === 'wrap_up' ? i.wrapup_until : undefined);
  return (
    <form
      class="wrapup"
      onSubmit={(e) => {
        e.preventDefault();
        void controller
          .uiAct(i.id, { action: 'handle', ...(code ? { code } : {}), ...(notes ? { notes } : {}) })
          .then(setError);
      }}
    >
      {left !== null && (
        <span class="countdown" role="timer">
          {t('conv.wrapupLeft', { seconds: String(left) })}
        </span>
      )}
      <label>
        {t('conv.code')}
        <select data-testid="wrapup-code" value={code} onChange={(e) => setCode(e.currentTarget.value)}>
          <option value="">—</option>
          {(codes ?? []).map((c) => (
            <option key={c.id} value={c.code}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('conv.notes')}
        <textarea
          data-testid="wrapup-notes"
          value={notes}
          onInput={(e) => setNotes(e.currentTarget.value)}
          rows={2}
          maxLength={4000}
        />
      </label>
      <div class="actions">
        <button type="submit" data-testid="wrapup-done">
          {t('conv.done')}
        </button>
        {i.state === 'wrap_up' && (
          <button
            type="button"
            class="secondary"
            onClick={() => void controller.uiAct(i.id, { action: 'wrapup', extend_seconds: 60 }).then(setError)}
          >
            {t('conv.extend')}
          </button>
        )}
      </div>
      <ErrorLine error={error} />
    </form>
  );
}

/** Where to transfer or consult: queues of the channel, agents (ready first) or a number; searchable. */
export function TargetDialog({
  controller,
  interaction: i,
  kind,
  onClose,
}: {
  controller: PanelController;
  interaction: Interaction;
  kind: 'transfer' | 'consult';
  onClose: (error: string | null) => void;
}) {
  const queues = useLoaded<Queue[]>(controller.lookups.queues);
  const people = useLoaded<DirectoryEntry[]>(controller.lookups.directory);
  const [filter, setFilter] = useState('');
  const [number, setNumber] = useState('');
  const search = useRef<HTMLInputElement>(null);
  useEffect(() => search.current?.focus(), []);
  const me = controller.state.user?.id;
  const match = (text: string) => text.toLowerCase().includes(filter.trim().toLowerCase());
  const go = (to: Record<string, string>) => void controller.uiAct(i.id, { action: kind, to }).then(onClose);
  const rank = (s: string) => (s === 'ready' ? 0 : s === 'not_ready' || s === 'wrap_up' || s === 'busy' ? 1 : 2);
  return (
    <div
      class="dialog"
      role="dialog"
      aria-modal="true"
      aria-labelledby={`dlg-${i.id}`}
      data-testid="target-dialog"
      onKeyDown={(e) => e.key === 'Escape' && onClose(null)}
    >
      <h3 id={`dlg-${i.id}`}>{kind === 'transfer' ? t('conv.transferTo') : t('conv.consultWith')}</h3>
      <input
        ref={search}
        type="search"
        aria-label={t('conv.search')}
        placeholder={t('conv.search')}
        value={filter}
        onInput={(e) => setFilter(e.currentTarget.value)}
      />
      <ul class="targets" aria-label={t('conv.targets')}>
        {(queues ?? [])
          .filter((q) => q.type === i.channel_type && match(q.name))
          .map((q) => (
            <li key={q.id}>
              <button type="button" onClick={() => go({ queue_id: q.id })}>
                {q.name}
              </button>
            </li>
          ))}
        {(people ?? [])
          .filter((p) => p.id !== me && match(`${p.display_name} ${p.username}`))
          .sort((a, b) => rank(a.work_status) - rank(b.work_status))
          .map((p) => (
            <li key={p.id}>
              <button type="button" data-testid={`target-${p.username}`} onClick={() => go({ agent_id: p.id })}>
                {p.display_name}{' '}
                <span class={`status status-${p.work_status}`}>{t(`status.${p.work_status as 'ready'}`)}</span>
              </button>
            </li>
          ))}
      </ul>
      {i.channel_type === 'phone' && (
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            if (number.trim()) go({ number: number.trim() });
          }}
        >
          <input
            type="tel"
            aria-label={t('conv.number')}
            placeholder={t('conv.number')}
            value={number}
            onInput={(e) => setNumber(e.currentTarget.value)}
          />
          <button type="submit">{kind === 'transfer' ? t('conv.transfer') : t('conv.consult')}</button>
        </form>
      )}
      <button type="button" class="secondary" onClick={() => onClose(null)}>
        {t('conv.cancel')}
      </button>
    </div>
  );
}

/** Contacts waiting in my queues, to pick; refreshed every 10 s while shown. */
