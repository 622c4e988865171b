import { describe, expect, it } from 'vitest';
import { StationOrder } from './stations.ts';

describe('StationOrder', () => {
  it('hands the calls to the newest station and back when it goes', () => {
    const s = new StationOrder<string>();
    expect(s.attached('t:u', 'panel')).toBeNull();
    expect(s.attached('t:u', 'headless')).toBe('panel');
    // The panel reconnects: its new station serves again.
    expect(s.attached('t:u', 'panel')).toBe('headless');
    expect(s.detached('t:u', 'headless')).toBeNull();
    expect(s.attached('t:u', 'popout')).toBe('panel');
    expect(s.detached('t:u', 'popout')).toBe('panel');
    expect(s.detached('t:u', 'panel')).toBeNull();
    expect(s.detached('t:u', 'panel')).toBeNull();
  });

  it('keeps agents apart', () => {
    const s = new StationOrder<string>();
    s.attached('t:a', 'x');
    expect(s.attached('t:b', 'y')).toBeNull();
    expect(s.detached('t:a', 'x')).toBeNull();
  });
});
