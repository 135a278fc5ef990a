// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PortPilotApi } from '../../../shared/domains';
import { selfTestStepIds, type SelfTestReport, type SelfTestStep } from '../../../shared/domains/selftest';
import { useSelfTestStore } from './selftest';

const pending = (runId: string): SelfTestReport => ({
  runId,
  ok: false,
  running: true,
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: null,
  steps: selfTestStepIds.map((id) => ({ id, title: id, status: 'pending', detail: '', evidence: [] })),
  findings: [],
  text: '',
});

let onStep: ((e: { runId: string; step: SelfTestStep }) => void) | null = null;
let onFinished: ((r: SelfTestReport) => void) | null = null;
let last: SelfTestReport | null = null;
let startResult: Awaited<ReturnType<PortPilotApi['selftest']['start']>> = { ok: true, value: { runId: 'r1' } };

// The store reaches main only through connectApi(); in the desktop app that is window.api.
const selftest = {
  onStep: (l: typeof onStep) => ((onStep = l), () => undefined),
  onFinished: (l: typeof onFinished) => ((onFinished = l), () => undefined),
  start: async () => {
    last = pending('r1');
    // An event can arrive before the start answer; the store then takes the service's view (last()).
    onStep?.({ runId: 'r1', step: { id: 'discover', title: 'd', status: 'running', detail: '', evidence: [] } });
    return startResult;
  },
  last: async () => ({ ok: true as const, value: last }),
  cancel: async () => ({ ok: true as const, value: true }),
  adapters: async () => ({
    ok: true as const,
    value: [
      { name: 'WLAN', address: '192.168.1.64/24', kind: 'physical' as const, why: null, searchedByDefault: true },
      {
        name: 'vEthernet (WSL)',
        address: '172.29.160.1/20',
        kind: 'virtual' as const,
        why: 'Hyper-V / WSL virtual switch',
        searchedByDefault: false,
      },
    ],
  }),
};
(window as unknown as { api: Partial<PortPilotApi> }).api = { selftest } as unknown as PortPilotApi;

describe('selftest store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    last = null;
    startResult = { ok: true, value: { runId: 'r1' } };
  });

  it('follows one run live: step events of that run only, then the finished report', async () => {
    const store = useSelfTestStore();
    store.start();
    expect(await store.run({})).toBe(true);
    expect(store.running).toBe(true);
    onStep?.({ runId: 'r1', step: { id: 'discover', title: 'd', status: 'pass', detail: 'found 1', evidence: ['x'] } });
    onStep?.({
      runId: 'other',
      step: { id: 'description', title: 'd', status: 'fail', detail: 'not mine', evidence: [] },
    });
    expect(store.steps.find((s) => s.id === 'discover')).toMatchObject({ status: 'pass', detail: 'found 1' });
    expect(store.steps.find((s) => s.id === 'description')?.status).toBe('pending');
    onFinished?.({ ...pending('r1'), running: false, ok: true, text: 'PortPilot — Test from this PC — PASSED\n' });
    expect(store.done).toBe(true);
    expect(store.running).toBe(false);
    expect(store.report?.text).toContain('PASSED');
  });

  it('loads this PC’s adapters to choose from', async () => {
    const store = useSelfTestStore();
    expect(store.adapters).toEqual([]);
    await store.loadAdapters();
    expect(store.adapters.map((a) => a.name)).toEqual(['WLAN', 'vEthernet (WSL)']);
  });

  it('keeps the error of a refused start (busy) and shows no run', async () => {
    startResult = { ok: false, error: { code: 'busy', message: 'A self-test is already running' } };
    const store = useSelfTestStore();
    expect(await store.run({})).toBe(false);
    expect(store.lastError?.code).toBe('busy');
    expect(store.running).toBe(false);
  });
});
