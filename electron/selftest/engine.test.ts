import { describe, expect, it } from 'vitest';
import { IgdError, IgdSoapFault, NatPmpError, NatPmpResultError } from '../igd-client/errors';
import type { SelfTestStep } from '../../shared/domains/selftest';
import { runSelfTest } from './engine';
import { describedGateway, fakeWorld } from './test-fakes';

const byId = (steps: SelfTestStep[], id: string): SelfTestStep => {
  const s = steps.find((x) => x.id === id);
  if (!s) throw new Error(`no step ${id}`);
  return s;
};
const statusOf = (steps: SelfTestStep[]): Record<string, string> =>
  Object.fromEntries(steps.map((s) => [s.id, s.status]));
const fault = (code: number, description: string): IgdSoapFault =>
  new IgdSoapFault(code, description, 'AddPortMapping');

describe('self-test engine', () => {
  it('passes every step with a router, streams running → result for each, and leaves no rule behind', async () => {
    const w = fakeWorld();
    const events: SelfTestStep[] = [];
    const r = await runSelfTest(w.ports, {}, { onStep: (s) => events.push(s) });
    expect(Object.values(statusOf(r.steps)).every((s) => s === 'pass')).toBe(true);
    expect(r.ok).toBe(true);
    expect(r.findings).toEqual([]);
    expect(events.filter((e) => e.id === 'igd-verify-router').map((e) => e.status)).toEqual(['running', 'pass']);
    expect(w.igd.addCalls[0]).toMatchObject({ externalPort: 45000, internalClient: '192.168.88.30', leaseDuration: 0 });
    expect(w.router?.menus['/ip/firewall/nat']).toEqual([]);
    expect(byId(r.steps, 'igd-verify-router').evidence.join()).toContain(
      `comment="upnp 192.168.88.30: PortPilot self-test ${r.runId}"`,
    );
  });

  it('without a router skips the verify-on-router steps with a warning and still passes', async () => {
    const w = fakeWorld({ router: false });
    const r = await runSelfTest(w.ports);
    expect(statusOf(r.steps)).toMatchObject({
      'igd-verify-router': 'skip',
      'natpmp-verify-router': 'skip',
      'natpmp-verify-gone': 'skip',
      'igd-verify-gone': 'pass',
    });
    expect(r.findings.map((f) => [f.id, f.severity])).toEqual([['no-router', 'warn']]);
    expect(r.ok).toBe(true);
  });

  it('retries with lease 0 on 725 and explains why', async () => {
    const w = fakeWorld({ routerOs: false, router: false });
    w.igd.onAdd = (m) => ((m.leaseDuration ?? 0) > 0 ? fault(725, 'OnlyPermanentLeasesSupported') : undefined);
    const r = await runSelfTest(w.ports);
    expect(w.igd.addCalls.map((c) => c.leaseDuration)).toEqual([600, 0]);
    const add = byId(r.steps, 'igd-add');
    expect(add.status).toBe('pass');
    expect(add.evidence.join('\n')).toMatch(/725 OnlyPermanentLeasesSupported.*retrying with lease 0/);
    expect(r.findings.find((f) => f.id === 'only-permanent')?.severity).toBe('info');
    expect(r.ok).toBe(true);
  });

  it('explains a 606 by naming the /ip upnp permissions rule that denied the port', async () => {
    const w = fakeWorld();
    const router = w.router;
    if (!router) throw new Error('router expected');
    router.capabilities.menus.upnpPermissions = true;
    router.menus['/ip/upnp/permissions'] = [
      { action: 'allow', protocol: 'udp', 'dst-port': '1024-65535' },
      { action: 'deny', protocol: 'tcp', 'dst-port': '40000-49999', comment: 'no game ports' },
      { action: 'allow', 'dst-port': '1024-65535' },
    ];
    w.igd.onAdd = () => fault(606, 'Action not authorized');
    const r = await runSelfTest(w.ports);
    const add = byId(r.steps, 'igd-add');
    expect(add.status).toBe('fail');
    expect(add.next).toMatch(
      /permissions rule #1 \(action=deny protocol=tcp dst-port=40000-49999 comment="no game ports"\) refused tcp 45000/,
    );
    expect(r.findings.find((f) => f.id === 'port-denied')?.severity).toBe('error');
    expect(statusOf(r.steps)).toMatchObject({ 'igd-verify-router': 'skip', 'igd-list': 'skip', 'igd-delete': 'skip' });
    expect(w.igd.deleteCalls).toBe(0); // a refused add created nothing: cleanup must not delete anything
    expect(r.ok).toBe(false);
  });

  it('explains a 606 on a RouterOS without the permissions menu by the interface settings', async () => {
    const w = fakeWorld();
    w.igd.onAdd = () => fault(606, 'Action not authorized');
    const r = await runSelfTest(w.ports);
    const next = byId(r.steps, 'igd-add').next ?? '';
    expect(next).toMatch(/interface settings only.*\/ip upnp interfaces.*ether1 as external/);
    // Advice never names a menu this router does not have (issue 11).
    expect(next).not.toMatch(/permissions/);
  });

  it('names the holder of a 718 conflict from the router rule comment and retries on another port', async () => {
    const w = fakeWorld();
    w.router?.rule('upnp', 'tcp', 45000, '192.168.88.20', 45000, 'PS5 Remote Play');
    w.igd.onAdd = (m) => (m.externalPort === 45000 ? fault(718, 'ConflictInMappingEntry') : undefined);
    // The fake IGD's table does not know 45000 (a secure-mode mapping of another host), so the pre-check misses it.
    const r = await runSelfTest(w.ports);
    const add = byId(r.steps, 'igd-add');
    expect(add.status).toBe('warn');
    expect(add.evidence.join('\n')).toContain('held by 192.168.88.20 ("PS5 Remote Play", upnp)');
    expect(w.igd.addCalls.map((c) => c.externalPort)).toEqual([45000, 45001]);
    expect(r.findings.find((f) => f.id === 'port-conflict')).toBeDefined();
    expect(r.ok).toBe(true);
  });

  it('cleans up the test mappings after a failure: a failed delete and a failed unmap are retried by cleanup', async () => {
    const w = fakeWorld();
    w.igd.onDelete = (_p, attempt) => (attempt === 1 ? new IgdError('network', 'connection reset') : undefined);
    w.natpmp.unmapErrors = [new NatPmpError('timeout', 'no NAT-PMP answer')];
    const r = await runSelfTest(w.ports);
    expect(statusOf(r.steps)).toMatchObject({
      'igd-delete': 'fail',
      'igd-verify-gone': 'skip',
      'natpmp-unmap': 'fail',
      cleanup: 'pass',
    });
    expect(byId(r.steps, 'cleanup').evidence).toEqual([
      'deleted the leftover UPnP test mapping TCP 45000',
      'unmapped the leftover NAT-PMP test mapping TCP 45001',
    ]);
    expect(w.igd.table.size).toBe(0);
    expect(w.router?.menus['/ip/firewall/nat']).toEqual([]);
    expect(r.ok).toBe(false);
  });

  it('cleans up even when a later step throws unexpectedly, and reports a cleanup that fails', async () => {
    const w = fakeWorld();
    w.igd.failList = new Error('socket hang up');
    w.igd.onDelete = () => new IgdError('network', 'gateway gone');
    const r = await runSelfTest(w.ports);
    expect(byId(r.steps, 'igd-list')).toMatchObject({ status: 'fail', detail: 'socket hang up' });
    expect(w.igd.deleteCalls).toBe(2); // the delete step, then cleanup
    expect(byId(r.steps, 'cleanup').status).toBe('fail');
    const f = r.findings.find((x) => x.id === 'cleanup-failed');
    expect(f?.detail).toContain(`PortPilot self-test ${r.runId}`);
  });

  it('reports double NAT (CGNAT external IP) as the double-nat finding and fails', async () => {
    const w = fakeWorld({ router: false });
    w.igd.externalIp = '100.64.12.7';
    const r = await runSelfTest(w.ports);
    expect(byId(r.steps, 'external-ip').status).toBe('fail');
    const f = r.findings.find((x) => x.id === 'double-nat');
    expect(f?.severity).toBe('error');
    expect(f?.evidence.join()).toMatch(/100\.64\.0\.0\/10/);
    expect(r.ok).toBe(false);
  });

  it('reports a mismatch between the IGD external IP and the router WAN address as double NAT', async () => {
    const w = fakeWorld();
    w.igd.externalIp = '89.160.20.112';
    const r = await runSelfTest(w.ports);
    expect(r.findings.find((x) => x.id === 'double-nat')?.evidence.join()).toMatch(
      /89\.160\.20\.112 but the router's WAN address is 81\.2\.69\.142/,
    );
    expect(r.ok).toBe(false);
  });

  it('turns 501 on add and NAT-PMP result 3 into double-nat evidence (miniupnpd behind CGNAT)', async () => {
    const w = fakeWorld({ routerOs: false, router: false });
    w.igd.externalIp = '';
    w.igd.onAdd = () => fault(501, 'Action Failed');
    w.natpmp.external = '0.0.0.0';
    w.natpmp.mapError = new NatPmpResultError(3);
    const r = await runSelfTest(w.ports);
    expect(statusOf(r.steps)).toMatchObject({ 'external-ip': 'fail', 'igd-add': 'fail', 'natpmp-map': 'fail' });
    expect(r.findings.filter((f) => f.id === 'double-nat')).toHaveLength(1);
    expect(r.findings.find((f) => f.id === 'double-nat')?.evidence.length).toBeGreaterThanOrEqual(3);
  });

  it('fails discovery with what to do when no gateway answers, naming UPnP off on the router', async () => {
    const w = fakeWorld();
    w.gateways = [];
    if (w.router) w.router.menus['/ip/upnp'] = [{ enabled: 'false' }];
    const r = await runSelfTest(w.ports);
    expect(byId(r.steps, 'discover')).toMatchObject({
      status: 'fail',
      next: expect.stringMatching(/UPnP is off on the router/),
    });
    expect(statusOf(r.steps)).toMatchObject({ description: 'skip', 'igd-add': 'skip', cleanup: 'pass' });
    expect(r.ok).toBe(false);
  });

  it('lists every gateway and says which is RouterOS when two answer', async () => {
    const w = fakeWorld();
    w.gateways = [
      describedGateway({ routerOs: false, location: 'http://192.168.1.254:5000/rootDesc.xml' }),
      ...w.gateways,
    ];
    const r = await runSelfTest(w.ports);
    const d = byId(r.steps, 'discover');
    expect(d.evidence.filter((e) => e.startsWith('http://'))).toHaveLength(2);
    expect(d.detail).toContain('using http://192.168.88.1:2828/gateway.xml (RouterOS)');
    expect(r.findings.find((f) => f.id === 'several-gateways')?.detail).toContain(
      'The RouterOS one is http://192.168.88.1:2828/gateway.xml',
    );
  });

  it('skips NAT-PMP when it does not answer and nobody asked for it, but fails when the router says it is on', async () => {
    const silent = new NatPmpError('timeout', 'no NAT-PMP answer from 192.168.88.1:5351');
    const a = fakeWorld({ router: false });
    a.natpmp.mapError = silent;
    const ra = await runSelfTest(a.ports);
    expect(statusOf(ra.steps)).toMatchObject({ 'natpmp-map': 'skip', 'natpmp-unmap': 'skip' });
    expect(ra.ok).toBe(true);
    const b = fakeWorld();
    b.natpmp.mapError = silent;
    expect(byId((await runSelfTest(b.ports)).steps, 'natpmp-map').status).toBe('fail');
    const c = fakeWorld();
    if (c.router) c.router.menus['/ip/nat-pmp'] = [{ enabled: 'false' }];
    expect(byId((await runSelfTest(c.ports)).steps, 'natpmp-map').detail).toMatch(/NAT-PMP is off on the router/);
  });

  it('sends NAT-PMP to the default gateway (RFC 6886 §3), never to the host an IGD description names', async () => {
    const w = fakeWorld();
    w.gateways = [describedGateway({ routerOs: true, location: 'http://10.66.66.66:2828/gateway.xml' })];
    await runSelfTest(w.ports, { routerHost: 'router.lan' });
    expect(w.natPmpTargets).toEqual([{ host: '192.168.88.1', port: 5351 }]);
    const given = fakeWorld();
    await runSelfTest(given.ports, { natPmpGateway: '192.168.88.2', routerHost: '192.168.88.3' });
    expect(given.natPmpTargets).toEqual([{ host: '192.168.88.2', port: 5351 }]);
    // The router the user connected to, by the address they gave (a name is not a NAT-PMP target).
    const connected = fakeWorld();
    await runSelfTest(connected.ports, { routerHost: '192.168.88.3' });
    expect(connected.natPmpTargets).toEqual([{ host: '192.168.88.3', port: 5351 }]);
    const named = fakeWorld();
    await runSelfTest(named.ports, { routerHost: 'router.lan' });
    expect(named.natPmpTargets).toEqual([{ host: '192.168.88.1', port: 5351 }]);
  });

  it('a NAT-PMP gateway that offers more lifetime than asked (2^32-1) is a warning, not a pass (RFC 6886 §3.3)', async () => {
    const w = fakeWorld();
    w.natpmp.offeredLifetime = 2 ** 32 - 1;
    const r = await runSelfTest(w.ports);
    const map = byId(r.steps, 'natpmp-map');
    expect(map).toMatchObject({ status: 'warn', detail: expect.stringContaining('offered 4294967295 s') });
    expect(map.detail).toMatch(/for 600 s/);
    expect(map.evidence.join('\n')).toMatch(/SHOULD NOT offer more than asked/);
  });

  it('a gateway that restarts mid-test (epoch back, RFC 6886 §3.6) is named, and the mapping is made again', async () => {
    const w = fakeWorld();
    w.natpmp.afterMap = () => {
      w.natpmp.afterMap = null;
      w.natpmp.reboot();
    };
    const r = await runSelfTest(w.ports);
    const verify = byId(r.steps, 'natpmp-verify-router');
    expect(verify).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(/restarted during the test.*mapped again/),
    });
    expect(verify.evidence.join('\n')).toMatch(/epoch went back from 7 s to 0 s \(RFC 6886 §3\.6\)/);
    expect(byId(r.steps, 'natpmp-verify-gone').status).toBe('pass');
    expect(r.findings.map((f) => f.id)).not.toContain('not-on-router');
  });

  it('a NAT-PMP answer that does not fit the request fails the map step with what to check', async () => {
    const w = fakeWorld();
    w.natpmp.mapError = new NatPmpError(
      'bad-response',
      'the NAT-PMP gateway 192.168.88.1 granted a mapping on external port 0: …',
    );
    const r = await runSelfTest(w.ports);
    expect(byId(r.steps, 'natpmp-map')).toMatchObject({
      status: 'fail',
      detail: 'the NAT-PMP answer does not fit the request',
      next: expect.stringMatching(/UDP 5351/),
    });
  });

  it('fails verify-on-router when the gateway accepted a mapping the router does not hold', async () => {
    const w = fakeWorld();
    w.igd.onAdd = () => undefined;
    const add = w.igd.addPortMapping.bind(w.igd);
    w.igd.addPortMapping = async (m) => {
      await add(m);
      w.router?.dropRule('upnp', m.externalPort); // another device answered: nothing on this router
    };
    const r = await runSelfTest(w.ports);
    expect(byId(r.steps, 'igd-verify-router').status).toBe('fail');
    expect(r.findings.find((f) => f.id === 'not-on-router')?.severity).toBe('error');
  });

  it('tests a requested port, but never touches a mapping that already holds it', async () => {
    const other = fakeWorld();
    other.igd.table.set(3074, {
      remoteHost: '',
      externalPort: 3074,
      protocol: 'TCP',
      internalPort: 3074,
      internalClient: '192.168.88.20',
      enabled: true,
      description: 'PS5 PSN',
      leaseDuration: 0,
    });
    other.router?.rule('upnp', 'tcp', 3074, '192.168.88.20', 3074, 'PS5 PSN');
    const r1 = await runSelfTest(other.ports, { testPort: 3074 });
    expect(byId(r1.steps, 'igd-add')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('192.168.88.20 ("PS5 PSN", upnp)'),
    });
    expect(other.igd.addCalls).toEqual([]);
    expect(other.igd.deleteCalls).toBe(0);
    expect(other.igd.table.has(3074)).toBe(true);
    expect(r1.findings.find((f) => f.id === 'port-conflict')?.severity).toBe('error');

    const mine = fakeWorld();
    mine.igd.table.set(3074, {
      remoteHost: '',
      externalPort: 3074,
      protocol: 'TCP',
      internalPort: 3074,
      internalClient: '192.168.88.30',
      enabled: true,
      description: 'my game',
      leaseDuration: 0,
    });
    const r2 = await runSelfTest(mine.ports, { testPort: 3074 });
    expect(byId(r2.steps, 'igd-add').status).toBe('warn');
    expect(mine.igd.table.get(3074)?.description).toBe('my game');
    expect(mine.igd.deleteCalls).toBe(0);

    const free = fakeWorld();
    const r3 = await runSelfTest(free.ports, { testPort: 3074 });
    expect(free.igd.addCalls.map((c) => c.externalPort)).toEqual([3074]);
    expect(byId(r3.steps, 'natpmp-map').evidence.join()).toContain('suggested 3074');
    expect(r3.ok).toBe(true);
  });

  it('does not retry a requested port on 718: it names the holder and fails', async () => {
    const w = fakeWorld();
    w.router?.rule('upnp', 'tcp', 3074, '192.168.88.21', 3074, 'Xbox');
    w.igd.onAdd = () => fault(718, 'ConflictInMappingEntry');
    const r = await runSelfTest(w.ports, { testPort: 3074 });
    expect(w.igd.addCalls).toHaveLength(1);
    expect(byId(r.steps, 'igd-add')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('192.168.88.21 ("Xbox", upnp)'),
    });
  });

  it('stops between steps when aborted and still removes the test mapping', async () => {
    const w = fakeWorld();
    const stop = new AbortController();
    const r = await runSelfTest(
      w.ports,
      { signal: stop.signal },
      { onStep: (s) => s.id === 'igd-add' && s.status === 'pass' && stop.abort() },
    );
    expect(statusOf(r.steps)).toMatchObject({
      'igd-add': 'pass',
      'igd-verify-router': 'skip',
      'natpmp-map': 'skip',
      cleanup: 'pass',
    });
    expect(byId(r.steps, 'igd-list').detail).toBe('skipped: stopped by the user');
    expect(byId(r.steps, 'cleanup').evidence).toEqual(['deleted the leftover UPnP test mapping TCP 45000']);
    expect(w.router?.menus['/ip/firewall/nat']).toEqual([]);
    expect(r).toMatchObject({ ok: false, cancelled: true });
    expect(r.text).toMatch(/STOPPED/);
  });
});
