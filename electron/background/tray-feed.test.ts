import { describe, expect, it } from 'vitest';
import { eventChannel } from '../../shared/contract/define';
import type { MappingsDelta, MappingView } from '../../shared/domains/mappings';
import type { SessionState } from '../../shared/domains/router';
import { fakeClock } from '../mappings/testing/fake-clock';
import { mappingView } from '../mappings/testing/views';
import { MAX_RECENT, TRAY_UPDATE_MS, TrayFeed } from './tray-feed';
import type { TrayView } from './tray-model';

const delta = (d: Partial<MappingsDelta>): MappingsDelta => ({
  seq: 1,
  added: [],
  updated: [],
  removed: [],
  reset: false,
  ...d,
});
const view = (port: number, over: Partial<MappingView> = {}) => mappingView({ externalPort: port, ...over });
const connected = {
  kind: 'connected',
  router: { label: 'admin@r' },
  capabilities: {},
} as unknown as SessionState;

function feed() {
  const clock = fakeClock();
  const views: TrayView[] = [];
  const f = new TrayFeed({ clock, platform: 'linux', onView: (v) => views.push(v) });
  const send = (domain: string, name: string, payload: unknown) => f.onEvent(eventChannel(domain, name), payload);
  return { clock, views, f, send };
}

describe('tray feed', () => {
  it('follows the same events as the window: count, stale, phase, router and pause', () => {
    const { clock, views, f, send } = feed();
    f.publishNow();
    expect(views).toHaveLength(1);
    send('router', 'state', connected);
    send('mappings', 'status', { phase: 'live', message: null, count: 0 });
    send('mappings', 'delta', delta({ reset: true, added: [view(80), view(81, { status: 'stale' }), view(82)] }));
    send('mappings', 'settingsChanged', { alertsPaused: true });
    expect(views).toHaveLength(1);
    clock.advance(TRAY_UPDATE_MS);
    expect(views).toHaveLength(2);
    expect(views[1]!.tooltip).toBe('PortPilot — 3 mappings · 1 stale\nadmin@r\nAlerts paused');
    expect(f.current).toMatchObject({ count: 3, stale: 1, alertsPaused: true, recent: [] });
  });

  it('lists the last new mappings newest first, drops removed ones, keeps them across a reconnect', () => {
    const { f, send } = feed();
    send('router', 'state', connected);
    send('mappings', 'delta', delta({ reset: true, added: [view(1)] }));
    send('mappings', 'delta', delta({ added: [view(80), view(81)] }));
    send('mappings', 'delta', delta({ added: [view(82, { owner: { ...view(1).owner, hostName: null } })] }));
    expect(f.current.recent).toEqual([
      { id: 'tcp/82', label: 'TCP 82 · 192.168.88.20' },
      { id: 'tcp/81', label: 'TCP 81 · alex-laptop' },
      { id: 'tcp/80', label: 'TCP 80 · alex-laptop' },
    ]);
    send('mappings', 'delta', delta({ removed: ['tcp/81'], updated: [view(80, { status: 'stale' })] }));
    expect(f.current.recent.map((r) => r.id)).toEqual(['tcp/82', 'tcp/80']);
    expect(f.current).toMatchObject({ count: 3, stale: 1 });
    send('mappings', 'delta', delta({ reset: true, added: [view(1), view(80)] }));
    expect(f.current.recent.map((r) => r.id)).toEqual(['tcp/80']);
    expect(f.current).toMatchObject({ count: 2, stale: 0 });
    send('mappings', 'delta', delta({ added: Array.from({ length: 9 }, (_, i) => view(1000 + i)) }));
    expect(f.current.recent.map((r) => r.id)).toEqual(['tcp/1008', 'tcp/1007', 'tcp/1006', 'tcp/1005', 'tcp/1004']);
    expect(f.current.recent).toHaveLength(MAX_RECENT);
  });

  it('costs nothing between changes: one coalesced update per burst, none when nothing changed', () => {
    const { clock, views, f, send } = feed();
    send('router', 'state', connected);
    send('mappings', 'status', { phase: 'live', message: null, count: 0 });
    f.publishNow();
    for (let i = 0; i < 100; i++) send('mappings', 'delta', delta({ added: [view(2000 + i)] }));
    expect(clock.pending()).toBe(1);
    clock.advance(TRAY_UPDATE_MS);
    expect(views).toHaveLength(2);
    expect(clock.pending()).toBe(0);
    send('mappings', 'status', { phase: 'live', message: null, count: 100 });
    clock.advance(TRAY_UPDATE_MS);
    expect(views).toHaveLength(2);
    send('app', 'tick', { seq: 1, at: 'x' });
    expect(clock.pending()).toBe(0);
  });

  it('a login start waiting for a password shows it until a connection settles it', () => {
    const { f, send } = feed();
    f.setNeedsPassword({ profileId: 'p1', label: 'Home' });
    expect(f.view().tooltip).toBe('PortPilot — Needs your password for Home');
    send('router', 'state', connected);
    expect(f.current.needsPassword).toBeNull();
  });
});
