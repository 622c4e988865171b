/** The panel's one message catalogue. Every visible string goes through {@link t}. */
const en = {
  'login.title': 'Sign in',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.busy': 'Signing in…',
  'login.sso': 'Waiting for your application to sign you in…',
  'header.logout': 'Sign out',
  'state.setReady': 'Go ready',
  'state.setNotReady': 'Go not ready',
  'state.presence': 'Presence',
  'status.ready': 'Ready',
  'status.not_ready': 'Not ready',
  'status.busy': 'Busy',
  'status.wrap_up': 'Wrap-up',
  'status.offline': 'Offline',
  'conn.online': 'Connected',
  'conn.reconnecting': 'Reconnecting…',
  'conn.offline': 'Offline',
  'conversations.title': 'My Conversations',
  'conversations.empty': 'No ongoing conversations.',
  'refused.title': 'This page may not embed the panel',
  'refused.body': 'Ask your Parley administrator to add {origin} to the allowed origins.',
  loading: 'Loading…',
} as const;

export type MessageKey = keyof typeof en;

const de: Record<MessageKey, string> = {
  'login.title': 'Anmelden',
  'login.username': 'Benutzername',
  'login.password': 'Passwort',
  'login.submit': 'Anmelden',
  'login.busy': 'Anmeldung läuft…',
  'login.sso': 'Warte auf die Anmeldung durch Ihre Anwendung…',
  'header.logout': 'Abmelden',
  'state.setReady': 'Bereit melden',
  'state.setNotReady': 'Nicht bereit melden',
  'state.presence': 'Anwesenheit',
  'status.ready': 'Bereit',
  'status.not_ready': 'Nicht bereit',
  'status.busy': 'Beschäftigt',
  'status.wrap_up': 'Nachbearbeitung',
  'status.offline': 'Offline',
  'conn.online': 'Verbunden',
  'conn.reconnecting': 'Verbindung wird wiederhergestellt…',
  'conn.offline': 'Offline',
  'conversations.title': 'Meine Konversationen',
  'conversations.empty': 'Keine laufenden Konversationen.',
  'refused.title': 'Diese Seite darf das Panel nicht einbetten',
  'refused.body': 'Bitten Sie Ihren Parley-Administrator, {origin} zu den erlaubten Ursprüngen hinzuzufügen.',
  loading: 'Wird geladen…',
};

const catalogues: Record<string, Record<MessageKey, string>> = { en, de };
let current: Record<MessageKey, string> = en;

/** Switches the language; unknown languages fall back to English. */
export function setLanguage(language: string): void {
  current = catalogues[language.slice(0, 2).toLowerCase()] ?? en;
}

/** Looks a message up and fills `{name}` placeholders. */
export function t(key: MessageKey, params: Record<string, string> = {}): string {
  return current[key].replace(/\{(\w+)\}/g, (_m, name: string) => params[name] ?? '');
}
