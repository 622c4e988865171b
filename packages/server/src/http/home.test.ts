import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { otherTenant, startHarness, type Harness } from '../testing/index.ts';
import { faviconIco } from './home.ts';

describe('the front door', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await otherTenant(h.db);
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers / with a page naming the tenant and where to go, not a JSON 404', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.body).toContain('<h1>Parley Demo</h1>');
    for (const path of ['panel/embedded', 'docs', 'sdk/parley.js', 'sdk/webex.js', 'phone', 'mailbox'])
      expect(res.body).toContain(`/${path}"`);
    const acme = await h.app.inject({ method: 'GET', url: '/t/acme/' });
    expect(acme.statusCode).toBe(200);
    expect(acme.body).toContain('<h1>Acme Inc</h1>');
    expect(acme.body).toMatch(/href="[^"]*\/t\/acme\/docs"/);
  });

  it('serves a favicon as SVG and as ICO', async () => {
    const svg = await h.app.inject({ method: 'GET', url: '/favicon.svg' });
    expect(svg.headers['content-type']).toContain('image/svg+xml');
    expect(svg.body).toContain('<svg');
    const ico = await h.app.inject({ method: 'GET', url: '/favicon.ico' });
    expect(ico.statusCode).toBe(200);
    expect(ico.headers['content-type']).toBe('image/x-icon');
    expect(ico.rawPayload.equals(faviconIco())).toBe(true);
  });
});

describe('faviconIco', () => {
  const ico = faviconIco();
  const pixel = (x: number, y: number) => {
    const at = 22 + 40 + ((15 - y) * 16 + x) * 4;
    return [ico[at + 2], ico[at + 1], ico[at], ico[at + 3]];
  };
  it('is one 16×16 32-bit image in an ICO directory', () => {
    expect([...ico.subarray(0, 6)]).toEqual([0, 0, 1, 0, 1, 0]);
    expect([ico[6], ico[7]]).toEqual([16, 16]);
    expect(ico.readUInt32LE(14)).toBe(ico.length - 22);
    expect(ico.readUInt32LE(22)).toBe(40);
  });
  it('draws a white bubble on brand blue, with transparent corners', () => {
    expect(pixel(0, 0)[3]).toBe(0);
    expect(pixel(8, 1)).toEqual([0x25, 0x63, 0xeb, 255]);
    expect(pixel(8, 6)).toEqual([255, 255, 255, 255]);
  });
});

describe('the embed check', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ PARLEY_ALLOWED_ORIGINS: 'https://crm.example' });
  });
  afterAll(async () => {
    await h.close();
  });

  it('tells any page, CORS-readable and without credentials, whether its origin may frame the panel', async () => {
    const ask = (origin: string) => h.app.inject({ method: 'GET', url: '/panel/embed-check', headers: { origin } });
    const refused = await ask('https://elsewhere.example');
    expect(refused.statusCode).toBe(200);
    expect(refused.json()).toEqual({ origin: 'https://elsewhere.example', allowed: false });
    expect(refused.headers['access-control-allow-origin']).toBe('https://elsewhere.example');
    expect(refused.headers['access-control-allow-credentials']).toBeUndefined();
    expect((await ask('https://crm.example')).json()).toEqual({ origin: 'https://crm.example', allowed: true });
  });
});
