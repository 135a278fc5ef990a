// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PortPilotApi } from '../../../shared/domains';
import type { MeasuredNat, NatSettings } from '../../../shared/domains/nat';
import { useNatStore } from './nat';

const SERVER = 'stunserver.stunprotocol.org:3478';
let settings: NatSettings;
let calls: string[];
let seq = 0;

const measured = (xbox: string): MeasuredNat => ({
  runId: `r${++seq}`,
  measuredAt: '2026-03-01T10:00:00.000Z',
  levels: xbox === 'Open' ? ['open'] : ['moderate'],
  terms: { xbox, playstation: 'Type 2', switch: 'Type B' },
  measurement: {
    server: { host: 'stunserver.stunprotocol.org', port: 3478, address: '198.51.100.1' },
    rfc5780: true,
    otherAddress: '198.51.100.3:3479',
    publicAddress: '203.0.113.5:50000',
    mapping: 'endpoint-independent',
    filtering: 'address-and-port-dependent',
    hairpinning: 'not-supported',
    portAllocation: 'preserving',
    notMeasured: [],
    evidence: [],
  },
});
let next: MeasuredNat;

// The store reaches main only through connectApi(); in the desktop app that is window.api.
const nat = {
  onProgress: () => () => undefined,
  onMeasured: () => () => undefined,
  settings: async () => ({ ok: true as const, value: settings }),
  last: async () => ({ ok: true as const, value: null }),
  consent: async ({ server, agree }: { server: string; agree: boolean }) => {
    calls.push(`consent ${server} ${agree}`);
    settings = { ...settings, consent: agree ? { server, at: 'now' } : null };
    return { ok: true as const, value: settings };
  },
  measure: async () => {
    calls.push('measure');
    return settings.consent
      ? { ok: true as const, value: next }
      : { ok: false as const, error: { code: 'no-consent', message: 'not allowed' } };
  },
};
(window as unknown as { api: Partial<PortPilotApi> }).api = { nat } as unknown as PortPilotApi;

describe('nat store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    settings = { server: SERVER, defaultServer: SERVER, isDefault: true, consent: null };
    calls = [];
    next = measured('Moderate');
  });

  it('asks before the first measurement; "Not now" sends nothing', async () => {
    const store = useNatStore();
    store.start();
    const asked = store.measure();
    await new Promise((r) => setTimeout(r, 0));
    expect(store.asking).toBe(true);
    expect(calls).toEqual([]);
    await store.answer(false);
    expect(await asked).toBe(false);
    expect(store.asking).toBe(false);
    expect(calls).toEqual([]);
    expect(store.current).toBeNull();
  });

  it('agreeing records the consent for the server named, then measures; later measurements do not ask', async () => {
    const store = useNatStore();
    store.start();
    const asked = store.measure();
    await new Promise((r) => setTimeout(r, 0));
    await store.answer(true);
    expect(await asked).toBe(true);
    expect(calls).toEqual([`consent ${SERVER} true`, 'measure']);
    expect(store.consented).toBe(true);
    expect(store.current?.terms.xbox).toBe('Moderate');
    next = measured('Open');
    expect(await store.measure()).toBe(true);
    expect(store.asking).toBe(false);
    // The measurement before the latest stays: the screens show "Before: …".
    expect(store.previous?.terms.xbox).toBe('Moderate');
    expect(store.current?.terms.xbox).toBe('Open');
  });

  it('withdrawing asks again next time', async () => {
    settings = { ...settings, consent: { server: SERVER, at: 'then' } };
    const store = useNatStore();
    store.start();
    expect(await store.ensureConsent()).toBe(true);
    await store.withdraw();
    expect(store.consented).toBe(false);
    const asked = store.ensureConsent();
    await new Promise((r) => setTimeout(r, 0));
    expect(store.asking).toBe(true);
    await store.answer(false);
    expect(await asked).toBe(false);
  });
});
