/**
 * Configuration from environment variables, validated once at boot. A bad
 * value stops the server with a message that names the variable; see
 * docs/configuration.md for every variable.
 */
import net from 'node:net';
import path from 'node:path';

/** The validated configuration the server runs with. */
export interface Config {
  /** Interface the main server binds to (loopback by default). */
  readonly host: string;
  /** Port of the Parley server (panel, REST, WebSocket). */
  readonly port: number;
  /** Port of the playground host page, served from a second origin; `null` turns it off. */
  readonly playgroundPort: number | null;
  /** Interface the playground binds to; its origin is `http://{playgroundHost}:{playgroundPort}`. */
  readonly playgroundHost: string;
  /** The tenant base URL as browsers see it; always ends with `/`. */
  readonly publicUrl: string;
  /** Folder for the embedded SQLite database and other files. */
  readonly dataDir: string;
  /** PostgreSQL connection string, or `null` for the embedded SQLite file. */
  readonly databaseUrl: string | null;
  /** Extra origins allowed to embed the panel, added to the tenant's allowlist. */
  readonly allowedOrigins: readonly string[];
  /**
   * Reverse proxies whose `X-Forwarded-For` is believed (addresses, CIDRs,
   * or `loopback` / `linklocal` / `uniquelocal`); empty: the peer's own
   * address is the client's. Every per-address limit uses the result.
   */
  readonly trustProxy: readonly string[];
  /** Demo mode: seed the demo tenant and serve the playground. */
  readonly demo: boolean;
  /** Password of every demo user (demo mode only). */
  readonly demoPassword: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Idle and absolute session lifetimes, in seconds. */
  readonly sessionIdleSeconds: number;
  readonly sessionMaxSeconds: number;
  /** Routing rules an operator may tune (docs/interactions.md). */
  readonly routing: {
    /** Consecutive timed-out offers that make an agent not ready; 0 turns it off. */
    readonly maxMissedOffers: number;
    /** How long a contact waits for its preferred agent, ms. */
    readonly preferredWindowMs: number;
    /** How long a contact is kept from an agent who let it go before it may be offered to them again, ms; 0: never. */
    readonly reofferAfterMs: number;
    /** A call blocks offers on every other channel too. */
    readonly phoneBlocksOtherChannels: boolean;
  };
  readonly channels: {
    /** Inbound SMTP (email to queue addresses): port, or null when off. */
    readonly smtpPort: number | null;
    readonly smtpHost: string;
    /** Largest inbound email, in bytes. */
    readonly mailMaxBytes: number;
    /** Inbound SMTP limits: connections in all and per client address, idle seconds, recipients per message. */
    readonly smtpMaxConnections: number;
    readonly smtpConnectionsPerAddress: number;
    readonly smtpIdleSeconds: number;
    readonly smtpMaxRecipients: number;
    /** Outbound relay, `smtp(s)://[user:pass@]host:port`; null: the demo capture relay in demo mode, else none. */
    readonly smtpRelay: string | null;
    /** The SMS/WhatsApp provider's Messages endpoint; null: the demo provider in demo mode, else none. */
    readonly smsProviderUrl: string | null;
    readonly smsProviderAccount: string | null;
    readonly smsProviderToken: string | null;
    /** The default tenant's webhook secret, when set by the operator (else the stored one). */
    readonly webhookSecret: string | null;
    /** Largest attachment, in bytes. */
    readonly attachmentMaxBytes: number;
    /** Web chats (and left messages) one address may start per minute. */
    readonly chatStartsPerMinute: number;
  };
  /** WebSocket limits (docs/security.md). */
  readonly sockets: {
    /** Customer and phone sockets one client address may hold, each kind. */
    readonly perAddress: number;
    /** Panel sockets one agent may hold. */
    readonly perAgent: number;
    /** Steady frames per second per socket (a burst of five seconds' worth is allowed). */
    readonly framesPerSecond: number;
    /** Bytes held for one socket that stopped reading before the client is dropped. */
    readonly sendBufferBytes: number;
  };
  readonly voice: {
    /** The IPv4 address media sockets bind to and announce to browsers. */
    readonly mediaAddress: string;
    /** A UDP port range for media, inclusive; any free port when null. */
    readonly mediaPorts: readonly [number, number] | null;
    /** Whether browsers may register numbers on the virtual PSTN (`/phone`). */
    readonly virtualPstn: boolean;
    /** How long a call waits for its agent's panel to come back before it goes back to the queue. */
    readonly reattachSeconds: number;
    /** How long an outside number rings before the call counts as not answered. */
    readonly ringSeconds: number;
    /** Calls (click-to-call, the virtual PSTN) one client address may start per minute. */
    readonly callsPerMinute: number;
  };
}

/** The documented default password of the demo users. */
export const DEFAULT_DEMO_PASSWORD = 'parley-demo';

