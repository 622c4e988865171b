/** A conference's parties, with a hang-up for each other agent or number (the conference's own agent only). */
import type { ConferenceParty, Interaction } from '@parley/protocol';
import { useEffect, useState } from 'preact/hooks';
import { PhoneOff, UserRound, Users } from 'lucide';
import type { PanelController } from '../controller.ts';
import { t } from '../i18n.ts';
import { ErrorLine } from './common.tsx';
import { Icon } from './icon.tsx';

export function Parties({ controller, interaction: i }: { controller: PanelController; interaction: Interaction }) {
  const [parties, setParties] = useState<readonly ConferenceParty[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void controller.lookups.parties(i.id).then(
      (p) => live && setParties(p),
      () => live && setParties([]),
    );
    return () => {
      live = false;
    };
  }, [i.id, i.conference, i.state, i.held]);
  const mine = i.consultation_of === undefined;
  const me = controller.state.user?.id;
  if (parties.length === 0) return null;
  return (
    <section class="parties" aria-labelledby={`parties-${i.id}`} data-testid="parties">
      <h3 id={`parties-${i.id}`}>
        <Icon node={Users} size={14} /> {t('parties.title')}
      </h3>
      <ul>
        {parties.map((p) => (
          <li key={p.interaction_id ?? 'customer'} data-testid="party">
            <Icon node={UserRound} size={14} />
            <span>{p.kind === 'customer' ? t('parties.customer', { name: p.name }) : p.name}</span>
            {p.agent_id === me && <span class="muted small">{t('parties.you')}</span>}
            {mine && p.interaction_id && p.agent_id !== me && (
              <button
                type="button"
                class="danger small-button"
                data-testid="party-hangup"
                onClick={() =>
                  void controller.uiAct(i.id, { action: 'drop', party: p.interaction_id ?? '' }).then(setError)
                }
              >
                <Icon node={PhoneOff} size={14} /> {t('parties.hangup', { name: p.name })}
              </button>
            )}
          </li>
        ))}
      </ul>
      <ErrorLine error={error} />
    </section>
  );
}
