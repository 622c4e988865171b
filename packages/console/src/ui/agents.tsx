/** The agent grid: state, reason and who set it, time in state, current work, today; filters, order, actions. */
import type { AgentRow, QueueBoard } from '@parley/protocol';
import { ArrowDown, ArrowUp, CirclePlay, CirclePause, LogOut } from 'lucide';
import { useState } from 'preact/hooks';
import { t, type MessageKey } from '../i18n.ts';
import { clock, gridRows, seconds, sortBy, DEFAULT_VIEW, type GridView, type SortKey } from '../model.ts';
import { ChannelIcon, channelName, RowAction } from './common.tsx';
import { Dialog } from './dialog.tsx';
import { Icon } from './icon.tsx';
import { CallControls, type CallActions } from './monitor.tsx';

export interface AgentActions {
  ready(agent: AgentRow): Promise<void>;
  notReady(agent: AgentRow, reason: string): Promise<void>;
  logout(agent: AgentRow): Promise<void>;
}

type Pending = { kind: 'notReady' | 'logout'; agent: AgentRow } | null;

function Header(props: { label: string; sort: SortKey; view: GridView; onSort: (k: SortKey) => void }) {
  const active = props.view.sort === props.sort;
  return (
    <th scope="col" aria-sort={active ? (props.view.descending ? 'descending' : 'ascending') : 'none'}>
      <button type="button" class="sort" onClick={() => props.onSort(props.sort)}>
        {props.label}
        {active ? <Icon node={props.view.descending ? ArrowDown : ArrowUp} size={14} /> : null}
      </button>
    </th>
  );
}

