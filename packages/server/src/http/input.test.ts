import { describe, expect, it } from 'vitest';
import { nulIn } from '@parley/protocol';
import { scanJson } from './input.ts';

describe('scanJson', () => {
  it.each([
    ['1', 0, false],
    ['{"a":[1,{"b":2}]}', 3, false],
    ['"{[{[ not nesting"', 0, false],
    ['{"a":"\\u0000"}', 1, true],
    ['{"a":"\\\\u0000"}', 1, false],
    ['{"a":"\\"{["}', 1, false],
    [`${'['.repeat(100)}${']'.repeat(100)}`, 100, false],
  ])('%s: depth %i, NUL %s', (text, depth, nul) => {
    expect(scanJson(text)).toEqual({ depth, nul });
  });
});

describe('nulIn', () => {
  it.each([
    [{ a: 'x', b: ['y', 'z\0'] }, 'b[1]'],
    [{ 'k\0': 1 }, 'k\\0'],
    ['\0', 'value'],
    [{ a: { b: 'fine' } }, null],
    [null, null],
  ])('%j → %s', (value, path) => {
    expect(nulIn(value)).toBe(path);
  });
});
