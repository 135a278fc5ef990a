import { describe, expect, it } from 'vitest';
import type { MappingRequest } from '../mapping-backend';
import { FakeClock } from './clock';
import { DemoDevice } from './device';
import { cmd } from './scenarios/base';
import { buildHome } from './scenarios/home';
import type { Unknowns } from './unknowns';

const ctx = { user: 'admin', remoteAddress: '127.0.0.1' };

function home(
  profile: 'routeros7' | 'seed' = 'routeros7',
  opts: { real?: boolean; unknowns?: Partial<Unknowns> } = {},
): { dev: DemoDevice; clock: FakeClock } {
  const clock = new FakeClock();
  const dev = new DemoDevice({ profile, clock, realClientsAreInternal: opts.real ?? false, unknowns: opts.unknowns });
  buildHome(dev);
  return { dev, clock };
}

function req(over: Partial<MappingRequest> = {}): MappingRequest {
  return {
    source: 'upnp',
    protocol: 'tcp',
    externalPort: 55000,
    internalAddress: '192.168.88.15',
    internalPort: 55000,
    description: 'ApplicationX',
    leaseSeconds: 0,
    remoteHost: '',
    enabled: true,
    clientAddress: '192.168.88.15',
    allowAlternativePort: false,
    ...over,
  };
}

const dynamicRules = (dev: DemoDevice) => dev.print('/ip/firewall/nat', {}, ctx).filter((r) => r.dynamic === 'true');

