import { describe, expect, it } from 'vitest';
import { actionFor, comboOf, DEFAULT_BINDINGS, loadBindings, rebind } from './shortcuts.ts';

const key = (
  k: string,
  mods: Partial<{ altKey: boolean; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean }> = {},
  code?: string,
) => ({
  key: k,
  ...(code ? { code } : {}),
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  ...mods,
});

describe('keyboard shortcuts', () => {
  it('name a key press by its modifiers and its physical letter', () => {
    expect(comboOf(key('a', { altKey: true }, 'KeyA'))).toBe('Alt+A');
    // A Mac's Alt+A types "å": still Alt+A.
    expect(comboOf(key('å', { altKey: true }, 'KeyA'))).toBe('Alt+A');
    expect(comboOf(key('k', { ctrlKey: true, shiftKey: true }, 'KeyK'))).toBe('Ctrl+Shift+K');
    expect(comboOf(key('?', { shiftKey: true }, 'Slash'))).toBe('?');
    expect(comboOf(key('Alt', { altKey: true }, 'AltLeft'))).toBeNull();
  });

  it('run the bound action; in a text field only with Alt, Ctrl or Meta', () => {
    expect(actionFor(DEFAULT_BINDINGS, key('a', { altKey: true }, 'KeyA'), false)).toBe('accept');
    expect(actionFor(DEFAULT_BINDINGS, key('a', { altKey: true }, 'KeyA'), true)).toBe('accept');
    expect(actionFor(DEFAULT_BINDINGS, key('?', { shiftKey: true }, 'Slash'), false)).toBe('help');
    expect(actionFor(DEFAULT_BINDINGS, key('?', { shiftKey: true }, 'Slash'), true)).toBeNull();
    expect(actionFor(DEFAULT_BINDINGS, key('a', {}, 'KeyA'), false)).toBeNull();
  });

  it('rebind one action, taking the combination from any action that had it, over the defaults the agent kept', () => {
    const mine = rebind(DEFAULT_BINDINGS, 'hold', 'Alt+A');
    expect(mine.hold).toBe('Alt+A');
    expect(mine.accept).toBe('');
    expect(loadBindings({ shortcuts: { ...mine } })).toEqual(mine);
    expect(loadBindings({ shortcuts: { ready: 'Alt+R' } })).toEqual({ ...DEFAULT_BINDINGS, ready: 'Alt+R' });
    expect(loadBindings(undefined)).toEqual(DEFAULT_BINDINGS);
    expect(loadBindings({ shortcuts: { ready: 'x'.repeat(41) } })).toEqual(DEFAULT_BINDINGS);
  });
});
