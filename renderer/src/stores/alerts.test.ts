// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PortPilotApi } from '../../../shared/domains';
import type { BackgroundInfo } from '../../../shared/domains/app';
import { useAlertsStore } from './alerts';

const info = (enabled: boolean): BackgroundInfo => ({
  mode: 'tray',
  closeToTray: true,
  startAtLogin: { supported: true, enabled, via: 'xdg-autostart', detail: 'd' },
});
let current = info(false);
let refuse = false;
let onOpen: ((r: unknown) => void) | null = null;
(window as unknown as { api: Partial<PortPilotApi> }).api = {
  app: {
    background: async () => ({ ok: true, value: current }),
    setBackground: async (patch: { startAtLogin?: boolean }) =>
      refuse
        ? { ok: false, error: { code: 'failed', message: 'Could not turn on start at login: denied.' } }
        : { ok: true, value: (current = info(patch.startAtLogin ?? false)) },
    onOpen: (l: (r: unknown) => void) => ((onOpen = l), () => undefined),
  },
  mappings: { onNotice: () => () => undefined },
} as unknown as PortPilotApi;

describe('alerts store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    refuse = false;
    current = info(false);
  });

  it('reads and changes the background settings; a refusal shows its message and re-reads the truth', async () => {
    const store = useAlertsStore();
    store.start();
    await new Promise((r) => setTimeout(r, 0));
    expect(store.background?.startAtLogin.enabled).toBe(false);
    await store.setBackground({ startAtLogin: true });
    expect(store.background?.startAtLogin.enabled).toBe(true);
    refuse = true;
    await store.setBackground({ startAtLogin: false });
    expect(store.error).toMatch(/denied/);
    expect(store.background?.startAtLogin.enabled).toBe(true);
  });

  it('the desktop app leaves notifications to main, and keeps main’s open requests for the router', () => {
    const store = useAlertsStore();
    store.start();
    expect(store.browser).toBe('desktop');
    onOpen?.({ kind: 'cleanup' });
    expect(store.openRequest).toEqual({ kind: 'cleanup' });
  });
});
