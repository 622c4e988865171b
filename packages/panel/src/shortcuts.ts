/**
 * Keyboard shortcuts: which keys run which desk action, configurable per
 * agent and kept with the agent on the server. They are read from the panel's own
 * document, so they work while the panel has focus and never take a key
 * from the host page. Pure: the UI feeds key events in.
 */
import type { AgentPreferences } from '@parley/protocol';

export const SHORTCUT_ACTIONS = ['accept', 'reject', 'hangup', 'hold', 'mute', 'transfer', 'ready', 'help'] as const;
export type ShortcutAction = (typeof SHORTCUT_ACTIONS)[number];
export type Bindings = Readonly<Record<ShortcutAction, string>>;

/** Alt + a letter: nothing an agent types in a chat, and no browser or screen-reader default in the panel. */
export const DEFAULT_BINDINGS: Bindings = {
  accept: 'Alt+A',
  reject: 'Alt+D',
  hangup: 'Alt+H',
  hold: 'Alt+O',
  mute: 'Alt+M',
  transfer: 'Alt+T',
  ready: 'Alt+Y',
  help: '?',
};

export interface KeyLike {
  readonly key: string;
  readonly code?: string;
  readonly altKey: boolean;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
}

/** A key event as a combination (`Alt+A`, `Ctrl+Shift+K`, `?`); null for a modifier alone. */
export function comboOf(e: KeyLike): string | null {
  if (['Alt', 'Control', 'Meta', 'Shift', 'AltGraph'].includes(e.key)) return null;
  // Alt changes the character on a Mac (Alt+A is "å"): the physical key names the letter.
  const letter =
    e.code && /^Key[A-Z]$/.test(e.code) ? e.code.slice(3) : e.code && /^Digit\d$/.test(e.code) ? e.code.slice(5) : null;
  const modified = e.altKey || e.ctrlKey || e.metaKey;
  const key = modified && letter ? letter : e.key.length === 1 ? e.key.toUpperCase() : e.key;
  if (!modified) return key === '?' ? '?' : e.shiftKey && key.length > 1 ? `Shift+${key}` : key;
  return [e.ctrlKey && 'Ctrl', e.metaKey && 'Meta', e.altKey && 'Alt', e.shiftKey && 'Shift', key]
    .filter(Boolean)
    .join('+');
}

/**
 * The action a key press means, or null. In a text field only combinations
 * with Alt, Ctrl or Meta count: typing `?` into a chat stays typing.
 */
export function actionFor(bindings: Bindings, e: KeyLike, typing: boolean): ShortcutAction | null {
  const combo = comboOf(e);
  if (!combo) return null;
  if (typing && !(e.altKey || e.ctrlKey || e.metaKey)) return null;
  return SHORTCUT_ACTIONS.find((a) => bindings[a] === combo) ?? null;
}

/** Binds `action` to `combo`; an action that had it loses it (one combination, one action). */
export function rebind(bindings: Bindings, action: ShortcutAction, combo: string): Bindings {
  const next: Record<ShortcutAction, string> = { ...bindings };
  for (const a of SHORTCUT_ACTIONS) if (next[a] === combo) next[a] = '';
  next[action] = combo;
  return next;
}

/** The agent's bindings as the server keeps them (`User.preferences.shortcuts`), over the defaults. */
export function loadBindings(preferences: AgentPreferences | undefined): Bindings {
  const o: Record<string, unknown> = { ...(preferences?.shortcuts ?? {}) };
  const out: Record<ShortcutAction, string> = { ...DEFAULT_BINDINGS };
  for (const a of SHORTCUT_ACTIONS)
    if (typeof o[a] === 'string' && (o[a] as string).length <= 40) out[a] = o[a] as string;
  return out;
}
