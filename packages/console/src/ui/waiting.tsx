/** The contacts waiting in the supervisor's queues: move them, offer them to an agent, raise their priority. */
import type { AgentRow, QueueBoard, WaitingRow } from '@parley/protocol';
import { ArrowUpToLine, ArrowRightLeft, UserRoundPlus } from 'lucide';
import { useState } from 'preact/hooks';
import { t, type MessageKey } from '../i18n.ts';
import { clock } from '../model.ts';
import { ChannelIcon, RowAction } from './common.tsx';
import { Dialog } from './dialog.tsx';

export interface WaitingActions {
  raise(contact: WaitingRow): Promise<void>;
  move(contact: WaitingRow, queue: QueueBoard): Promise<void>;
  assign(contact: WaitingRow, agent: AgentRow): Promise<void>;
}

type Pending = { kind: 'move' | 'assign'; contact: WaitingRow } | null;

export function Waiting(props: {
  contacts: readonly WaitingRow[];
  queues: readonly QueueBoard[];
  agents: readonly AgentRow[];
  now: number;
  actions: WaitingActions;
}) {
  const [pending, setPending] = useState<Pending>(null);
  const [choice, setChoice] = useState('');
  const close = () => setPending(null);
  const targets = (c: WaitingRow) => props.queues.filter((q) => q.channel === c.channel && q.queue_id !== c.queue_id);
  const people = props.agents.filter((a) => a.work_status !== 'offline');
  return (
    <section aria-labelledby="wait-title">
      <div class="section-head">
        <h2 id="wait-title">{t('wait.title')}</h2>
      </div>
      {props.contacts.length === 0 ? (
        <p class="empty">{t('wait.none')}</p>
      ) : (
        <div class="table-wrap">
          <table class="grid">
            <thead>
              <tr>
                {(['customer', 'queue', 'waited', 'priority', 'offered', 'actions'] as const).map((c) => (
                  <th key={c} scope="col">
                    {t(`wait.col.${c}` as MessageKey)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.contacts.map((c) => (
                <tr key={c.id} data-contact={c.customer}>
                  <th scope="row">
                    <span class="work">
                      <ChannelIcon channel={c.channel} />
                      <span class="name">{c.customer}</span>
                    </span>
                  </th>
                  <td>{c.queue_name}</td>
                  <td class="num">{clock(props.now - Date.parse(c.waiting_since))}</td>
                  <td class="num">{c.priority}</td>
                  <td>{c.offered_to?.name ?? '–'}</td>
                  <td>
                    <div class="actions" role="group" aria-label={t('wait.actionsFor', { customer: c.customer })}>
                      <RowAction
                        icon={ArrowUpToLine}
                        label={t('wait.raise')}
                        row={c.customer}
                        disabled={c.offered_to !== null || c.priority >= 100}
                        onClick={() => void props.actions.raise(c)}
                      />
                      <RowAction
                        icon={ArrowRightLeft}
                        label={t('wait.move')}
                        row={c.customer}
                        disabled={c.offered_to !== null || targets(c).length === 0}
                        onClick={() => {
                          setChoice(targets(c)[0]?.queue_id ?? '');
                          setPending({ kind: 'move', contact: c });
                        }}
                      />
                      <RowAction
                        icon={UserRoundPlus}
                        label={t('wait.assign')}
                        row={c.customer}
                        disabled={c.offered_to !== null || people.length === 0}
                        onClick={() => {
                          setChoice(people[0]?.id ?? '');
                          setPending({ kind: 'assign', contact: c });
                        }}
                      />
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pending ? (
        <Dialog
          title={t(pending.kind === 'move' ? 'wait.move.title' : 'wait.assign.title', {
            customer: pending.contact.customer,
          })}
          onClose={close}
        >
          <form
            method="dialog"
            onSubmit={(e) => {
              e.preventDefault();
              const c = pending.contact;
              const queue = props.queues.find((q) => q.queue_id === choice);
              const agent = people.find((a) => a.id === choice);
              const done =
                pending.kind === 'move' && queue
                  ? props.actions.move(c, queue)
                  : agent
                    ? props.actions.assign(c, agent)
                    : Promise.resolve();
              void done.finally(close);
            }}
          >
            <label>
              {t(pending.kind === 'move' ? 'wait.move.queue' : 'wait.assign.agent')}
              <select value={choice} onChange={(e) => setChoice(e.currentTarget.value)} required>
                {pending.kind === 'move'
                  ? targets(pending.contact).map((q) => (
                      <option key={q.queue_id} value={q.queue_id}>
                        {q.name}
                      </option>
                    ))
                  : people.map((a) => (
                      <option key={a.id} value={a.id}>
                        {a.display_name} · {t(`state.${a.work_status}` as MessageKey)}
                      </option>
                    ))}
              </select>
            </label>
            <div class="buttons">
              <button type="button" onClick={close}>
                {t('act.cancel')}
              </button>
              <button type="submit" class="primary">
                {t(pending.kind === 'move' ? 'wait.move.submit' : 'wait.assign.submit')}
              </button>
            </div>
          </form>
        </Dialog>
      ) : null}
    </section>
  );
}
