/**
 * The hardware and default configuration every scenario starts from: a five-port router
 * (ether1 = WAN with a DHCP client, ether2-5 on bridge-lan), RouterOS's defconf firewall, the DHCP
 * server, /ip/service and the NAT helpers in /ip/firewall/service-port. Configuration goes through
 * `dev.command` so it obeys the same validation as API clients.
 */
import type { Row } from '../../api-device';
import type { DemoDevice } from '../device';
import { macFor } from './macs';

export const LOCAL = { user: 'scenario', remoteAddress: '127.0.0.1' };

export function cmd(dev: DemoDevice, path: string, verb: string, attrs: Row = {}): string {
  return dev.command(path, verb, attrs, LOCAL).ret ?? '';
}

export interface WanOptions {
  /** CIDR the ISP's DHCP server handed out. */
  address: string;
  gateway: string;
  dhcpServer: string;
}

export function buildHardware(dev: DemoDevice, identity: string): void {
  cmd(dev, '/system/identity', 'set', { name: identity });
  const ifaces = dev.table('/interface');
  for (let i = 1; i <= 5; i++) {
    const name = `ether${i}`;
    ifaces.add({ name, 'default-name': name, type: 'ether', 'mac-address': macFor(name) }, { trusted: true });
  }
  const services: Array<[string, number, boolean]> = [
    ['telnet', 23, true],
    ['ftp', 21, true],
    ['www', 80, false],
    ['ssh', 22, false],
    ['www-ssl', 443, true],
    ['api', 8728, false],
    ['winbox', 8291, false],
    ['api-ssl', 8729, false],
  ];
  for (const [name, port, disabled] of services) {
    dev.table('/ip/service').add({ name, port: String(port), disabled: String(disabled) }, { trusted: true });
  }
  // RouterOS 7 default helpers: sip on 5060,5061 enabled, a few legacy ones disabled.
  const helpers: Array<[string, string, boolean]> = [
    ['ftp', '21', false],
    ['tftp', '69', false],
    ['irc', '6667', true],
    ['h323', '', true],
    ['sip', '5060,5061', false],
    ['pptp', '', false],
    ['rtsp', '554', true],
    ['udplite', '', false],
    ['dccp', '', false],
    ['sctp', '', false],
  ];
  for (const [name, ports, disabled] of helpers) {
    dev.table('/ip/firewall/service-port').add({ name, ports, disabled: String(disabled) }, { trusted: true });
  }
}

/** bridge-lan with ether2-5, 192.168.88.1/24, a DHCP server, and the connected route. */
export function buildLan(dev: DemoDevice, lanAddress = '192.168.88.1/24'): void {
  cmd(dev, '/interface/bridge', 'add', { name: 'bridge-lan', comment: 'defconf' });
  for (let i = 2; i <= 5; i++)
    cmd(dev, '/interface/bridge/port', 'add', { interface: `ether${i}`, bridge: 'bridge-lan' });
  cmd(dev, '/ip/address', 'add', { address: lanAddress, interface: 'bridge-lan', comment: 'defconf' });
  cmd(dev, '/ip/dhcp-server', 'add', {
    name: 'defconf',
    interface: 'bridge-lan',
    'address-pool': 'default-dhcp',
    'lease-time': '30m',
  });
  const net = lanAddress.replace(/\.\d+\/(\d+)$/, '.0/$1');
  dev.table('/ip/route').add(
    {
      'dst-address': net,
      gateway: 'bridge-lan',
      'immediate-gw': 'bridge-lan',
      connect: 'true',
      static: 'false',
      distance: '0',
    },
    { dynamic: true, trusted: true },
  );
}

