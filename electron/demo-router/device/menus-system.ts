/** /system and /interface menus. Field sets follow the RouterOS 7 console (restraml inspect.json). */
import type { TableSpec } from './schema';
import { bool, iface, int, mac, oneOf, ro, str } from './schema';
import { formatDuration } from '../../routeros/duration';

export const identity: TableSpec = {
  path: '/system/identity',
  singleton: true,
  persist: true,
  fields: { name: str('MikroTik') },
};

/** Uptime is computed from the hidden boot time so every print is current. */
export const resource: TableSpec = {
  path: '/system/resource',
  singleton: true,
  persist: false,
  fields: {
    uptime: ro('0s'),
    version: ro('7.19.2 (stable)'),
    'build-time': ro('2025-06-18 10:23:31'),
    'factory-software': ro('7.12.1'),
    'free-memory': ro('838860800'),
    'total-memory': ro('1073741824'),
    cpu: ro('ARMv7'),
    'cpu-count': ro('4'),
    'cpu-frequency': ro('1400'),
    'cpu-load': ro('3'),
    'free-hdd-space': ro('101707776'),
    'total-hdd-space': ro('134217728'),
    'architecture-name': ro('arm'),
    'board-name': ro('hAP ax^2'),
    platform: ro('MikroTik'),
  },
  render: (row, ctx, hidden) => ({ ...row, uptime: formatDuration(ctx.now() - (hidden?.bootAt ?? ctx.now())) }),
};

const INTERFACE_TYPES = ['ether', 'bridge', 'vlan', 'wlan', 'pppoe-out', 'loopback'] as const;

export const interfaces: TableSpec = {
  path: '/interface',
  persist: true,
  readOnly: true,
  unique: [['name']],
  fields: {
    name: str(),
    'default-name': ro(),
    type: { ...oneOf(INTERFACE_TYPES), readOnly: true },
    mtu: int(68, 65535, 1500),
    'actual-mtu': ro('1500'),
    'mac-address': { ...mac(), readOnly: true },
    running: ro('true'),
    disabled: bool(false),
    comment: str(),
    'rx-byte': ro('0'),
    'tx-byte': ro('0'),
    'rx-packet': ro('0'),
    'tx-packet': ro('0'),
    'link-downs': ro('0'),
  },
};

export const bridge: TableSpec = {
  path: '/interface/bridge',
  persist: true,
  unique: [['name']],
  fields: {
    name: { ...str(), required: true },
    'mac-address': { ...mac(), readOnly: true },
    'admin-mac': str(),
    'auto-mac': bool(true),
    'vlan-filtering': bool(false),
    'igmp-snooping': bool(false),
    'protocol-mode': oneOf(['none', 'rstp', 'stp', 'mstp'], 'rstp'),
    mtu: str('auto'),
    disabled: bool(false),
    running: ro('true'),
    comment: str(),
  },
};

export const bridgePort: TableSpec = {
  path: '/interface/bridge/port',
  persist: true,
  ordered: true,
  unique: [['interface']],
  fields: {
    interface: iface({ required: true }),
    bridge: iface({ required: true }),
    pvid: int(1, 4094, 1),
    disabled: bool(false),
    inactive: ro('false'),
    comment: str(),
  },
};

export const vlan: TableSpec = {
  path: '/interface/vlan',
  persist: true,
  unique: [['name'], ['interface', 'vlan-id']],
  fields: {
    name: { ...str(), required: true },
    'vlan-id': { ...int(1, 4094), required: true },
    interface: iface({ required: true }),
    mtu: int(68, 65535, 1500),
    'mac-address': { ...mac(), readOnly: true },
    disabled: bool(false),
    running: ro('true'),
    comment: str(),
  },
};

/** /ip/service: only the API services matter to PortPilot. */
export const service: TableSpec = {
  path: '/ip/service',
  persist: true,
  readOnly: true,
  fields: {
    name: ro(),
    port: int(1, 65535),
    address: str(''),
    certificate: str('none'),
    'tls-version': oneOf(['any', 'only-1.2'], 'any'),
    disabled: bool(false),
    invalid: ro('false'),
    'max-sessions': int(1, 1000, 20),
  },
};
