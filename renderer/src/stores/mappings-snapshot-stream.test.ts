// @vitest-environment happy-dom
/**
 * Issue 14: a router session's first snapshot reaches the renderer as it is read — a reset delta, then
 * rows as they stream in, while the monitor is still loading. Those rows are the table, not news: none
 * is highlighted. Once the monitor is live, a mapping that appears is.
 */
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MappingsDelta } from '../../../shared/domains/mappings';
import { mappingView } from '../../../shared/testing/mapping-view';
import { installFakeApi } from '../test-support/fake-api';
import { useMappingsStore } from './mappings';

const { emit } = installFakeApi({
  'mappings.snapshot': { mappings: [], seq: 0, status: { phase: 'loading', message: null, count: 0 }, at: 0 },
  'mappings.history': { points: [], events: [] },
});

const delta = (seq: number, ports: number[], reset = false): MappingsDelta => ({
  seq,
  reset,
  added: ports.map((p) => mappingView(p)),
  updated: [],
  removed: [],
});

describe('the mappings store while a first snapshot streams in', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('shows the rows as they come without highlighting them; a mapping that appears once live is highlighted', async () => {
    const store = useMappingsStore();
    store.start();
    await vi.advanceTimersByTimeAsync(0);
    emit('mappings.onDelta', delta(1, [1, 2], true));
    emit('mappings.onDelta', delta(2, [3]));
    emit('mappings.onDelta', delta(3, [4, 5]));
    await vi.advanceTimersByTimeAsync(16);
    expect([...store.byId.keys()].sort()).toEqual(['tcp/1', 'tcp/2', 'tcp/3', 'tcp/4', 'tcp/5']);
    expect([...store.byId.values()].map((r) => r.mark)).toEqual([null, null, null, null, null]);
    expect(store.status.count).toBe(5);

    emit('mappings.onStatus', { phase: 'live', message: null, count: 5 });
    emit('mappings.onDelta', delta(4, [6]));
    expect(store.byId.get('tcp/6')?.mark).toBe('new');
    store.$dispose();
  });
});
