import { effectScope } from 'vue';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WATCH_LEASE_MS } from '../../../shared/domains/mappings';
import { useScreenWatch } from './screen-watch';

/** A document whose visibility the test sets. */
function fakeDocument() {
  const target = new EventTarget();
  let state: DocumentVisibilityState = 'visible';
  Object.defineProperty(target, 'visibilityState', { get: () => state });
  const doc = target as unknown as Document;
  const show = (v: DocumentVisibilityState) => {
    state = v;
    target.dispatchEvent(new Event('visibilitychange'));
  };
  return { doc, show };
}

describe('useScreenWatch', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('watches while mounted and visible, renews the lease, and lets go when hidden or gone', () => {
    const { doc, show } = fakeDocument();
    const sent: boolean[] = [];
    const scope = effectScope();
    scope.run(() => useScreenWatch((v) => sent.push(v), doc));
    expect(sent).toEqual([true]);
    vi.advanceTimersByTime(WATCH_LEASE_MS / 2);
    expect(sent).toEqual([true, true]);
    show('hidden');
    vi.advanceTimersByTime(WATCH_LEASE_MS);
    expect(sent).toEqual([true, true, false]);
    show('visible');
    scope.stop();
    expect(sent).toEqual([true, true, false, true, false]);
    vi.advanceTimersByTime(WATCH_LEASE_MS);
    expect(sent).toHaveLength(5);
  });
});
