// @vitest-environment happy-dom
/**
 * Issue 11: while a cleanup runs, a flush-and-restore brings thousands of rows back a few per frame.
 * The store then applies them unmarked and lets the table re-process at the calm pace (500 ms) instead
 * of every frame; when the run ends the table catches up at once, and single changes are again shown
 * within a frame and highlighted.
 */
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchEffect } from 'vue';
import type { PortPilotApi } from '../../../shared/domains';
import type { MappingsDelta, MappingView } from '../../../shared/domains/mappings';
import { installFakeApi } from '../test-support/fake-api';
import { useMappingsStore } from './mappings';
import { mappingView } from '../../../shared/testing/mapping-view';

const answers: Record<string, unknown> = {
  'mappings.snapshot': { mappings: [], seq: 0, status: { phase: 'live', message: null, count: 0 }, at: 0 },
  'mappings.history': { points: [], events: [] },
  'mappings.previewCleanup': { previewId: 'p1', candidates: [], plan: null },
};
const { emit } = installFakeApi(answers);
/** runCleanup answers only when the test says the run is over. */
let finishRun: (value: unknown) => void = () => {};
const fake = window.api;
(window as unknown as { api: PortPilotApi }).api = new Proxy(fake, {
  get: (t, domain: keyof PortPilotApi) =>
    domain !== 'mappings'
      ? t[domain]
      : new Proxy(t.mappings, {
          get: (m, method: keyof PortPilotApi['mappings']) =>
            method === 'runCleanup'
              ? () => new Promise((resolve) => (finishRun = (value) => resolve({ ok: true, value })))
              : m[method],
        }),
});

const row = (port: number): MappingView => mappingView(port);

const added = (seq: number, port: number): MappingsDelta => ({
  seq,
  reset: false,
  added: [row(port)],
  updated: [],
  removed: [],
});

describe('the mappings store while a cleanup runs', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('applies rows unmarked and re-processes the table at the calm pace; catches up at once when done', async () => {
    const store = useMappingsStore();
    store.start();
    await vi.advanceTimersByTimeAsync(0);
    let tableRuns = 0;
    watchEffect(
      () => {
        void store.byId;
        tableRuns++;
      },
      { flush: 'sync' },
    );
    tableRuns = 0;
    await store.openPreview();
    const run = store.runCleanup(['tcp/1'], { strategy: 'flush-and-restore', acceptLoss: false });

    emit('mappings.onDelta', added(1, 5000));
    await vi.advanceTimersByTimeAsync(100);
    expect(store.byId.get('tcp/5000')?.mark).toBeNull();
    expect(tableRuns).toBe(0);
    expect(store.status.count).toBe(0);
    emit('mappings.onDelta', added(2, 5001));
    await vi.advanceTimersByTimeAsync(400);
    expect(tableRuns).toBe(1);
    expect(store.status.count).toBe(2);

    emit('mappings.onDelta', added(3, 5002));
    finishRun({ removed: 1 });
    await run;
    await vi.advanceTimersByTimeAsync(16);
    expect(tableRuns).toBe(2);
    expect(store.status.count).toBe(3);

    emit('mappings.onDelta', added(4, 5003));
    expect(store.byId.get('tcp/5003')?.mark).toBe('new');
    await vi.advanceTimersByTimeAsync(16);
    expect(tableRuns).toBe(3);
    expect(store.status.count).toBe(4);
    store.$dispose();
  });
});
