/**
 * The agent's own state in the header: ready toggle, presence, the
 * not-ready reason picker, how long they have been in this state and why;
 * and the notices about changes they did not make (a supervisor's forced
 * state or logout, missed offers, a transfer nobody took).
 */
import { useState } from 'preact/hooks';
import type { PanelController, PanelState } from '../controller.ts';
import { presenceName, t } from '../i18n.ts';
import type { Notice } from '../notices.ts';
import { clock, useLoaded, useSecondsSince } from './common.tsx';

type User = NonNullable<PanelState['user']>;

/** "Not ready · Meeting · 3:12": the work status, the reason, and the time in it. */
export function StateLine({ user }: { user: User }) {
  const since = useSecondsSince(user.state_changed_at ?? undefined);
  const reason = user.work_status === 'not_ready' ? user.not_ready_reason_label : null;
  return (
    <div class={`status status-${user.work_status}`} data-testid="work-status-line">
      <span data-testid="work-status">{t(`status.${user.work_status}`)}</span>
      {reason && <span data-testid="not-ready-reason"> · {presenceName(reason)}</span>}
      {since !== null && (
        <span class="muted state-time" data-testid="state-time" title={t('state.timeInState')}>
          {' '}
          · {clock(since)}
        </span>
      )}
    </div>
  );
}

/** Ready toggle, presence profile and (while not ready) the reason: the agent's own state, as every other client sees it. */
/** The ready toggle and the presence or not-ready reason; the compact view keeps the toggle only. */
export function StateControls({
  controller,
  user,
  compact = false,
}: {
  controller: PanelController;
  user: User;
  compact?: boolean;
}) {
  const [error, setError] = useState<string | null>(null);
  const reasons = useLoaded(controller.lookups.notReadyReasons);
  const run = (action: () => Promise<void>) => {
    setError(null);
    action().catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  };
  // While busy or wrapping up, the toggle shows the agent's own choice (it takes effect afterwards).
  const ready = user.ready ?? user.work_status === 'ready';
  // Missed offers is routing's reason, not one to choose; it shows while it is the current one.
  const choices = (reasons ?? []).filter((r) => r.code !== 'missed_offers' || r.id === user.not_ready_reason);
  return (
    <div class="state">
      <button
        type="button"
        class={ready ? 'toggle on' : 'toggle'}
        aria-pressed={ready}
        data-testid="ready-toggle"
        onClick={() => run(() => controller.setReady(!ready))}
      >
        {ready ? t('state.setNotReady') : t('state.setReady')}
      </button>
      {compact ? null : !ready && choices.length > 0 ? (
        <label class="presence">
          <span class="sr-only">{t('state.reason')}</span>
          <select
            data-testid="not-ready-reasons"
            value={user.not_ready_reason_code ?? ''}
            onChange={(e) => run(() => controller.setReady(false, e.currentTarget.value || undefined))}
          >
            <option value="">{t('state.noReason')}</option>
            {choices.map((r) => (
              <option key={r.id} value={r.code}>
                {presenceName(r.label)}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <label class="presence">
          <span class="sr-only">{t('state.presence')}</span>
          <select
            data-testid="presence"
            value={user.presence}
            onChange={(e) => run(() => controller.setPresence(e.currentTarget.value))}
          >
            {user.presence_profiles.map((p) => (
              <option key={p.id} value={p.id}>
                {presenceName(p.name)}
              </option>
            ))}
          </select>
        </label>
      )}
      {error && (
        <span class="error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

/** What happened to the agent that they did not do themselves, until they dismiss it. */
export function Notices({ controller, notices }: { controller: PanelController; notices: readonly Notice[] }) {
  if (notices.length === 0) return null;
  return (
    <ul class="notices" data-testid="notices">
      {notices.map((n) => (
        <li key={n.id} class={`notice notice-${n.kind}`} data-testid="notice" data-kind={n.kind}>
          <span role="alert">{noticeText(n)}</span>
          <button
            type="button"
            class="link"
            aria-label={t('notice.dismiss')}
            data-testid="notice-dismiss"
            onClick={() => controller.dismiss(n.id)}
          >
            {t('notice.ok')}
          </button>
        </li>
      ))}
    </ul>
  );
}

function noticeText(n: Notice): string {
  const p = n.params;
  switch (n.kind) {
    case 'forced_state':
      return p['status'] === 'ready'
        ? t('notice.forcedReady', { by: p['by'] ?? '' })
        : p['reason']
          ? t('notice.forcedNotReadyReason', { by: p['by'] ?? '', reason: presenceName(p['reason']) })
          : t('notice.forcedNotReady', { by: p['by'] ?? '' });
    case 'forced_logout':
      return t('notice.forcedLogout', { by: p['by'] ?? '' });
    case 'missed_offers':
      return t('notice.missedOffers');
    case 'monitored': {
      const mode = p['mode'] === 'whisper' || p['mode'] === 'barge' || p['mode'] === 'monitor' ? p['mode'] : 'left';
      return t(`notice.monitored.${mode}`, { by: p['by'] ?? '', customer: p['customer'] ?? '' });
    }
    case 'transfer_failed':
      return p['outcome'] === 'queued'
        ? t('notice.transferQueued', {
            agent: p['agent'] ?? '',
            customer: p['customer'] ?? '',
            queue: p['queue'] ?? '',
          })
        : t('notice.transferLost', { agent: p['agent'] ?? '', customer: p['customer'] ?? '' });
  }
}
