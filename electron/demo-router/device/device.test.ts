import { describe, expect, it } from 'vitest';
import { FakeClock } from './clock';
import { DemoDevice } from './device';
import { cmd } from './scenarios/base';
import { buildHome } from './scenarios/home';

const ctx = { user: 'admin', remoteAddress: '127.0.0.1' };

function home(profile: 'routeros7' | 'seed' = 'routeros7'): { dev: DemoDevice; clock: FakeClock } {
  const clock = new FakeClock();
  const dev = new DemoDevice({ profile, clock });
  buildHome(dev);
  return { dev, clock };
}

describe('menus', () => {
  it('/system/resource: version per profile and a running uptime', () => {
    const { dev, clock } = home();
    expect(dev.print('/system/resource', {}, ctx)[0]).toMatchObject({
      version: '7.19.2 (stable)',
      'board-name': 'hAP ax^2',
      uptime: '0s',
    });
    clock.advance(93_784_000);
    expect(dev.command('/system/resource', 'get', { 'value-name': 'uptime' }, ctx).ret).toBe('1d2h3m4s');
    expect(home('seed').dev.print('/system/resource', {}, ctx)[0]?.version).toBe('7.x');
    expect(() => cmd(dev, '/system/resource', 'set', { version: '8' })).toThrow('unknown parameter version');
  });

  it('/system/identity, login', () => {
    const { dev } = home();
    expect(dev.print('/system/identity', {}, ctx)).toEqual([{ name: 'HomeRouter' }]);
    expect(dev.login('admin', '')).toBe(true);
    expect(dev.login('admin', 'x')).toBe(false);
  });

  it('bridges and VLANs appear in /interface; disabling stops them running', () => {
    const { dev } = home();
    cmd(dev, '/interface/vlan', 'add', { name: 'vlan20', 'vlan-id': '20', interface: 'bridge-lan' });
    const vlan = dev.print('/interface', {}, ctx).find((r) => r.name === 'vlan20');
    expect(vlan).toMatchObject({ type: 'vlan', running: 'true', disabled: 'false' });
    expect(vlan?.['mac-address']).toMatch(/^48:A9:8A(:[0-9A-F]{2}){3}$/);
    expect(vlan).not.toHaveProperty('_mirror');
    cmd(dev, '/interface', 'disable', { '.id': vlan?.['.id'] ?? '' });
    expect(dev.table('/interface/vlan').all()[0]?.disabled).toBe('true');
    expect(dev.table('/interface').find(vlan?.['.id'] ?? '')?.running).toBe('false');
    cmd(dev, '/interface/vlan', 'remove', { '.id': dev.table('/interface/vlan').all()[0]?.['.id'] ?? '' });
    expect(dev.print('/interface', {}, ctx).some((r) => r.name === 'vlan20')).toBe(false);
    expect(dev.print('/interface/bridge/port', {}, ctx).map((r) => r.interface)).toEqual([
      'ether2',
      'ether3',
      'ether4',
      'ether5',
    ]);
  });

  it('renaming an interface renames every reference (ether1 → ether1-wan, bridge-lan → bridge)', () => {
    const { dev } = home();
    cmd(dev, '/interface', 'set', { '.id': 'ether1', name: 'ether1-wan' });
    cmd(dev, '/interface/bridge', 'set', { '.id': 'bridge-lan', name: 'bridge' });
    expect(dev.print('/interface', {}, ctx).map((r) => r.name)).toEqual([
      'ether1-wan',
      'ether2',
      'ether3',
      'ether4',
      'ether5',
      'bridge',
    ]);
    expect(dev.print('/ip/upnp/interfaces', {}, ctx).map((r) => r.interface)).toEqual(['bridge', 'ether1-wan']);
    expect(dev.print('/interface/bridge/port', {}, ctx).every((r) => r.bridge === 'bridge')).toBe(true);
    expect(
      dev.print('/ip/firewall/filter', {}, ctx).find((r) => r.comment === 'defconf: drop all not coming from LAN')?.[
        'in-interface'
      ],
    ).toBe('ether1-wan');
    expect(dev.print('/ip/route', {}, ctx).find((r) => r['dst-address'] === '0.0.0.0/0')?.['immediate-gw']).toBe(
      '81.2.69.1%ether1-wan',
    );
    expect(dev.backend.upnpStatus()).toMatchObject({ enabled: true, externalAddress: '81.2.69.142' });
    const r = dev.backend.add({
      source: 'upnp',
      protocol: 'tcp',
      externalPort: 50000,
      internalAddress: '192.168.88.30',
      internalPort: 50000,
      description: 'x',
      leaseSeconds: 0,
      remoteHost: '',
      enabled: true,
      clientAddress: '192.168.88.30',
      allowAlternativePort: false,
    });
    expect(r.ok).toBe(true);
    expect(dev.print('/ip/firewall/nat', {}, ctx).at(-1)?.['in-interface']).toBe('ether1-wan');
  });

  it('removing a bridge leaves its UPnP interface entry invalid, and UPnP without an internal interface', () => {
    const { dev } = home();
    cmd(dev, '/interface/bridge', 'remove', { '.id': 'bridge-lan' });
    expect(dev.print('/ip/upnp/interfaces', {}, ctx).find((r) => r.interface === 'bridge-lan')?.invalid).toBe('true');
    expect(dev.print('/ip/address', {}, ctx).find((r) => r.interface === 'bridge-lan')?.invalid).toBe('true');
    expect(dev.backend.upnpStatus().enabled).toBe(false);
  });

  it('/ip/address derives network; /ip/route has the DHCP default route', () => {
    const { dev } = home();
    expect(dev.print('/ip/address', {}, ctx).find((r) => r.interface === 'bridge-lan')).toMatchObject({
      address: '192.168.88.1/24',
      network: '192.168.88.0',
    });
    expect(dev.print('/ip/route', {}, ctx).find((r) => r['dst-address'] === '0.0.0.0/0')).toMatchObject({
      gateway: '81.2.69.1',
      dynamic: 'true',
      dhcp: 'true',
    });
    expect(dev.print('/ip/dhcp-client', {}, ctx)[0]).toMatchObject({
      interface: 'ether1',
      status: 'bound',
      address: '81.2.69.142/24',
    });
  });

  it('/ip/dhcp-server/lease: make-static keeps the address as a static lease', () => {
    const { dev } = home();
    const ps5 = dev.print('/ip/dhcp-server/lease', {}, ctx).find((l) => l['host-name'] === 'PS5-Living-Room');
    expect(ps5).toMatchObject({
      dynamic: 'true',
      status: 'bound',
      'active-address': '192.168.88.20',
      server: 'defconf',
    });
    cmd(dev, '/ip/dhcp-server/lease', 'make-static', { '.id': ps5?.['.id'] ?? '' });
    expect(dev.table('/ip/dhcp-server/lease').find(ps5?.['.id'] ?? '')?.dynamic).toBe('false');
    expect(dev.exportConfig().tables['/ip/dhcp-server/lease']?.rows.map((r) => r.address)).toEqual(['192.168.88.20']);
  });

  it('/ip/nat-pmp/interfaces takes one external interface only', () => {
    const { dev } = home();
    expect(() => cmd(dev, '/ip/nat-pmp/interfaces', 'add', { interface: 'ether5', type: 'external' })).toThrow(
      'failure: only one external interface can be added to the list',
    );
  });

  it('/ip/firewall/service-port has sip; /ip/service has api and api-ssl', () => {
    const { dev } = home();
    expect(dev.print('/ip/firewall/service-port', {}, ctx).find((r) => r.name === 'sip')).toMatchObject({
      ports: '5060,5061',
      disabled: 'false',
    });
    cmd(dev, '/ip/firewall/service-port', 'disable', { '.id': 'sip' });
    expect(dev.print('/ip/firewall/service-port', {}, ctx).find((r) => r.name === 'sip')?.disabled).toBe('true');
    expect(
      dev
        .print('/ip/service', {}, ctx)
        .filter((r) => r.name?.startsWith('api'))
        .map((r) => r.port),
    ).toEqual(['8728', '8729']);
  });

  it('routeros7 refuses removing a dynamic NAT rule; seed removes it and its mapping', () => {
    const r7 = home().dev;
    const dyn = r7.print('/ip/firewall/nat', {}, ctx).find((r) => r.dynamic === 'true');
    expect(() => cmd(r7, '/ip/firewall/nat', 'remove', { '.id': dyn?.['.id'] ?? '' })).toThrow(
      /^failure: cannot remove dynamic/,
    );
    expect(() => cmd(r7, '/ip/firewall/nat', 'set', { '.id': dyn?.['.id'] ?? '', comment: 'x' })).toThrow(
      /^failure: cannot change dynamic/,
    );
    const seed = home('seed').dev;
    const row = seed.print('/ip/firewall/nat', {}, ctx).find((r) => r.dynamic === 'true');
    cmd(seed, '/ip/firewall/nat', 'remove', { '.id': row?.['.id'] ?? '' });
    expect(seed.backend.get('upnp', 'udp', 3074)).toBeUndefined();
  });

  it('seed /ip/upnp/mappings prints upnp mappings and removes them with their rules', () => {
    const { dev } = home('seed');
    const rows = dev.print('/ip/upnp/mappings', {}, ctx);
    expect(rows).toHaveLength(dev.backend.list('upnp').length);
    expect(rows[0]).toMatchObject({
      protocol: 'udp',
      'dst-port': '3074',
      'internal-address': '192.168.88.20',
      description: 'PS5 PSN 3074',
    });
    const seen: string[] = [];
    dev.listen('/ip/upnp/mappings', (r) => seen.push(`${r['.id']}:${r['.dead'] ?? 'live'}`));
    dev.command('/ip/upnp/mappings', 'remove', { '.id': `${rows[0]?.['.id']},${rows[1]?.['.id']}` }, ctx);
    expect(seen).toEqual([`${rows[0]?.['.id']}:true`, `${rows[1]?.['.id']}:true`]);
    expect(dev.table('/ip/firewall/nat').find(rows[0]?.['.id'] ?? '')).toBeUndefined();
    expect(() => dev.command('/ip/upnp/mappings', 'remove', { '.id': '*FFFF' }, ctx)).toThrow('no such item');
  });

  it('reboot closes sessions, drops mappings and connections, keeps configuration, resets uptime', async () => {
    const { dev, clock } = home();
    cmd(dev, '/system/identity', 'set', { name: 'Renamed' });
    dev.table('/ip/firewall/connection').add({ protocol: 'tcp' }, { trusted: true });
    clock.advance(60_000);
    let closed = 0;
    dev.onReboot(() => closed++);
    expect(dev.command('/system', 'reboot', {}, ctx)).toEqual({});
    expect(closed).toBe(0); // the API server still sends !done first
    await Promise.resolve();
    expect(closed).toBe(1);
    expect(dev.backend.list('upnp')).toEqual([]);
    expect(dev.backend.list('nat-pmp')).toEqual([]);
    expect(dev.print('/ip/firewall/nat', {}, ctx).map((r) => r.comment)).toEqual(['defconf: masquerade']);
    expect(dev.print('/ip/firewall/connection', {}, ctx)).toEqual([]);
    expect(dev.print('/system/identity', {}, ctx)[0]?.name).toBe('Renamed');
    expect(dev.print('/system/resource', {}, ctx)[0]?.uptime).toBe('0s');
    expect(dev.print('/log', {}, ctx).at(-1)).toMatchObject({ topics: 'system,info', message: 'router rebooted' });
  });

  it('exportConfig/importConfig keeps configuration but not dynamic rows', () => {
    const { dev } = home();
    cmd(dev, '/ip/firewall/filter', 'add', {
      chain: 'forward',
      action: 'log',
      protocol: 'udp',
      'dst-port': '3074',
      'log-prefix': 'UPNP-FWD ',
    });
    const snap = JSON.parse(JSON.stringify(dev.exportConfig()));
    expect(snap.tables['/ip/firewall/nat'].rows).toHaveLength(1);
    expect(snap.tables['/ip/firewall/connection']).toBeUndefined();
    const fresh = new DemoDevice({ clock: new FakeClock() });
    buildHome(fresh);
    fresh.importConfig(snap);
    expect(fresh.print('/ip/firewall/filter', {}, ctx).at(-1)).toMatchObject({ 'log-prefix': 'UPNP-FWD ' });
    expect(fresh.backend.list('upnp')).toEqual([]);
    expect(fresh.print('/ip/address', {}, ctx).some((r) => r.interface === 'ether1')).toBe(true);
  });
});