describe('MappingBackend over the device state', () => {
  it('creates one dynamic dstnat rule exactly as RouterOS shows it, at the end of the table', () => {
    const { dev } = home();
    const before = dev.table('/ip/firewall/nat').size;
    cmd(dev, '/ip/firewall/nat', 'add', {
      chain: 'dstnat',
      action: 'dst-nat',
      protocol: 'tcp',
      'dst-port': '443',
      'to-addresses': '192.168.88.10',
      comment: 'static',
    });
    const r = dev.backend.add(req());
    expect(r.ok).toBe(true);
    const rows = dev.print('/ip/firewall/nat', {}, ctx);
    expect(rows.length).toBe(before + 2);
    expect(rows[1]?.comment).toBe('static');
    expect(rows.at(-1)).toMatchObject({
      chain: 'dstnat',
      action: 'dst-nat',
      protocol: 'tcp',
      'dst-port': '55000',
      'to-addresses': '192.168.88.15',
      'to-ports': '55000',
      'in-interface': 'ether1',
      'dst-address': '81.2.69.142',
      dynamic: 'true',
      comment: 'upnp 192.168.88.15: ApplicationX',
      bytes: '0',
      packets: '0',
    });
    const pmp = dev.backend.add(
      req({
        source: 'nat-pmp',
        externalPort: 55001,
        internalPort: 55001,
        leaseSeconds: 3600,
        allowAlternativePort: true,
      }),
    );
    expect(pmp.ok && pmp.entry.leaseSeconds).toBe(3600);
    expect(dynamicRules(dev).at(-1)?.comment).toBe('nat-pmp 192.168.88.15: ApplicationX');
  });

  it('refuses clients that are not on an internal interface, and a disabled or unconfigured service', () => {
    const { dev } = home();
    expect(dev.backend.add(req({ clientAddress: '10.9.9.9', internalAddress: '10.9.9.9' }))).toMatchObject({
      ok: false,
      refusal: 'not-internal',
    });
    expect(dev.backend.add(req({ internalAddress: '192.168.99.5' }))).toMatchObject({
      ok: false,
      refusal: 'not-internal',
    });
    cmd(dev, '/ip/upnp', 'set', { enabled: 'no' });
    expect(dev.backend.add(req())).toMatchObject({ ok: false, refusal: 'disabled' });
    expect(dev.backend.upnpStatus().enabled).toBe(false);
    cmd(dev, '/ip/upnp', 'set', { enabled: 'yes' });
    const ext = dev
      .table('/ip/upnp/interfaces')
      .all()
      .find((r) => r.type === 'external');
    cmd(dev, '/ip/upnp/interfaces', 'remove', { '.id': ext?.['.id'] ?? '' });
    expect(dev.backend.add(req())).toMatchObject({ ok: false, refusal: 'no-external' });
  });

  it('counts a bridge port listed as internal as its bridge, and real peers only when allowed', () => {
    const { dev } = home();
    const internal = dev
      .table('/ip/upnp/interfaces')
      .all()
      .find((r) => r.type === 'internal');
    cmd(dev, '/ip/upnp/interfaces', 'set', { '.id': internal?.['.id'] ?? '', interface: 'ether3' });
    expect(dev.backend.add(req()).ok).toBe(true);
    expect(
      dev.backend.add(req({ externalPort: 1234, clientAddress: '127.0.0.1', internalAddress: '127.0.0.1' })).ok,
    ).toBe(false);
    const real = home('routeros7', { real: true }).dev;
    const r = real.backend.add(req({ clientAddress: '127.0.0.1', internalAddress: '127.0.0.1' }));
    expect(r.ok).toBe(true);
  });

  it('routeros7: only permanent leases (725) and no permissions menu', () => {
    const { dev } = home();
    expect(dev.backend.add(req({ leaseSeconds: 3600 }))).toMatchObject({ ok: false, refusal: 'only-permanent' });
    expect(() => dev.print('/ip/upnp/permissions', {}, ctx)).toThrow('no such command');
    expect(() => dev.print('/ip/upnp/mappings', {}, ctx)).toThrow('no such command');
  });

  it('seed: permissions are ordered, first match wins, no match allows', () => {
    const { dev } = home('seed');
    expect(dev.backend.add(req({ externalPort: 80, internalPort: 80 }))).toMatchObject({
      ok: false,
      refusal: 'denied',
    });
    expect(dev.backend.add(req({ source: 'nat-pmp', externalPort: 80, internalPort: 80 }))).toMatchObject({
      ok: false,
      refusal: 'denied',
    });
    const first = dev.table('/ip/upnp/permissions').all()[0]?.['.id'] ?? '';
    cmd(dev, '/ip/upnp/permissions', 'add', {
      action: 'allow',
      interface: 'ether1',
      protocol: 'tcp',
      'dst-port': '80',
      'internal-address': '192.168.88.15',
      'place-before': first,
    });
    expect(dev.backend.add(req({ externalPort: 80, internalPort: 80 })).ok).toBe(true);
    const other = { clientAddress: '192.168.88.16', internalAddress: '192.168.88.16' };
    expect(dev.backend.add(req({ ...other, externalPort: 81, internalPort: 81 }))).toMatchObject({ refusal: 'denied' });
    cmd(dev, '/ip/upnp/permissions', 'add', { action: 'deny', protocol: 'udp', 'place-before': first });
    expect(dev.backend.add(req({ protocol: 'udp', externalPort: 3074, internalPort: 3074 }))).toMatchObject({
      refusal: 'denied',
    });
    expect(dev.backend.add(req({ externalPort: 3074, internalPort: 3074 })).ok).toBe(true);
    const all = dev
      .table('/ip/upnp/permissions')
      .all()
      .map((r) => r['.id'])
      .join(',');
    cmd(dev, '/ip/upnp/permissions', 'remove', { '.id': all });
    expect(dev.backend.add(req({ protocol: 'udp', externalPort: 53, internalPort: 53 })).ok).toBe(true);
  });

  it('conflict for another host, update for the same host, alternative port when allowed', () => {
    const { dev } = home();
    expect(dev.backend.add(req()).ok).toBe(true);
    const other = req({ clientAddress: '192.168.88.16', internalAddress: '192.168.88.16' });
    expect(dev.backend.add(other)).toMatchObject({ ok: false, refusal: 'conflict' });
    const again = dev.backend.add(req({ description: 'renamed', internalPort: 55005 }));
    expect(again.ok && again.entry.internalPort).toBe(55005);
    expect(dynamicRules(dev).filter((r) => r['dst-port'] === '55000')).toHaveLength(1);
    expect(dynamicRules(dev).find((r) => r['dst-port'] === '55000')?.comment).toBe('upnp 192.168.88.15: renamed');
    const alt = dev.backend.add({ ...other, allowAlternativePort: true });
    expect(alt.ok && alt.entry.externalPort).toBe(55001);
  });

  it('list() stays exact through changes and time although it is cached', () => {
    const { dev, clock } = home('seed');
    const n = dev.backend.list('upnp').length;
    dev.backend.add(req({ leaseSeconds: 100 }));
    expect(dev.backend.list('upnp')).toHaveLength(n + 1);
    dev.backend.add(req({ leaseSeconds: 100, description: 'renamed' }));
    expect(dev.backend.list('upnp').at(-1)).toMatchObject({ description: 'renamed', leaseSeconds: 100 });
    clock.advance(1500);
    expect(dev.backend.list('upnp').at(-1)?.leaseSeconds).toBe(99);
    dev.backend.remove('upnp', 'tcp', 55000, '192.168.88.15');
    expect(dev.backend.list('upnp')).toHaveLength(n);
  });

  it("deletes only the owner's mapping", () => {
    // A peer mapping for another host needs --foreign-add allow; the delete rules are what is tested.
    const { dev } = home('routeros7', { unknowns: { foreignAdd: 'allow' } });
    dev.backend.add(req());
    expect(dev.backend.remove('upnp', 'tcp', 55000, '192.168.88.16')).toMatchObject({ ok: false, refusal: 'denied' });
    expect(dev.backend.remove('nat-pmp', 'tcp', 55000, '192.168.88.15')).toMatchObject({
      ok: false,
      refusal: 'not-found',
    });
    expect(dev.backend.remove('upnp', 'tcp', 55000, '192.168.88.15')).toEqual({ ok: true });
    // The peer that asked for a mapping on behalf of another host may delete it too.
    dev.backend.add(req({ clientAddress: '192.168.88.30' }));
    expect(dev.backend.remove('upnp', 'tcp', 55000, '192.168.88.30')).toEqual({ ok: true });
    expect(dynamicRules(dev).some((r) => r['dst-port'] === '55000')).toBe(false);
    expect(dev.backend.get('upnp', 'tcp', 55000)).toBeUndefined();
  });

  it('seed: leases expire with fake time; routeros7 NAT-PMP lifetimes also expire', () => {
    const { dev, clock } = home('seed');
    dev.start();
    dev.backend.add(req({ leaseSeconds: 60 }));
    clock.advance(30_000);
    expect(dev.backend.get('upnp', 'tcp', 55000)?.leaseSeconds).toBe(30);
    clock.advance(31_000);
    expect(dev.backend.get('upnp', 'tcp', 55000)).toBeUndefined();
    expect(dynamicRules(dev).some((r) => r['dst-port'] === '55000')).toBe(false);
    dev.stop();
    const r7 = home('routeros7');
    r7.dev.start();
    r7.dev.backend.add(req({ source: 'nat-pmp', leaseSeconds: 10, allowAlternativePort: true }));
    r7.clock.advance(9000);
    expect(r7.dev.backend.get('nat-pmp', 'tcp', 55000)?.leaseSeconds).toBe(1);
    r7.clock.advance(1000);
    expect(r7.dev.backend.get('nat-pmp', 'tcp', 55000)).toBeUndefined();
    r7.dev.stop();
  });

  it('NAT-PMP: a repeated request for the same internal port refreshes the mapping (RFC 6886 §3.3)', () => {
    const { dev } = home();
    const first = dev.backend.add(
      req({ source: 'nat-pmp', externalPort: 0, leaseSeconds: 100, allowAlternativePort: true }),
    );
    expect(first.ok && first.entry.externalPort).toBe(55000);
    const again = dev.backend.add(
      req({ source: 'nat-pmp', externalPort: 61000, leaseSeconds: 200, allowAlternativePort: true }),
    );
    expect(again.ok && [again.entry.externalPort, again.entry.leaseSeconds]).toEqual([55000, 200]);
    expect(dev.backend.list('nat-pmp').filter((e) => e.internalPort === 55000)).toHaveLength(1);
  });

  it('any change under /ip/upnp restarts the service: flush, uptime reset, onRestart', () => {
    const { dev, clock } = home();
    let restarts = 0;
    dev.backend.onRestart(() => restarts++);
    clock.advance(10_000);
    expect(dev.backend.upnpStatus().uptimeSeconds).toBe(10);
    const natPmpBefore = dev.backend.list('nat-pmp').length;
    expect(dev.backend.list('upnp').length).toBeGreaterThan(10);
    cmd(dev, '/ip/upnp', 'set', { 'show-dummy-rule': 'no' });
    expect(restarts).toBe(1);
    expect(dev.backend.list('upnp')).toEqual([]);
    expect(dev.backend.list('nat-pmp')).toHaveLength(natPmpBefore);
    expect(dynamicRules(dev).every((r) => r.comment?.startsWith('nat-pmp '))).toBe(true);
    expect(dev.backend.upnpStatus()).toMatchObject({ uptimeSeconds: 0, showDummyRule: false });
    cmd(dev, '/ip/nat-pmp', 'set', { enabled: 'yes' });
    expect(dev.backend.list('nat-pmp')).toEqual([]);
  });

  it('forceTermination only with allow-disable-external-interface, and it takes the WAN down', () => {
    const { dev } = home();
    expect(dev.backend.forceTermination()).toMatchObject({ ok: false, refusal: 'denied' });
    cmd(dev, '/ip/upnp', 'set', { 'allow-disable-external-interface': 'yes' });
    expect(dev.backend.upnpStatus().allowDisableExternal).toBe(true);
    expect(dev.backend.forceTermination()).toEqual({ ok: true });
    expect(
      dev
        .table('/interface')
        .all()
        .find((r) => r.name === 'ether1'),
    ).toMatchObject({ disabled: 'true', running: 'false' });
    expect(dev.backend.upnpStatus().externalUp).toBe(false);
    expect(dev.backend.add(req())).toMatchObject({ ok: false, refusal: 'external-down' });
    cmd(dev, '/interface', 'enable', { '.id': 'ether1' });
    expect(dev.backend.upnpStatus().externalUp).toBe(true);
  });

  it('forced-ip replaces the external address in status and rules', () => {
    const { dev } = home();
    const ext = dev
      .table('/ip/upnp/interfaces')
      .all()
      .find((r) => r.type === 'external');
    cmd(dev, '/ip/upnp/interfaces', 'set', { '.id': ext?.['.id'] ?? '', 'forced-ip': '81.2.69.200' });
    expect(dev.backend.upnpStatus().externalAddress).toBe('81.2.69.200');
    dev.backend.add(req());
    expect(dynamicRules(dev).at(-1)?.['dst-address']).toBe('81.2.69.200');
  });
});