/** Thrown when a variable has a value the server cannot run with. */
export class ConfigError extends Error {
  readonly code = 'invalid_config';
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`${variable}: ${detail}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads and validates the configuration; throws {@link ConfigError} naming the first bad variable. */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const demo = parseBoolean(env, 'PARLEY_DEMO', true);
  const port = parsePort(env, 'PORT', 8080);
  const host = nonEmpty(env, 'HOST', 'localhost');
  const playgroundRaw = env['PLAYGROUND_PORT']?.trim();
  let playgroundPort: number | null;
  if (playgroundRaw === 'off') playgroundPort = null;
  else if (playgroundRaw === undefined || playgroundRaw === '') playgroundPort = demo ? 3000 : null;
  else playgroundPort = parsePort(env, 'PLAYGROUND_PORT', 3000);
  if (playgroundPort !== null && playgroundPort === port && playgroundPort !== 0) {
    throw new ConfigError('PLAYGROUND_PORT', `must differ from PORT (${port}): the playground needs its own origin`);
  }
  const publicUrl = parsePublicUrl(env, 'PARLEY_PUBLIC_URL', `http://localhost:${port}/`);
  const databaseUrl = env['DATABASE_URL']?.trim() || null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'must be a postgres:// or postgresql:// connection string');
  }
  const demoPassword = env['PARLEY_DEMO_PASSWORD'] ?? DEFAULT_DEMO_PASSWORD;
  if (demo && demoPassword.length < 8) {
    throw new ConfigError('PARLEY_DEMO_PASSWORD', 'must be at least 8 characters long');
  }
  return {
    host,
    port,
    playgroundPort,
    playgroundHost: nonEmpty(env, 'PLAYGROUND_HOST', '127.0.0.1'),
    publicUrl,
    dataDir: path.resolve(cwd, nonEmpty(env, 'PARLEY_DATA_DIR', './data')),
    databaseUrl,
    allowedOrigins: parseOrigins(env, 'PARLEY_ALLOWED_ORIGINS'),
    trustProxy: parseProxies(env, 'PARLEY_TRUST_PROXY'),
    demo,
    demoPassword,
    logLevel: parseEnum(
      env,
      'LOG_LEVEL',
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const,
      'info',
    ),
    sessionIdleSeconds: parseInteger(env, 'PARLEY_SESSION_IDLE_SECONDS', 8 * 3600, 60, 30 * 86400),
    sessionMaxSeconds: parseInteger(env, 'PARLEY_SESSION_MAX_SECONDS', 24 * 3600, 60, 365 * 86400),
    routing: {
      maxMissedOffers: parseInteger(env, 'PARLEY_MAX_MISSED_OFFERS', 3, 0, 100),
      preferredWindowMs: parseInteger(env, 'PARLEY_PREFERRED_AGENT_WINDOW_SECONDS', 20, 0, 3600) * 1000,
      reofferAfterMs: parseInteger(env, 'PARLEY_REOFFER_AFTER_SECONDS', 30, 0, 3600) * 1000,
      phoneBlocksOtherChannels: parseBoolean(env, 'PARLEY_CALL_BLOCKS_OTHER_CHANNELS', true),
    },
    channels: {
      smtpPort: env['PARLEY_SMTP_PORT']?.trim() === 'off' ? null : parsePort(env, 'PARLEY_SMTP_PORT', 2525),
      smtpHost: nonEmpty(env, 'PARLEY_SMTP_HOST', '127.0.0.1'),
      mailMaxBytes: parseInteger(env, 'PARLEY_MAIL_MAX_BYTES', 10 * 1024 * 1024, 1024, 50 * 1024 * 1024),
      smtpMaxConnections: parseInteger(env, 'PARLEY_SMTP_MAX_CONNECTIONS', 200, 1, 10_000),
      smtpConnectionsPerAddress: parseInteger(env, 'PARLEY_SMTP_CONNECTIONS_PER_ADDRESS', 10, 1, 1000),
      smtpIdleSeconds: parseInteger(env, 'PARLEY_SMTP_IDLE_SECONDS', 30, 1, 600),
      smtpMaxRecipients: parseInteger(env, 'PARLEY_SMTP_MAX_RECIPIENTS', 100, 1, 1000),
      smtpRelay: parseUrl(env, 'PARLEY_SMTP_RELAY', ['smtp:', 'smtps:']),
      smsProviderUrl: parseUrl(env, 'PARLEY_SMS_PROVIDER_URL', ['http:', 'https:']),
      smsProviderAccount: env['PARLEY_SMS_PROVIDER_ACCOUNT']?.trim() || null,
      smsProviderToken: env['PARLEY_SMS_PROVIDER_TOKEN']?.trim() || null,
      webhookSecret: parseSecret(env, 'PARLEY_WEBHOOK_SECRET'),
      attachmentMaxBytes: parseInteger(env, 'PARLEY_ATTACHMENT_MAX_BYTES', 5 * 1024 * 1024, 1024, 25 * 1024 * 1024),
      chatStartsPerMinute: parseInteger(env, 'PARLEY_CHAT_STARTS_PER_MINUTE', 20, 1, 100_000),
    },
    sockets: {
      perAddress: parseInteger(env, 'PARLEY_WS_PER_ADDRESS', 50, 1, 100_000),
      perAgent: parseInteger(env, 'PARLEY_WS_PER_AGENT', 20, 1, 1000),
      framesPerSecond: parseInteger(env, 'PARLEY_WS_FRAMES_PER_SECOND', 20, 1, 100_000),
      sendBufferBytes: parseInteger(env, 'PARLEY_WS_SEND_BUFFER_BYTES', 4 * 1024 * 1024, 64 * 1024, 1024 * 1024 * 1024),
    },
    voice: {
      mediaAddress: parseIpv4(env, 'PARLEY_MEDIA_ADDRESS', '127.0.0.1'),
      mediaPorts: parsePortRange(env, 'PARLEY_MEDIA_PORTS'),
      virtualPstn: parseBoolean(env, 'PARLEY_VIRTUAL_PSTN', demo),
      reattachSeconds: parseInteger(env, 'PARLEY_CALL_REATTACH_SECONDS', 60, 5, 3600),
      ringSeconds: parseInteger(env, 'PARLEY_RING_SECONDS', 30, 5, 300),
      callsPerMinute: parseInteger(env, 'PARLEY_CALLS_PER_MINUTE', 20, 1, 100_000),
    },
  };
}

