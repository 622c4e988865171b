import { describe, expect, it } from 'vitest';
import { sanitizeEmailHtml } from './sanitize.ts';

describe('email HTML', () => {
  it('keeps text and structure, drops scripts, handlers, styles and remote images', () => {
    const out = sanitizeEmailHtml(
      '<p onclick="steal()">Hello <b>there</b></p><script>alert(1)</script><style>p{}</style>' +
        '<img src="https://tracker.example/p.gif"><a href="javascript:alert(1)">x</a><a href="https://ok.example/">ok</a>',
    );
    expect(out).toContain('<p>Hello <b>there</b></p>');
    expect(out).not.toMatch(/script|onclick|style|img|javascript/i);
    expect(out).toContain('<a href="https://ok.example/" target="_blank" rel="noopener noreferrer">ok</a>');
  });
});
