/** /ip address, route, arp, DHCP server leases and DHCP client. */
import { ApiTrap } from '../api-device';
import { intToIPv4, parseCidr } from '../../net/ipv4';
import type { TableSpec } from './schema';
import { addr, bool, duration, iface, int, mac, oneOf, ro, str } from './schema';
import { formatDuration } from '../../routeros/duration';

export const address: TableSpec = {
  path: '/ip/address',
  persist: true,
  hasDynamic: true,
  unique: [['address', 'interface']],
  fields: {
    address: addr(true),
    network: str(),
    interface: iface({ required: true }),
    'actual-interface': ro(),
    disabled: bool(false),
    invalid: ro('false'),
    dynamic: ro('false'),
    comment: str(),
  },
  check: (row) => {
    if (!(row.address ?? '').includes('/') || !parseCidr(row.address ?? '')) {
      throw new ApiTrap('input does not match any value of address', 1);
    }
  },
  render: (row) => {
    const cidr = parseCidr(row.address ?? '');
    return { ...row, network: cidr ? intToIPv4(cidr.network) : '', 'actual-interface': row.interface ?? '' };
  },
};

export const route: TableSpec = {
  path: '/ip/route',
  persist: true,
  hasDynamic: true,
  fields: {
    'dst-address': { ...addr(), default: '0.0.0.0/0' },
    gateway: str(),
    'immediate-gw': ro(''),
    distance: int(1, 255, 1),
    'routing-table': str('main'),
    scope: int(0, 255, 30),
    'target-scope': int(0, 255, 10),
    active: ro('true'),
    static: ro('true'),
    dhcp: ro('false'),
    connect: ro('false'),
    disabled: bool(false),
    dynamic: ro('false'),
    comment: str(),
  },
};

/** ARP (RouterOS 7 adds `status`: reachable/stale/delay/failed/permanent). */
export const arp: TableSpec = {
  path: '/ip/arp',
  persist: true,
  hasDynamic: true,
  unique: [['address', 'interface']],
  fields: {
    address: addr(true),
    'mac-address': mac(),
    interface: iface({ required: true }),
    published: bool(false),
    status: ro('permanent'),
    complete: ro('true'),
    invalid: ro('false'),
    dhcp: ro('false'),
    disabled: bool(false),
    dynamic: ro('false'),
    comment: str(),
  },
};

/**
 * Leases: `last-seen` is derived from the hidden `lastSeenAt` timestamp, `expires-after` from
 * `expiresAt`; a host that left the network shows `status=waiting` (RouterOS DHCP server docs).
 */
export const dhcpLease: TableSpec = {
  path: '/ip/dhcp-server/lease',
  persist: true,
  hasDynamic: true,
  unique: [['address']],
  fields: {
    address: addr(true),
    'mac-address': mac(true),
    'client-id': str(),
    server: str('all'),
    'host-name': ro(''),
    status: ro('waiting'),
    'last-seen': ro('never'),
    'expires-after': ro(''),
    'active-address': ro(''),
    'active-mac-address': ro(''),
    'active-host-name': ro(''),
    'active-server': ro(''),
    'lease-time': duration('30m'),
    'block-access': bool(false),
    radius: ro('false'),
    blocked: ro('false'),
    disabled: bool(false),
    dynamic: ro('false'),
    comment: str(),
  },
  render: (row, ctx, hidden) => {
    const out = { ...row };
    if (hidden?.lastSeenAt !== undefined) out['last-seen'] = formatDuration(ctx.now() - hidden.lastSeenAt);
    if (hidden?.expiresAt !== undefined && row.status === 'bound') {
      out['expires-after'] = formatDuration(Math.max(0, hidden.expiresAt - ctx.now()));
    }
    return out;
  },
};

export const dhcpServer: TableSpec = {
  path: '/ip/dhcp-server',
  persist: true,
  unique: [['name']],
  fields: {
    name: { ...str(), required: true },
    interface: iface({ required: true }),
    'address-pool': str('static-only'),
    'lease-time': duration('30m'),
    disabled: bool(false),
    invalid: ro('false'),
    dynamic: ro('false'),
  },
};

export const dhcpClient: TableSpec = {
  path: '/ip/dhcp-client',
  persist: true,
  unique: [['interface']],
  fields: {
    interface: iface({ required: true }),
    'add-default-route': oneOf(['yes', 'no', 'special-classless'], 'yes'),
    'default-route-distance': int(0, 255, 1),
    'use-peer-dns': bool(true),
    'use-peer-ntp': bool(true),
    status: ro('searching...'),
    address: ro(''),
    gateway: ro(''),
    'dhcp-server': ro(''),
    'primary-dns': ro(''),
    'expires-after': ro(''),
    disabled: bool(false),
    invalid: ro('false'),
    dynamic: ro('false'),
    comment: str(),
  },
};
