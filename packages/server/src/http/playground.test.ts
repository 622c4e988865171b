import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { buildPlayground, injectBaseUrl } from './playground.ts';

describe('injectBaseUrl', () => {
  it.each([
    '<meta name="parley-base-url" content="">',
    '<meta name="parley-base-url" content="" />',
    '<meta  name="parley-base-url" content="x"/>',
  ])('fills %s whatever its formatting', (tag) => {
    expect(injectBaseUrl(`<head>${tag}</head>`, 'http://localhost:8080/')).toBe(
      '<head><meta name="parley-base-url" content="http://localhost:8080/" /></head>',
    );
  });

  it('escapes the URL and refuses a page without the tag', () => {
    expect(injectBaseUrl('<meta name="parley-base-url" content="">', 'http://x/"><script>')).toContain(
      'content="http://x/&quot;>&lt;script>"',
    );
    expect(() => injectBaseUrl('<head></head>', 'http://x/')).toThrow(/parley-base-url/);
  });
});

describe('the demo shop page', () => {
  it('carries the web-chat widget of the Parley base, under a CSP that lets only it talk to Parley', async () => {
    const app = await buildPlayground({
      dist: '/nonexistent',
      baseUrl: 'http://localhost:8080/',
      log: pino({ level: 'silent' }),
    });
    const res = await app.inject({ method: 'GET', url: '/shop' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(
      '<script src="http://localhost:8080/widget.js" data-address="webchat" data-call="+15555550100" defer></script>',
    );
    expect(res.headers['content-security-policy']).toContain('connect-src http://localhost:8080 ws://localhost:8080');
    await app.close();
  });
});
