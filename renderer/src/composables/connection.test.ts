// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { effectScope } from 'vue';
import type { MappingView } from '../../../shared/domains/mappings';
import type { Capabilities, RouterRef, SessionState } from '../../../shared/domains/router';
import { useAppStore } from '../stores/app';
import { useMappingsStore } from '../stores/mappings';
import { startsNewSession } from '../stores/router';
import { useConnection } from './connection';
import { installFakeApi } from '../test-support/fake-api';

const answers: Record<string, unknown> = {
  'router.state': { kind: 'idle' },
  'router.listProfiles': [],
  'mappings.history': { points: [] },
};
const { listeners, emit } = installFakeApi(answers);
const setState = (s: SessionState) => emit('router.onState', s);

const home: RouterRef = {
  profileId: 'demo',
  host: '127.0.0.1',
  port: 1,
  transport: 'api',
  label: 'demo router (home)',
  demo: { dialect: 'routeros7', scenario: 'home' },
};
const fresh: RouterRef = { ...home, label: 'demo router (fresh)', demo: { dialect: 'routeros7', scenario: 'fresh' } };
const caps = (write = true) =>
  ({
    identity: 'HomeRouter',
    version: '7.19',
    policy: { user: 'admin', group: 'full', read: true, write, reboot: true, api: true },
  }) as unknown as Capabilities;
const row = (port: number) => ({ id: `tcp/${port}`, externalPort: port, status: 'stale' }) as unknown as MappingView;

function setup() {
  const scope = effectScope();
  const c = scope.run(() => useConnection())!;
  return { c, app: useAppStore(), mappings: useMappingsStore(), scope };
}

describe('useConnection: one answer for every screen', () => {
  beforeEach(() => {
    listeners.clear();
    setActivePinia(createPinia());
  });

  it('no router: not connected, and says so', () => {
    const { c } = setup();
    expect(c.connected.value).toBe(false);
    expect(c.label.value).toBe('No router');
    expect(c.reason.value).toBe('Not connected to a router.');
  });

  it('connected and live; a read-only login is named', () => {
    const { c, mappings } = setup();
    setState({ kind: 'connected', router: home, capabilities: caps(false) });
    mappings.status = { phase: 'live', message: null, count: 3 };
    expect(c.connected.value).toBe(true);
    expect(c.live.value).toBe(true);
    expect(c.readOnly.value).toBe(true);
    expect(c.label.value).toBe('HomeRouter · demo router (home) · read-only');
    expect(c.reason.value).toBeNull();
  });

  it('while the router is unreachable nothing is "live", whatever the monitor last said', () => {
    const { c, mappings } = setup();
    setState({ kind: 'connected', router: home, capabilities: caps() });
    mappings.status = { phase: 'live', message: null, count: 16 };
    setState({ kind: 'reconnecting', router: home, attempt: 2, inMs: 4000, reason: 'connection timed out.' });
    expect(c.connected.value).toBe(false);
    expect(c.live.value).toBe(false);
    expect(c.label.value).toBe('Reconnecting in 4 s');
    expect(c.reason.value).toBe(
      'Lost the connection to demo router (home): connection timed out. Trying again; nothing can be changed until it is back.',
    );
  });

  it('a backend that restarted with a new token wins over the last router state', () => {
    const { c, app, mappings } = setup();
    setState({ kind: 'connected', router: home, capabilities: caps() });
    mappings.status = { phase: 'live', message: null, count: 16 };
    app.socketState = 'refused';
    expect(c.connected.value).toBe(false);
    expect(c.live.value).toBe(false);
    expect(c.label.value).toBe('PortPilot restarted');
    expect(c.reason.value).toMatch(/new access token.*Open the new address/);
    app.socketState = 'lost';
    expect(c.reason.value).toMatch(/stopped answering at this address/);
  });
});

describe('the mappings store follows the router session', () => {
  beforeEach(() => {
    listeners.clear();
    setActivePinia(createPinia());
  });

  it('drops the old router’s rows at once on a new connect or another router, keeps them over a reconnect', async () => {
    const { mappings } = setup();
    setState({ kind: 'connected', router: home, capabilities: caps() });
    await Promise.resolve();
    const fill = () => {
      mappings.byId = new Map([
        [row(80).id, { ...row(80), mark: null }],
        [row(81).id, { ...row(81), mark: null }],
      ]);
      mappings.status = { phase: 'live', message: null, count: 2 };
    };
    fill();
    setState({ kind: 'reconnecting', router: home, attempt: 1, inMs: 1000, reason: 'x' });
    setState({ kind: 'connected', router: home, capabilities: caps() });
    await Promise.resolve();
    expect(mappings.byId.size).toBe(2);

    setState({ kind: 'connecting', router: fresh });
    await Promise.resolve();
    expect(mappings.byId.size).toBe(0);
    expect(mappings.staleCount).toBe(0);
    expect(mappings.status).toEqual({ phase: 'loading', message: null, count: 0 });

    fill();
    setState({ kind: 'idle' });
    await Promise.resolve();
    expect(mappings.byId.size).toBe(0);
    expect(mappings.status.phase).toBe('idle');
  });

  it('what starts a new session', () => {
    const connected = (r: RouterRef): SessionState => ({ kind: 'connected', router: r, capabilities: caps() });
    const reconnecting: SessionState = { kind: 'reconnecting', router: home, attempt: 1, inMs: 1, reason: 'x' };
    expect(startsNewSession(connected(home), reconnecting)).toBe(false);
    expect(startsNewSession(reconnecting, connected(home))).toBe(false);
    expect(startsNewSession(connected(home), connected(fresh))).toBe(true);
    expect(startsNewSession(connected(home), { kind: 'connecting', router: home })).toBe(true);
    expect(startsNewSession(connected(home), { kind: 'disconnected', router: home, reason: 'x' })).toBe(false);
    expect(startsNewSession(connected(home), { kind: 'idle' })).toBe(true);
    expect(startsNewSession({ kind: 'idle' }, { kind: 'idle' })).toBe(false);
  });
});
