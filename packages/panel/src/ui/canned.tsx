/**
 * Canned responses in the compose box: typing `/` opens the list, typing on
 * narrows it (shortcut, then title), arrows choose, Enter or Tab inserts
 * with the customer's and the agent's names filled in, Escape closes.
 */
import type { CannedResponse, Interaction } from '@parley/protocol';
import { useEffect, useState } from 'preact/hooks';
import type { PanelController } from '../controller.ts';
import { t } from '../i18n.ts';
import { fillCanned, matchCanned } from '../workspace.ts';

export interface Canned {
  /** The responses shown, or null when the menu is closed. */
  readonly items: readonly CannedResponse[] | null;
  readonly index: number;
  /** Handles a key in the compose box; true when it was the menu's. */
  readonly onKey: (e: KeyboardEvent) => boolean;
  readonly pick: (c: CannedResponse) => void;
  readonly listId: string;
}

/** The customer's name as the card has it, or as the address shows it (`Hedy <hedy@…>` → Hedy). */
function customerName(controller: PanelController, i: Interaction): string | null {
  const card = controller.state.cards[i.id];
  if (card) return card.customer.name;
  const named = /^\s*([^<]+?)\s*</.exec(i.remote_address);
  return named?.[1] ?? null;
}

export function useCanned(
  controller: PanelController,
  i: Interaction,
  content: string,
  insert: (text: string) => void,
): Canned {
  const [list, setList] = useState<readonly CannedResponse[] | null>(null);
  const [index, setIndex] = useState(0);
  const [closed, setClosed] = useState<string | null>(null);
  const wanted = content.startsWith('/');
  useEffect(() => {
    if (wanted && list === null) void controller.workspace.canned().then(setList, () => setList([]));
  }, [wanted]);
  const items = list && closed !== content ? matchCanned(list, content) : null;
  useEffect(() => setIndex(0), [content]);
  const pick = (c: CannedResponse) =>
    insert(
      fillCanned(c.body, { customer: customerName(controller, i), agent: controller.state.user?.display_name ?? null }),
    );
  const onKey = (e: KeyboardEvent): boolean => {
    if (!items) return false;
    if (e.key === 'Escape') {
      setClosed(content);
      return true;
    }
    if (items.length === 0) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setIndex((n) => (n + step + items.length) % items.length);
      return true;
    }
    if (e.key === 'Enter' || e.key === 'Tab') {
      const chosen = items[Math.min(index, items.length - 1)];
      if (chosen) pick(chosen);
      return true;
    }
    return false;
  };
  return { items, index, onKey, pick, listId: `canned-${i.id}` };
}

export function CannedMenu({ canned }: { canned: Canned }) {
  if (!canned.items) return null;
  return (
    <div class="canned" data-testid="canned">
      {canned.items.length === 0 ? (
        <p class="muted">{t('canned.none')}</p>
      ) : (
        <ul role="listbox" id={canned.listId} aria-label={t('canned.title')}>
          {canned.items.map((c, n) => (
            <li
              key={c.id}
              id={`${canned.listId}-${n}`}
              role="option"
              aria-selected={n === canned.index}
              data-testid="canned-option"
              onMouseDown={(e) => {
                e.preventDefault();
                canned.pick(c);
              }}
            >
              <strong>/{c.shortcut}</strong> <span>{c.title}</span>
              <span class="muted canned-body">{c.body}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
