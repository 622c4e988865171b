/**
 * Keyboard shortcuts while the panel has focus (its own document: the host
 * page's keys stay the host's), and the `?` overlay that lists them and
 * lets the agent change them.
 */
import type { Interaction } from '@parley/protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PanelController, PanelState } from '../controller.ts';
import { t } from '../i18n.ts';
import {
  actionFor,
  comboOf,
  DEFAULT_BINDINGS,
  loadBindings,
  rebind,
  SHORTCUT_ACTIONS,
  type Bindings,
  type ShortcutAction,
} from '../shortcuts.ts';
import { Overlay } from './common.tsx';

export interface DialogRequest {
  readonly id: string;
  readonly kind: 'transfer' | 'consult';
}

const typingIn = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));

/** The interaction a call control means: the one in view, else the only one in conversation. */
function current(state: PanelState): Interaction | null {
  const talking = state.interactions.filter((i) => i.state === 'accepted' || i.state === 'held');
  return talking.find((i) => i.id === state.active) ?? (talking.length === 1 ? (talking[0] ?? null) : null);
}

/** Runs a shortcut's action; returns false when there was nothing to do it on. */
function run(
  action: ShortcutAction,
  controller: PanelController,
  openDialog: (d: DialogRequest) => void,
  toggleHelp: () => void,
): boolean {
  const state = controller.state;
  const offer = state.interactions.find((i) => i.state === 'alerting' && i.direction === 'inbound');
  const talk = current(state);
  const act = (i: Interaction | null | undefined, body: Parameters<PanelController['uiAct']>[1]) => {
    if (!i) return false;
    void controller.uiAct(i.id, body);
    return true;
  };
  switch (action) {
    case 'accept':
      return act(offer, { action: 'accept' });
    case 'reject':
      return act(offer, { action: 'reject' });
    case 'hangup':
      return act(talk, { action: 'hangup' });
    case 'hold':
      return talk?.channel_type === 'phone' && act(talk, { action: talk.held ? 'unhold' : 'hold' });
    case 'mute':
      return talk?.channel_type === 'phone' && act(talk, { action: talk.muted ? 'unmute' : 'mute' });
    case 'transfer':
      if (!talk) return false;
      openDialog({ id: talk.id, kind: 'transfer' });
      return true;
    case 'ready': {
      const user = state.user;
      if (!user) return false;
      void controller.setReady(!(user.ready ?? user.work_status === 'ready')).catch(() => undefined);
      return true;
    }
    case 'help':
      toggleHelp();
      return true;
  }
}

/** Listens on the panel's document; returns the bindings and the overlay's switch. */
export function useShortcuts(
  controller: PanelController,
  openDialog: (d: DialogRequest) => void,
): { bindings: Bindings; setBindings: (b: Bindings) => void; help: boolean; setHelp: (on: boolean) => void } {
  const preferences = controller.state.user?.preferences;
  const [bindings, setStored] = useState<Bindings>(() => loadBindings(preferences));
  const [help, setHelp] = useState(false);
  const live = useRef({ bindings, help });
  live.current = { bindings, help };
  useEffect(() => setStored(loadBindings(preferences)), [JSON.stringify(preferences?.shortcuts ?? {})]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (live.current.help && e.key !== '?') return; // the overlay handles its own keys
      const action = actionFor(live.current.bindings, e, typingIn(e.target));
      if (action && run(action, controller, openDialog, () => setHelp(!live.current.help))) e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [controller]);
  const setBindings = (b: Bindings) => {
    setStored(b);
    void controller.savePreferences({ shortcuts: b }).catch(() => undefined);
  };
  return { bindings, setBindings, help, setHelp };
}

export function ShortcutsOverlay({
  bindings,
  setBindings,
  onClose,
}: {
  bindings: Bindings;
  setBindings: (b: Bindings) => void;
  onClose: () => void;
}) {
  const [capturing, setCapturing] = useState<ShortcutAction | null>(null);
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => close.current?.focus(), []);
  return (
    <Overlay
      labelledBy="keys-title"
      testid="shortcuts"
      onClose={onClose}
      onKey={(e) => {
        if (capturing) {
          // The next combination is the new binding (Escape cancels).
          const combo = comboOf(e);
          if (!combo) return true;
          e.preventDefault();
          e.stopPropagation();
          if (combo !== 'Escape') setBindings(rebind(bindings, capturing, combo));
          setCapturing(null);
          return true;
        }
        if (e.key !== '?') return false;
        e.preventDefault();
        onClose();
        return true;
      }}
    >
      <h2 id="keys-title">{t('keys.title')}</h2>
      <p class="muted small">{t('keys.hint')}</p>
      <table class="keys">
        <tbody>
          {SHORTCUT_ACTIONS.map((a) => (
            <tr key={a} data-testid={`shortcut-${a}`}>
              <th scope="row">{t(`keys.${a}`)}</th>
              <td>
                <kbd>{capturing === a ? t('keys.press') : bindings[a] || '—'}</kbd>
              </td>
              <td>
                <button type="button" class="link" aria-pressed={capturing === a} onClick={() => setCapturing(a)}>
                  {t('keys.change')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="actions">
        <button type="button" class="secondary" onClick={() => setBindings(DEFAULT_BINDINGS)}>
          {t('keys.reset')}
        </button>
        <button type="button" ref={close} data-testid="shortcuts-close" onClick={onClose}>
          {t('keys.close')}
        </button>
      </div>
    </Overlay>
  );
}
