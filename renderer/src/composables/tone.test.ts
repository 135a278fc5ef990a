import { describe, expect, it } from 'vitest';
import { luminance, toneFor } from './tone';

const contrast = (a: string, b: string): number => {
  const [x, y] = [luminance(a) ?? 0, luminance(b) ?? 0].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
};

describe('tone', () => {
  it('reads hex and rgb colours', () => {
    expect(luminance('#fff')).toBeCloseTo(1);
    expect(luminance('#000000')).toBe(0);
    expect(luminance('rgb(16, 16, 20)')).toBeLessThan(0.01);
    expect(luminance('hsl(0, 0%, 0%)')).toBeNull();
  });

  it('picks the palette by the theme’s body colour (Naive UI light #fff, dark rgb(16, 16, 20))', () => {
    expect(toneFor('#fff').dark).toBe(false);
    expect(toneFor('rgb(16, 16, 20)').dark).toBe(true);
  });

  // The backgrounds the colours sit on: Naive UI's card/table colour and the table header of each theme.
  it.each([
    ['light', '#fff', ['#fff', 'rgb(250, 250, 252)']],
    ['dark', 'rgb(16, 16, 20)', ['rgb(24, 24, 28)', 'rgb(16, 16, 20)']],
  ])('every %s colour keeps 4.5:1 on its backgrounds (WCAG AA)', (_name, body, backgrounds) => {
    const t = toneFor(body);
    for (const bg of backgrounds)
      for (const fg of [t.muted, t.good, t.bad]) expect(contrast(fg, bg), `${fg} on ${bg}`).toBeGreaterThan(4.5);
  });
});
