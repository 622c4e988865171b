/**
 * The customer card beside a conversation — who, the details that came with
 * the contact, earlier contacts with their outcomes, notes and recordings —
 * and the interaction's internal notes, which the agent can add at any time.
 */
import type { CustomerHistoryEntry, Interaction } from '@parley/protocol';
import { useEffect, useState } from 'preact/hooks';
import { Mail, NotebookPen, Phone, UserRound } from 'lucide';
import type { PanelController } from '../controller.ts';
import { t } from '../i18n.ts';
import { ErrorLine } from './common.tsx';
import { Icon } from './icon.tsx';

const when = (iso: string) =>
  new Date(iso).toLocaleString(document.documentElement.lang || 'en', { dateStyle: 'medium', timeStyle: 'short' });

export function CustomerCard({
  controller,
  interaction: i,
}: {
  controller: PanelController;
  interaction: Interaction;
}) {
  const card = controller.state.cards[i.id];
  useEffect(() => {
    if (card === undefined && i.customer_id) void controller.workspace.card(i);
  }, [i.id, i.customer_id]);
  if (!i.customer_id || card === null) return null;
  if (card === undefined)
    return (
      <p class="muted" role="status">
        {t('card.loading')}
      </p>
    );
  const c = card.customer;
  const attributes = Object.entries(card.attributes);
  return (
    <section class="card" aria-label={t('card.title')} data-testid="customer-card">
      <header class="card-head">
        <Icon node={UserRound} />
        <strong data-testid="customer-name">{c.name}</strong>
        <span class="muted" data-testid="customer-earlier">
          {card.history.length === 0
            ? t('card.first')
            : card.history.length === 1
              ? t('card.earlierOne')
              : t('card.earlier', { count: String(card.history.length) })}
        </span>
      </header>
      <ul class="card-ids">
        {c.phone && (
          <li>
            <Icon node={Phone} size={14} /> {c.phone}
          </li>
        )}
        {c.email && (
          <li>
            <Icon node={Mail} size={14} /> {c.email}
          </li>
        )}
      </ul>
      {attributes.length > 0 && (
        <dl class="card-attrs" aria-label={t('card.attributes')} data-testid="customer-attributes">
          {attributes.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      )}
      {card.history.length > 0 && (
        <details class="card-history" open={card.history.length <= 3}>
          <summary>{t('card.history')}</summary>
          <ol data-testid="customer-history">
            {card.history.slice(0, 10).map((h) => (
              <HistoryItem key={h.interaction_id} controller={controller} entry={h} />
            ))}
          </ol>
        </details>
      )}
    </section>
  );
}

function HistoryItem({ controller, entry: h }: { controller: PanelController; entry: CustomerHistoryEntry }) {
  return (
    <li data-testid="history-entry">
      <span class={`chan chan-${h.channel}`}>{t(`channel.${h.channel as Interaction['channel_type']}`)}</span>{' '}
      <time dateTime={h.created}>{when(h.created)}</time>
      {h.agent_name && <span class="muted"> {t('card.by', { agent: h.agent_name })}</span>}
      {h.wrapup?.code && <span class="tag">{h.wrapup.code}</span>}
      {h.wrapup?.notes && <p class="history-notes">{h.wrapup.notes}</p>}
      {h.notes.map((n) => (
        <p key={n.id} class="history-notes">
          <Icon node={NotebookPen} size={12} /> {n.body} <span class="muted">— {n.author_name}</span>
        </p>
      ))}
      {h.recordings.map((r) =>
        r.url ? (
          <a key={r.id} href={controller.restUrl(r.url)} download>
            {t('card.recording', { seconds: String(Math.round(r.duration_ms / 1000)) })}
          </a>
        ) : null,
      )}
    </li>
  );
}

/** The interaction's internal notes: listed, and one more added at any time (during the conversation or wrap-up). */
export function Notes({ controller, interaction: i }: { controller: PanelController; interaction: Interaction }) {
  const notes = controller.state.notes[i.id];
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void controller.workspace.loadNotes(i.id).catch(() => undefined);
  }, [i.id]);
  return (
    <section class="notes" aria-labelledby={`notes-${i.id}`} data-testid="notes">
      <h3 id={`notes-${i.id}`}>
        <Icon node={NotebookPen} size={14} /> {t('notes.title')}
      </h3>
      {notes && notes.length > 0 ? (
        <ul>
          {notes.map((n) => (
            <li key={n.id} data-testid="note">
              {n.body} <span class="muted">— {n.author_name}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{t('notes.empty')}</p>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!body.trim()) return;
          controller.workspace.addNote(i, body.trim()).then(
            () => {
              setBody('');
              setError(null);
            },
            (err: unknown) => setError(err instanceof Error ? err.message : String(err)),
          );
        }}
      >
        <textarea
          rows={2}
          aria-label={t('notes.add')}
          placeholder={t('notes.add')}
          aria-describedby={`notes-hint-${i.id}`}
          data-testid="note-input"
          value={body}
          maxLength={4000}
          onInput={(e) => setBody(e.currentTarget.value)}
        />
        <button type="submit" class="secondary" data-testid="note-save" disabled={!body.trim()}>
          {t('notes.save')}
        </button>
      </form>
      <p class="muted small" id={`notes-hint-${i.id}`}>
        {t('notes.hint')}
      </p>
      <ErrorLine error={error} />
    </section>
  );
}