/**
 * Returns the origin of `value` when it is exactly an origin
 * (`scheme://host[:port]`, http or https, no path, query or credentials), else `null`.
 */
export function parseOrigin(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password || url.search || url.hash) return null;
  if (url.pathname !== '/' || value.replace(/\/$/, '') !== url.origin) return null;
  return url.origin;
}

function nonEmpty(env: Env, name: string, fallback: string): string {
  const raw = env[name]?.trim();
  return raw ? raw : fallback;
}

function parseBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `expected true or false, got ${JSON.stringify(env[name])}`);
}

function parseInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `expected a whole number from ${min} to ${max}, got ${JSON.stringify(env[name])}`);
  }
  return Number(raw);
}

function parsePort(env: Env, name: string, fallback: number): number {
  return parseInteger(env, name, fallback, 0, 65535);
}

function parseEnum<const T extends readonly string[]>(
  env: Env,
  name: string,
  values: T,
  fallback: T[number],
): T[number] {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!values.includes(raw))
    throw new ConfigError(name, `expected one of ${values.join(', ')}, got ${JSON.stringify(raw)}`);
  return raw;
}

function parseOrigins(env: Env, name: string): string[] {
  const raw = env[name]?.trim();
  if (!raw) return [];
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const origin = parseOrigin(entry);
      if (!origin) {
        throw new ConfigError(
          name,
          `${JSON.stringify(entry)} is not an origin (expected scheme://host[:port], e.g. https://crm.example.com)`,
        );
      }
      return origin;
    });
}

function parseProxies(env: Env, name: string): string[] {
  const raw = env[name]?.trim();
  if (!raw) return [];
  return raw.split(',').map((entry) => {
    const value = entry.trim();
    if (['loopback', 'linklocal', 'uniquelocal'].includes(value)) return value;
    const [address, bits, extra] = value.split('/');
    const version = net.isIP(address ?? '');
    const max = version === 6 ? 128 : 32;
    if (version === 0 || extra !== undefined || (bits !== undefined && (!/^\d{1,3}$/.test(bits) || Number(bits) > max)))
      throw new ConfigError(
        name,
        `${JSON.stringify(value)} is not an IP address, a CIDR (10.0.0.0/8) or loopback/linklocal/uniquelocal`,
      );
    return value;
  });
}

function parseUrl(env: Env, name: string, protocols: readonly string[]): string | null {
  const raw = env[name]?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not a URL');
  }
  if (!protocols.includes(url.protocol)) throw new ConfigError(name, `must be a ${protocols.join(' or ')} URL`);
  return raw;
}

function parseIpv4(env: Env, name: string, fallback: string): string {
  const value = env[name]?.trim() || fallback;
  const parts = value.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255))
    throw new ConfigError(name, `must be an IPv4 address such as 203.0.113.7; got ${JSON.stringify(value)}`);
  return value;
}

function parsePortRange(env: Env, name: string): readonly [number, number] | null {
  const value = env[name]?.trim();
  if (!value) return null;
  const m = /^(\d{1,5})-(\d{1,5})$/.exec(value);
  const low = Number(m?.[1]);
  const high = Number(m?.[2]);
  if (!m || low < 1024 || high > 65535 || high - low < 10)
    throw new ConfigError(
      name,
      `must be a UDP port range such as 40000-40999 (at least 10 ports, from 1024); got ${JSON.stringify(value)}`,
    );
  return [low, high];
}

function parseSecret(env: Env, name: string): string | null {
  const raw = env[name]?.trim();
  if (!raw) return null;
  if (raw.length < 16) throw new ConfigError(name, 'must be at least 16 characters long');
  return raw;
}

function parsePublicUrl(env: Env, name: string, fallback: string): string {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `${JSON.stringify(raw)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConfigError(name, 'must be an http or https URL');
  if (url.search || url.hash || url.username)
    throw new ConfigError(name, 'must not have a query, fragment or credentials');
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}
