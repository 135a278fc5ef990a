// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MappingsDelta, MappingView } from '../../../shared/domains/mappings';
import { installFakeApi } from '../test-support/fake-api';
import { useAlertsStore } from './alerts';
import { useAppStore } from './app';
import { useConfigStore } from './config';
import { useDiagnoseStore } from './diagnose';
import { FADE_MS, HIGHLIGHT_MS, useMappingsStore } from './mappings';
import { useNatStore } from './nat';
import { useRouterStore } from './router';
import { useSelfTestStore } from './selftest';
import { mappingView } from '../../../shared/testing/mapping-view';

/** Methods answer `not-connected`, except the few a store needs to get going; `live()` counts listeners. */
const answers: Record<string, unknown> = {
  'mappings.snapshot': { mappings: [], seq: 0, status: { phase: 'live', message: null, count: 0 }, at: 0 },
  'mappings.history': { points: [], events: [] },
};

const { listeners, emit, live } = installFakeApi(answers);

const row = (port: number): MappingView => mappingView(port);

describe('stores release what they subscribe to', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    listeners.clear();
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each([
    ['alerts', useAlertsStore, 2],
    ['app', useAppStore, 0],
    ['config', useConfigStore, 1],
    ['diagnose', useDiagnoseStore, 2],
    ['mappings', useMappingsStore, 4],
    ['nat', useNatStore, 2],
    ['router', useRouterStore, 1],
    ['selftest', useSelfTestStore, 2],
  ] as const)('%s: start() subscribes, $dispose() leaves no listener behind', async (_name, useStore, count) => {
    const store = useStore();
    store.start();
    store.start(); // idempotent: no second set of listeners
    expect(live()).toBe(count);
    await vi.advanceTimersByTimeAsync(0);
    store.$dispose();
    expect(live()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('mappings: the clock, highlight, fade-out and batching timers stop with the store', async () => {
    const store = useMappingsStore();
    store.start();
    await vi.advanceTimersByTimeAsync(0); // the snapshot is in: deltas now apply directly
    const delta = (seq: number, d: Partial<MappingsDelta>): MappingsDelta => ({
      seq,
      added: [],
      updated: [],
      removed: [],
      reset: false,
      ...d,
    });
    emit('mappings.onDelta', delta(1, { added: [row(1000), row(1001)] }));
    emit('mappings.onDelta', delta(2, { removed: ['tcp/1000'] }));
    expect(store.byId.get('tcp/1001')?.mark).toBe('new');
    expect(store.byId.get('tcp/1000')?.mark).toBe('leaving');
    // clock + one highlight + one fade-out + the batching timer
    expect(vi.getTimerCount()).toBe(4);

    const clock = store.now;
    store.$dispose();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(Math.max(HIGHLIGHT_MS, FADE_MS) + 5_000);
    expect(store.now).toBe(clock);
    expect(store.byId.get('tcp/1001')?.mark).toBe('new');
    expect(store.byId.has('tcp/1000')).toBe(true);
  });

  it('mappings: an answer that arrives after $dispose() starts no timer', async () => {
    const store = useMappingsStore();
    store.start(); // the snapshot request is in flight: deltas are buffered until it answers
    emit('mappings.onDelta', { seq: 1, added: [row(2000)], updated: [], removed: [], reset: false });
    store.$dispose();
    await vi.advanceTimersByTimeAsync(0); // the snapshot answers; the buffered delta is applied
    expect(store.byId.has('tcp/2000')).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });
});
