import { describe, expect, it } from 'vitest';
import { parsePort } from './port';

describe('parsePort', () => {
  it('takes a number written in digits (its range is the contract’s to check)', () => {
    expect(parsePort('8729')).toBe(8729);
    expect(parsePort(' 1 ')).toBe(1);
    expect(parsePort('70000')).toBe(70000);
  });
  it('refuses what is not a number, instead of keeping the old one', () => {
    for (const text of ['abc', '', '87.29', '-1', '8729x', '1e3', '0x50', '1234567'])
      expect(parsePort(text), text).toBeNull();
  });
});
