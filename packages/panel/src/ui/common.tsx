/** Small hooks and pieces the panel's views share: timers, loading, an error line. */
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