/** ether1's DHCP client is bound: dynamic address and default route, as RouterOS shows them. */
export function buildWan(dev: DemoDevice, wan: WanOptions): void {
  const id = cmd(dev, '/ip/dhcp-client', 'add', { interface: 'ether1', comment: 'defconf' });
  const client = dev.table('/ip/dhcp-client').find(id);
  if (client) {
    dev.table('/ip/dhcp-client').update(
      client,
      {
        status: 'bound',
        address: wan.address,
        gateway: wan.gateway,
        'dhcp-server': wan.dhcpServer,
        'primary-dns': wan.gateway,
        'expires-after': '23h41m12s',
      },
      true,
    );
  }
  dev.table('/ip/address').add({ address: wan.address, interface: 'ether1' }, { dynamic: true, trusted: true });
  dev.table('/ip/route').add(
    {
      'dst-address': '0.0.0.0/0',
      gateway: wan.gateway,
      'immediate-gw': `${wan.gateway}%ether1`,
      dhcp: 'true',
      static: 'false',
    },
    { dynamic: true, trusted: true },
  );
}

/** The RouterOS 7 defconf firewall (abridged to the rules that matter for port mapping). */
export function buildFirewall(dev: DemoDevice): void {
  const filter: Row[] = [
    {
      chain: 'input',
      action: 'accept',
      'connection-state': 'established,related,untracked',
      comment: 'defconf: accept established,related,untracked',
    },
    { chain: 'input', action: 'drop', 'connection-state': 'invalid', comment: 'defconf: drop invalid' },
    { chain: 'input', action: 'accept', protocol: 'icmp', comment: 'defconf: accept ICMP' },
    { chain: 'input', action: 'drop', 'in-interface': 'ether1', comment: 'defconf: drop all not coming from LAN' },
    {
      chain: 'forward',
      action: 'accept',
      'connection-state': 'established,related,untracked',
      comment: 'defconf: accept established,related, untracked',
    },
    { chain: 'forward', action: 'drop', 'connection-state': 'invalid', comment: 'defconf: drop invalid' },
    {
      chain: 'forward',
      action: 'drop',
      'connection-state': 'new',
      'connection-nat-state': '!dstnat',
      'in-interface': 'ether1',
      comment: 'defconf: drop all from WAN not DSTNATed',
    },
  ];
  for (const rule of filter) cmd(dev, '/ip/firewall/filter', 'add', rule);
  cmd(dev, '/ip/firewall/nat', 'add', {
    chain: 'srcnat',
    action: 'masquerade',
    'out-interface': 'ether1',
    comment: 'defconf: masquerade',
  });
}

/** The guide's recommended UPnP setup plus NAT-PMP on the same interfaces. */
export function enableMappingServices(dev: DemoDevice, internal = 'bridge-lan'): void {
  cmd(dev, '/ip/upnp', 'set', { enabled: 'yes', 'allow-disable-external-interface': 'no', 'show-dummy-rule': 'yes' });
  cmd(dev, '/ip/upnp/interfaces', 'add', { interface: internal, type: 'internal' });
  cmd(dev, '/ip/upnp/interfaces', 'add', { interface: 'ether1', type: 'external' });
  cmd(dev, '/ip/nat-pmp', 'set', { enabled: 'yes' });
  cmd(dev, '/ip/nat-pmp/interfaces', 'add', { interface: internal, type: 'internal' });
  cmd(dev, '/ip/nat-pmp/interfaces', 'add', { interface: 'ether1', type: 'external' });
}

/** The guide's "typical home deployment" permissions (seed profile only). */
export function addHighPortPermissions(dev: DemoDevice): void {
  for (const protocol of ['tcp', 'udp']) {
    cmd(dev, '/ip/upnp/permissions', 'add', {
      action: 'allow',
      interface: 'ether1',
      protocol,
      'dst-port': '1024-65535',
      comment: `allow high ${protocol.toUpperCase()}`,
    });
  }
  for (const protocol of ['tcp', 'udp']) {
    cmd(dev, '/ip/upnp/permissions', 'add', {
      action: 'deny',
      interface: 'ether1',
      protocol,
      'dst-port': '0-1023',
      comment: `block privileged ${protocol.toUpperCase()}`,
    });
  }
}
