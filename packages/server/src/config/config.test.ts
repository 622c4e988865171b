import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseOrigin } from './config.ts';

describe('loadConfig', () => {
  it('has working defaults for npm start', () => {
    const config = loadConfig({}, '/srv');
    expect(config).toMatchObject({
      port: 8080,
      playgroundPort: 3000,
      host: 'localhost',
      playgroundHost: '127.0.0.1',
      publicUrl: 'http://localhost:8080/',
      dataDir: '/srv/data',
      databaseUrl: null,
      demo: true,
      demoPassword: 'parley-demo',
      logLevel: 'info',
      allowedOrigins: [],
    });
  });

  it('reads the routing rules an operator may tune', () => {
    expect(loadConfig({}).routing).toEqual({
      maxMissedOffers: 3,
      preferredWindowMs: 20_000,
      reofferAfterMs: 30_000,
      phoneBlocksOtherChannels: true,
    });
    expect(
      loadConfig({
        PARLEY_MAX_MISSED_OFFERS: '0',
        PARLEY_PREFERRED_AGENT_WINDOW_SECONDS: '5',
        PARLEY_CALL_BLOCKS_OTHER_CHANNELS: 'false',
        PARLEY_REOFFER_AFTER_SECONDS: '0',
      }).routing,
    ).toEqual({ maxMissedOffers: 0, preferredWindowMs: 5_000, reofferAfterMs: 0, phoneBlocksOtherChannels: false });
  });

  it('turns the playground off outside demo mode unless asked for', () => {
    expect(loadConfig({ PARLEY_DEMO: 'false' }).playgroundPort).toBeNull();
    expect(loadConfig({ PARLEY_DEMO: 'false', PLAYGROUND_PORT: '3001' }).playgroundPort).toBe(3001);
    expect(loadConfig({ PLAYGROUND_PORT: 'off' }).playgroundPort).toBeNull();
  });

  it('reads allowed origins and normalises them', () => {
    expect(
      loadConfig({ PARLEY_ALLOWED_ORIGINS: 'https://crm.example.com, http://localhost:5173/' }).allowedOrigins,
    ).toEqual(['https://crm.example.com', 'http://localhost:5173']);
  });

  it('reads trusted proxies: addresses, CIDRs and proxy-addr names; none by default', () => {
    expect(loadConfig({}).trustProxy).toEqual([]);
    expect(loadConfig({ PARLEY_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1 ,fd00::/8,loopback' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
  });

  it.each([
    [{ PARLEY_TRUST_PROXY: 'proxy.internal' }, 'PARLEY_TRUST_PROXY'],
    [{ PARLEY_TRUST_PROXY: '10.0.0.0/33' }, 'PARLEY_TRUST_PROXY'],
    [{ PARLEY_TRUST_PROXY: '10.0.0.1/8/2' }, 'PARLEY_TRUST_PROXY'],
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PLAYGROUND_PORT: '-1' }, 'PLAYGROUND_PORT'],
    [{ PORT: '9000', PLAYGROUND_PORT: '9000' }, 'PLAYGROUND_PORT'],
    [{ PARLEY_ALLOWED_ORIGINS: 'crm.example.com' }, 'PARLEY_ALLOWED_ORIGINS'],
    [{ PARLEY_ALLOWED_ORIGINS: 'https://ok.example, https://crm.example.com/path' }, 'PARLEY_ALLOWED_ORIGINS'],
    [{ PARLEY_DEMO: 'maybe' }, 'PARLEY_DEMO'],
    [{ PARLEY_DEMO_PASSWORD: 'short' }, 'PARLEY_DEMO_PASSWORD'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ PARLEY_PUBLIC_URL: 'ftp://x' }, 'PARLEY_PUBLIC_URL'],
    [{ PARLEY_MAX_MISSED_OFFERS: '-1' }, 'PARLEY_MAX_MISSED_OFFERS'],
    [{ PARLEY_PREFERRED_AGENT_WINDOW_SECONDS: 'soon' }, 'PARLEY_PREFERRED_AGENT_WINDOW_SECONDS'],
    [{ PARLEY_CALL_BLOCKS_OTHER_CHANNELS: 'sometimes' }, 'PARLEY_CALL_BLOCKS_OTHER_CHANNELS'],
  ])('refuses %j naming %s', (env, variable) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as ConfigError).message).toMatch(new RegExp(`^${variable}: `));
  });
});

describe('parseOrigin', () => {
  it.each([
    ['https://crm.example.com', 'https://crm.example.com'],
    ['https://crm.example.com/', 'https://crm.example.com'],
    ['http://127.0.0.1:3000', 'http://127.0.0.1:3000'],
    ['https://CRM.example.com', null],
    ['https://crm.example.com/app', null],
    ['https://user:pw@crm.example.com', null],
    ['javascript:alert(1)', null],
    ['*', null],
    ['', null],
  ])('%j → %j', (input, expected) => {
    expect(parseOrigin(input)).toBe(expected);
  });
});
