/** The wallboard: every queue in view, now and today, grouped by channel, with threshold colours. */
import type { QueueBoard, QueueDayStats } from '@parley/protocol';
import { t } from '../i18n.ts';
import {
  byChannel,
  clock,
  percent,
  seconds,
  serviceLevelLevel,
  staffingLevel,
  total,
  waitLevel,
  type Level,
} from '../model.ts';
import { ChannelIcon, channelName } from './common.tsx';

function Metric(props: { label: string; value: string; level?: Level; title?: string; big?: boolean }) {
  return (
    <div class={`metric ${props.level ?? 'none'}${props.big ? ' big' : ''}`} title={props.title}>
      <dt>{props.label}</dt>
      <dd>{props.value}</dd>
    </div>
  );
}

function Today({ today, slThreshold }: { today: QueueDayStats; slThreshold: number | null }) {
  return (
    <>
      <Metric
        label={t('wall.sl')}
        value={percent(today.service_level)}
        level={serviceLevelLevel(today.service_level)}
        {...(slThreshold === null ? {} : { title: t('wall.slHint', { s: slThreshold }) })}
      />
      <Metric label={t('wall.offered')} value={String(today.offered)} />
      <Metric label={t('wall.answered')} value={String(today.answered)} />
      <Metric
        label={t('wall.abandoned')}
        value={String(today.abandoned)}
        level={today.abandoned > 0 ? 'warn' : 'none'}
      />
      <Metric label={t('wall.asa')} title={t('wall.asaLong')} value={seconds(today.asa_s)} />
      <Metric label={t('wall.aht')} title={t('wall.ahtLong')} value={seconds(today.aht_s)} />
    </>
  );
}

function Tile({ q, now }: { q: QueueBoard; now: number }) {
  const staffing = staffingLevel(q);
  const waited = q.oldest_waiting_since ? now - Date.parse(q.oldest_waiting_since) : 0;
  return (
    <article class="tile" aria-labelledby={`q-${q.queue_id}`} data-queue={q.name}>
      <header>
        <ChannelIcon channel={q.channel} />
        <h4 id={`q-${q.queue_id}`}>{q.name}</h4>
      </header>
      <dl class="metrics">
        <Metric
          big
          label={t('wall.waiting')}
          value={String(q.waiting)}
          level={staffing === 'bad' ? 'bad' : q.waiting > 0 ? 'warn' : 'none'}
          {...(staffing === 'bad' ? { title: t('wall.nobodyReady') } : {})}
        />
        <Metric
          big
          label={t('wall.longest')}
          value={q.oldest_waiting_since ? clock(waited) : '–'}
          level={waitLevel(q.oldest_waiting_since, q.sl_threshold_s, now)}
        />
        <Today today={q.today} slThreshold={q.sl_threshold_s} />
      </dl>
      <p class="staff" aria-label={t('wall.agents')}>
        <span class="dot ready" aria-hidden="true" />
        {t('wall.ready')} {q.agents.ready}
        <span class="dot busy" aria-hidden="true" />
        {t('wall.busy')} {q.agents.busy}
        <span class="dot wrap_up" aria-hidden="true" />
        {t('wall.wrap_up')} {q.agents.wrap_up}
        <span class="dot not_ready" aria-hidden="true" />
        {t('wall.not_ready')} {q.agents.not_ready}
      </p>
    </article>
  );
}

export function Wallboard({
  queues,
  now,
  dayStart,
}: {
  queues: readonly QueueBoard[];
  now: number;
  dayStart: string | null;
}) {
  if (queues.length === 0) return <p class="empty">{t('wall.none')}</p>;
  const all = total(queues);
  return (
    <section aria-labelledby="wall-title">
      <div class="section-head">
        <h2 id="wall-title">{t('wall.title')}</h2>
        {dayStart ? <span class="muted">{t('wall.since', { time: new Date(dayStart).toLocaleString() })}</span> : null}
      </div>
      <article class="tile summary" aria-label={t('wall.all')}>
        <dl class="metrics">
          <Metric big label={t('wall.waiting')} value={String(all.waiting)} level={all.waiting > 0 ? 'warn' : 'none'} />
          <Today today={all.today} slThreshold={null} />
        </dl>
      </article>
      {byChannel(queues).map((group) => (
        <section key={group.channel} class="channel" aria-labelledby={`ch-${group.channel}`}>
          <h3 id={`ch-${group.channel}`} class="channel-head">
            <ChannelIcon channel={group.channel} />
            {channelName(group.channel)}
          </h3>
          <div class="tiles">
            {group.queues.map((q) => (
              <Tile key={q.queue_id} q={q} now={now} />
            ))}
          </div>
        </section>
      ))}
    </section>
  );
}
