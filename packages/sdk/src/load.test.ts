import { describe, expect, it } from 'vitest';
import { normalizeBaseUrl, panelUrl } from './load.ts';

describe('normalizeBaseUrl', () => {
  it.each([
    ['https://parley.example.com', 'https://parley.example.com/'],
    ['https://parley.example.com/tenant?x=1#y', 'https://parley.example.com/tenant/'],
    ['http://localhost:8080/', 'http://localhost:8080/'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeBaseUrl(input)).toBe(expected);
  });

  it.each(['javascript:alert(1)', 'data:text/html,x', 'ftp://x', 'not a url', '', undefined])(
    'refuses %j with invalid_argument',
    (input) => {
      expect(() => normalizeBaseUrl(input)).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    },
  );
});

describe('panelUrl', () => {
  it('passes the host origin and the panel options as query parameters', () => {
    expect(panelUrl('https://p.example/', { minWidth: 300, denyPopout: true }, 'https://crm.example')).toBe(
      'https://p.example/panel/embedded?host=https%3A%2F%2Fcrm.example&denyPopout=true&minWidth=300',
    );
    expect(panelUrl('https://p.example/', { sso: true }, 'https://crm.example')).toBe(
      'https://p.example/panel/embedded_sso?host=https%3A%2F%2Fcrm.example',
    );
  });
});
