/** The agent's queues and who waits in them, live (pushed by the server): the count and the longest wait. */
import type { QueueLoad } from '@parley/protocol';
import { t } from '../i18n.ts';
import { clock, useSecondsSince } from './common.tsx';

function QueueChip({ q }: { q: QueueLoad }) {
  const longest = useSecondsSince(q.oldest_waiting_since ?? undefined);
  return (
    <li class={q.waiting > 0 ? 'queue-chip busy' : 'queue-chip'} data-testid="queue-load" data-queue={q.queue_id}>
      <span class="queue-name">{q.name}</span>
      <span class="queue-waiting" aria-label={t('queues.waiting', { count: String(q.waiting) })}>
        {q.waiting}
      </span>
      {longest !== null && (
        <span class="queue-longest" data-testid="queue-longest" title={t('queues.longest')}>
          {clock(longest)}
        </span>
      )}
    </li>
  );
}

export function QueueLoads({ queues }: { queues: readonly QueueLoad[] }) {
  if (queues.length === 0) return null;
  return (
    <section class="queue-loads" aria-label={t('queues.title')}>
      <ul>
        {queues.map((q) => (
          <QueueChip key={q.queue_id} q={q} />
        ))}
      </ul>
    </section>
  );
}
