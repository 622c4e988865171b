import { describe, expect, it } from 'vitest';
import { injectBaseUrl } from './playground.ts';

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
