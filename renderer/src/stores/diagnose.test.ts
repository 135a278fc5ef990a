// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PortPilotApi } from '../../../shared/domains';
import type { PlanView } from '../../../shared/domains/config';
import type { DiagnoseDevice, Diagnosis, Finding } from '../../../shared/domains/diagnose';
import { useDiagnoseStore } from './diagnose';

const device = (address: string, console: boolean): DiagnoseDevice => ({
  address,
  mac: '',
  hostName: address,
  vendor: null,
  online: true,
  interface: 'bridge-lan',
  platform: console ? 'playstation' : 'other',
  console,
});
const plan = (id: string): PlanView => ({
  id,
  title: 'Allow UDP',
  steps: [],
  flush: { upnp: 0, natPmp: 0 },
  warnings: [],
  script: '',
});
const finding = (id: Finding['id'], status: Finding['status'], fix: PlanView | null): Finding => ({
  id,
  title: id,
  status,
  evidence: [],
  explanation: '',
  fix,
});
const diagnosis = (findings: Finding[]): Diagnosis => ({
  runId: 'r',
  symptom: 'nat-type-3',
  device: null,
  examined: [],
  findings,
  prediction: null,
  predictions: [],
  text: '',
  finishedAt: '',
});
/** Answers of `run`, in order; a test may hold one back to look at the screen in between. */
const runs: Array<Promise<Diagnosis>> = [];
const calls: string[] = [];
const diagnose = {
  onCheck: () => () => undefined,
  onProgress: () => () => undefined,
  devices: async () => ({ ok: true as const, value: [device('192.168.88.30', false), device('192.168.88.20', true)] }),
  run: async () => {
    calls.push('run');
    return { ok: true as const, value: await (runs.shift() ?? Promise.reject(new Error('no run planned'))) };
  },
  apply: async ({ planId }: { planId: string }) => {
    calls.push(`apply ${planId}`);
    return { ok: true as const, value: { planId, outcome: 'applied' } };
  },
};
(window as unknown as { api: Partial<PortPilotApi> }).api = { diagnose } as unknown as PortPilotApi;

describe('diagnose store: the device choice', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('picks the first online console until the user chooses; "no device" then survives a reload of the list', async () => {
    const store = useDiagnoseStore();
    await store.loadDevices();
    expect(store.device).toBe('192.168.88.20');
    store.chooseDevice(null);
    await store.loadDevices();
    expect(store.device).toBeNull();
    store.chooseDevice('192.168.88.99'); // typed by hand, not in the list
    await store.loadDevices();
    expect(store.device).toBe('192.168.88.99');
    // A new connection: the earlier choice no longer applies.
    await store.loadDevices(true);
    expect(store.device).toBe('192.168.88.20');
  });
});

describe('diagnose store: after a fix', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    calls.length = 0;
  });

  it('counts the fixed problem no more and drops its Fix at once, then shows what the re-run found', async () => {
    // The three permission checks share one plan: fixing it fixes all three rows.
    const shared = plan('p1');
    runs.push(
      Promise.resolve(
        diagnosis([
          finding('udp-not-allowed', 'fail', shared),
          finding('permission-denies-device', 'fail', shared),
          finding('double-nat', 'fail', null),
        ]),
      ),
    );
    const store = useDiagnoseStore();
    await store.run();
    expect(store.failing).toBe(3);

    let answer: (d: Diagnosis) => void = () => undefined;
    runs.push(new Promise<Diagnosis>((resolve) => (answer = resolve)));
    store.preview('udp-not-allowed', shared);
    await store.applyFix();
    expect(calls).toEqual(['run', 'apply p1', 'run']);
    // Before the re-run answers: the fixed rows are fixed, the unfixable one still counts.
    expect([...store.fixed].sort()).toEqual(['permission-denies-device', 'udp-not-allowed']);
    expect(store.failing).toBe(1);
    expect(store.rechecking).toBe(true);

    answer(
      diagnosis([
        finding('udp-not-allowed', 'pass', null),
        finding('permission-denies-device', 'pass', null),
        finding('double-nat', 'fail', null),
      ]),
    );
    await vi.waitFor(() => expect(store.rechecking).toBe(false));
    expect(store.rows.map((r) => r.finding?.status)).toEqual(['pass', 'pass', 'fail']);
    expect(store.fixed.size).toBe(0);
    expect(store.failing).toBe(1);
    expect(store.appliedSinceRun).toBe(0);
    // The applied fix keeps its report on screen.
    expect(store.fix?.report?.outcome).toBe('applied');
  });
});
