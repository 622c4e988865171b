/**
 * A supervisor's controls on an agent's call (listen, whisper, barge in,
 * take over, leave), and the bar of a call the supervisor took over.
 */
import type { AgentRow, AgentWork, MonitorMode } from '@parley/protocol';
import { Headphones, Mic, PhoneForwarded, PhoneOff, UsersRound } from 'lucide';
import { t } from '../i18n.ts';
import { Icon } from './icon.tsx';

export interface CallActions {
  monitor(agent: AgentRow, work: AgentWork, mode: MonitorMode | null): Promise<void>;
  intercept(agent: AgentRow, work: AgentWork): Promise<void>;
}

const MODES: ReadonlyArray<{
  mode: MonitorMode;
  icon: typeof Headphones;
  label: 'mon.listen' | 'mon.whisper' | 'mon.barge';
}> = [
  { mode: 'monitor', icon: Headphones, label: 'mon.listen' },
  { mode: 'whisper', icon: Mic, label: 'mon.whisper' },
  { mode: 'barge', icon: UsersRound, label: 'mon.barge' },
];

/** The controls under one call of the grid; `me` is the supervisor's id. */
export function CallControls(props: { agent: AgentRow; work: AgentWork; me: string; actions: CallActions }) {
  const { agent, work } = props;
  if (work.channel !== 'phone' || (work.state !== 'accepted' && work.state !== 'held')) return null;
  const mine = work.monitors.find((m) => m.supervisor_id === props.me);
  const others = work.monitors.filter((m) => m.supervisor_id !== props.me);
  return (
    <div class="call-controls" role="group" aria-label={t('mon.controls', { name: agent.display_name })}>
      {MODES.map(({ mode, icon, label }) => (
        <button
          key={mode}
          type="button"
          class={`chip${mine?.mode === mode ? ' on' : ''}`}
          aria-pressed={mine?.mode === mode}
          onClick={() => void props.actions.monitor(agent, work, mode)}
        >
          <Icon node={icon} size={14} />
          {t(label)}
        </button>
      ))}
      <button type="button" class="chip" onClick={() => void props.actions.intercept(agent, work)}>
        <Icon node={PhoneForwarded} size={14} />
        {t('mon.takeOver')}
      </button>
      {mine ? (
        <button type="button" class="chip danger" onClick={() => void props.actions.monitor(agent, work, null)}>
          <Icon node={PhoneOff} size={14} />
          {t('mon.leave')}
        </button>
      ) : null}
      {mine ? (
        <span class="muted small" data-testid="my-mode">
          {mine.mode === 'whisper'
            ? t('mon.you.whisper', { name: agent.display_name })
            : t(mine.mode === 'barge' ? 'mon.you.barge' : 'mon.you.monitor')}
        </span>
      ) : null}
      {others.map((m) => (
        <span key={m.supervisor_id} class="muted small">
          {t('mon.other', { name: m.supervisor_name })}
        </span>
      ))}
    </div>
  );
}

/** The call the supervisor took over, with its hang-up. */
export function MyCall(props: { customer: string; onHangup: () => void }) {
  return (
    <section class="my-call" aria-labelledby="my-call-title">
      <h2 id="my-call-title">{t('mine.title')}</h2>
      <span>{t('mine.with', { customer: props.customer })}</span>
      <button type="button" class="primary danger" onClick={props.onHangup}>
        <Icon node={PhoneOff} />
        {t('mine.hangup')}
      </button>
    </section>
  );
}
