import { describe, expect, it } from 'vitest';
import { isHexId, parseInteractionId } from './ids.ts';
import { parseClientRequest, parseServerFrame } from './ws.ts';

describe('ids', () => {
  it.each([
    ['0123456789abcdef0123456789abcdef', true],
    ['0123456789ABCDEF0123456789ABCDEF', false],
    ['0123456789abcdef0123456789abcde', false],
    ['0123456789abcdef0123456789abcdefa', false],
    ['g123456789abcdef0123456789abcdef', false],
    [42, false],
  ])('isHexId(%j) is %s', (value, expected) => {
    expect(isHexId(value)).toBe(expected);
    expect(parseInteractionId(value)).toBe(expected ? value : null);
  });
});

describe('ws frames', () => {
  it('parses resume and reports what is wrong with a bad one', () => {
    expect(parseClientRequest({ id: '1', type: 'resume', data: { last_seq: 4 } })).toEqual({
      id: '1',
      type: 'resume',
      data: { last_seq: 4 },
    });
    expect(parseClientRequest({ id: '1', type: 'resume', data: { last_seq: -1 } })).toEqual({
      id: '1',
      error: 'resume needs data.last_seq, a non-negative integer',
    });
    expect(parseClientRequest({ id: '2', type: 'drop_tables', data: {} })).toEqual({
      id: '2',
      error: 'unknown request type "drop_tables"',
    });
    expect(parseClientRequest({ type: 'ping' })).toBeNull();
    expect(parseClientRequest({ id: 'x'.repeat(65), type: 'ping' })).toBeNull();
  });

  it('parses server frames', () => {
    expect(parseServerFrame({ re: '1', ok: true, data: { a: 1 } })).toEqual({ re: '1', ok: true, data: { a: 1 } });
    expect(parseServerFrame({ re: '1', ok: false, error: { code: 'forbidden', message: 'm' } })).toEqual({
      re: '1',
      ok: false,
      error: { code: 'forbidden', message: 'm' },
    });
    expect(parseServerFrame({ re: '1', ok: false })).toBeNull();
    expect(parseServerFrame({ seq: 1, type: 'hello', data: {} })).not.toBeNull();
    expect(parseServerFrame({ seq: 1.5, type: 'hello', data: {} })).toBeNull();
    expect(parseServerFrame({ seq: 1, type: 'unknown', data: {} })).toBeNull();
  });
});
