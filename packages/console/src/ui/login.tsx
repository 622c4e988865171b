/** The console's sign-in form: the server's own error messages, as they come. */
import { useState } from 'preact/hooks';
import { t } from '../i18n.ts';

export function Login(props: { tenantName: string; onSubmit: (username: string, password: string) => Promise<void> }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <main class="center">
      <form
        class="card login"
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          props
            .onSubmit(username, password)
            .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)))
            .finally(() => setBusy(false));
        }}
      >
        <h1>{t('login.title')}</h1>
        <p class="muted">
          {props.tenantName} · {t('login.lead')}
        </p>
        <label>
          {t('login.username')}
          <input
            name="username"
            autocomplete="username"
            required
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
          />
        </label>
        <label>
          {t('login.password')}
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        {error ? (
          <p class="error" role="alert">
            {error}
          </p>
        ) : null}
        <button class="primary" type="submit" disabled={busy}>
          {busy ? t('login.busy') : t('login.submit')}
        </button>
      </form>
    </main>
  );
}
