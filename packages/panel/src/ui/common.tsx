/** Small hooks and pieces the panel's views share: timers, loading, an error line. */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/** Seconds until an ISO time, never below zero; re-renders every second while shown. */
export function useSecondsUntil(iso: string | undefined): number | null {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!iso) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [iso]);
  return iso ? Math.max(0, Math.ceil((Date.parse(iso) - now) / 1000)) : null;
}

/** Seconds since an ISO time, ticking every second while shown. */
export function useSecondsSince(iso: string | undefined): number | null {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!iso) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [iso]);
  return iso ? Math.max(0, Math.floor((now - Date.parse(iso)) / 1000)) : null;
}

export const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;

/** Loads something once for a component; null until it arrives (or when it fails). */
export function useLoaded<T>(load: () => Promise<T>, deps: unknown[] = []): T | null {
  const [value, setValue] = useState<T | null>(null);
  useEffect(() => {
    let live = true;
    load().then(
      (v) => live && setValue(v),
      () => live && setValue(null),
    );
    return () => {
      live = false;
    };
  }, deps);
  return value;
}

export function ErrorLine({ error }: { error: string | null }) {
  return error ? (
    <span class="error" role="alert">
      {error}
    </span>
  ) : null;
}

/** Incoming offers, announced to screen readers. */

/** A modal dialog over the panel: a click outside or Escape closes it (unless `onKey` handled the key). */
export function Overlay({
  labelledBy,
  testid,
  onClose,
  onKey,
  children,
}: {
  labelledBy: string;
  testid: string;
  onClose: () => void;
  /** Sees each key first; true when it was its own. */
  onKey?: (e: KeyboardEvent) => boolean;
  children: ComponentChildren;
}) {
  return (
    <div class="overlay" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div
        class="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={labelledBy}
        data-testid={testid}
        onKeyDown={(e) => {
          if (onKey?.(e)) return;
          if (e.key === 'Escape') {
            e.preventDefault();
            onClose();
          }
        }}
      >
        {children}
      </div>
    </div>
  );
}
