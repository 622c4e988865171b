import { describe, expect, it } from 'vitest';
import { refuseAttachment, safeFileName } from './attachments.ts';

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);

describe('attachments', () => {
  it('accepts allowed types whose content matches', () => {
    expect(refuseAttachment({ name: 'a.png', contentType: 'image/png', data: png }, 100)).toBeNull();
    expect(
      refuseAttachment({ name: 'a.txt', contentType: 'text/plain; charset=utf-8', data: Buffer.from('hi') }, 100),
    ).toBeNull();
  });

  it('refuses forbidden types, oversized, empty and disguised files with a reason', () => {
    expect(refuseAttachment({ name: 'x.exe', contentType: 'application/x-msdownload', data: png }, 100)).toMatch(
      /not accepted/,
    );
    expect(refuseAttachment({ name: 'a.png', contentType: 'image/png', data: png }, 5)).toMatch(/over the limit/);
    expect(refuseAttachment({ name: 'a.png', contentType: 'image/png', data: new Uint8Array() }, 5)).toMatch(/empty/);
    expect(
      refuseAttachment({ name: 'a.pdf', contentType: 'application/pdf', data: Buffer.from('MZ\x90\x00') }, 100),
    ).toMatch(/not application\/pdf/);
    expect(refuseAttachment({ name: 'a.txt', contentType: 'text/plain', data: Buffer.from([1, 0, 2]) }, 100)).toMatch(
      /not text\/plain/,
    );
  });

  it('keeps file names harmless', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('in"voice\r\n.pdf')).toBe('in_voice__.pdf');
    expect(safeFileName('..')).toBe('file');
  });
});
