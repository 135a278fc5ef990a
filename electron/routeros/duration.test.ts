import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration';

const SECOND = 1000;
const MIN = 60 * SECOND;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('parseDuration (milliseconds)', () => {
  it.each([
    ['1d2h3m4s', 93_784_000],
    ['1w2d', 9 * DAY],
    ['6d1m', 6 * DAY + MIN],
    ['300ms', 300],
    ['1s500ms', 1500],
    ['3ms254us', 3.254],
    ['1.5s', 1500],
    ['0s', 0],
    ['00:05:00', 5 * MIN],
    ['100:00:00', 100 * HOUR],
    ['1d 02:00:00', DAY + 2 * HOUR],
    ['00:00:01.5', 1500],
    [' 2m30s ', 150 * SECOND],
  ])('%j = %d ms', (text, ms) => expect(parseDuration(text)).toBeCloseTo(ms, 6));

  it.each(['', ' ', 'never', 'soon', '5x', '1h 2q', '5', '1h-2m', 's', '1:2:3', '00:60'])(
    '%j is not a duration',
    (text) => expect(parseDuration(text)).toBeUndefined(),
  );
});

describe('formatDuration', () => {
  it('prints as RouterOS does', () => {
    expect(formatDuration(93_784_000)).toBe('1d2h3m4s');
    expect(formatDuration(300)).toBe('300ms');
    expect(formatDuration(8 * DAY)).toBe('1w1d');
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(-5)).toBe('0s');
    expect(formatDuration(90_500)).toBe('1m30s');
  });
  it('round-trips whole seconds and sub-second milliseconds', () => {
    fc.assert(
      fc.property(fc.nat(10 * 52 * 7 * 86_400), (seconds) => {
        expect(parseDuration(formatDuration(seconds * SECOND))).toBe(seconds * SECOND);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999 }), (ms) => {
        expect(parseDuration(formatDuration(ms))).toBe(ms);
      }),
    );
  });
});
