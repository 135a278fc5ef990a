import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from 'electron';
import type { OpenRequest } from '../../shared/domains/app';
import { testServices } from '../../tests/support/services';
import { BackgroundPrefs } from '../background/prefs';
import { TRAY_UPDATE_MS } from '../background/tray-feed';
import type { TrayAction, TrayView } from '../background/tray-model';
import { TRAY_HINT } from '../background/window-policy';
import { memoryFileStore } from '../mappings/file-store';
import { fakeClock } from '../mappings/testing/fake-clock';
import { startBackground } from './background';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

/** The background watch with real services and Electron's app, tray and notifications faked. */
async function setup(opts: { platform?: NodeJS.Platform; hidden?: boolean; profiles?: unknown[] } = {}) {
  const backend = testServices();
  if (opts.profiles) {
    const file = path.join(backend.configDir, 'profiles.json');
    writeFileSync(file, JSON.stringify({ version: 1, profiles: opts.profiles }));
  }
  const listeners = new Map<string, (event: unknown, argv?: string[]) => void>();
  let quits = 0;
  const app = {
    on: (name: string, fn: (event: unknown, argv?: string[]) => void) => listeners.set(name, fn),
    quit: () => void quits++,
  };
  const views: TrayView[] = [];
  let act: (a: TrayAction) => void = () => {};
  const hints: Array<{ title: string; body: string }> = [];
  const opened: Array<OpenRequest | null> = [];
  const prefs = new BackgroundPrefs(memoryFileStore(), () => {});
  const clock = fakeClock();
  const stop = startBackground({
    app: app as unknown as App,
    platform: opts.platform ?? 'linux',
    hub: backend.hub,
    services: backend.services,
    prefs,
    windows: { open: (r = null) => void opened.push(r) },
    tray: (a) => ((act = a), { render: (v) => void views.push(v), destroy: () => {} }),
    notifier: { isSupported: () => true, show: (n) => void hints.push(n) },
    clock,
    hidden: opts.hidden ?? false,
    log: () => {},
  });
  cleanups.push(() => backend.dispose(), stop);
  const emit = (name: string, argv: string[] = ['portpilot']) => listeners.get(name)!({}, argv);
  const labels = () =>
    views
      .at(-1)!
      .items.map((i) =>
        i.type === 'separator' ? '—' : i.type === 'checkbox' ? `[${i.checked ? 'x' : ' '}] ${i.label}` : i.label,
      );
  return {
    backend,
    views,
    act: (a: TrayAction) => act(a),
    hints,
    opened,
    prefs,
    clock,
    emit,
    labels,
    quits: () => quits,
  };
}

describe('background watch (electron mocked)', () => {
  it('opens the window at a normal start and shows the tray menu', async () => {
    const s = await setup();
    expect(s.opened).toEqual([null]);
    expect(s.labels()).toEqual([
      'Not connected to a router',
      'Open PortPilot',
      '—',
      '[ ] Pause alerts',
      '—',
      'Quit PortPilot',
    ]);
  });

  it('closing the window keeps watching in the tray, with a hint the first time only; Quit quits', async () => {
    const s = await setup();
    await s.prefs.loaded;
    s.emit('window-all-closed');
    expect(s.quits()).toBe(0);
    expect(s.hints).toEqual([TRAY_HINT]);
    await until(() => s.prefs.value.trayHintShown);
    s.emit('window-all-closed');
    expect(s.hints).toHaveLength(1);
    s.act({ kind: 'quit' });
    expect(s.quits()).toBe(1);
    s.emit('before-quit');
    s.emit('window-all-closed');
    expect(s.quits()).toBe(2);
  });

  it('with close-to-tray off, closing the window quits (but not on macOS)', async () => {
    const s = await setup();
    await s.prefs.save({ closeToTray: false });
    s.emit('window-all-closed');
    expect(s.quits()).toBe(1);
    const mac = await setup({ platform: 'darwin' });
    await mac.prefs.save({ closeToTray: false });
    mac.emit('window-all-closed');
    expect(mac.quits()).toBe(0);
  });

  it('tray items, a second start from the launcher (not the login item) and a Dock click open the window', async () => {
    const s = await setup();
    s.act({ kind: 'open', request: { kind: 'cleanup' } });
    s.emit('second-instance');
    s.emit('second-instance', ['portpilot', '--hidden']);
    s.emit('activate');
    expect(s.opened).toEqual([null, { kind: 'cleanup' }, null, null]);
  });

  it('Pause alerts in the tray saves the setting, and the menu shows it checked', async () => {
    const s = await setup();
    s.act({ kind: 'toggle-alerts' });
    await until(() => {
      s.clock.advance(TRAY_UPDATE_MS);
      return s.labels().includes('[x] Pause alerts');
    });
    expect((await s.backend.services.mappings.settings(undefined, { transport: 'ipc' })).alertsPaused).toBe(true);
    s.act({ kind: 'toggle-alerts' });
    await until(() => {
      s.clock.advance(TRAY_UPDATE_MS);
      return s.labels().includes('[ ] Pause alerts');
    });
  });

  it('the tray follows the live mappings of the connected router: count, stale, cleanup', async () => {
    const s = await setup();
    await s.backend.services.router.startDemo({ dialect: 'routeros7', scenario: 'home' }, { transport: 'ipc' });
    await s.backend.services.mappings.ready();
    await until(() => {
      s.clock.advance(TRAY_UPDATE_MS);
      return /^\d+ mappings · \d+ stale$/.test(s.labels()[0]!);
    });
    expect(s.labels()).toContainEqual(expect.stringMatching(/^Clean up \d+ stale mappings…$/));
    expect(s.views.at(-1)!.tooltip).toMatch(/\ndemo router \(RouterOS 7, home\)$/);
  });

  it('started at login: no window; a last router that asks for its password makes the tray say so', async () => {
    const s = await setup({
      hidden: true,
      profiles: [
        {
          id: 'p1',
          name: 'Home router',
          host: '127.0.0.1',
          port: 1,
          transport: 'api',
          user: 'admin',
          pinnedFingerprint: null,
          lastUsedAt: '2024-05-01T10:00:00.000Z',
          passwordMode: 'ask',
        },
      ],
    });
    await until(() => {
      s.clock.advance(TRAY_UPDATE_MS);
      return s.labels()[0] === 'Needs your password for Home router';
    });
    expect(s.opened).toEqual([]);
    const ask = s.views.at(-1)!.items.find((i) => i.type === 'normal' && i.label.startsWith('Enter the password'));
    expect(ask).toMatchObject({ action: { kind: 'open', request: { kind: 'password', profileId: 'p1' } } });
  });
});