export function AgentGrid(props: {
  agents: readonly AgentRow[];
  queues: readonly QueueBoard[];
  teams: ReadonlyArray<{ id: string; name: string }>;
  reasons: ReadonlyArray<{ code: string; label: string }>;
  now: number;
  actions: AgentActions;
  /** The supervisor's own id, and what they can do on calls. */
  me: string;
  calls: CallActions;
}) {
  const [view, setView] = useState<GridView>(DEFAULT_VIEW);
  const [pending, setPending] = useState<Pending>(null);
  const [reason, setReason] = useState('');
  const rows = gridRows(props.agents, view, props.now);
  const onSort = (k: SortKey) => setView((v) => sortBy(v, k));
  const close = () => setPending(null);
  return (
    <section aria-labelledby="grid-title">
      <div class="section-head">
        <h2 id="grid-title">{t('grid.title')}</h2>
      </div>
      <div class="filters">
        <label>
          {t('grid.search')}
          <input
            type="search"
            value={view.search}
            onInput={(e) => setView({ ...view, search: e.currentTarget.value })}
          />
        </label>
        <label>
          {t('grid.team')}
          <select value={view.team ?? ''} onChange={(e) => setView({ ...view, team: e.currentTarget.value || null })}>
            <option value="">{t('grid.allTeams')}</option>
            {props.teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('grid.queue')}
          <select value={view.queue ?? ''} onChange={(e) => setView({ ...view, queue: e.currentTarget.value || null })}>
            <option value="">{t('grid.allQueues')}</option>
            {props.queues.map((q) => (
              <option key={q.queue_id} value={q.queue_id}>
                {q.name}
              </option>
            ))}
          </select>
        </label>
        <label class="check">
          <input
            type="checkbox"
            checked={view.onlineOnly}
            onChange={(e) => setView({ ...view, onlineOnly: e.currentTarget.checked })}
          />
          {t('grid.onlineOnly')}
        </label>
      </div>
      <div class="table-wrap">
        <table class="grid">
          <thead>
            <tr>
              <Header label={t('grid.col.agent')} sort="name" view={view} onSort={onSort} />
              <Header label={t('grid.col.state')} sort="state" view={view} onSort={onSort} />
              <Header label={t('grid.col.time')} sort="time" view={view} onSort={onSort} />
              <Header label={t('grid.col.work')} sort="work" view={view} onSort={onSort} />
              <Header label={t('grid.col.handled')} sort="handled" view={view} onSort={onSort} />
              <th scope="col">{t('grid.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={6} class="empty">
                  {t('grid.none')}
                </td>
              </tr>
            ) : null}
            {rows.map((a) => (
              <tr key={a.id} data-agent={a.username}>
                <th scope="row">
                  <span class="name">{a.display_name}</span>
                  <span class="muted small">
                    {a.username}
                    {a.connected || a.work_status === 'offline' ? '' : ` · ${t('grid.disconnected')}`}
                  </span>
                </th>
                <td>
                  <span class={`pill ${a.work_status}`}>{t(`state.${a.work_status}` as MessageKey)}</span>
                  {a.reason ? <span class="reason">{a.reason.label}</span> : null}
                  {a.changed_by ? <span class="muted small by">{t('grid.by', { name: a.changed_by })}</span> : null}
                </td>
                <td class="num">{a.state_since ? clock(props.now - Date.parse(a.state_since)) : '–'}</td>
                <td>
                  {a.interactions.map((w) => (
                    <div key={w.id} class="work-item" data-work={w.id}>
                      <span class="work" title={channelName(w.channel)}>
                        <ChannelIcon channel={w.channel} />
                        <span>{w.customer}</span>
                        <span class="muted num">{clock(props.now - Date.parse(w.since))}</span>
                      </span>
                      <CallControls agent={a} work={w} me={props.me} actions={props.calls} />
                    </div>
                  ))}
                </td>
                <td class="num">
                  {a.handled_today}
                  {a.handled_today > 0 ? (
                    <span class="muted small">
                      {' '}
                      {t('grid.aht', { time: seconds(a.handle_ms_today / a.handled_today / 1000) })}
                    </span>
                  ) : null}
                </td>
                <td>
                  <div class="actions" role="group" aria-label={t('grid.actionsFor', { name: a.display_name })}>
                    <RowAction
                      icon={CirclePlay}
                      label={t('act.ready')}
                      row={a.display_name}
                      disabled={a.work_status === 'offline' || a.work_status === 'ready'}
                      onClick={() => void props.actions.ready(a)}
                    />
                    <RowAction
                      icon={CirclePause}
                      label={t('act.notReady')}
                      row={a.display_name}
                      disabled={a.work_status === 'offline'}
                      onClick={() => {
                        setReason(props.reasons[0]?.code ?? '');
                        setPending({ kind: 'notReady', agent: a });
                      }}
                    />
                    <RowAction
                      icon={LogOut}
                      label={t('act.logout')}
                      row={a.display_name}
                      disabled={a.work_status === 'offline'}
                      danger
                      onClick={() => setPending({ kind: 'logout', agent: a })}
                    />
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pending?.kind === 'notReady' ? (
        <Dialog title={t('act.notReady.title', { name: pending.agent.display_name })} onClose={close}>
          <form
            method="dialog"
            onSubmit={(e) => {
              e.preventDefault();
              void props.actions.notReady(pending.agent, reason).finally(close);
            }}
          >
            <label>
              {t('act.notReady.reason')}
              <select value={reason} onChange={(e) => setReason(e.currentTarget.value)} required>
                {props.reasons.map((r) => (
                  <option key={r.code} value={r.code}>
                    {r.label}
                  </option>
                ))}
              </select>
            </label>
            <div class="buttons">
              <button type="button" onClick={close}>
                {t('act.cancel')}
              </button>
              <button type="submit" class="primary">
                {t('act.notReady.submit')}
              </button>
            </div>
          </form>
        </Dialog>
      ) : null}
      {pending?.kind === 'logout' ? (
        <Dialog title={t('act.logout.title', { name: pending.agent.display_name })} onClose={close}>
          <p>{t('act.logout.body', { name: pending.agent.display_name })}</p>
          <div class="buttons">
            <button type="button" onClick={close}>
              {t('act.cancel')}
            </button>
            <button
              type="button"
              class="primary danger"
              onClick={() => void props.actions.logout(pending.agent).finally(close)}
            >
              {t('act.logout.submit')}
            </button>
          </div>
        </Dialog>
      ) : null}
    </section>
  );
}
