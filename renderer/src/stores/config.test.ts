// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PortPilotApi } from '../../../shared/domains';
import type { PlanView, ProgressEvent } from '../../../shared/domains/config';
import { useConfigStore } from './config';

const plan: PlanView = { id: 'p1', title: 't', steps: [], flush: { upnp: 0, natPmp: 0 }, warnings: [], script: '' };
let progress: ((e: ProgressEvent) => void) | null = null;
const rolledBack: Array<{ planId: string } | undefined> = [];
const report = {
  planId: 'w1',
  title: 't',
  outcome: 'applied' as const,
  steps: [],
  applied: [],
  alreadyDone: [],
  rolledBack: [],
  notRolledBack: [],
};

// The store reaches main only through connectApi(); in the desktop app that is window.api.
const config = {
  onProgress: (l: (e: ProgressEvent) => void) => ((progress = l), () => undefined),
  planForward: async () => ({
    ok: false as const,
    error: {
      code: 'invalid-input',
      message: 'x',
      detail: { fields: [{ field: 'forward.dstPort', message: 'port 70000 is out of range' }] },
    },
  }),
  planSettings: async () => ({ ok: true as const, value: plan }),
  wizardPlan: async () => ({ ok: true as const, value: { ...plan, id: 'w1', title: 'Set up UPnP' } }),
  rollback: async (input?: { planId: string }) => {
    rolledBack.push(input);
    return { ok: true as const, value: { ...report, outcome: 'rolled-back' as const } };
  },
  apply: async () => {
    progress?.({ planId: 'p1', stepId: 's1', index: 0, total: 1, phase: 'applied' });
    progress?.({ planId: 'other', stepId: 's9', index: 0, total: 1, phase: 'failed' });
    return {
      ok: true as const,
      value: {
        planId: 'p1',
        title: 't',
        outcome: 'applied' as const,
        steps: [],
        applied: ['s1'],
        alreadyDone: [],
        rolledBack: [],
        notRolledBack: [],
      },
    };
  },
  read: async () => ({ ok: false as const, error: { code: 'not-connected', message: 'no' } }),
  journal: async () => ({ ok: true as const, value: null }),
};
(window as unknown as { api: Partial<PortPilotApi> }).api = { config } as unknown as PortPilotApi;

describe('config store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('turns invalid-input into per-field messages and keeps no plan', async () => {
    const store = useConfigStore();
    const p = await store.previewForward({
      inInterface: 'ether1',
      protocol: 'tcp',
      dstPort: '70000',
      toAddress: '1.2.3.4',
      toPort: '',
      comment: '',
      hairpinSubnet: '',
    });
    expect(p).toBeNull();
    expect(store.plan).toBeNull();
    expect(store.fieldErrors).toEqual({ 'forward.dstPort': 'port 70000 is out of range' });
  });

  it('records progress only for its own plan, and the report after apply', async () => {
    const store = useConfigStore();
    store.start();
    await store.previewSettings({ enabled: true, allowDisableExternalInterface: false, showDummyRule: true });
    await store.apply();
    expect(store.phases).toEqual({ s1: 'applied' });
    expect(store.report?.outcome).toBe('applied');
    expect(store.applying).toBe(false);
  });

  it('a plan belongs to the screen it was previewed on: Configuration never shows the wizard’s (issue 13)', async () => {
    const store = useConfigStore();
    await store.previewWizard({
      internal: ['bridge'],
      external: 'ether1',
      security: 'high-ports',
      devices: [],
      natPmp: true,
    });
    expect(store.planFor('wizard')?.id).toBe('w1');
    expect(store.planFor('config')).toBeNull();
    expect(store.reportFor('config')).toBeNull();
    // Configuration's own "discard" on its first visit leaves the wizard's plan alone…
    store.discard('config');
    expect(store.planFor('wizard')?.id).toBe('w1');
    // …and a Configuration preview replaces it (one plan at a time), shown there only.
    await store.previewSettings({ enabled: true, allowDisableExternalInterface: false, showDummyRule: true });
    expect(store.planFor('config')?.id).toBe('p1');
    expect(store.planFor('wizard')).toBeNull();
  });

  it('undo names the plan it undoes', async () => {
    const store = useConfigStore();
    rolledBack.length = 0;
    await store.rollback('w1');
    await store.rollback();
    expect(rolledBack).toEqual([{ planId: 'w1' }, undefined]);
    expect(store.report?.outcome).toBe('rolled-back');
  });
});
