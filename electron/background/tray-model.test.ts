import { describe, expect, it } from 'vitest';
import type { RouterRef, SessionState } from '../../shared/domains/router';
import { INITIAL_TRAY_STATE, menuLabel, TOOLTIP_MAX, trayView, type TrayItem, type TrayState } from './tray-model';

const ref: RouterRef = {
  profileId: 'p1',
  host: '192.168.88.1',
  port: 8728,
  transport: 'api',
  label: 'admin@192.168.88.1:8728',
  demo: null,
};
const connected: SessionState = {
  kind: 'connected',
  router: ref,
  capabilities: {
    identity: 'home',
    version: '7.18',
    board: 'hAP',
    architecture: 'arm',
    uptimeSeconds: 1,
    menus: { upnpPermissions: false, upnpMappings: false, natPmp: true },
  },
};
const live: TrayState = { ...INITIAL_TRAY_STATE, router: connected, phase: 'live', count: 12, stale: 3 };
const labels = (items: TrayItem[]) => items.map((i) => (i.type === 'separator' ? '—' : i.label));

describe('tray model', () => {
  it('not connected: status, Open, Pause alerts, Quit', () => {
    const v = trayView(INITIAL_TRAY_STATE, 'linux');
    expect(labels(v.items)).toEqual([
      'Not connected to a router',
      'Open PortPilot',
      '—',
      'Pause alerts',
      '—',
      'Quit PortPilot',
    ]);
    expect(v.items[0]).toMatchObject({ enabled: false, action: null });
    expect(v.tooltip).toBe('PortPilot — Not connected to a router');
    expect(v.title).toBe('');
  });

  it('watching: the live count and stale count in the tooltip and title, the last new mappings, cleanup', () => {
    const state = {
      ...live,
      recent: [
        { id: 'udp/3074', label: 'UDP 3074 · xbox' },
        { id: 'tcp/80', label: 'TCP 80 · alex-laptop' },
      ],
    };
    const v = trayView(state, 'darwin');
    expect(v.tooltip).toBe('PortPilot — 12 mappings · 3 stale\nadmin@192.168.88.1:8728');
    expect(v.title).toBe('12');
    expect(labels(v.items)).toEqual([
      '12 mappings · 3 stale',
      'Open PortPilot',
      '—',
      'New mappings',
      'UDP 3074 · xbox',
      'TCP 80 · alex-laptop',
      '—',
      'Clean up 3 stale mappings…',
      'Pause alerts',
      '—',
      'Quit PortPilot',
    ]);
    const actions = v.items.flatMap((i) => (i.type !== 'separator' && i.action ? [i.action] : []));
    expect(actions).toEqual([
      { kind: 'open', request: null },
      { kind: 'open', request: { kind: 'mapping', mappingId: 'udp/3074', filter: null } },
      { kind: 'open', request: { kind: 'mapping', mappingId: 'tcp/80', filter: null } },
      // Cleanup opens the preview in the window; the tray never removes anything itself.
      { kind: 'open', request: { kind: 'cleanup' } },
      { kind: 'toggle-alerts' },
      { kind: 'quit' },
    ]);
  });

  it('no stale mapping: the cleanup item is there but disabled; one mapping is singular', () => {
    const v = trayView({ ...live, count: 1, stale: 0 }, 'win32');
    expect(v.items.find((i) => i.type === 'normal' && i.label === 'No stale mappings')).toMatchObject({
      enabled: false,
    });
    expect(v.tooltip.split('\n')[0]).toBe('PortPilot — 1 mapping');
  });

  it('paused alerts: a checked item and a line in the tooltip', () => {
    const v = trayView({ ...live, alertsPaused: true }, 'linux');
    expect(v.items.find((i) => i.type === 'checkbox')).toMatchObject({ label: 'Pause alerts', checked: true });
    expect(v.tooltip).toMatch(/\nAlerts paused$/);
  });

  it('a login start without a saved password says so and offers to enter it', () => {
    const v = trayView({ ...INITIAL_TRAY_STATE, needsPassword: { profileId: 'p1', label: 'Home router' } }, 'linux');
    expect(v.tooltip).toBe('PortPilot — Needs your password for Home router');
    const ask = v.items.find((i) => i.type === 'normal' && i.label === 'Enter the password for Home router…');
    expect(ask).toMatchObject({
      enabled: true,
      action: { kind: 'open', request: { kind: 'password', profileId: 'p1' } },
    });
    // Once connected (the user typed it in the window), the question is gone.
    expect(labels(trayView({ ...live, needsPassword: { profileId: 'p1', label: 'x' } }, 'linux').items)).not.toContain(
      'Enter the password for x…',
    );
  });

  it('says what the connection is doing', () => {
    const line = (router: SessionState, phase: TrayState['phase'] = 'idle') =>
      trayView({ ...INITIAL_TRAY_STATE, router, phase }, 'linux').items[0];
    expect(line({ kind: 'connecting', router: ref })).toMatchObject({
      label: 'Connecting to admin@192.168.88.1:8728…',
    });
    expect(line({ kind: 'reconnecting', router: ref, attempt: 2, inMs: 5000, reason: 'x' })).toMatchObject({
      label: 'Reconnecting to admin@192.168.88.1:8728…',
    });
    expect(line({ kind: 'disconnected', router: ref, reason: 'x' })).toMatchObject({
      label: 'Disconnected from admin@192.168.88.1:8728',
    });
    expect(line(connected, 'loading')).toMatchObject({ label: 'Reading the mappings…' });
    expect(line(connected, 'error')).toMatchObject({ label: 'Could not read the mappings' });
  });

  it('cleans and bounds what came from the network (host names): control characters, length, mnemonics', () => {
    expect(menuLabel('TCP 80 · evil\u202ename\nx', 'linux')).toBe('TCP 80 · evil name x');
    expect(menuLabel('TCP 80 · Tom & Jerry', 'win32')).toBe('TCP 80 · Tom && Jerry');
    expect(menuLabel('TCP 80 · Tom & Jerry', 'darwin')).toBe('TCP 80 · Tom & Jerry');
    expect(menuLabel('x'.repeat(500), 'linux')).toHaveLength(60);
    const long = { ...connected, router: { ...ref, label: 'y'.repeat(300) } };
    expect(trayView({ ...live, router: long, alertsPaused: true }, 'win32').tooltip.length).toBeLessThanOrEqual(
      TOOLTIP_MAX,
    );
  });
});
