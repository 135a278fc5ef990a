import { describe, expect, it } from 'vitest';
import type { RouterRef } from '../../shared/domains/router';
import type { Capabilities, SessionState } from '../router-session';
import { adHocRef, createRouterLink, type LinkSession } from './router-link';

const caps: Capabilities = {
  version: '7.18.2 (stable)',
  versionNumber: { major: 7, minor: 18, patch: 2 },
  board: 'hAP ax3',
  architecture: 'arm64',
  identity: 'Wohnzimmer',
  uptimeSeconds: 60,
  menus: { upnpPermissions: false, upnpMappings: false, natPmp: true },
  transport: 'api',
  tls: undefined,
  policy: null,
};

/** A session that goes through the states it is told to. */
function fakeSession() {
  let state: SessionState = { kind: 'idle' };
  const listeners = new Set<(s: SessionState) => void>();
  const go = (s: SessionState) => {
    state = s;
    listeners.forEach((l) => l(s));
  };
  const session = {
    get state() {
      return state;
    },
    onState: (l: (s: SessionState) => void) => (listeners.add(l), () => listeners.delete(l)),
    connect: async () => (go({ kind: 'connected', capabilities: caps }), caps),
    close: async () => go({ kind: 'disconnected', reason: 'closed' }),
    print: async () => [],
    printEach: async (menu: string, onRow: (row: Record<string, string>) => void, opts: { query?: string[] }) => {
      onRow({ '.id': '*1', menu, query: (opts.query ?? []).join(' ') });
      onRow({ '.id': '*2', menu, query: '' });
      return 2;
    },
    add: async () => '*1',
    set: async () => {},
    remove: async () => {},
    command: async () => [{ ret: '*2' }],
    listen: () => ({ cancel: async () => {} }),
  } as unknown as LinkSession;
  return { session, go };
}

describe('RouterLink', () => {
  it('carries the router as values and its state in the contract’s shape', async () => {
    const { session, go } = fakeSession();
    const ref: RouterRef = { ...adHocRef({ host: 'fd00::1', port: 8729, transport: 'api-ssl', user: 'admin' }) };
    const link = createRouterLink(session, { ref });
    expect(link.label).toBe('admin@[fd00::1]:8729');
    expect(link.host).toBe('fd00::1');
    expect(() => link.capabilities).toThrow(/not connected yet/);
    const seen: string[] = [];
    link.onState((s) => seen.push(s.kind === 'reconnecting' ? `${s.kind} ${s.attempt}` : s.kind));
    expect((await link.connect()).identity).toBe('Wohnzimmer');
    expect(link.capabilities.board).toBe('hAP ax3');
    expect(link.state()).toMatchObject({ kind: 'connected', router: ref });
    expect(link.dataKey).toBe('Wohnzimmer@fd00::1:8729');
    go({ kind: 'reconnecting', attempt: 2, inMs: 400, reason: 'lost' });
    go({ kind: 'disconnected', reason: 'gone', error: { kind: 'timeout', message: 'timed out after 10 s' } });
    expect(link.state()).toEqual({ kind: 'disconnected', router: ref, reason: 'timed out after 10 s' });
    expect(seen).toEqual(['connected', 'reconnecting 2', 'disconnected']);
    expect(await link.command('/ip/firewall/nat', 'add')).toEqual({ ret: '*2' });
  });

  it('printEach hands the session’s rows on one by one, with the query', async () => {
    const { session } = fakeSession();
    const link = createRouterLink(session, { ref: adHocRef({ host: 'r', port: 8728, transport: 'api', user: 'a' }) });
    const rows: string[] = [];
    const count = await link.printEach('/ip/firewall/nat', (r) => rows.push(`${r['.id']} ${r['query']}`), {
      query: ['?dynamic=true'],
    });
    expect(count).toBe(2);
    expect(rows).toEqual(['*1 ?dynamic=true', '*2 ']);
  });

  it('a demo run has its own data key, and says where its IGD and NAT-PMP are', () => {
    const { session } = fakeSession();
    const ref: RouterRef = {
      profileId: 'demo',
      host: '127.0.0.1',
      port: 40000,
      transport: 'api',
      label: 'demo router (RouterOS 7, home)',
      demo: { dialect: 'routeros7', scenario: 'home' },
    };
    const endpoints = { rootDescriptionUrl: 'http://127.0.0.1:1/gateway.xml', natPmp: { host: '127.0.0.1', port: 2 } };
    const one = createRouterLink(session, { ref, endpoints, runId: 'a1' });
    const two = createRouterLink(session, { ref, endpoints, runId: 'b2' });
    expect(one.isDemo).toBe(true);
    expect(one.endpoints).toEqual(endpoints);
    expect(one.dataKey).not.toBe(two.dataKey);
  });
});
