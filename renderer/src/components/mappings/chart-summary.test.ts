import { describe, expect, it } from 'vitest';
import { chartSummary } from './chart-summary';

describe('chartSummary', () => {
  it('says the span, the first and last value, and the range', () => {
    const pts = [
      { at: 0, open: 12 },
      { at: 60_000, open: 17 },
      { at: 120_000, open: 9 },
      { at: 3_720_000, open: 16 },
    ];
    expect(chartSummary(pts, true)).toBe(
      'Open mappings over the last 1h 2m: 12 at the start, 16 now, between 9 and 17.',
    );
  });

  it('a flat line is steady; a list not current says so; a lone point is one figure', () => {
    const flat = [
      { at: 0, open: 4 },
      { at: 90_000, open: 4 },
    ];
    expect(chartSummary(flat, false)).toBe(
      'Open mappings over the last 1m 30s: 4 at the start, 4 when last seen, steady at 4.',
    );
    expect(chartSummary([{ at: 5, open: 3 }], true)).toBe('3 open mappings now.');
    expect(chartSummary([], true)).toBe('No mapping counts recorded yet.');
  });
});
