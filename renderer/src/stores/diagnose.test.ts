// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PortPilotApi } from '../../../shared/domains';
import type { DiagnoseDevice } from '../../../shared/domains/diagnose';
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
const diagnose = {
  onCheck: () => () => undefined,
  onProgress: () => () => undefined,
  devices: async () => ({ ok: true as const, value: [device('192.168.88.30', false), device('192.168.88.20', true)] }),
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
