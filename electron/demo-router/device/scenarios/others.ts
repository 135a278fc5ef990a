/** `fresh`, `nat-type-3` and `large`. */
import type { DemoDevice } from '../device';
import { buildFirewall, buildHardware, buildLan, buildWan, cmd } from './base';
import { HOME_WAN, buildHome } from './home';
import { addHost, seedMapping } from './hosts';
import { OUI, macFor } from './macs';

/**
 * `fresh`: out of the box with defconf — LAN bridge + DHCP server, WAN DHCP client bound — but UPnP
 * and NAT-PMP off and unconfigured, so PortPilot's setup wizard has to detect the roles.
 */
export function buildFresh(dev: DemoDevice): void {
  buildHardware(dev, 'MikroTik');
  buildLan(dev);
  buildWan(dev, HOME_WAN);
  buildFirewall(dev);
  addHost(dev, { hostName: 'alex-laptop', address: '192.168.88.30', mac: macFor('alex', OUI.intel), present: true });
  addHost(dev, { hostName: 'sams-iPhone', address: '192.168.88.31', mac: macFor('sam', OUI.apple), present: true });
  dev.roamers.push('192.168.88.31');
}

/** The ISP box in front of the router: its LAN is the router's WAN (double NAT). */
export const DOUBLE_NAT_WAN = { address: '192.168.1.37/24', gateway: '192.168.1.1', dhcpServer: '192.168.1.1' };
export const NAT3_CONSOLE = '192.168.20.15';

/**
 * `nat-type-3`: everything the guide's "NAT Type 3 (strict)" troubleshooting lists at once:
 * - the console sits on vlan20-guest, which is not an internal UPnP interface;
 * - seed profile: a UDP deny permission before the allows. RouterOS 7 has no permissions menu
 *   (routeros-facts.md), so there the strictness comes from the other three causes only;
 * - a private WAN address (double NAT: UPnP only opens the local router's NAT);
 * - a filter rule dropping SSDP (UDP 1900) from the LAN.
 */
export function buildNatType3(dev: DemoDevice): void {
  buildHardware(dev, 'HomeRouter');
  buildLan(dev);
  buildWan(dev, DOUBLE_NAT_WAN);
  buildFirewall(dev);
  cmd(dev, '/interface/vlan', 'add', { name: 'vlan20-guest', 'vlan-id': '20', interface: 'bridge-lan' });
  cmd(dev, '/ip/address', 'add', { address: '192.168.20.1/24', interface: 'vlan20-guest' });
  cmd(dev, '/ip/dhcp-server', 'add', { name: 'guest', interface: 'vlan20-guest', 'lease-time': '1h' });
  cmd(dev, '/ip/upnp', 'set', { enabled: 'yes' });
  cmd(dev, '/ip/upnp/interfaces', 'add', { interface: 'bridge-lan', type: 'internal' });
  cmd(dev, '/ip/upnp/interfaces', 'add', { interface: 'ether1', type: 'external' });
  if (dev.profile === 'seed') {
    cmd(dev, '/ip/upnp/permissions', 'add', {
      action: 'deny',
      interface: 'ether1',
      protocol: 'udp',
      comment: 'block all UDP',
    });
    cmd(dev, '/ip/upnp/permissions', 'add', {
      action: 'allow',
      interface: 'ether1',
      protocol: 'tcp',
      'dst-port': '1024-65535',
      comment: 'allow high TCP',
    });
    cmd(dev, '/ip/upnp/permissions', 'add', {
      action: 'allow',
      interface: 'ether1',
      protocol: 'udp',
      'dst-port': '1024-65535',
      comment: 'allow high UDP',
    });
  }
  cmd(dev, '/ip/firewall/filter', 'add', {
    chain: 'input',
    action: 'drop',
    protocol: 'udp',
    'dst-port': '1900',
    'in-interface': 'bridge-lan',
    comment: 'drop SSDP from LAN',
    'place-before': '0',
  });
  addHost(dev, {
    hostName: 'PS5-Guest',
    address: NAT3_CONSOLE,
    mac: macFor('ps5-guest', OUI.sonyInteractive),
    present: true,
    iface: 'vlan20-guest',
    server: 'guest',
  });
  addHost(dev, { hostName: 'alex-laptop', address: '192.168.88.30', mac: macFor('alex', OUI.intel), present: true });
  seedMapping(dev, { protocol: 'tcp', port: 6881, address: '192.168.88.30', description: 'qBittorrent/4.6.5' });
}

export const LARGE_COUNT = 10_000;

/**
 * `large`: home plus 10,000 dynamic mappings from 100 hosts (192.168.88.100-199, ports 40000-49999),
 * for PortPilot's paging, search and bulk cleanup. Built through the same backend path, < 1 s.
 */
export function buildLarge(dev: DemoDevice): void {
  buildHome(dev);
  for (let h = 0; h < 100; h++) {
    const address = `192.168.88.${100 + h}`;
    addHost(dev, {
      hostName: `device-${100 + h}`,
      address,
      mac: macFor(`bulk${h}`, OUI.asus),
      present: h % 4 !== 0,
      goneFor: (h % 7) * 86400_000 + 3600_000,
    });
    for (let i = 0; i < LARGE_COUNT / 100; i++) {
      const port = 40000 + h * 100 + i;
      seedMapping(dev, {
        protocol: i % 2 === 0 ? 'udp' : 'tcp',
        port,
        address,
        description: `bulk ${address}:${port}`,
      });
    }
  }
}
