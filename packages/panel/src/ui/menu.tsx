/** Settings the agent rarely touches (theme, language, devices, shortcuts) and signing out, behind one button: the header stays one line. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { Settings } from 'lucide';
import type { PanelController, PanelState } from '../controller.ts';
import { t } from '../i18n.ts';
import { Icon } from './icon.tsx';

export function Menu({
  controller,
  user,
  onDevices,
  onShortcuts,
}: {
  controller: PanelController;
  user: NonNullable<PanelState['user']>;
  onDevices: () => void;
  onShortcuts: () => void;
}) {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    // A click anywhere else closes it, as menus do.
    const outside = (e: MouseEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [open]);
  const then = (f: () => void) => () => {
    setOpen(false);
    f();
  };
  return (
    <div class="menu" ref={box} onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
      <button
        type="button"
        class="icon-button"
        aria-expanded={open}
        aria-controls="panel-menu"
        data-testid="menu"
        title={t('header.menu')}
        onClick={() => setOpen(!open)}
      >
        <Icon node={Settings} />
        <span class="sr-only">{t('header.menu')}</span>
      </button>
      {open && (
        <div id="panel-menu" class="menu-items">
          <button
            type="button"
            class="link"
            data-testid="theme-toggle"
            aria-pressed={user.theme.dark}
            onClick={() => void controller.setDark(!user.theme.dark)}
          >
            {user.theme.dark ? t('header.light') : t('header.dark')}
          </button>
          <label>
            <span class="sr-only">{t('header.language')}</span>
            <select
              data-testid="language"
              value={user.language.slice(0, 2)}
              onChange={(e) => void controller.setLanguage(e.currentTarget.value)}
            >
              <option value="en">English</option>
              <option value="de">Deutsch</option>
            </select>
          </label>
          <button type="button" class="link" data-testid="open-devices" onClick={then(onDevices)}>
            {t('devices.open')}
          </button>
          <button type="button" class="link" data-testid="open-shortcuts" onClick={then(onShortcuts)}>
            {t('keys.open')}
          </button>
          <button type="button" class="link" onClick={() => void controller.logout()}>
            {t('header.logout')}
          </button>
        </div>
      )}
    </div>
  );
}
