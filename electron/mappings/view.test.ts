import { describe, expect, it } from 'vitest';
import { knownSince } from './view';

const NOW = 1_800_000_000_000;
const DAY = 86_400_000;

describe('knownSince: the age PortPilot can truthfully show (issue 11)', () => {
  it('a mapping whose device left six days ago is at least six days old, even when first seen 8 s ago', () => {
    expect(knownSince(NOW - 8000, { present: false, lastSeenAt: NOW - 6 * DAY })).toEqual({
      at: NOW - 6 * DAY,
      basis: 'owner-last-seen',
    });
  });

  it('otherwise it is known since PortPilot first saw it on this router', () => {
    expect(knownSince(NOW - 8000, { present: true, lastSeenAt: NOW })).toEqual({ at: NOW - 8000, basis: 'first-seen' });
    expect(knownSince(NOW - 8000, undefined)).toEqual({ at: NOW - 8000, basis: 'first-seen' });
    expect(knownSince(NOW - 8000, { present: false, lastSeenAt: null })).toEqual({
      at: NOW - 8000,
      basis: 'first-seen',
    });
    // A device that left after PortPilot first saw the mapping says nothing older.
    expect(knownSince(NOW - 2 * DAY, { present: false, lastSeenAt: NOW - DAY })).toEqual({
      at: NOW - 2 * DAY,
      basis: 'first-seen',
    });
  });
});
