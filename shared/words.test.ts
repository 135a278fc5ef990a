import { describe, expect, it } from 'vitest';
import { plural } from './words';

describe('plural', () => {
  it('uses the singular for exactly one and the plural otherwise', () => {
    expect(plural(1, 'mapping')).toBe('1 mapping');
    expect(plural(0, 'mapping')).toBe('0 mappings');
    expect(plural(2, 'fix', 'fixes')).toBe('2 fixes');
    expect(plural(1, 'fix', 'fixes')).toBe('1 fix');
  });
});
