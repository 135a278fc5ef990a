import { describe, expect, it } from 'vitest';
import type { MappingRequest } from '../../mapping-backend';
import { FakeClock } from '../clock';
import { DemoDevice } from '../device';
import { buildScenario, SCENARIOS } from './index';
import { HOME_LIVE_MAPPINGS, HOME_STALE_MAPPINGS } from './home';
import { LARGE_COUNT, NAT3_CONSOLE } from './others';
import oui from 'oui-data';

const ctx = { user: 'admin', remoteAddress: '127.0.0.1' };

function build(name: (typeof SCENARIOS)[number], profile: 'routeros7' | 'seed' = 'routeros7'): DemoDevice {
  const dev = new DemoDevice({ profile, clock: new FakeClock(), realClientsAreInternal: false });
  buildScenario(dev, name);
  return dev;
}

const vendor = (mac: string): string =>
  String((oui as Record<string, string>)[mac.replace(/:/g, '').slice(0, 6)] ?? '').split('\n')[0] ?? '';

const consoleRequest = (address: string): MappingRequest => ({
  source: 'upnp',
  protocol: 'udp',
  externalPort: 3074,
  internalAddress: address,
  internalPort: 3074,
  description: 'console',
  leaseSeconds: 0,
  remoteHost: '',
  enabled: true,
  clientAddress: address,
  allowAlternativePort: false,
});

describe('scenarios', () => {
  it.each(
    SCENARIOS.flatMap(
      (s) =>
        [
          [s, 'routeros7'],
          [s, 'seed'],
        ] as const,
    ),
  )('%s builds in %s', (name, profile) => {
    const dev = build(name, profile);
    expect(dev.print('/interface', {}, ctx).map((r) => r.name)).toContain('bridge-lan');
    expect(dev.print('/ip/dhcp-client', {}, ctx)[0]?.status).toBe('bound');
  });

  it('home: UPnP + NAT-PMP configured, a dozen live mappings with present hosts, stale ones with absent hosts', () => {
    const dev = build('home');
    expect(dev.backend.upnpStatus()).toMatchObject({ enabled: true, externalUp: true, externalAddress: '81.2.69.142' });
    expect(dev.backend.natPmpStatus().enabled).toBe(true);
    const arp = new Set(dev.print('/ip/arp', {}, ctx).map((r) => r.address));
    const leases = dev.print('/ip/dhcp-server/lease', {}, ctx);
    expect(HOME_LIVE_MAPPINGS.length).toBeGreaterThanOrEqual(12);
    for (const m of HOME_LIVE_MAPPINGS) expect(arp.has(m.address)).toBe(true);
    for (const m of HOME_STALE_MAPPINGS) {
      expect(arp.has(m.address)).toBe(false);
      const lease = leases.find((l) => l.address === m.address);
      expect(lease?.status).toBe('waiting');
      expect(lease?.['last-seen']).toMatch(/^(\d+w)?\d+d/);
    }
    const byName = (n: string) => leases.find((l) => l['host-name'] === n);
    expect(vendor(byName('PS5-Living-Room')?.['mac-address'] ?? '')).toMatch(/^Sony Interactive Entertainment/);
    expect(vendor(byName('Xbox-Series-X')?.['mac-address'] ?? '')).toMatch(/^Microsoft/);
    expect(vendor(byName('Nintendo-Switch')?.['mac-address'] ?? '')).toMatch(/^Nintendo/);
    expect(byName('plex-server')?.address).toBe('192.168.88.10');
    expect(dev.backend.list('upnp').length + dev.backend.list('nat-pmp').length).toBe(
      HOME_LIVE_MAPPINGS.length + HOME_STALE_MAPPINGS.length,
    );
  });

  it('fresh: UPnP off and unconfigured, but LAN bridge, DHCP server and WAN client are there', () => {
    const dev = build('fresh');
    expect(dev.print('/ip/upnp', {}, ctx)[0]?.enabled).toBe('false');
    expect(dev.print('/ip/upnp/interfaces', {}, ctx)).toEqual([]);
    expect(dev.print('/ip/nat-pmp/interfaces', {}, ctx)).toEqual([]);
    expect(dev.print('/ip/dhcp-server', {}, ctx)[0]).toMatchObject({ interface: 'bridge-lan' });
    expect(dev.print('/ip/firewall/nat', {}, ctx).filter((r) => r.dynamic === 'true')).toEqual([]);
  });

  it.each(['routeros7', 'seed'] as const)(
    'nat-type-3 (%s): console off the internal interface, double NAT, SSDP dropped',
    (profile) => {
      const dev = build('nat-type-3', profile);
      const consoleLease = dev.print('/ip/dhcp-server/lease', {}, ctx).find((l) => l.address === NAT3_CONSOLE);
      expect(consoleLease).toMatchObject({ status: 'bound', server: 'guest' });
      expect(dev.backend.add(consoleRequest(NAT3_CONSOLE))).toMatchObject({ ok: false, refusal: 'not-internal' });
      expect(dev.backend.upnpStatus().externalAddress).toBe('192.168.1.37');
      const first = dev.print('/ip/firewall/filter', {}, ctx)[0];
      expect(first).toMatchObject({
        chain: 'input',
        action: 'drop',
        protocol: 'udp',
        'dst-port': '1900',
        'in-interface': 'bridge-lan',
      });
      const lanConsole = dev.backend.add(consoleRequest('192.168.88.30'));
      if (profile === 'seed') {
        expect(dev.print('/ip/upnp/permissions', {}, ctx)[0]).toMatchObject({ action: 'deny', protocol: 'udp' });
        expect(lanConsole).toMatchObject({ ok: false, refusal: 'denied' });
      } else {
        expect(lanConsole.ok).toBe(true);
      }
    },
  );

  it('large: 10,000 dynamic mappings at the end of NAT, built in under a second', () => {
    const started = performance.now();
    const dev = build('large');
    expect(performance.now() - started).toBeLessThan(1000);
    const rows = dev.table('/ip/firewall/nat').all();
    const dynamic = rows.filter((r) => r.dynamic === 'true');
    expect(dynamic.length).toBe(LARGE_COUNT + HOME_LIVE_MAPPINGS.length + HOME_STALE_MAPPINGS.length);
    expect(rows.findIndex((r) => r.dynamic === 'true')).toBe(rows.length - dynamic.length);
  });
});
